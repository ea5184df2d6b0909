// Local job runners: `codebuild:startBuild` on the runner project starts lib/runner as a child process
// (the esbuild bundle CodeBuild runs, kept between runs by lib/local/runner-bundle-cache.ts) in a process group of its own, with a fresh workspace per cell and the
// environment CodeBuild would give a build — not the caller's. When the execution that started it
// ends, the runner and every step process group it recorded are stopped, so no process is left.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localRunnerBundle } from './runner-bundle-cache';
import { WarmRunners } from './warm-runners';
import { groupAlive, terminateGroup } from '../runner/process-group';
import { actionsCacheRoot } from '../model/actions/lock';
import { readIdentity, RUNNER_UP_MESSAGE, RUNNER_WAKE_MESSAGE, RunnerVariables, type RunnerIdentity } from '../runner/identity';
import { WorkQueue } from '../runner/work-queue';
import { fileSafeName } from '../runtime/runners/log-names';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LoggedCall } from '../runner/call-log';
import { sdkCall, type AwsCallRecorder } from './aws-calls';
import { localCredentials } from './dynalite-server';
import type { ProcessRegistry } from './process-registry';
import { codeBuildBuildArn, LOCAL_REGION } from './local-arns';

/** What a start of the runner project asks for. */
export interface RunnerLaunch {
  readonly projectName: string;
  /** Logical id of the project's service role: what the runner's calls are recorded as. */
  readonly projectRole?: string;
  readonly projectEnv: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, string>>;
  readonly executionArn: string;
  readonly executionName: string;
}

/** The StartBuild response's Build, as far as a definition reads it. */
export interface LocalBuild {
  readonly Id: string;
  readonly Arn: string;
  readonly BuildNumber: number;
  readonly ProjectName: string;
  readonly BuildStatus: 'IN_PROGRESS';
  readonly CurrentPhase: 'SUBMITTED';
  readonly StartTime: number;
  readonly Logs: { readonly DeepLink: string; readonly LocalPath: string };
}

export interface LocalRunnerSettings {
  readonly workDir: string;
  /** Step logs go to `<logDir>/<execution name>/`. */
  readonly logDir: string;
  readonly endpoints: { readonly dynamodb: string; readonly stepFunctions: string; readonly secretsManager: string };
  /** The engine's DynamoDB: cleans up after a runner that was killed. */
  readonly dynamodb: DynamoDBClient;
  /** Every cell's workspace; default: a fresh directory per cell. */
  readonly sourceDir?: string;
  /** Caller variables passed on purpose (`stepdeploy run --env-passthrough NAME`). */
  readonly passthrough: Readonly<Record<string, string>>;
  readonly graceMs: number;
  /** Gets every AWS call a runner made, as IAM sees it (the engine's recordAwsCalls). */
  readonly recordAwsCalls?: AwsCallRecorder;
  /** Each table's partition key attribute: the `dynamodb:LeadingKeys` of a recorded call. */
  readonly hashKeys?: Readonly<Record<string, string>>;
  /** Remote actions (`<owner>/<repo>/<sha>/…`); default: the actions cache (lib/model/actions/lock.ts). */
  readonly actionsDir?: string;
  /** Where a persisted engine writes its runners down, so that the next one can kill what a crash left. */
  readonly registry?: ProcessRegistry;
  /** Runner processes started ahead of their job (lib/local/warm-runners.ts); default none. */
  readonly warmRunners?: number;
  /** Fills a fresh workspace before the runner starts (issue 9's working-tree copy plugs in here). */
  readonly prepareWorkspace?: (workspace: string, launch: RunnerLaunch) => Promise<void>;
}

interface RunnerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly role?: string;
  readonly callsFile: string;
  readonly identity: RunnerIdentity;
  readonly stepPidsFile: string;
  readonly exited: Promise<void>;
}

export class LocalRunners {
  private readonly byExecution = new Map<string, Set<RunnerProcess>>();
  /** Stops under way, which close() waits for: each ends with table writes. */
  private readonly stopping = new Set<Promise<void>>();
  private buildNumber = 0;

  private readonly warm: WarmRunners;
  /** A launch has had its runner: the warm runners start once that first one is up. */
  private launched = false;

  constructor(private readonly settings: LocalRunnerSettings) {
    this.warm = new WarmRunners(() => localRunnerBundle(), settings.warmRunners ?? 0);
  }

  async start(launch: RunnerLaunch): Promise<LocalBuild> {
    const { settings } = this;
    const buildNumber = ++this.buildNumber;
    const id = `${launch.projectName}:${randomUUID()}`;
    const buildDir = join(settings.workDir, 'builds', String(buildNumber));
    const workspace = settings.sourceDir ?? join(buildDir, 'src');
    const home = join(buildDir, 'home');
    const temp = join(buildDir, 'tmp');
    await Promise.all([workspace, home, temp].map((dir) => mkdir(dir, { recursive: true })));
    if (settings.sourceDir === undefined) await settings.prepareWorkspace?.(workspace, launch);
    const runnerLog = join(buildDir, 'runner.log');
    const stepPidsFile = join(buildDir, 'step-pids');
    const callsFile = join(buildDir, 'aws-calls');
    const startTime = Date.now();
    const environment: Record<string, string> = {
      // What a CodeBuild container has, no more: the caller's PATH (to find tools), a home and temp of its own.
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      TMPDIR: temp,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      CODEBUILD_BUILD_ID: id,
      CODEBUILD_BUILD_ARN: codeBuildBuildArn(id),
      CODEBUILD_BUILD_NUMBER: String(buildNumber),
      CODEBUILD_BUILD_SUCCEEDING: '1',
      CODEBUILD_INITIATOR: `states/${launch.executionName}`,
      CODEBUILD_SRC_DIR: workspace,
      CODEBUILD_START_TIME: String(startTime),
      ...launch.projectEnv,
      ...settings.passthrough,
      ...launch.overrides,
      // Only the runner reads these (lib/runner/identity.ts); steps never see STEPDEPLOY_RUNNER_*.
      [RunnerVariables.dynamodbEndpoint]: settings.endpoints.dynamodb,
      [RunnerVariables.stepFunctionsEndpoint]: settings.endpoints.stepFunctions,
      [RunnerVariables.secretsManagerEndpoint]: settings.endpoints.secretsManager,
      [RunnerVariables.accessKeyId]: localCredentials.accessKeyId,
      [RunnerVariables.secretAccessKey]: localCredentials.secretAccessKey,
      [RunnerVariables.logDir]: join(settings.logDir, fileSafeName(launch.executionName)),
      [RunnerVariables.stepPidsFile]: stepPidsFile,
      // Remote actions come from the actions cache, where stepdeploy run (and synth) fetched the locked ones.
      [RunnerVariables.actionsDir]: settings.actionsDir ?? actionsCacheRoot(),
      ...(settings.recordAwsCalls !== undefined ? { [RunnerVariables.callsFile]: callsFile } : {}),
    };
    // A workspace shared with the caller (the engine's sourceDir, for tests) is never emptied.
    if (settings.sourceDir !== undefined) delete environment[RunnerVariables.emptyWorkspace];
    const { child, exited } = (await this.warmRunner(environment, workspace, runnerLog)) ?? (await this.freshRunner(environment, workspace, runnerLog));
    if (!this.launched) {
      this.launched = true;
      this.startWarmRunnersOnceUp(child);
    }
    if (child.pid === undefined) {
      await exited;
      throw new Error(`the local runner did not start (node ${process.execPath})`);
    }
    const runner: RunnerProcess = {
      pid: child.pid,
      child,
      ...(launch.projectRole !== undefined ? { role: launch.projectRole } : {}),
      callsFile,
      identity: readIdentity(environment),
      stepPidsFile,
      exited,
    };
    settings.registry?.add(child.pid, stepPidsFile);
    let set = this.byExecution.get(launch.executionArn);
    if (!set) this.byExecution.set(launch.executionArn, (set = new Set()));
    set.add(runner);
    return {
      Id: id,
      Arn: codeBuildBuildArn(id),
      BuildNumber: buildNumber,
      ProjectName: launch.projectName,
      BuildStatus: 'IN_PROGRESS',
      CurrentPhase: 'SUBMITTED',
      StartTime: startTime,
      Logs: { DeepLink: `file://${runnerLog}`, LocalPath: runnerLog },
    };
  }

  /**
   * The warm runners start once the engine's first runner is up (or gone): loading beside it, they
   * would slow it, the one a one-job run waits for (lib/local/warm-runners.ts).
   */
  private startWarmRunnersOnceUp(first: ChildProcess): void {
    const start = (): void => {
      first.off('message', onMessage).off('exit', start).off('error', start);
      this.warm.start();
    };
    const onMessage = (message: unknown): void => {
      if (message === RUNNER_UP_MESSAGE) start();
    };
    first.on('message', onMessage);
    first.once('exit', start);
    first.once('error', start);
  }

  /** A runner started for this launch: `node <bundle>` in the workspace, its output into the runner log. */
  private async freshRunner(environment: Record<string, string>, workspace: string, runnerLog: string): Promise<{ child: ChildProcess; exited: Promise<void> }> {
    const log = await open(runnerLog, 'a');
    const child = spawn(process.execPath, [localRunnerBundle()], {
      cwd: workspace,
      env: environment,
      detached: true,
      // The IPC channel only carries wake-ups (wake): the runner still finds its work by polling the table.
      stdio: ['ignore', log.fd, log.fd, 'ipc'],
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    }).finally(() => log.close());
    return { child, exited };
  }

  /** A runner started ahead (lib/local/warm-runners.ts) given this launch, if one waits; its output goes to the runner log. */
  private async warmRunner(environment: Record<string, string>, workspace: string, runnerLog: string): Promise<{ child: ChildProcess; exited: Promise<void> } | undefined> {
    const child = this.warm.take({ env: environment, cwd: workspace });
    if (child === undefined) return undefined;
    const log = createWriteStream(runnerLog, { flags: 'a' });
    log.on('error', () => undefined);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    return { child, exited };
  }

  /**
   * A work item for this runner was just written (runner-dispatch): it polls now rather than after its
   * back-off, as if its next poll had come early. A runner not listening yet polls on its own.
   */
  wake(executionArn: string, runnerId: string): void {
    for (const runner of this.byExecution.get(executionArn) ?? []) {
      if (runner.identity.runnerId !== runnerId || !runner.child.connected) continue;
      runner.child.send(RUNNER_WAKE_MESSAGE, () => undefined);
    }
  }

  /** How many runner processes started ahead wait for a launch, and how many of them have loaded the bundle. */
  waitingRunners(): { readonly waiting: number; readonly ready: number } {
    return this.warm.count;
  }

  /** The process group ids of the runners an execution started (tests kill them). */
  runnerPids(executionArn: string): number[] {
    return [...(this.byExecution.get(executionArn) ?? [])].map((runner) => runner.pid);
  }

  /**
   * The execution ended: each runner gets SIGTERM (it stops its steps), then SIGKILL after the grace
   * period; step groups a killed runner could not stop go the same way. Resolves when all are gone.
   */
  async stopExecution(executionArn: string): Promise<void> {
    const runners = [...(this.byExecution.get(executionArn) ?? [])];
    this.byExecution.delete(executionArn);
    const stopping = this.stopRunners(runners);
    this.stopping.add(stopping);
    try {
      await stopping;
    } finally {
      this.stopping.delete(stopping);
    }
  }

  private async stopRunners(runners: readonly RunnerProcess[]): Promise<void> {
    await Promise.all(
      runners.map(async (runner) => {
        await terminateGroup(runner.pid, this.settings.graceMs);
        // The leader's exit: its last table writes are done (or it was killed) before DynamoDB closes.
        await runner.exited;
        const stepPids = (await readFile(runner.stepPidsFile, 'utf8').catch(() => ''))
          .split('\n')
          .map(Number)
          .filter((pid) => Number.isInteger(pid) && pid > 0);
        await Promise.all(stepPids.filter(groupAlive).map((pid) => terminateGroup(pid, this.settings.graceMs)));
        // What the runner does on its way out, for a runner killed before it could (still booting, kill -9).
        this.settings.registry?.remove(runner.pid);
        await new WorkQueue({ name: runner.identity.table, client: this.settings.dynamodb }, runner.identity).leave();
        await this.recordCalls(runner);
      }),
    );
  }

  private async recordCalls(runner: RunnerProcess): Promise<void> {
    const record = this.settings.recordAwsCalls;
    if (record === undefined) return;
    const lines = (await readFile(runner.callsFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    for (const line of lines) {
      const { clientName, commandName, input } = JSON.parse(line) as LoggedCall;
      for (const call of sdkCall(runner.role ?? 'unknown runner role', clientName, commandName, input, this.settings.hashKeys)) record(call);
    }
  }

  /** Stops every runner left and waits for the stops under way (an execution that just ended). */
  async close(): Promise<void> {
    this.warm.close();
    await Promise.all([...this.byExecution.keys()].map((arn) => this.stopExecution(arn)));
    await Promise.allSettled([...this.stopping]);
  }
}
