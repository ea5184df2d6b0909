// Makes the lock next to some workflow files hold every remote action they use (their composite
// actions' too, at any depth), fetched into the cache: a ref not yet locked is resolved and added; a
// locked one is fetched if the cache lacks it, and refused if its tarball's digest is not the locked
// one. `update` resolves every ref again.

import { readFile, writeFile } from 'node:fs/promises';

import { parseActionReference } from '../model/actions/reference';
import { actionCacheDir, formatLock, lockFileOf, lockKey, parseLock, type ActionLock, type LockedAction } from '../model/actions/lock';
import { checkoutAction, lambdaAction } from '../model/keys';
import { parseSpec } from '../source/parse';
import type { SpecNode } from '../source/tree';
import { cachedWithDigest, repositoryRootOf } from '../model/actions/resolver';
import { MAX_ACTION_DEPTH } from '../model/validate/actions';
import { compositeUses, type ActionUse } from './nested-uses';
import { ActionFetchError, downloadTarball, extractIntoCache, resolveRef, type FetchSettings } from './fetch';

export interface LockResult {
  /** Lock files written (changed). */
  readonly written: readonly string[];
  /** What was resolved or fetched, one line each. */
  readonly notes: readonly string[];
}

/** The actions the file's steps use (not actions/checkout, not aws/lambda): remote ones and those of the repository. */
export function workflowActionUses(text: string): ActionUse[] {
  const root = parseSpec(text).root;
  const found = new Map<string, ActionUse>();
  const jobs = entry(root, 'jobs');
  for (const job of jobs?.kind === 'map' ? jobs.entries : []) {
    const steps = entry(job.value, 'steps');
    for (const step of steps?.kind === 'seq' ? steps.items : []) {
      const uses = entry(step, 'uses');
      if (uses?.kind !== 'scalar' || typeof uses.value !== 'string' || uses.value === lambdaAction) continue;
      const reference = parseActionReference(uses.value);
      if ('problem' in reference || reference.kind === 'docker') continue;
      if (reference.kind === 'local') {
        found.set(`./${reference.path}`, { kind: 'local', path: reference.path });
        continue;
      }
      const action = `${reference.owner}/${reference.repo}`;
      if (action.toLowerCase() === checkoutAction) continue;
      found.set(`${lockKey(reference.owner, reference.repo, reference.ref)}/${reference.path}`, { kind: 'remote', action, ref: reference.ref, path: reference.path });
    }
  }
  return [...found.values()];
}

const entry = (node: SpecNode | undefined, key: string): SpecNode | undefined => (node?.kind === 'map' ? node.entries.find((item) => item.key === key)?.value : undefined);

const byKey = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Locks and fetches every remote action the files need: their steps' own, and those the composite
 * actions they use use in turn (a local composite read from the repository, a remote one from the
 * cache once fetched), nested at most MAX_ACTION_DEPTH deep as validate allows.
 */
export async function lockWorkflowActions(files: readonly string[], settings: FetchSettings, options: { readonly update: boolean }): Promise<LockResult> {
  const byLock = new Map<string, string[]>();
  for (const file of files) byLock.set(lockFileOf(file), [...(byLock.get(lockFileOf(file)) ?? []), file]);
  const written: string[] = [];
  const notes: string[] = [];
  for (const [lockFile, group] of byLock) {
    const text = await readFile(lockFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    const before: ActionLock = text === undefined ? {} : parseLock(text, lockFile);
    const after: Record<string, LockedAction> = {};
    const locked = async (action: string, ref: string): Promise<LockedAction> => {
      const key = `${action}@${ref}`;
      after[key] ??= await lockOne(key, action, ref, options.update ? undefined : before[key], lockFile, settings, notes);
      return after[key]!;
    };
    // Breadth first, each level in sorted order: the same files fetch in the same order (the lock is sorted anyway).
    let level: { use: ActionUse; root: string; depth: number }[] = [];
    for (const file of group) {
      const root = repositoryRootOf(file);
      for (const use of workflowActionUses(await readFile(file, 'utf8'))) level.push({ use, root, depth: 0 });
    }
    const seen = new Set<string>();
    while (level.length > 0) {
      const next: typeof level = [];
      const keyed = level.map((item): [string, (typeof level)[number]] => [item.use.kind === 'local' ? `./${item.use.path}` : `${item.use.action}@${item.use.ref}/${item.use.path}`, item]);
      for (const [key, { use, root, depth }] of keyed.sort(byKey)) {
        if (seen.has(key)) continue;
        seen.add(key);
        const folder = use.kind === 'local' ? root : actionCacheDir(settings.cacheRoot, use.action, (await locked(use.action, use.ref)).sha);
        // A composite's steps are one level deeper; validate refuses those MAX_ACTION_DEPTH deep.
        if (depth + 1 >= MAX_ACTION_DEPTH) continue;
        for (const nested of compositeUses(folder, use.path)) next.push({ use: nested, root, depth: depth + 1 });
      }
      level = next;
    }
    // Entries no workflow uses any more are dropped only by an update; a run keeps the rest of the lock.
    const merged = options.update ? after : { ...before, ...after };
    const formatted = formatLock(merged);
    if (formatted !== text && (Object.keys(merged).length > 0 || text !== undefined)) {
      await writeFile(lockFile, formatted);
      written.push(lockFile);
    }
  }
  return { written, notes };
}

/** One ref: a locked one fetched on a cache miss (refused when its digest changed), a new one resolved and fetched. */
async function lockOne(key: string, action: string, ref: string, locked: LockedAction | undefined, lockFile: string, settings: FetchSettings, notes: string[]): Promise<LockedAction> {
  if (locked !== undefined) {
    if (!cachedWithDigest(settings.cacheRoot, action, locked.sha, locked.digest)) {
      const { bytes, digest } = await downloadTarball(settings, action, locked.sha);
      if (digest !== locked.digest) {
        throw new ActionFetchError(
          `${key}: the tarball of commit ${locked.sha} has digest ${digest}, but ${lockFile} says ${locked.digest}: refused (the code is not the code that was locked; run \`stepdeploy actions update\` to accept it)`,
        );
      }
      await extractIntoCache(settings.cacheRoot, action, locked.sha, bytes, digest);
      notes.push(`fetched ${key} (${locked.sha})`);
    }
    return locked;
  }
  const sha = await resolveRef(settings, action, ref);
  const { bytes, digest } = await downloadTarball(settings, action, sha);
  await extractIntoCache(settings.cacheRoot, action, sha, bytes, digest);
  notes.push(`locked ${key} → ${sha}`);
  return { action, ref, sha, digest };
}
