// Values reach a step whatever their size up to AWS's own payload limit (256 KiB), not only up to the
// 128 KiB Linux lets one environment variable carry (a bigger one failed the step with `spawn E2BIG`).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, runBuild } from '../../lib/local/build-runner';
import type { Buildspec } from '../../lib/local/buildspec';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-runner-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let builds = 0;
async function build(command: string, environment: Record<string, string>) {
  const buildDir = join(dir, `build-${++builds}`);
  const buildspec: Buildspec = { variables: {}, exportedVariables: [], phases: [{ name: 'build', commands: [command] }] };
  const logFile = join(buildDir, 'log');
  const outcome = await runBuild({ buildspec, environment: { PATH: process.env.PATH ?? '', ...environment }, buildDir, sourceDir: join(buildDir, 'src'), logFile, signal: new AbortController().signal, graceMs: 100 });
  return { outcome, log: await readFile(logFile, 'utf8') };
}

describe('values passed to a step', () => {
  it('an expression value of 200 KiB arrives intact, in the step script and in a nested bash', async () => {
    const value = `${'x'.repeat(200 * 1024)}\n\n`; // trailing newlines kept too
    const script = 'printf "%s" "$STEPDEPLOY_EXPR_1" | wc -c; bash -c \'printf "%s" "$STEPDEPLOY_EXPR_1" | wc -c\'; /usr/bin/env true && echo child-ok';
    const { outcome, log } = await build(script, { STEPDEPLOY_EXPR_1: value });
    expect(outcome.succeeded).toBe(true);
    expect(log.match(/^\s*\d+$/gm)?.map((n) => Number(n.trim()))).toEqual([value.length, value.length]);
    expect(log).toContain('child-ok');
  });

  it('a NUL in a value is refused with the variable named', async () => {
    await expect(build('true', { STEPDEPLOY_EXPR_1: 'a\u0000b' })).rejects.toThrow(
      new EnvironmentError("environment variable STEPDEPLOY_EXPR_1 contains a NUL character (\\0), which no environment variable can carry"),
    );
  });

  it('an env: value over what one environment variable can carry is refused with the limit, not E2BIG', async () => {
    await expect(build('true', { BIG: 'y'.repeat(140_000) })).rejects.toThrow(
      new EnvironmentError(
        'environment variable BIG is 140,000 bytes; a process gets at most 131,072 bytes per variable (NAME=VALUE, Linux): pass a value this large through a file, or through ${{ }} in the script',
      ),
    );
  });
});
