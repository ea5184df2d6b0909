// Secrets, vars and environments as a user runs them: `stepdeploy run` with --secret-file and --var,
// on the real engine with real bash steps. Every artifact of the run is scanned for the secret.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../lib/report/report';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamodbClient } from '../../lib/local/dynalite-server';
import type { CliIo } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { callCli } from '../cli/call-cli';
import { localFunctionUrl, postAnswer } from '../../lib/cli/approval-answer';
import { startLocalWorkflows } from './local-run';

const PASSWORD = 's3cr3t-Pa55word-do-not-leak';
let dir: string;

const files: Record<string, string> = {
  'environments.yml': 'environments:\n  production:\n    required-reviewers: [alice]\n  staging:\n  canary:\n    wait-timer: 2\n    required-reviewers: [alice]\n',
  'deploy.yml': `on: workflow_dispatch
jobs:
  deploy:
    environment:
      name: production
      url: https://\${{ steps.ship.outputs.region }}.example.com
    steps:
      - id: ship
        env:
          DB_PASSWORD: \${{ secrets.DB_PASSWORD }}
        run: |
          echo "region \${{ vars.REGION }}"
          echo "connecting with \${{ secrets.DB_PASSWORD }}"
          test "$DB_PASSWORD" = '${PASSWORD}'
          echo "region=\${{ vars.REGION }}" >> "$STEPDEPLOY_OUTPUT"
`,
  'missing.yml': `on: workflow_dispatch
jobs:
  deploy:
    environment: staging
    steps:
      - run: echo "\${{ secrets.API_TOKEN }} \${{ vars.REGION }}"
`,
  'secrets.env': `# the database\nDB_PASSWORD="${PASSWORD}"\n`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepdeploy-secrets-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
});

const run = (...argv: string[]) => callCli(dir, ['run', ...argv]);

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('secrets and vars', () => {
  it('gives the step its secret and vars, and no artifact of the run holds the secret', async () => {
    const { code, stdout, stderr } = await run('deploy.yml', '--secret-file', 'secrets.env', '--var', 'REGION=eu-west-1', '--approve', '--report', 'out/report.json', '--timeline', 'out/timeline.html', '--logs', 'logs');
    expect(stderr).toBe('');
    expect(stdout).toContain('approved job deploy → environment production as local user\n');
    const report = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')) as RunReport;
    expect(report.jobs[0]?.steps[0]?.outputs).toEqual({ region: 'eu-west-1' });
    expect(code, stdout).toBe(0);
    // The URL is evaluated after the steps, from a step's output, and shown in the report, the summary and the timeline.
    expect(report.jobs[0]?.environment).toEqual({
      name: 'production',
      url: 'https://eu-west-1.example.com',
      approval: { decision: 'approved', approver: 'local user', at: expect.any(String), comment: '--approve' },
    });
    expect(stdout).toContain('run succeeded in ');
    expect(stdout).toContain(': 1 succeeded\ndeployed: deploy → production https://eu-west-1.example.com (approved by local user)\n');
    expect(await readFile(join(dir, 'out/timeline.html'), 'utf8')).toContain(
      '<li data-job="deploy">deploy → production <span class="run-status">succeeded</span> <a class="deployment-url" href="https://eu-west-1.example.com">https://eu-west-1.example.com</a> · approved by local user</li>',
    );
    const logs = await allFiles(join(dir, 'logs'));
    const log = (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
    expect(log).toContain('connecting with ***');
    expect(log).toContain('region eu-west-1');
    for (const file of [...logs, join(dir, 'out/report.json'), join(dir, 'out/timeline.html')]) {
      expect(await readFile(file, 'utf8'), file).not.toContain(PASSWORD);
    }
    expect(stdout).not.toContain(PASSWORD);
  });

  it('fails the job naming a missing secret and var, never a value', async () => {
    const { code, stdout } = await run('missing.yml', '--var', 'production/REGION=us-east-1');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'jobs.deploy: vars.REGION is not set: no parameter /stepdeploy/missing/env/staging/REGION or /stepdeploy/missing/REGION in SSM Parameter Store; secrets.API_TOKEN is not set: no secret stepdeploy/missing/env/staging/API_TOKEN or stepdeploy/missing/API_TOKEN in AWS Secrets Manager',
    );
  });
});

async function until(check: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await check();
      return;
    } catch (error) {
      if (attempt > 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('approvals', () => {
  const gated = `on: workflow_dispatch
concurrency: { group: ship, cancel-in-progress: true }
jobs:
  ship:
    environment: production
    steps:
      - env:
          DB_PASSWORD: \${{ secrets.DB_PASSWORD }}
        run: echo "shipping with $DB_PASSWORD"
`;

  it('a superseded run’s pending approval leaves the table and watch; approving it says so; the newer run is approved and deploys', async () => {
    await writeFile(join(dir, 'gated.yml'), gated);
    const local = await startLocalWorkflows([join(dir, 'gated.yml')], { secretValues: new Map([['stepdeploy/gated/DB_PASSWORD', PASSWORD]]) });
    const endpoint = local.engine.endpoints.stepFunctions;
    const table = local.engine.tableNames[0]!;
    const dynamodb = dynamodbClient(local.engine.endpoints.dynamodb);
    const items = async () => (await dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? [];
    const approvalItems = async () => (await items()).filter((item) => item.pk?.S?.startsWith('approval#'));
    try {
      const first = local.start('gated');
      await until(async () => expect(await approvalItems()).toHaveLength(1));
      const second = local.start('gated');
      const superseded = await local.finish(first);
      expect(superseded.status).toBe('ABORTED');
      await local.engine.eventsDelivered();
      await until(async () => expect((await approvalItems()).map((item) => item.pk?.S)).toEqual([`approval#${second}`]));
      // The superseded run's watch shows no pending approval; the waiting run's shows how to answer.
      let watchOutput = '';
      const io: CliIo = { stdout: (text) => void (watchOutput += text), stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
      const watching = main(['watch', second, '--endpoint', endpoint], io);
      await until(async () => expect(watchOutput).toContain(`waiting for approval: job ship → environment production (reviewers: alice)\n  stepdeploy approve ${second} --job ship --endpoint ${endpoint}`));
      const watched = await callCli(dir, ['watch', first, '--endpoint', endpoint]);
      expect(watched.stdout).not.toContain('waiting for approval:');
      const late = await callCli(dir, ['approve', first, '--endpoint', endpoint, '--as', 'alice']);
      expect(late.code).toBe(1);
      expect(late.stderr).toMatch(/^stepdeploy approve: the execution has ended \(ABORTED: Superseded.*\); its pending approvals were dropped, nothing to approve\n$/);

      // The approval function refuses a non-reviewer, through the CLI and through its URL directly.
      expect((await callCli(dir, ['approve', second, '--endpoint', endpoint, '--as', 'mallory'])).stderr).toBe(
        "stepdeploy approve: arn:aws:iam::000000000000:user/mallory is not a required reviewer of environment 'production' (reviewers: alice)\n",
      );
      const url = localFunctionUrl(endpoint, 'approval');
      const body = { executionArn: second, decision: 'approved' as const, comment: 'trust me' };
      expect(await postAnswer(url, body, { credentials: { accessKeyId: 'mallory', secretAccessKey: 'local' }, region: 'us-east-1' })).toEqual({
        status: 403,
        message: "arn:aws:iam::000000000000:user/mallory is not a required reviewer of environment 'production' (reviewers: alice)",
      });
      const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect([unsigned.status, await unsigned.json()]).toEqual([403, { Message: 'Forbidden' }]);
      expect(await approvalItems()).toHaveLength(1);
      const approved = await callCli(dir, ['approve', second, '--endpoint', endpoint, '--as', 'alice', '--comment', 'ship it']);
      expect(approved).toMatchObject({ code: 0, stdout: 'approved job ship → environment production as alice\n' });
      const done = await local.finish(second);
      expect(await watching).toBe(0);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.report.jobs[0]?.environment).toEqual({ name: 'production', approval: { decision: 'approved', approver: 'alice', at: expect.any(String), comment: 'ship it' } });
      expect(await approvalItems()).toEqual([]);
      // No artifact of either run holds the secret: histories and the runtime table's items.
      for (const arn of [first, second]) expect(JSON.stringify(local.engine.getExecutionHistory(arn))).not.toContain(PASSWORD);
      expect(JSON.stringify(await items())).not.toContain(PASSWORD);
    } finally {
      await local.close();
    }
  });

  it('an environment’s wait timer is a Wait state the job passes after its lock and before its approval and steps', async () => {
    await writeFile(
      join(dir, 'timed.yml'),
      'on: workflow_dispatch\njobs:\n  roll:\n    concurrency: canary\n    environment: canary\n    steps:\n      - run: echo rolled out\n',
    );
    // The timer's 2 minutes pass at once (a documented test option of the engine); the history still has the state and its input.
    const local = await startLocalWorkflows([join(dir, 'timed.yml')], { waitOverrides: { 'roll: wait timer': 0 } });
    try {
      const arn = local.start('timed');
      await until(async () => expect((await callCli(dir, ['approve', arn, '--endpoint', local.engine.endpoints.stepFunctions, '--as', 'alice'])).code).toBe(0));
      const { status, history } = await local.finish(arn);
      expect(status).toBe('SUCCEEDED');
      const gate = history.flatMap((event) => {
        const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? '';
        return /^roll(: (lock|wait timer|approval)|\.step-1: run)$/.test(name) ? [`${event.type} ${name}`] : [];
      });
      expect(gate).toEqual([
        'TaskStateEntered roll: lock',
        'TaskStateExited roll: lock',
        'WaitStateEntered roll: wait timer',
        'WaitStateExited roll: wait timer',
        'TaskStateEntered roll: approval',
        'TaskStateExited roll: approval',
        'TaskStateEntered roll.step-1: run',
        'TaskStateExited roll.step-1: run',
      ]);
      const entered = history.find((event) => event.type === 'WaitStateEntered' && event.stateEnteredEventDetails?.name === 'roll: wait timer');
      expect(JSON.parse(entered?.stateEnteredEventDetails?.input ?? '{}').job.environment).toMatchObject({ name: 'canary', waitSeconds: 120, approval: true });
    } finally {
      await local.close();
    }
  });

  it('a rejected deployment fails its job without running a step', async () => {
    const local = await startLocalWorkflows([join(dir, 'gated.yml')], { secretValues: new Map([['stepdeploy/gated/DB_PASSWORD', PASSWORD]]) });
    try {
      const arn = local.start('gated');
      await until(async () => expect((await callCli(dir, ['reject', arn, '--endpoint', local.engine.endpoints.stepFunctions, '--as', 'alice'])).code).toBe(0));
      const { report } = await local.finish(arn);
      expect(report.jobs[0]).toMatchObject({ status: 'failed', steps: [], environment: { name: 'production', approval: { decision: 'rejected', approver: 'alice' } } });
    } finally {
      await local.close();
    }
  });
});
