// Makes the lock next to some workflow files hold every remote action they use, fetched into the
// cache: a ref not yet locked is resolved and added; a locked one is fetched if the cache lacks it,
// and refused if its tarball's digest is not the locked one. `update` resolves every ref again.

import { readFile, writeFile } from 'node:fs/promises';

import { parseActionReference } from '../model/actions/reference';
import { formatLock, lockFileOf, lockKey, parseLock, type ActionLock, type LockedAction } from '../model/actions/lock';
import { checkoutAction, lambdaAction } from '../model/keys';
import { parseSpec } from '../source/parse';
import type { SpecNode } from '../source/tree';
import { cachedWithDigest } from '../model/actions/resolver';
import { ActionFetchError, downloadTarball, extractIntoCache, resolveRef, type FetchSettings } from './fetch';

export interface LockResult {
  /** Lock files written (changed). */
  readonly written: readonly string[];
  /** What was resolved or fetched, one line each. */
  readonly notes: readonly string[];
}

/** `owner/repo@ref` of every remote action the file's steps use (not actions/checkout, not aws/lambda). */
export function remoteActionRefs(text: string): { action: string; ref: string }[] {
  const root = parseSpec(text).root;
  const found = new Map<string, { action: string; ref: string }>();
  const jobs = entry(root, 'jobs');
  for (const job of jobs?.kind === 'map' ? jobs.entries : []) {
    const steps = entry(job.value, 'steps');
    for (const step of steps?.kind === 'seq' ? steps.items : []) {
      const uses = entry(step, 'uses');
      if (uses?.kind !== 'scalar' || typeof uses.value !== 'string' || uses.value === lambdaAction) continue;
      const reference = parseActionReference(uses.value);
      if ('problem' in reference || reference.kind !== 'remote') continue;
      const action = `${reference.owner}/${reference.repo}`;
      if (action.toLowerCase() === checkoutAction) continue;
      found.set(lockKey(reference.owner, reference.repo, reference.ref), { action, ref: reference.ref });
    }
  }
  return [...found.values()];
}

const entry = (node: SpecNode | undefined, key: string): SpecNode | undefined => (node?.kind === 'map' ? node.entries.find((item) => item.key === key)?.value : undefined);

export async function lockWorkflowActions(files: readonly string[], settings: FetchSettings, options: { readonly update: boolean }): Promise<LockResult> {
  const byLock = new Map<string, string[]>();
  for (const file of files) byLock.set(lockFileOf(file), [...(byLock.get(lockFileOf(file)) ?? []), file]);
  const written: string[] = [];
  const notes: string[] = [];
  for (const [lockFile, group] of byLock) {
    const text = await readFile(lockFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    const before: ActionLock = text === undefined ? {} : parseLock(text, lockFile);
    const wanted = new Map<string, { action: string; ref: string }>();
    for (const file of group) for (const ref of remoteActionRefs(await readFile(file, 'utf8'))) wanted.set(`${ref.action}@${ref.ref}`, ref);
    const after: Record<string, LockedAction> = {};
    for (const [key, { action, ref }] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const locked = options.update ? undefined : before[key];
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
        after[key] = locked;
        continue;
      }
      const sha = await resolveRef(settings, action, ref);
      const { bytes, digest } = await downloadTarball(settings, action, sha);
      await extractIntoCache(settings.cacheRoot, action, sha, bytes, digest);
      after[key] = { action, ref, sha, digest };
      notes.push(`locked ${key} → ${sha}`);
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

