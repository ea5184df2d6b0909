// stepdeploy.lock.json, next to the workflow files: each remote action ref (`owner/repo@ref`) the
// workflows use, the commit it resolved to and the sha256 digest of that commit's tarball. The same
// lock yields the same code until `stepdeploy actions update`; a tarball whose digest differs is
// refused. Written deterministically (sorted keys, two-space JSON, a final newline).

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const LOCK_FILE = 'stepdeploy.lock.json';

export interface LockedAction {
  /** `owner/repo`. */
  readonly action: string;
  readonly ref: string;
  /** The commit (40 hex digits). */
  readonly sha: string;
  /** `sha256:<hex>` of the tarball. */
  readonly digest: string;
}

/** Entries by `owner/repo@ref`. */
export type ActionLock = Readonly<Record<string, LockedAction>>;

export const lockKey = (owner: string, repo: string, ref: string): string => `${owner}/${repo}@${ref}`;

export const lockFileOf = (workflowFile: string): string => join(dirname(workflowFile), LOCK_FILE);

export class LockFileError extends Error {
  override readonly name = 'LockFileError';
}

/** The lock's text → its entries; a malformed file throws naming the file and the entry. */
export function parseLock(text: string, file: string): ActionLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LockFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const actions = (json as { actions?: unknown } | null)?.actions;
  if (typeof actions !== 'object' || actions === null || Array.isArray(actions)) throw new LockFileError(`${file}: expected { "version": 1, "actions": { "owner/repo@ref": { … } } }`);
  const lock: Record<string, LockedAction> = {};
  for (const [key, value] of Object.entries(actions)) {
    const entry = value as Partial<LockedAction>;
    const valid = typeof entry.action === 'string' && typeof entry.ref === 'string' && /^[0-9a-f]{40}$/.test(entry.sha ?? '') && /^sha256:[0-9a-f]{64}$/.test(entry.digest ?? '');
    if (!valid || key !== `${entry.action}@${entry.ref}`) throw new LockFileError(`${file}: actions["${key}"] must be { action, ref, sha (40 hex digits), digest (sha256:<64 hex digits>) } with the key action@ref`);
    lock[key] = { action: entry.action!, ref: entry.ref!, sha: entry.sha!, digest: entry.digest! };
  }
  return lock;
}

export function formatLock(lock: ActionLock): string {
  const actions = Object.fromEntries(
    Object.keys(lock)
      .sort()
      .map((key) => {
        const { action, ref, sha, digest } = lock[key]!;
        return [key, { action, ref, sha, digest }];
      }),
  );
  return `${JSON.stringify({ version: 1, actions }, null, 2)}\n`;
}

/** The lock next to a workflow file (none: empty). */
export function readLockSync(workflowFile: string): ActionLock {
  const file = lockFileOf(workflowFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseLock(text, file);
}

/** Where fetched actions are kept: `<cache>/actions/<owner>/<repo>/<sha>/` (`$STEPDEPLOY_CACHE_DIR`, else `$XDG_CACHE_HOME/stepdeploy`, else `~/.cache/stepdeploy`). */
export function actionsCacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.STEPDEPLOY_CACHE_DIR || (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'stepdeploy') : join(homedir(), '.cache', 'stepdeploy'));
  return join(base, 'actions');
}

export const actionCacheDir = (root: string, action: string, sha: string): string => join(root, ...action.split('/'), sha);

/** The file in a fetched action's folder that records the digest of the tarball it came from. */
export const DIGEST_FILE = '.stepdeploy-digest';
