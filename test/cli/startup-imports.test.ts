// Start-up: a command loads only what it uses. `validate`, `plan` and `--version` never load
// aws-cdk-lib or the AWS SDK (their cost is in `npm run bench`, bench/startup.bench.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/stepdeploy.js', import.meta.url));
const recorder = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));
const heavy = /\/node_modules\/(aws-cdk-lib|@aws-sdk\/[^/]+|aws-local-stepfunctions|dynalite)\//;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-imports-'));
  await writeFile(join(dir, 'ok.yml'), 'on: workflow_dispatch\njobs:\n  build:\n    steps:\n      - run: echo built\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The packages of node_modules a CLI call loads. */
async function packagesLoaded(args: readonly string[], name: string): Promise<{ heavy: string[]; count: number }> {
  const log = join(dir, `${name}.log`);
  await writeFile(log, '');
  await promisify(execFile)(process.execPath, ['--import', recorder, bin, ...args], {
    cwd: dir,
    env: { ...process.env, STEPDEPLOY_IMPORT_LOG: log, STEPDEPLOY_CACHE_DIR: join(dir, 'cache') },
  });
  const urls = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  const packages = new Set(urls.map((url) => heavy.exec(url)?.[1]).filter((match): match is string => match !== undefined));
  return { heavy: [...packages].sort(), count: urls.length };
}

describe('what a command loads', () => {
  test.each([
    ['--version', ['--version']],
    ['validate', ['validate', 'ok.yml']],
    ['plan', ['plan', 'ok.yml']],
    ['help run', ['help', 'run']],
  ])('%s loads neither aws-cdk-lib nor the AWS SDK', async (name, args) => {
    const { heavy: loaded, count } = await packagesLoaded(args, name.replace(' ', '-'));
    expect(count).toBeGreaterThan(0); // the recorder saw the CLI's own modules
    expect(loaded).toEqual([]);
  });

  test('run loads them (the recorder sees what it should); a second run of the same workflow takes its template from the cache, without aws-cdk-lib', async () => {
    const { heavy: loaded } = await packagesLoaded(['run', 'ok.yml', '--logs', join(dir, 'logs')], 'run');
    expect(loaded).toEqual(expect.arrayContaining(['aws-cdk-lib', 'aws-local-stepfunctions']));
    const { heavy: again } = await packagesLoaded(['run', 'ok.yml', '--logs', join(dir, 'logs')], 'run-again');
    expect(again).toContain('aws-local-stepfunctions');
    expect(again).not.toContain('aws-cdk-lib');
  });
});
