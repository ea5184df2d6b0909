// Makes the lock next to some workflow files hold every remote action they use (their composite
// actions' too, at any depth) and every reusable workflow of another repository they call (and those
// of the workflows they call), fetched into the cache: a ref not yet locked is resolved and added; a
// locked one is fetched if the cache lacks it, and refused if its tarball's digest is not the locked
// one. `update` resolves every ref again.

import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { actionCacheDir, formatLock, lockFileOf, parseLock, type ActionLock, type LockedAction } from '../model/actions/lock';
import { cachedWithDigest, repositoryRootOf } from '../model/actions/resolver';
import { MAX_ACTION_DEPTH } from '../model/validate/actions';
import { compositeUses, type ActionUse } from './nested-uses';
import { workflowRefs, type RemoteRef } from './workflow-refs';
import { ActionFetchError, downloadTarball, extractIntoCache, resolveRef, type FetchSettings } from './fetch';

export interface LockResult {
  /** Lock files written (changed). */
  readonly written: readonly string[];
  /** What was resolved or fetched, one line each. */
  readonly notes: readonly string[];
}

export async function lockWorkflowActions(files: readonly string[], settings: FetchSettings, options: { readonly update: boolean }): Promise<LockResult> {
  const byLock = new Map<string, string[]>();
  for (const file of files) byLock.set(lockFileOf(file), [...(byLock.get(lockFileOf(file)) ?? []), file]);
  const written: string[] = [];
  const notes: string[] = [];
  for (const [lockFile, group] of byLock) {
    const text = await readFile(lockFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    const before: ActionLock = text === undefined ? {} : parseLock(text, lockFile);
    // What to lock: every file's remote actions and calls, and those of the workflows they call (followed as they are found).
    const wanted = new Map<string, RemoteRef>();
    const calledIn = new Map<string, Set<string>>();
    const seen = new Set<string>();
    const after: Record<string, LockedAction> = {};
    // A remote composite's metadata is read once its commit is fetched: `owner/repo@ref` → the paths (and depths) waiting for it.
    const actionsIn = new Map<string, { path: string; depth: number }[]>();
    const seenActions = new Set<string>();
    const workspaceRoot = repositoryRootOf(group[0]!);
    const scanFile = (file: string, repositoryRoot: string | undefined): void => {
      if (seen.has(file) || !existsSync(file)) return;
      seen.add(file);
      scan(readFileSync(file, 'utf8'), repositoryRoot);
    };
    // A called workflow of another repository is read from the fetched commit; its own `./` calls are refused at validate.
    const scanCalled = (key: string, action: string, path: string): void => scanFile(join(actionCacheDir(settings.cacheRoot, action, after[key]!.sha), path), undefined);
    // An action's `uses:` steps, when it is a composite: `./path` ones from the workspace's root (as on GitHub, whoever's composite it is).
    const scanComposite = (folder: string, path: string, depth: number): void => {
      // A composite's steps are one level deeper; validate refuses those MAX_ACTION_DEPTH deep.
      if (depth + 1 >= MAX_ACTION_DEPTH) return;
      for (const use of compositeUses(folder, path)) scanAction(use, depth + 1);
    };
    const scanAction = (use: ActionUse, depth: number): void => {
      const visit = use.kind === 'local' ? `./${use.path}` : `${use.action}@${use.ref}/${use.path}`;
      if (seenActions.has(visit)) return;
      seenActions.add(visit);
      if (use.kind === 'local') {
        scanComposite(workspaceRoot, use.path, depth);
        return;
      }
      const key = `${use.action}@${use.ref}`;
      wanted.set(key, wanted.get(key) ?? { action: use.action, ref: use.ref });
      if (after[key] !== undefined) scanComposite(actionCacheDir(settings.cacheRoot, use.action, after[key].sha), use.path, depth);
      else actionsIn.set(key, [...(actionsIn.get(key) ?? []), { path: use.path, depth }]);
    };
    const scan = (text: string, repositoryRoot: string | undefined): void => {
      const refs = workflowRefs(text);
      for (const { action, ref, path } of refs.actions) scanAction({ kind: 'remote', action, ref, path }, 0);
      for (const path of refs.localActions) scanAction({ kind: 'local', path }, 0);
      for (const call of refs.remoteCalls) {
        const key = `${call.action}@${call.ref}`;
        wanted.set(key, wanted.get(key) ?? call);
        calledIn.set(key, new Set([...(calledIn.get(key) ?? []), call.path]));
        if (after[key] !== undefined) scanCalled(key, call.action, call.path);
      }
      if (repositoryRoot !== undefined) for (const path of refs.localCalls) scanFile(join(repositoryRoot, path), repositoryRoot);
    };
    for (const file of group) scanFile(resolve(file), repositoryRootOf(file));
    const done = new Set<string>();
    for (let next = pending(wanted, done); next !== undefined; next = pending(wanted, done)) {
      const [key, { action, ref }] = next;
      done.add(key);
      after[key] = await lockOne(settings, lockFile, key, action, ref, options.update ? undefined : before[key], notes);
      for (const path of calledIn.get(key) ?? []) scanCalled(key, action, path);
      for (const { path, depth } of actionsIn.get(key) ?? []) scanComposite(actionCacheDir(settings.cacheRoot, action, after[key].sha), path, depth);
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

/** The first wanted entry not locked yet, in key order (so the notes come out sorted). */
function pending(wanted: ReadonlyMap<string, RemoteRef>, done: ReadonlySet<string>): [string, RemoteRef] | undefined {
  return [...wanted].filter(([key]) => !done.has(key)).sort(([a], [b]) => (a < b ? -1 : 1))[0];
}

/** A ref's entry: the locked one (fetched if the cache lacks it, refused if its digest changed), else resolved now. */
async function lockOne(settings: FetchSettings, lockFile: string, key: string, action: string, ref: string, locked: LockedAction | undefined, notes: string[]): Promise<LockedAction> {
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
