// The local engine's scratch folder (`$TMPDIR/stepdeploy-local-*`: runner builds, logs without
// --logs). The engine removes it when it closes; one killed with `kill -9` (or a crash) cannot. So
// each folder names its owner (the pid and the process's start time, which tells it from a later
// process with the same pid), and every engine start removes the folders whose owner is gone. A
// folder that names no owner (still being made, or made before owners were recorded) is left alone.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIdentity } from '../runner/process-group';

export const WORK_DIR_PREFIX = 'stepdeploy-local-';
/** `{ pid, start }` of the process that made the folder. */
export const OWNER_FILE = 'owner.json';

interface Owner {
  readonly pid: number;
  /** processIdentity(pid).start; undefined where the system does not tell it (not Linux). */
  readonly start?: string;
}

/** A fresh scratch folder under `root`, owned by this process. */
export async function makeWorkDir(root: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(root, WORK_DIR_PREFIX));
  const start = processIdentity(process.pid)?.start;
  const owner: Owner = { pid: process.pid, ...(start !== undefined && { start }) };
  await writeFile(join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return dir;
}

/** Removes the scratch folders under `root` whose owner is no longer running; returns them. */
export async function removeOrphanedWorkDirs(root: string = tmpdir()): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(WORK_DIR_PREFIX)) continue;
    const dir = join(root, name);
    const owner = ownerOf(dir);
    if (owner === undefined || ownerRunning(owner)) continue;
    await rm(dir, { recursive: true, force: true }).then(
      () => removed.push(dir),
      () => undefined, // Another user's, or being removed by another engine: not ours to insist on.
    );
  }
  return removed;
}

function ownerOf(dir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<Owner>;
    return Number.isInteger(owner.pid) && (owner.start === undefined || typeof owner.start === 'string') ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

function ownerRunning({ pid, start }: Owner): boolean {
  const identity = processIdentity(pid);
  if (identity !== undefined) return start === undefined || identity.start === start;
  // Linux says it is gone (or a zombie); elsewhere only whether the pid is taken can be asked.
  if (existsSync('/proc/self/stat')) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
