// `stepdeploy dev --data DIR` killed with SIGKILL while a step runs, then started again on the same
// data (issue 11, finding 1): the runner and the step are detached process groups, so the killed
// engine could not stop them and they kept running. The engine writes its runners down in the data
// directory; the next one kills what is left before it starts, ends the lost execution as ABORTED and
// releases its group, so the next run of the group starts at once. Real processes throughout.
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../lib/runner/process-group';
import { eventually } from '../fixtures/e2e/support';

const ROOT = join(import.meta.dirname, '..', '..');
/** tsx's loader by path: `--import tsx` would resolve from the test's working directory. */
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const workflow = `on:
  workflow_dispatch:
    inputs:
      pidfile: { type: string, required: true }
      seconds: { type: number, required: true }
concurrency:
  group: orphans
jobs:
  deploy:
    steps:
      - env:
          PIDFILE: \${{ inputs.pidfile }}
          SECONDS_TO_SLEEP: \${{ inputs.seconds }}
        run: |
          echo $$ > "$PIDFILE"
          sleep "$SECONDS_TO_SLEEP"
`;

interface Dev {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly stepFunctions: string;
}

const started: ChildProcess[] = [];
let dir: string | undefined;
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** `stepdeploy dev --data data` as its own process (node with tsx's loader, no wrapper that could outlive a kill). */
async function startDev(cwd: string): Promise<Dev> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'bin', 'stepdeploy.ts'), 'dev', '--data', 'data', '--port', '0', '--webhook-port', '0'], {
    cwd,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await eventually('stepdeploy dev to be ready', () => {
    if (child.exitCode !== null) throw new Error(`stepdeploy dev ended early (exit code ${child.exitCode})\n--- stderr ---\n${err}\n--- stdout ---\n${out}`);
    return out.includes('Press Ctrl+C') ? true : undefined;
  });
  const stepFunctions = /^ {2}Step Functions API {2}(\S+)$/m.exec(out)?.[1];
  if (stepFunctions === undefined) throw new Error(`no endpoint in the dev output:\n${out}`);
  return { child, output: () => out, stepFunctions };
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:';

describe('stepdeploy dev --data restarted after kill -9', () => {
  it('kills the step the dead engine left running, ends its execution as ABORTED and frees its group', { timeout: 300_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-dev-restart-'));
    await mkdir(join(dir, 'workflows'));
    await writeFile(join(dir, 'workflows', 'orphans.yml'), workflow);

    const first = await startDev(dir);
    const machine = /^ {4}(\S*orphans)\s+(arn:\S+)$/m.exec(first.output())?.[2];
    expect(machine).toMatch(new RegExp(`^${machineArn}`));
    let sfn = sfnClient(first.stepFunctions);
    const pidfile = join(dir, 'step.pid');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ inputs: { pidfile, seconds: 300 } }) }));
    sfn.destroy();
    const pid = await eventually('the step to start', async () => (existsSync(pidfile) ? Number((await readFile(pidfile, 'utf8')).trim()) || undefined : undefined));
    expect(groupAlive(pid)).toBe(true);

    first.child.kill('SIGKILL');
    await exited(first.child);
    // Nothing of the dead engine stopped it.
    expect(groupAlive(pid)).toBe(true);

    const second = await startDev(dir);
    try {
      expect(groupAlive(pid)).toBe(false);
      expect(second.output()).toMatch(/^ {2}Killed \d+ runner and step process group\(s\) the previous engine left running: /m);
      expect(second.output()).toContain(`  Ended as ABORTED (they did not survive the previous engine; what they held is released):\n    ${executionArn}\n`);
      // The group is free: the next run of it starts and succeeds at once.
      sfn = sfnClient(second.stepFunctions);
      const next = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ inputs: { pidfile: join(dir, 'next.pid'), seconds: 0 } }) }));
      const status = await eventually('the next run to end', async () => {
        const { status: now } = await sfn.send(new DescribeExecutionCommand({ executionArn: next.executionArn }));
        return now === 'RUNNING' ? undefined : now;
      });
      sfn.destroy();
      expect(status).toBe('SUCCEEDED');
    } finally {
      second.child.kill('SIGINT');
      await exited(second.child);
    }
  });
});
