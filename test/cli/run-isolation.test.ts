// `stepdeploy run` started as a user starts it, from a shell with variables of its own: each job cell
// runs on a runner with a fresh workspace that its steps share, and only --env-passthrough variables
// of the shell reach a step.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('stepdeploy run: one runner per job cell, isolated from the calling shell', () => {
  let dir: string;
  let report: RunReport;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-run-isolation-'));
    await run(
      process.execPath,
      ['bin/stepdeploy.js', 'run', 'test/fixtures/e2e-runner/workspace.yml', '--logs', join(dir, 'logs'), '--report', join(dir, 'report.json'), '--env-passthrough', 'STEPDEPLOY_TEST_PASSED'],
      { cwd: root, env: { ...process.env, STEPDEPLOY_TEST_CALLER_SECRET: 'exported in the shell', STEPDEPLOY_TEST_PASSED: 'passed on purpose' } },
    );
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const cell = (name: string) => {
    const job = report.jobs.find((candidate) => candidate.matrix?.cell === name)!;
    const [write, read] = job.steps;
    return { job, write: write!.outputs!, read: read!.outputs! };
  };

  it('lets a step read what an earlier step of its cell wrote: files, $GITHUB_ENV, $GITHUB_PATH', () => {
    expect(report.status).toBe('succeeded');
    for (const name of ['one', 'two']) {
      const { read } = cell(name);
      expect({ zip: read.zip, stage: read.stage, tool: read.tool }).toEqual({ zip: name, stage: `prod-${name}`, tool: 'tool ran' });
    }
  });

  it('runs the steps of a cell in one workspace on one build, and each cell in a fresh one', () => {
    const [one, two] = [cell('one'), cell('two')];
    expect(one.read.workspace).toBe(one.write.workspace);
    expect(one.read.build).toBe(one.write.build);
    expect(two.read.workspace).toBe(two.write.workspace);
    expect(two.read.workspace).not.toBe(one.read.workspace);
    expect(two.read.build).not.toBe(one.read.build);
    // Not the caller's directory, nor its home.
    expect(one.read.workspace).not.toBe(root);
    expect(one.read.home).not.toBe(process.env.HOME);
  });

  it('keeps the calling shell’s variables from the steps, except those passed with --env-passthrough', () => {
    for (const name of ['one', 'two']) expect({ caller: cell(name).read.caller, passed: cell(name).read.passed }).toEqual({ caller: 'not set', passed: 'passed on purpose' });
  });
});
