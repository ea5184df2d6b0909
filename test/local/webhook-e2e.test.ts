import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { devCommand } from '../../lib/cli/dev';
import type { CliIo } from '../../lib/cli/io';
import { synthesizeLocalTemplate } from '../../lib/constructs/local-synth';
import { GITHUB_API_URL_CONTEXT } from '../../lib/constructs/webhook';
import { LocalEngine } from '../../lib/local/engine';
import { startFunctionUrlServer } from '../../lib/local/function-url-server';
import { buildReport } from '../../lib/report/build-report';
import { signatureHeader } from '../../lib/runtime/webhook/signature';
import { gitIn } from '../fixtures/git';

// GitHub's webhook through `stepdeploy dev`: the synthesized stack's receiver behind a local function
// URL, its PutEvents on the local bus, the push and activity rules' InputTransformers, the router's
// StartExecution through the local Step Functions API, and the run step as a child process. Requests
// are real HTTP. dev runs in a git repository of two commits whose working tree has moved on: a push
// runs the commit it names.

const SECRET = 'e2e-webhook-secret';

const workflow = `name: webhook-e2e
on:
  push:
    branches: [main]
    paths: ['src/**']
jobs:
  deploy:
    steps:
      - uses: actions/checkout@v4
      - run: |
          echo "deploying \${{ event.ref }}"
          echo "app: $(cat src/app.txt)"
`;

// One workflow per activity trigger, beside the push workflow in the same dev session.
const activityWorkflows: Readonly<Record<string, string>> = {
  'pull-request': `on:
  pull_request:
    branches: [main]
jobs:
  check:
    steps:
      - run: echo "checking \${{ event.pull_request.head.ref }} into \${{ event.pull_request.base.ref }} on \${{ github.event_name }} \${{ github.ref }} \${{ github.head_ref }}"
`,
  'pull-request-target': `on:
  pull_request_target:
    types: [closed]
jobs:
  label:
    steps:
      - run: echo "closed \${{ event.number }}"
`,
  release: `on:
  release:
    types: [published]
jobs:
  publish:
    steps:
      - run: echo "publishing \${{ event.release.tag_name }}"
`,
  'pull-request-paths': `on:
  pull_request:
    paths: ['src/**', '!src/**/*.md']
jobs:
  build:
    steps:
      - run: echo "building \${{ event.number }}"
`,
  dispatch: `on:
  repository_dispatch:
    types: [deploy]
jobs:
  deploy:
    steps:
      - run: echo "dispatched \${{ event.client_payload.version }}"
`,
};

// GitHub's REST API as the router reads it for pull request path filters: the files of each pull
// request by number (7: only docs, so the paths workflow skips the other tests' pull requests).
const pullRequestFiles: Readonly<Record<string, readonly string[]>> = { '7': ['docs/readme.md'], '8': ['README.md', 'src/app.ts'], '9': ['src/notes.md'] };
const apiRequests: string[] = [];
const githubApi = createServer((request, response) => {
  apiRequests.push(request.url ?? '');
  const number = /^\/repos\/octo\/app\/pulls\/(\d+)\/files\?per_page=100&page=1$/.exec(request.url ?? '')?.[1];
  const files = number === undefined ? undefined : pullRequestFiles[number];
  response.writeHead(files === undefined ? 404 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(files === undefined ? { message: 'Not Found' } : files.map((filename) => ({ filename, status: 'modified' }))));
});
beforeAll(() => new Promise<void>((resolve) => githubApi.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => githubApi.close(() => resolve())));
const githubApiUrl = (): string => `http://127.0.0.1:${(githubApi.address() as AddressInfo).port}`;

let synthesized: Promise<Awaited<ReturnType<typeof synthesizeLocalTemplate>>> | undefined;
/** One synthesis for every dev run in this file (the CDK app takes a second or two). */
const synthesizeOnce = (files: readonly string[], context: Readonly<Record<string, unknown>>) =>
  (synthesized ??= synthesizeLocalTemplate(files, undefined, { ...context, [GITHUB_API_URL_CONTEXT]: githubApiUrl() }));

interface DevRun {
  readonly engine: LocalEngine;
  readonly webhookUrl: string;
  readonly output: () => string;
  stop(): Promise<number>;
}

async function startDev(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<DevRun> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (text) => void (out += text), stderr: (text) => void (err += text), isTTY: false, cwd, env };
  let engine: LocalEngine | undefined;
  let stop!: (signal: string) => void;
  const command = devCommand({
    synthesize: synthesizeOnce,
    startEngine: async (options) => (engine = await LocalEngine.start(options)),
    untilStopped: () => new Promise((resolve) => (stop = resolve)),
  });
  const exit = command(['--port', '0', '--webhook-port', '0', ...args], io);
  // How it ended, if it did before it was ready: the exit code or what it threw, with its stderr, so
  // that a failure on a loaded machine says why.
  let ended: string | undefined;
  exit.then(
    (code) => (ended = `exit code ${code}`),
    (error: unknown) => (ended = `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  while (!out.includes('Press Ctrl+C')) {
    if (ended !== undefined) throw new Error(`stepdeploy dev ended early (${ended})\n--- stderr ---\n${err || '(empty)'}\n--- stdout ---\n${out || '(empty)'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const webhookUrl = /^ {2}Webhook {13}(\S+)$/m.exec(out)?.[1];
  if (!engine || !webhookUrl) throw new Error(`no webhook in the dev output:\n${out}`);
  return {
    engine,
    webhookUrl,
    output: () => out,
    stop: async () => {
      stop('SIGINT');
      const code = await exit;
      if (err !== '') throw new Error(`stepdeploy dev wrote to stderr: ${err}`);
      return code;
    },
  };
}

/** The commits of the repository dev runs in (set up in beforeAll): the first is what pushes name. */
const commits = { first: '', second: '' };

function pushPayload(ref: string, files: readonly string[], sha = commits.first): string {
  return JSON.stringify({
    ref,
    before: '0'.repeat(40),
    after: sha,
    repository: { full_name: 'octo/app' },
    pusher: { name: 'octocat', email: 'octocat@example.com' },
    head_commit: { id: sha, message: 'Ship it', timestamp: '2026-01-31T12:00:00Z', url: 'https://example.com', author: { username: 'octocat' } },
    commits: [{ added: files, modified: [], removed: [] }],
  });
}

/** The headers GitHub sends with a delivery; `secret: null` leaves the signature out. */
function githubHeaders(body: string | Buffer, delivery: string, event = 'push', secret: string | null = SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    ...(secret === null ? {} : { 'x-hub-signature-256': signatureHeader(secret, body) }),
  };
}

describe('a GitHub webhook through stepdeploy dev', () => {
  let cwd: string;
  let dev: DevRun;
  let sfn: SFNClient;

  /** POSTs like GitHub, then waits until the bus has delivered whatever the receiver put on it. */
  async function deliver(body: string | Buffer, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; text: string }> {
    const response = await fetch(dev.webhookUrl, { method, headers, ...(method === 'POST' ? { body } : {}) });
    const text = await response.text();
    await dev.engine.eventsDelivered();
    return { status: response.status, text };
  }

  const executions = async (workflowId = 'push'): Promise<ExecutionListItem[]> => {
    const machine = dev.engine.stateMachines.find((candidate) => candidate.id === workflowId);
    return (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine!.arn }))).executions ?? [];
  };
  const everyExecution = async (): Promise<ExecutionListItem[]> => (await Promise.all(['push', ...Object.keys(activityWorkflows)].map((id) => executions(id)))).flat();

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'webhook-e2e-'));
    await mkdir(join(cwd, 'workflows'));
    await mkdir(join(cwd, 'src'));
    await writeFile(join(cwd, 'workflows', 'push.yml'), workflow);
    // A push's checkout needs a connected repository, in AWS and so in dev (which takes the pushed
    // commit from this local repository in its place); without one the checkout step would fail.
    const connected = { 'stepdeploy:connectionArn': 'arn:aws:codeconnections:us-east-1:123456789012:connection/0f6c5a32-9d1e-4b8e-a2f1-3c4d5e6f7a8b', 'stepdeploy:repository': 'https://github.com/octo/app' };
    await writeFile(join(cwd, 'cdk.json'), JSON.stringify({ context: connected }));
    for (const [id, text] of Object.entries(activityWorkflows)) await writeFile(join(cwd, 'workflows', `${id}.yml`), text);
    const git = gitIn(cwd);
    git('init', '-q', '-b', 'main');
    for (const [commit, text] of [['first', 'commit one'], ['second', 'commit two']] as const) {
      await writeFile(join(cwd, 'src', 'app.txt'), `${text}\n`);
      git('add', '-A');
      git('commit', '-q', '-m', commit);
      commits[commit] = git('rev-parse', 'HEAD');
    }
    await writeFile(join(cwd, 'src', 'app.txt'), 'the working tree (not committed)\n');
    dev = await startDev(cwd, ['--webhook-secret', SECRET, '--data', 'data']);
    sfn = new SFNClient({ endpoint: dev.engine.endpoints.stepFunctions, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });

  afterAll(async () => {
    sfn?.destroy();
    expect(await dev?.stop()).toBe(0);
    await rm(cwd, { recursive: true, force: true });
  });

  test('dev prints the webhook URL on loopback and where its secret comes from', () => {
    expect(dev.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dev.output()).toContain('  Webhook secret      from --webhook-secret\n');
    expect(dev.output()).not.toContain(SECRET);
  });

  test('a ping is answered pong and starts nothing', async () => {
    expect(await deliver('{"zen":"Keep it logically awesome."}', githubHeaders('{"zen":"Keep it logically awesome."}', randomUUID(), 'ping'))).toEqual({ status: 200, text: 'pong' });
    expect(await everyExecution()).toEqual([]);
  });

  test('a signed push to a matching branch starts exactly one execution, which succeeds with the event in its input', async () => {
    const delivery = randomUUID();
    const body = pushPayload('refs/heads/main', ['src/app.ts']);
    expect(await deliver(body, githubHeaders(body, delivery))).toEqual({ status: 202, text: `accepted delivery ${delivery} for refs/heads/main` });

    const started = (await executions()).filter((execution) => execution.name === `push-${delivery}`);
    expect(started).toHaveLength(1);
    await dev.engine.waitForExecution(started[0]!.executionArn!);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started[0]!.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    const input = JSON.parse(described.input!) as { inputs: unknown; event: Record<string, unknown> };
    expect(input.inputs).toEqual({});
    expect(input.event).toMatchObject({ trigger: 'push', ref: 'refs/heads/main', delivery, repository: 'octo/app', changedFiles: ['src/app.ts'] });
    // The run step saw the event too: its log is under --data.
    const logDir = join(cwd, 'data', 'logs', `push-${delivery}`);
    const logs = await Promise.all((await readdir(logDir)).map((file) => readFile(join(logDir, file), 'utf8')));
    expect(logs.join('')).toContain('deploying refs/heads/main');
  });

  test('a push runs the commit it names, not the working tree nor HEAD', async () => {
    const delivery = randomUUID();
    const body = pushPayload('refs/heads/main', ['src/app.txt'], commits.first);
    expect((await deliver(body, githubHeaders(body, delivery))).status).toBe(202);
    const [started] = (await executions()).filter((execution) => execution.name === `push-${delivery}`);
    const run = await finished(started!);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.log).toContain('app: commit one\n');
  });

  test('a push naming a commit the local repository does not have fails its job, naming the SHA', async () => {
    const delivery = randomUUID();
    const unknown = 'a'.repeat(40);
    const body = pushPayload('refs/heads/main', ['src/app.txt'], unknown);
    expect((await deliver(body, githubHeaders(body, delivery))).status).toBe(202);
    const [started] = (await executions()).filter((execution) => execution.name === `push-${delivery}`);
    await dev.engine.waitForExecution(started!.executionArn!);
    const history = dev.engine.getExecutionHistory(started!.executionArn!);
    const report = buildReport({ workflow: 'push', executionArn: started!.executionArn!, history });
    expect(report.status).toBe('failed');
    expect(report.jobs.map((job) => ({ status: job.status, error: job.error, steps: job.steps.map((step) => step.status) }))).toEqual([
      { status: 'failed', error: `the runner did not start: cannot check out ${unknown}: no such commit in the repository at ${cwd}`, steps: ['skipped', 'skipped'] },
    ]);
  });

  test('a push of about 200 KiB (thousands of changed files) runs end to end within the 256 KiB payload limit', async () => {
    const delivery = randomUUID();
    const files = Array.from({ length: 3400 }, (_, index) => `src/module-${index}/${'n'.repeat(40)}.ts`);
    const body = pushPayload('refs/heads/main', files);
    expect(body.length).toBeGreaterThan(200 * 1024);
    expect((await deliver(body, githubHeaders(body, delivery))).status).toBe(202);
    const [started] = (await executions()).filter((execution) => execution.name === `push-${delivery}`);
    await dev.engine.waitForExecution(started!.executionArn!);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started!.executionArn }));
    expect({ status: described.status, error: described.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
    expect((JSON.parse(described.input!) as { event: { changedFiles: string[] } }).event.changedFiles).toHaveLength(3400);
    expect(described.input!.length).toBeGreaterThan(190 * 1024);
  });

  test('an unsigned push and a wrongly signed push get 401 and start nothing', async () => {
    const before = await executions();
    const body = pushPayload('refs/heads/main', ['src/app.ts']);
    expect(await deliver(body, githubHeaders(body, randomUUID(), 'push', null))).toEqual({ status: 401, text: 'missing X-Hub-Signature-256 header' });
    expect(await deliver(body, githubHeaders(body, randomUUID(), 'push', 'not-the-secret'))).toEqual({
      status: 401,
      text: 'X-Hub-Signature-256 does not match the body: check the webhook secret',
    });
    expect(await executions()).toEqual(before);
  });

  test('the same delivery sent again starts nothing new', async () => {
    const delivery = randomUUID();
    const body = pushPayload('refs/heads/main', ['src/lib/deploy.ts']);
    expect((await deliver(body, githubHeaders(body, delivery))).status).toBe(202);
    const [first] = (await executions()).filter((execution) => execution.name === `push-${delivery}`);
    await dev.engine.waitForExecution(first!.executionArn!);
    const before = await executions();

    expect(await deliver(body, githubHeaders(body, delivery))).toEqual({ status: 202, text: `accepted delivery ${delivery} for refs/heads/main` });
    expect(await executions()).toEqual(before);
  });

  test('pushes the workflow filters exclude start nothing: another branch, no file under paths, a tag', async () => {
    const before = await executions();
    for (const [ref, files] of [
      ['refs/heads/feature/x', ['src/app.ts']],
      ['refs/heads/main', ['docs/readme.md']],
      ['refs/tags/v1.0.0', ['src/app.ts']],
    ] as const) {
      const body = pushPayload(ref, files);
      const delivery = randomUUID();
      expect(await deliver(body, githubHeaders(body, delivery))).toEqual({ status: 202, text: `accepted delivery ${delivery} for ${ref}` });
    }
    expect(await executions()).toEqual(before);
  });

  test('the function URL hands the handler the method and binary bodies intact (base64)', async () => {
    expect(await deliver('', githubHeaders('', randomUUID()), 'GET')).toEqual({ status: 405, text: 'method GET not allowed: GitHub delivers with POST' });
    // Not UTF-8: the signature still verifies over the exact bytes, then the payload is refused.
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    expect(await deliver(binary, githubHeaders(binary, randomUUID()))).toEqual({ status: 400, text: 'body is not a JSON push payload' });
  });
  /** Delivers a signed activity event; resolves to the executions each workflow gained and the receiver's reply. */
  async function deliverActivity(event: string, payload: object): Promise<{ reply: string; started: Record<string, ExecutionListItem[]>; delivery: string }> {
    const before = new Set((await everyExecution()).map((execution) => execution.executionArn));
    const body = JSON.stringify(payload);
    const delivery = randomUUID();
    const { status, text } = await deliver(body, githubHeaders(body, delivery, event));
    expect(status).toBe(202);
    const started: Record<string, ExecutionListItem[]> = {};
    for (const id of Object.keys(activityWorkflows)) {
      const fresh = (await executions(id)).filter((execution) => !before.has(execution.executionArn));
      if (fresh.length > 0) started[id] = fresh;
    }
    return { reply: text, started, delivery };
  }

  async function finished(execution: ExecutionListItem): Promise<{ status: string; event: Record<string, unknown>; log: string }> {
    await dev.engine.waitForExecution(execution.executionArn!);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    const logDir = join(cwd, 'data', 'logs', execution.name!);
    const log = (await Promise.all((await readdir(logDir)).map((file) => readFile(join(logDir, file), 'utf8')))).join('');
    return { status: described.status!, event: (JSON.parse(described.input!) as { event: Record<string, unknown> }).event, log };
  }

  const repo = (fullName: string) => ({ full_name: fullName, name: fullName.split('/')[1], fork: fullName !== 'octo/app' });
  const pullRequest = (action: string, base: string, headRepo: string) => ({
    action,
    number: 7,
    pull_request: {
      number: 7,
      title: 'Faster deploys',
      head: { ref: 'feature/fast', sha: 'b'.repeat(40), repo: repo(headRepo) },
      base: { ref: base, sha: commits.second, repo: repo('octo/app') },
      user: { login: 'contributor' },
      merged: action === 'closed',
    },
    repository: repo('octo/app'),
    sender: { login: 'contributor' },
  });

  test('a pull request from a fork opened against main runs the pull_request workflow once, without secrets', async () => {
    const { reply, started, delivery } = await deliverActivity('pull_request', pullRequest('opened', 'main', 'someone/app'));
    expect(reply).toBe(`accepted delivery ${delivery} for pull_request opened`);
    expect(Object.keys(started)).toEqual(['pull-request']);
    expect(started['pull-request']!.map((execution) => execution.name)).toEqual([`pr-${delivery}`]);
    const run = await finished(started['pull-request']![0]!);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.event).toMatchObject({ trigger: 'pull_request', secretsWithheld: true, action: 'opened', number: 7, delivery });
    expect(run.log).toContain('checking feature/fast into main on pull_request refs/pull/7/merge feature/fast');
  });

  test("a merged pull request runs pull_request_target's closed workflow, with secrets; other bases and types start nothing", async () => {
    const closed = await deliverActivity('pull_request', pullRequest('closed', 'main', 'octo/app'));
    expect(Object.keys(closed.started)).toEqual(['pull-request-target']);
    const run = await finished(closed.started['pull-request-target']![0]!);
    expect(run.event).toMatchObject({ trigger: 'pull_request_target', action: 'closed' });
    expect(run.event).not.toHaveProperty('secretsWithheld');
    expect(run.log).toContain('closed 7');

    expect((await deliverActivity('pull_request', pullRequest('opened', 'develop', 'octo/app'))).started).toEqual({});
    expect((await deliverActivity('pull_request', pullRequest('labeled', 'main', 'octo/app'))).started).toEqual({});
  });

  test("paths on a pull request match the files GitHub's API lists for it, in order with negations; unknown files let it run", async () => {
    const opened = (number: number) => ({ ...pullRequest('opened', 'main', 'octo/app'), number, pull_request: { ...pullRequest('opened', 'main', 'octo/app').pull_request, number } });
    const matching = await deliverActivity('pull_request', opened(8));
    expect(Object.keys(matching.started).sort()).toEqual(['pull-request', 'pull-request-paths']);
    expect((await finished(matching.started['pull-request-paths']![0]!)).log).toContain('building 8');
    // Only a Markdown file under src: '!src/**/*.md' takes it out again.
    expect(Object.keys((await deliverActivity('pull_request', opened(9))).started)).toEqual(['pull-request']);
    // GitHub cannot say (404 here): the workflow runs, as GitHub runs it without a diff.
    expect(Object.keys((await deliverActivity('pull_request', opened(10))).started).sort()).toEqual(['pull-request', 'pull-request-paths']);
    expect(apiRequests).toEqual(expect.arrayContaining(['/repos/octo/app/pulls/8/files?per_page=100&page=1', '/repos/octo/app/pulls/9/files?per_page=100&page=1']));
  });

  test('a published release runs the release workflow with the release in its event; a created one does not', async () => {
    const release = (action: string) => ({ action, release: { tag_name: 'v2.0.0', name: 'Two', draft: false, prerelease: false }, repository: repo('octo/app'), sender: { login: 'octocat' } });
    const published = await deliverActivity('release', release('published'));
    expect(Object.keys(published.started)).toEqual(['release']);
    expect(published.started['release']![0]!.name).toBe(`release-${published.delivery}`);
    expect((await finished(published.started['release']![0]!)).log).toContain('publishing v2.0.0');
    expect((await deliverActivity('release', release('created'))).started).toEqual({});
  });

  test('a repository_dispatch of a listed event_type runs with its client_payload; another type does not', async () => {
    const dispatch = (action: string) => ({ action, branch: 'main', client_payload: { version: '1.2.3' }, repository: repo('octo/app'), sender: { login: 'bot' } });
    const deploy = await deliverActivity('repository_dispatch', dispatch('deploy'));
    expect(Object.keys(deploy.started)).toEqual(['dispatch']);
    const run = await finished(deploy.started['dispatch']![0]!);
    expect(run.event).toMatchObject({ trigger: 'repository_dispatch', action: 'deploy', client_payload: { version: '1.2.3' } });
    expect(run.log).toContain('dispatched 1.2.3');
    expect((await deliverActivity('repository_dispatch', dispatch('rollback'))).started).toEqual({});
  });
});

describe('the webhook secret of stepdeploy dev', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'webhook-secret-'));
    await mkdir(join(cwd, 'workflows'));
    await writeFile(join(cwd, 'workflows', 'push.yml'), workflow);
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  const ping = async (url: string, secret: string): Promise<number> => {
    const body = '{"zen":"hi"}';
    return (await fetch(url, { method: 'POST', headers: githubHeaders(body, randomUUID(), 'ping', secret), body })).status;
  };

  test('comes from STEPDEPLOY_WEBHOOK_SECRET when no option is given', async () => {
    const dev = await startDev(cwd, [], { STEPDEPLOY_WEBHOOK_SECRET: 'from-env' });
    expect(dev.output()).toContain('  Webhook secret      from STEPDEPLOY_WEBHOOK_SECRET\n');
    expect(await ping(dev.webhookUrl, 'from-env')).toBe(200);
    expect(await ping(dev.webhookUrl, SECRET)).toBe(401);
    expect(await dev.stop()).toBe(0);
  });

  test('is generated and printed once when neither is given', async () => {
    const dev = await startDev(cwd, []);
    const generated = /^ {2}Webhook secret {6}([A-Za-z0-9]{48}) {2}\(generated; choose one with --webhook-secret or STEPDEPLOY_WEBHOOK_SECRET\)$/m.exec(dev.output())?.[1];
    expect(generated).toBeDefined();
    expect(dev.output().split(generated!)).toHaveLength(2);
    expect(await ping(dev.webhookUrl, generated!)).toBe(200);
    expect(await dev.stop()).toBe(0);
  });

  test('a webhook port that is not a number is a usage mistake', async () => {
    let err = '';
    const io: CliIo = { stdout: () => undefined, stderr: (text) => void (err += text), isTTY: false, cwd, env: {} };
    const command = devCommand({ synthesize: synthesizeOnce, startEngine: () => Promise.reject(new Error('unused')), untilStopped: () => Promise.resolve('SIGINT') });
    expect(await command(['--webhook-port', '80a'], io)).toBe(2);
    expect(err).toBe("stepdeploy dev: option '--webhook-port' must be a port number (0-65535) — got '80a'\nRun 'stepdeploy dev --help' for usage.\n");
  });
});

describe('the function URL server', () => {
  test('a handler that throws gives 502, as a function URL does; a plain result is sent as JSON', async () => {
    const failures: string[] = [];
    let result: unknown = { anything: true };
    const server = await startFunctionUrlServer({
      host: '127.0.0.1',
      port: 0,
      invoke: async (event) => {
        if (event.rawPath === '/fail') throw new Error('boom');
        return result === 'echo' ? { statusCode: 201, headers: { 'X-Path': event.rawPath }, body: JSON.stringify(event.queryStringParameters), cookies: ['a=1'] } : result;
      },
      onError: (error) => failures.push(error.message),
    });
    try {
      const failed = await fetch(`${server.url}fail`, { method: 'POST' });
      expect([failed.status, await failed.text()]).toEqual([502, '{"Message":"Internal Server Error"}']);
      expect(failures).toEqual(['boom']);

      const plain = await fetch(server.url);
      expect([plain.status, plain.headers.get('content-type'), await plain.text()]).toEqual([200, 'application/json', '{"anything":true}']);

      result = 'echo';
      const echoed = await fetch(`${server.url}hook?a=1&a=2&b=x`);
      expect([echoed.status, echoed.headers.get('x-path'), echoed.headers.get('set-cookie'), await echoed.text()]).toEqual([201, '/hook', 'a=1', '{"a":"1,2","b":"x"}']);
    } finally {
      await server.close();
    }
  });
});
