// act-like controls of `stepdeploy run`, as a user calls them: -j (with and without --with-needs), -l,
// -W and the default folders, --event / --event-name with the workflow's filters, --env, and Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCli } from '../cli/call-cli';
import type { RunReport } from '../../lib/report/report';

const bin = fileURLToPath(new URL('../../bin/stepdeploy.js', import.meta.url));
let dir: string;

const ci = `name: CI
on:
  workflow_dispatch:
  push:
    branches: [main]
env:
  GREETING: hello
jobs:
  build:
    steps:
      - run: echo "building for \${{ event.ref }}"
  deploy:
    needs: build
    strategy:
      matrix:
        region: [eu, us]
    steps:
      - run: echo "deploying $GREETING"
  notify:
    needs: deploy
    steps:
      - run: echo notified
`;
const docs = `on: workflow_dispatch
jobs:
  publish:
    steps:
      - run: echo published
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-controls-'));
  await mkdir(join(dir, '.github/workflows'), { recursive: true });
  await writeFile(join(dir, '.github/workflows/ci.yml'), ci);
  await mkdir(join(dir, 'other'));
  await writeFile(join(dir, 'other/ci.yml'), ci);
  await writeFile(join(dir, 'other/docs.yml'), docs);
  const push = (ref: string) => ({ ref, before: '0'.repeat(40), after: '1'.repeat(40), repository: { full_name: 'acme/app' }, pusher: { name: 'dev' }, commits: [] });
  await writeFile(join(dir, 'push-main.json'), JSON.stringify(push('refs/heads/main')));
  await writeFile(join(dir, 'push-feature.json'), JSON.stringify(push('refs/heads/feature')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => callCli(dir, ['run', ...argv]);

const jobsIn = async (file: string): Promise<string[]> => {
  const report = JSON.parse(await readFile(join(dir, file), 'utf8')) as RunReport;
  return report.jobs.map((job) => `${job.id}${job.matrix ? `(${String(job.matrix['region'])})` : ''} ${job.status}`);
};

describe('stepdeploy run, act-style', () => {
  it('-l lists jobs with their stage and needs, and the cells of a matrix job; it runs nothing', async () => {
    const { code, stdout } = await run('-l');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Stage  Job                   Needs   Workflow',
        '0      build                 -       .github/workflows/ci.yml',
        '1      deploy                build   .github/workflows/ci.yml',
        '         deploy (region=eu)',
        '         deploy (region=us)',
        '2      notify                deploy  .github/workflows/ci.yml',
        '',
      ].join('\n'),
    );
  });

  it('-j runs that job alone; --with-needs adds what it needs, not what needs it', async () => {
    const alone = await run('-j', 'deploy', '--report', 'alone.json');
    expect(alone.code).toBe(0);
    expect(await jobsIn('alone.json')).toEqual(['deploy(eu) succeeded', 'deploy(us) succeeded']);
    const withNeeds = await run('-j', 'deploy', '--with-needs', '--report', 'with-needs.json');
    expect(withNeeds.code).toBe(0);
    expect(await jobsIn('with-needs.json')).toEqual(['build succeeded', 'deploy(eu) succeeded', 'deploy(us) succeeded']);
    expect(await run('-j', 'deplo')).toMatchObject({ code: 2, stderr: expect.stringContaining("-j 'deplo': .github/workflows/ci.yml has no job 'deplo' — did you mean 'deploy'?") });
  });

  it('-W picks the folder; with several workflows -j chooses the one that has the job', async () => {
    const { code, stdout } = await run('-W', 'other', '-j', 'publish');
    expect(code).toBe(0);
    expect(stdout).toContain('[publish / Run echo published] published');
    expect(await run('-W', 'other')).toMatchObject({ code: 2, stderr: expect.stringContaining('2 workflows in other: name one (other/ci.yml, other/docs.yml)') });
    expect(await run('-W', 'missing')).toMatchObject({ code: 2, stderr: expect.stringContaining("-W 'missing': no such folder") });
  });

  it('--event runs as if pushed, when the on.push filters let it through', async () => {
    const pushed = await run('--event', 'push-main.json', '-j', 'build');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('building for refs/heads/main');
    const filtered = await run('--event', 'push-feature.json');
    expect(filtered).toEqual({
      code: 0,
      stdout: '.github/workflows/ci.yml is not triggered by event \'push\' (push-feature.json): a push to refs/heads/feature changing 0 file(s) does not pass its on.push filters: nothing to run\n',
      stderr: '',
    });
    expect((await run('--event-name', 'schedule')).stdout).toBe(".github/workflows/ci.yml is not triggered by event 'schedule': its 'on:' has no 'schedule': nothing to run\n");
  });

  it('runs as if a pull request, a release, a repository dispatch or another workflow’s run triggered it (`run EVENT -e FILE`), with their filters', async () => {
    await writeFile(
      join(dir, 'review.yml'),
      `on:
  pull_request:
    branches: [main]
  release:
    types: [published]
  repository_dispatch:
    types: [deploy]
  workflow_run:
    workflows: [Build]
    types: [completed]
    branches: [main]
jobs:
  check:
    steps:
      - name: show
        run: echo "\${{ github.event_name }} \${{ event.pull_request.head.ref }}\${{ event.release.tag_name }}\${{ event.client_payload.version }}\${{ event.workflow_run.conclusion }}"
`,
    );
    const repo = { full_name: 'acme/app' };
    const pullRequest = (base: string) => ({ action: 'opened', number: 7, pull_request: { number: 7, head: { ref: 'feature-x', repo }, base: { ref: base, repo } }, repository: repo });
    await writeFile(join(dir, 'pr-main.json'), JSON.stringify(pullRequest('main')));
    await writeFile(join(dir, 'pr-dev.json'), JSON.stringify(pullRequest('dev')));
    await writeFile(join(dir, 'release.json'), JSON.stringify({ action: 'published', release: { tag_name: 'v1.2.3' }, repository: repo }));
    await writeFile(join(dir, 'dispatch.json'), JSON.stringify({ action: 'deploy', client_payload: { version: '42' }, repository: repo }));
    const workflowRun = (name: string) => ({ action: 'completed', workflow_run: { name, conclusion: 'success', head_branch: 'main' }, repository: repo });
    await writeFile(join(dir, 'build-run.json'), JSON.stringify(workflowRun('Build')));
    await writeFile(join(dir, 'lint-run.json'), JSON.stringify(workflowRun('Lint')));

    const pr = await run('pull_request', 'review.yml', '-e', 'pr-main.json');
    expect(pr.stdout).toContain('[check / show] pull_request feature-x\n');
    expect(pr.code).toBe(0);
    expect((await run('review.yml', '--event-name', 'release', '--event', 'release.json')).stdout).toContain('] release v1.2.3\n');
    expect((await run('repository_dispatch', 'review.yml', '--event', 'dispatch.json')).stdout).toContain('] repository_dispatch 42\n');
    expect((await run('workflow_run', 'review.yml', '-e', 'build-run.json')).stdout).toContain('] workflow_run success\n');
    expect((await run('workflow_run', 'review.yml', '-e', 'lint-run.json')).stdout).toBe(
      "review.yml is not triggered by event 'workflow_run' (lint-run.json): a workflow_run 'completed' does not pass its on.workflow_run filters: nothing to run\n",
    );
    expect(await run('pull_request', 'review.yml', '--event', 'pr-dev.json')).toEqual({
      code: 0,
      stdout: "review.yml is not triggered by event 'pull_request' (pr-dev.json): a pull_request 'opened' to dev does not pass its on.pull_request filters: nothing to run\n",
      stderr: '',
    });
    expect((await run('pull_request_target', 'review.yml', '--event', 'pr-main.json')).stdout).toBe(
      "review.yml is not triggered by event 'pull_request_target' (pr-main.json): its 'on:' has no 'pull_request_target': nothing to run\n",
    );
    expect(await run('release', 'review.yml')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--event-name release needs --event FILE: the webhook payload, at least { "action": "published", "release": { "tag_name": "v1.0.0", … } }'),
    });
  });

  it('--env sets a workflow env variable over the file\'s own', async () => {
    const { code, stdout } = await run('-j', 'deploy', '--env', 'GREETING=bonjour');
    expect(code).toBe(0);
    expect(stdout).toContain('deploying bonjour');
    expect(await run('--env', 'GREETING=${{ inputs.x }}')).toMatchObject({ code: 2 });
  });

  it('Ctrl-C stops the run and exits 130', async () => {
    await writeFile(join(dir, 'slow.yml'), 'on: workflow_dispatch\njobs:\n  slow:\n    steps:\n      - run: echo started; sleep 120\n');
    const child = spawn(process.execPath, [bin, 'run', 'slow.yml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let interrupts = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Twice, as an impatient user would: the second one must not kill the CLI before it cleans up.
      if (interrupts === 0 && stdout.includes('] started\n')) {
        interrupts = 2;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGINT'), 50);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('stepdeploy run: stopping the execution (Ctrl-C)');
    expect(stdout).toMatch(/slow cancelled/);
  });

  /** Runs `stepdeploy run FILE` in a child process and sends SIGINT each time its output shows the next of `cues`. */
  async function interrupted(file: string, cues: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [bin, 'run', file, '--report', `${file}.json`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      while (sent < cues.length && stdout.includes(cues[sent]!)) {
        sent++;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    return { code, stdout, stderr };
  }

  const cancelWorkflow = (cleanup: string) => `on: workflow_dispatch
jobs:
  build:
    steps:
      - run: echo started; sleep 120
      - name: tidy
        if: always()
        run: echo tidied
      - name: after
        run: echo after
  deploy:
    needs: build
    steps:
      - run: echo deploying
  cleanup:
    needs: build
    if: always()
    steps:
      - name: clean
        run: ${cleanup}
  notify:
    needs: build
    if: cancelled()
    steps:
      - run: echo notified
  blame:
    needs: build
    if: failure()
    steps:
      - run: echo blamed
`;

  it('the first Ctrl-C cancels as GitHub does: the running step stops, always() and cancelled() jobs and steps still run, the rest is skipped; exit 130', async () => {
    await writeFile(join(dir, 'cancel.yml'), cancelWorkflow('echo cleaned up'));
    const { code, stdout, stderr } = await interrupted('cancel.yml', ['] started\n']);
    expect(stderr).toContain('stepdeploy run: cancelling the run (Ctrl-C): jobs and steps whose if: calls always() or cancelled() still run; Ctrl-C again stops them\n');
    expect(code).toBe(130);
    const report = JSON.parse(await readFile(join(dir, 'cancel.yml.json'), 'utf8')) as RunReport;
    const steps = (job: string) => report.jobs.find((candidate) => candidate.id === job)?.steps.map((step) => `${step.name} ${step.status}${step.error ? ` (${step.error})` : ''}`);
    expect(report.jobs.map((job) => `${job.id} ${job.status}`)).toEqual(['build cancelled', 'deploy skipped', 'cleanup succeeded', 'notify succeeded', 'blame skipped']);
    expect(steps('build')).toEqual(['Run echo started; sleep 120 failed (Cancelled)', 'tidy succeeded', 'after skipped']);
    expect(stdout).toContain('[cleanup / clean] cleaned up\n');
    expect(stdout).toContain('] notified\n');
    expect(stdout).not.toMatch(/deploying|blamed|\] after/);
    // From the recorded times: what runs on cancel starts after the cancelled step ended.
    const cancelledEnd = report.jobs[0]!.steps[0]!.endedAt!;
    for (const job of ['cleanup', 'notify']) expect(report.jobs.find((candidate) => candidate.id === job)!.startedAt! >= cancelledEnd).toBe(true);
  });

  it('a second Ctrl-C stops what still runs on cancel', async () => {
    await writeFile(join(dir, 'cancel-twice.yml'), cancelWorkflow('echo cleaning; sleep 120'));
    const { code, stderr } = await interrupted('cancel-twice.yml', ['] started\n', '[cleanup / clean] cleaning\n']);
    expect(stderr).toContain('stepdeploy run: stopping the execution (second Ctrl-C)…\n');
    expect(code).toBe(130);
    const report = JSON.parse(await readFile(join(dir, 'cancel-twice.yml.json'), 'utf8')) as RunReport;
    expect(report.status).toBe('cancelled');
    expect(report.jobs.find((job) => job.id === 'cleanup')?.status).toBe('cancelled');
  });
});
