// Reusable workflows end to end, as a user runs them: `stepdeploy run` in a git repository whose
// workflow calls one of its own reusable workflows, plainly and once per matrix cell; the called
// jobs run as `<caller> / <job>`, their output reaches a dependent job's step, secrets: inherit
// passes the caller's secret.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { gitIn } from '../fixtures/git';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin/stepdeploy.js');

describe('stepdeploy run of a workflow that calls a reusable workflow', () => {
  let dir: string;
  let repo: string;
  let report: RunReport;
  let stdout: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-reusable-'));
    repo = join(dir, 'repo');
    const workflows = join(repo, '.github', 'workflows');
    await mkdir(workflows, { recursive: true });
    await copyFile(join(root, 'test/fixtures/e2e-reusable/main.yml'), join(workflows, 'main.yml'));
    await copyFile(join(root, 'test/fixtures/e2e-reusable/build.yml'), join(workflows, 'build.yml'));
    const git = gitIn(repo);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    // No file named: the folder's one runnable workflow (build.yml, only on: workflow_call, cannot run alone).
    ({ stdout } = await run(process.execPath, [cli, 'run', '--secret', 'TOKEN=abcdef', '--logs', join(dir, 'logs'), '--report', join(dir, 'report.json'), '--timeline', join(dir, 'timeline.html')], {
      cwd: repo,
      env: { ...process.env, CI: 'true' },
    }));
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const job = (id: string) => {
    const found = report.jobs.find((candidate) => candidate.id === id);
    if (found === undefined) throw new Error(`no job '${id}' in ${report.jobs.map((candidate) => candidate.id).join(', ')}`);
    return found;
  };

  it('runs the called jobs as `<caller> / <job>`, in their needs order, once per cell of a calling matrix', () => {
    expect(report.status).toBe('succeeded');
    expect(report.jobs.map((candidate) => [candidate.id, candidate.status]).sort()).toEqual([
      ['Build / compile', 'succeeded'],
      ['Build / package', 'succeeded'],
      ['publish', 'succeeded'],
      ['regions (eu-west-1) / compile', 'succeeded'],
      ['regions (eu-west-1) / package', 'succeeded'],
      ['regions (us-east-1) / compile', 'succeeded'],
      ['regions (us-east-1) / package', 'succeeded'],
      ['setup', 'succeeded'],
    ]);
    const at = (id: string, edge: 'startedAt' | 'endedAt') => Date.parse(job(id)[edge]!);
    expect(at('Build / compile', 'endedAt')).toBeLessThanOrEqual(at('Build / package', 'startedAt'));
    expect(at('setup', 'endedAt')).toBeLessThanOrEqual(at('Build / compile', 'startedAt'));
    expect(at('Build / package', 'endedAt')).toBeLessThanOrEqual(at('publish', 'startedAt'));
  });

  it("gives the called jobs the caller's with: (typed, defaults filled in), secrets and github context, their own workflow's env and not the caller's", () => {
    expect(job('Build / compile').steps[0]?.outputs).toEqual({ seen: 'web/2/true/release/compile/compile', token: '6', env: 'unset/stage-web' });
    expect(job('regions (us-east-1) / compile').steps[0]?.outputs).toEqual({ seen: 'us-east-1/1/true/release/compile/compile', token: '0', env: 'unset/stage-us-east-1' });
    expect(job('regions (eu-west-1) / package').steps[0]?.outputs).toEqual({ name: 'pkg-eu-west-1-v-1.2.3' });
  });

  it('labels a called run step by its script as the called workflow wrote it, not as inlined', () => {
    expect(job('Build / package').steps[0]?.name).toBe('Run echo "name=pkg-${{ inputs.target }}-${{ inputs.version }}...');
  });

  it("passes the called workflow's output to a dependent job's step, with the call's result", () => {
    expect(job('publish').steps[0]?.outputs).toEqual({ artifact: 'pkg-web-1.2.3', result: 'success', regions: 'success', env: 'not passed to called jobs' });
  });

  it('refuses to run a reusable workflow alone, as GitHub never starts one', async () => {
    const refused = await run(process.execPath, [cli, 'run', '.github/workflows/build.yml'], { cwd: repo }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({
      code: 2,
      stderr:
        "stepdeploy run: .github/workflows/build.yml is a reusable workflow: its only trigger is workflow_call, so it runs only when a job of another workflow calls it (jobs.<id>.uses), as on GitHub; run the workflow that calls it\nRun 'stepdeploy run --help' for usage.\n",
    });
  });

  it('names the called jobs `<caller> / <job>` in the progress lines and the timeline', async () => {
    expect(stdout).toMatch(/Build \/ compile succeeded/);
    expect(stdout).toMatch(/regions \(us-east-1\) \/ package succeeded/);
    expect(stdout).not.toMatch(/__build__/);
    const timeline = await readFile(join(dir, 'timeline.html'), 'utf8');
    expect(timeline).toContain('Build / compile');
    expect(timeline).toContain('regions (eu-west-1) / package');
    expect(timeline).not.toContain('__build__');
  });
});
