import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellWorkspaceFrom, localGitInfo, localWorkspaceSource, ownerAndName, prepareWorkspace } from '../../lib/local/workspace-source';
import { gitIn } from '../fixtures/git';

let root: string;
let repo: string;
let first: string;
let second: string;

const git = gitIn(() => repo);

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepdeploy-source-'));
  repo = join(root, 'repo');
  await mkdir(join(repo, 'src'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'git@github.com:acme/site.git');
  await writeFile(join(repo, 'deploy.sh'), 'echo first\n');
  await chmod(join(repo, 'deploy.sh'), 0o755);
  await writeFile(join(repo, '.gitignore'), 'dist/\n*.log\n');
  await writeFile(join(repo, 'src', 'app.txt'), 'v1\n');
  await writeFile(join(repo, 'gone.txt'), 'tracked, then deleted in the working copy\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  first = git('rev-parse', 'HEAD');
  await writeFile(join(repo, 'src', 'app.txt'), 'v2\n');
  await writeFile(join(repo, 'added.txt'), 'second commit\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'second');
  second = git('rev-parse', 'HEAD');
  // The working copy moves on: an edit, an untracked file, ignored files, a symlink, a deleted file.
  await writeFile(join(repo, 'src', 'app.txt'), 'v3 (not committed)\n');
  await writeFile(join(repo, 'notes.md'), 'untracked, not ignored\n');
  await mkdir(join(repo, 'dist'));
  await writeFile(join(repo, 'dist', 'app.zip'), 'ignored');
  await writeFile(join(repo, 'debug.log'), 'ignored');
  await symlink('src/app.txt', join(repo, 'link.txt'));
  await unlink(join(repo, 'gone.txt'));
});

afterAll(async () => rm(root, { recursive: true, force: true }));

describe('prepareWorkspace', () => {
  it('copies the working tree: tracked and untracked files that are not ignored, as they are now', async () => {
    const dir = join(root, 'ws-tree');
    await prepareWorkspace({ kind: 'working-tree', dir: repo }, dir);
    expect(files(dir)).toEqual(['.gitignore', 'added.txt', 'deploy.sh', 'link.txt', 'notes.md', 'src/app.txt']);
    expect(await readFile(join(dir, 'src', 'app.txt'), 'utf8')).toBe('v3 (not committed)\n');
    expect((await lstat(join(dir, 'deploy.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(dir, 'link.txt'))).toBe('src/app.txt');
  });

  it('leaves out the folders of stepdeploy’s own in the tree (logs, dev --data) that it is told to skip', async () => {
    await mkdir(join(repo, 'devdata'));
    await writeFile(join(repo, 'devdata', 'table.json'), 'written by dynalite while the copy runs');
    const dir = join(root, 'ws-skip');
    try {
      await prepareWorkspace({ kind: 'working-tree', dir: repo, skip: [join(repo, 'devdata')] }, dir);
    } finally {
      await rm(join(repo, 'devdata'), { recursive: true });
    }
    expect(files(dir)).toEqual(['.gitignore', 'added.txt', 'deploy.sh', 'link.txt', 'notes.md', 'src/app.txt']);
  });

  it('copies a file whose name looks like an option, or holds a newline, as a file', async () => {
    const odd = ['--checkpoint-action=exec=touch pwned', 'two\nlines.txt'];
    for (const name of odd) await writeFile(join(repo, name), 'odd');
    const dir = join(root, 'ws-odd');
    try {
      await prepareWorkspace({ kind: 'working-tree', dir: repo }, dir);
    } finally {
      for (const name of odd) await rm(join(repo, name));
    }
    expect(files(dir)).toEqual([...odd, '.gitignore', 'added.txt', 'deploy.sh', 'link.txt', 'notes.md', 'src/app.txt'].sort());
    // tar ran no action: nothing named pwned where it ran, in the source or in the copy.
    for (const where of [process.cwd(), repo, dir]) expect(existsSync(join(where, 'pwned'))).toBe(false);
  });

  it('writes the tree of a commit, not the working copy, and empties the folder first', async () => {
    const dir = join(root, 'ws-commit');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'stale.txt'), 'left from before');
    await prepareWorkspace({ kind: 'commit', repository: repo, sha: first }, dir);
    expect(files(dir)).toEqual(['.gitignore', 'deploy.sh', 'gone.txt', 'src/app.txt']);
    expect(await readFile(join(dir, 'src', 'app.txt'), 'utf8')).toBe('v1\n');
    await prepareWorkspace({ kind: 'commit', repository: repo, sha: second }, dir);
    expect(await readFile(join(dir, 'src', 'app.txt'), 'utf8')).toBe('v2\n');
    expect(files(dir)).toContain('added.txt');
  });

  it('refuses what is not a commit of the repository, naming it', async () => {
    const dir = join(root, 'ws-bad');
    await expect(prepareWorkspace({ kind: 'commit', repository: repo, sha: '--output=/tmp/x' }, dir)).rejects.toThrow("cannot check out '--output=/tmp/x': not a commit SHA");
    await expect(prepareWorkspace({ kind: 'commit', repository: repo, sha: 'f'.repeat(40) }, dir)).rejects.toThrow(
      `cannot check out ${'f'.repeat(40)}: no such commit in the repository at ${repo}`,
    );
  });

  it('outside a git repository copies the folder, without stepdeploy’s own logs', async () => {
    const plain = join(root, 'plain');
    await mkdir(join(plain, '.stepdeploy', 'logs'), { recursive: true });
    await mkdir(join(plain, 'lib'), { recursive: true });
    await writeFile(join(plain, 'lib', 'a.txt'), 'a');
    await writeFile(join(plain, '.stepdeploy', 'logs', 'x.log'), 'log');
    const dir = join(root, 'ws-plain');
    await prepareWorkspace({ kind: 'working-tree', dir: plain }, dir);
    expect(files(dir)).toEqual(['lib/a.txt']);
  });
});

describe('localGitInfo', () => {
  it('reads HEAD, the current branch and origin’s owner/name', async () => {
    expect(await localGitInfo(repo)).toEqual({ sha: second, ref: 'refs/heads/main', repository: 'acme/site', actor: expect.any(String) });
    expect(await localGitInfo(join(root, 'plain'))).toEqual({ actor: expect.any(String) });
  });

  it('reads owner/name from the remote URL forms', () => {
    expect(ownerAndName('https://github.com/acme/app.git')).toBe('acme/app');
    expect(ownerAndName('https://github.com/acme/app')).toBe('acme/app');
    expect(ownerAndName('git@github.com:acme/app.git')).toBe('acme/app');
    expect(ownerAndName('')).toBeUndefined();
  });
});

describe('localWorkspaceSource', () => {
  it('checks out a run’s commit (a SHA, or a ref resolved locally), else copies the working tree', async () => {
    expect(await localWorkspaceSource({ kind: 'commit', version: first }, repo)).toEqual({ kind: 'commit', repository: repo, sha: first });
    expect(await localWorkspaceSource({ kind: 'commit', version: 'refs/heads/main' }, repo)).toEqual({ kind: 'commit', repository: repo, sha: second });
    expect(await localWorkspaceSource({ kind: 'working-tree' }, repo)).toEqual({ kind: 'working-tree', dir: repo });
    expect(await localWorkspaceSource({ kind: 'default' }, repo)).toEqual({ kind: 'working-tree', dir: repo });
    await expect(localWorkspaceSource({ kind: 'commit', version: 'refs/heads/nope' }, repo)).rejects.toThrow(
      `cannot check out 'refs/heads/nope': not a commit or ref of the repository at ${repo}`,
    );
  });
});

describe('cellWorkspaceFrom', () => {
  it('fills a cell’s workspace from the checkout its start runner carries: a pushed commit, not the working tree', async () => {
    const prepare = cellWorkspaceFrom(repo);
    const pushed = join(root, 'cell-pushed');
    await prepare(pushed, { overrides: { STEPDEPLOY_CHECKOUT: JSON.stringify({ kind: 'commit', version: first }) } });
    expect(await readFile(join(pushed, 'src', 'app.txt'), 'utf8')).toBe('v1\n');
    const local = join(root, 'cell-local');
    await prepare(local, { overrides: { STEPDEPLOY_CHECKOUT: JSON.stringify({ kind: 'working-tree' }) } });
    expect(await readFile(join(local, 'src', 'app.txt'), 'utf8')).toBe('v3 (not committed)\n');
    const none = join(root, 'cell-none');
    await prepare(none, { overrides: {} });
    expect(files(none)).toContain('notes.md');
  });
});
