import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zipWorkingTree } from '../../lib/cli/snapshot-zip';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('zipWorkingTree', () => {
  it('writes a zip that unzip reads back: contents, executable modes and symlinks, deterministic bytes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stepdeploy-zip-'));
    dirs.push(root);
    const tree = join(root, 'tree');
    await mkdir(join(tree, 'src', 'ünïcode'), { recursive: true });
    await writeFile(join(tree, 'deploy.sh'), '#!/bin/bash\necho deploy\n');
    await chmod(join(tree, 'deploy.sh'), 0o755);
    await writeFile(join(tree, 'src', 'ünïcode', 'big.txt'), 'x'.repeat(100_000));
    await writeFile(join(tree, 'empty.txt'), '');
    await symlink('deploy.sh', join(tree, 'run.sh'));
    const names = ['deploy.sh', 'empty.txt', 'run.sh', 'src/ünïcode/big.txt'];

    const zip = await zipWorkingTree(tree, names);
    expect(zip.length).toBeLessThan(10_000); // deflated
    expect(await zipWorkingTree(tree, names)).toEqual(zip);
    await writeFile(join(root, 'snapshot.zip'), zip);
    expect(execFileSync('unzip', ['-tq', join(root, 'snapshot.zip')], { encoding: 'utf8' })).toMatch(/No errors detected/);
    execFileSync('unzip', ['-q', join(root, 'snapshot.zip'), '-d', join(root, 'out')]);

    expect(await readFile(join(root, 'out', 'deploy.sh'), 'utf8')).toBe('#!/bin/bash\necho deploy\n');
    expect((await lstat(join(root, 'out', 'deploy.sh'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(root, 'out', 'src', 'ünïcode', 'big.txt'), 'utf8')).toBe('x'.repeat(100_000));
    expect(await readFile(join(root, 'out', 'empty.txt'), 'utf8')).toBe('');
    expect(await readlink(join(root, 'out', 'run.sh'))).toBe('deploy.sh');
  });
});
