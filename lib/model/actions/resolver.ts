// Where validate finds the metadata of `uses: ./path` actions: the repository the workflow file is in
// (its root is what a cell's workspace holds, so `./path` means the same at validate and at run time).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { actionCacheDir, actionsCacheRoot, DIGEST_FILE, readLockSync, type ActionLock } from './lock';
import { ACTION_FILES, parseActionMetadata, type MetadataResult } from './metadata';

export type LocalActionLookup = { readonly found: true; readonly result: MetadataResult } | { readonly found: false; readonly folder: string };
// `folder` is shown as `show` names files.

export type RemoteActionLookup =
  | { readonly locked: false }
  | { readonly locked: true; readonly sha: string; readonly cached: false }
  | { readonly locked: true; readonly sha: string; readonly cached: true; readonly lookup: LocalActionLookup };

export interface ActionResolver {
  /** The metadata of the action in `path` (relative to the repository root, '' = the root). */
  local(path: string): LocalActionLookup;
  /** A remote action as stepdeploy.lock.json and the actions cache know it (no network). */
  remote(action: string, ref: string, path: string): RemoteActionLookup;
}

/**
 * The repository root of a workflow file: the closest folder above it holding `.git`; else the
 * folder holding `.github` when the file sits in `.github/workflows`; else the file's own folder.
 */
export function repositoryRootOf(workflowFile: string): string {
  const start = dirname(resolve(workflowFile));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  const marker = `${'/'}.github${'/'}workflows`;
  const at = start.lastIndexOf(marker);
  return at >= 0 ? start.slice(0, at) || '/' : start;
}

/** Reads action.yml (else action.yaml) in the folder; `show` is how files are named in problems. */
export function readLocalAction(root: string, path: string, show: (file: string) => string = (file) => file): LocalActionLookup {
  const folder = join(root, path);
  for (const name of ACTION_FILES) {
    const file = join(folder, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') continue;
      throw error;
    }
    return { found: true, result: parseActionMetadata(text, show(file)) };
  }
  return { found: false, folder: show(folder) };
}

/**
 * Files are named in problems as `./<path in the repository>`, the way `uses:` names them; a remote
 * action's as `owner/repo@sha/<path>`. The lock is the one next to `workflowFile`.
 */
export function fileSystemResolver(root: string, workflowFile: string, cacheRoot = actionsCacheRoot()): ActionResolver {
  let lock: ActionLock | undefined;
  return {
    local: (path) => readLocalAction(root, path, (file) => `./${relative(root, file)}`),
    remote(action, ref, path) {
      lock ??= readLockSync(workflowFile);
      const locked = lock[`${action}@${ref}`];
      if (locked === undefined) return { locked: false };
      if (!cachedWithDigest(cacheRoot, action, locked.sha, locked.digest)) return { locked: true, sha: locked.sha, cached: false };
      const dir = actionCacheDir(cacheRoot, action, locked.sha);
      return { locked: true, sha: locked.sha, cached: true, lookup: readLocalAction(dir, path, (file) => `${action}@${locked.sha.slice(0, 12)}/${relative(dir, file)}`) };
    },
  };
}

/** Whether the cache holds the action at this commit, from a tarball with this digest. */
export function cachedWithDigest(cacheRoot: string, action: string, sha: string, digest: string): boolean {
  const file = join(actionCacheDir(cacheRoot, action, sha), DIGEST_FILE);
  return existsSync(file) && readFileSync(file, 'utf8').trim() === digest;
}
