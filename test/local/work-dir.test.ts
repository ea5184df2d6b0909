// An engine killed with SIGKILL cannot remove its scratch folder ($TMPDIR/stepdeploy-local-*): the
// next engine that starts removes it, as the folder names an owner that is gone. Real processes: two
// engines in their own processes, the first killed with SIGKILL, over a TMPDIR of this test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkDir, OWNER_FILE, removeOrphanedWorkDirs, WORK_DIR_PREFIX } from '../../lib/local/work-dir';
import { eventually } from '../fixtures/e2e/support';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const root = await mkdtemp(join(tmpdir(), 'work-dir-test-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

/** A local engine in its own process with TMPDIR set to `dir`, once it has started. */
async function engineProcess(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(import.meta.dirname, 'support', 'engine-child.ts')], {
    env: { ...process.env, TMPDIR: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await eventually('the engine to start', () => {
    if (child.exitCode !== null) throw new Error(`the engine ended early (exit code ${child.exitCode})\n${err}`);
    return out.includes('ready') ? true : undefined;
  });
  return child;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** The scratch folders under `dir`, each with the pid of its recorded owner. */
const workDirs = (dir: string): [string, number | undefined][] =>
  readdirSync(dir)
    .filter((name) => name.startsWith(WORK_DIR_PREFIX))
    .map((name) => {
      const file = join(dir, name, OWNER_FILE);
      return [name, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined];
    });

describe('the local engine\'s scratch folder', () => {
  it('left by an engine killed with SIGKILL is removed when the next engine starts; a live engine\'s stays', async () => {
    const dir = join(root, 'engines');
    await mkdir(dir);
    const first = await engineProcess(dir);
    expect(workDirs(dir)).toEqual([[expect.any(String), first.pid]]);
    const [[leftover]] = workDirs(dir) as [[string, number]];
    first.kill('SIGKILL');
    await exited(first);
    expect(workDirs(dir)).toEqual([[leftover, first.pid]]);

    const second = await engineProcess(dir);
    expect(workDirs(dir)).toEqual([[expect.not.stringMatching(`^${leftover}$`), second.pid]]);
    // A third engine beside it keeps the second's (its owner runs).
    const third = await engineProcess(dir);
    expect(workDirs(dir).map(([, pid]) => pid).sort()).toEqual([second.pid, third.pid].sort());
    for (const child of [second, third]) child.stdin!.end();
    await Promise.all([exited(second), exited(third)]);
    expect([second.exitCode, third.exitCode]).toEqual([0, 0]);
    expect(workDirs(dir)).toEqual([]);
  });

  it('leaves a folder that names no owner, or a live one, and other folders', async () => {
    const dir = join(root, 'mixed');
    await mkdir(dir);
    const mine = await makeWorkDir(dir);
    await mkdir(join(dir, `${WORK_DIR_PREFIX}unowned`));
    await mkdir(join(dir, 'other'));
    expect(await removeOrphanedWorkDirs(dir)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([mine.slice(dir.length + 1), `${WORK_DIR_PREFIX}unowned`, 'other'].sort());
  });
});
