// The runner of one job cell: takes the cell's steps from the table as the state machine hands them
// over, runs each in the shared workspace (several at once for a parallel group), keeps each task
// alive with heartbeats and answers its token. Ends on a stop item, when its execution is no longer
// running, or after an idle limit.

import { appendFileSync } from 'node:fs';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Table } from '../runtime/coordination/table';
import type { StepWork } from '../runtime/runners';
import { ActionPosts } from './action-step';
import { TaskCallbacks, taskIsGone } from './callbacks';
import { CellEnvironment } from './file-commands';
import type { RunnerIdentity } from './identity';
import { killGroup } from './process-group';
import { runStep, type StepSettings } from './step';
import type { StepProcess } from './step-process';
import { WorkQueue } from './work-queue';
import { recordCellDuration } from '../runtime/durations/cell-durations';

/** What every step of the cell shares comes from the step settings (lib/runner/step.ts); `echo` is the build log in AWS. */
export interface RunnerOptions extends Pick<StepSettings, 'tempDir' | 'logDir' | 'logLink' | 'baseEnv' | 'masker' | 'stores' | 'echo' | 'actionsDir' | 'context' | 'source'> {
  readonly identity: RunnerIdentity;
  readonly table: Table;
  readonly sfn: SFNClient;
  /** Poll interval: `min` right after a step started or ended, doubling up to `max` while idle. */
  readonly pollMs: { readonly min: number; readonly max: number };
  readonly checkExecutionMs: number;
  readonly idleMs: number;
  /** Between SIGTERM and SIGKILL when a step is killed. */
  readonly graceMs: number;
  readonly now: () => number;
  /** Locally: each step's process group id is appended here (the engine stops them if the runner died). */
  readonly stepPidsFile?: string;
}

export type RunnerExit = 'stopped' | 'execution-ended' | 'idle';

interface Running {
  process?: StepProcess;
  /** Its task is gone (heartbeat refused): kill it, answer nothing. */
  abandoned: boolean;
  /** The run was cancelled while it ran: it was stopped, and fails with `Cancelled`. */
  cancelled: boolean;
  readonly done: Promise<void>;
}

const sleep = (ms: number, wake: Promise<void>): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), wake]).finally(() => clearTimeout(timer));
};

export class Runner {
  private readonly queue: WorkQueue;
  private readonly callbacks: TaskCallbacks;
  private readonly cell = new CellEnvironment();
  private readonly posts = new ActionPosts();
  private readonly running = new Map<string, Running>();
  /** Every step's process group: what steps left in the background dies with the runner. */
  private readonly groups = new Set<number>();
  private attempts = 0;
  /** The steps (by seq) that have started: a checkout is the cell's first step when no other has. */
  private readonly startedSteps = new Set<number>();
  private stopRequested = false;
  /** A step ended since the last poll. */
  private stepEnded = false;
  /** When the cell's first step started and its last one ended (ms): the cell's recorded duration. */
  private firstStepAt: number | undefined;
  private lastStepEndAt: number | undefined;
  /** The run was cancelled: running steps are stopped; a new step runs only if its if: calls always() or cancelled(). */
  private cancelled = false;
  private wakeUp: () => void = () => undefined;

  constructor(private readonly options: RunnerOptions) {
    this.queue = new WorkQueue(options.table, options.identity);
    this.callbacks = new TaskCallbacks(options.sfn);
  }

  async run(): Promise<RunnerExit> {
    const { options } = this;
    await this.queue.register();
    // Registered first: a cancel written after this reaches the runner as its cancel item. A job that
    // started in the cancelled run runs on cancel; one started before it (then held by a lock, a timer
    // or an approval) is cancelled now. The three reads are independent of each other: asked at once.
    const [cancelledBefore, running, cellEnded] = await Promise.all([
      options.identity.startedOnCancel ? false : this.queue.cancelledBefore(),
      this.executionRunning(),
      this.queue.cellEnded(),
    ]);
    if (cancelledBefore) this.cancelled = true;
    // Registered after fail-fast stopped its cell (no stop item will come): the cell is over.
    let exit: RunnerExit | undefined = !running ? 'execution-ended' : cellEnded ? 'stopped' : undefined;
    let lastActivity = options.now();
    let lastCheck = options.now();
    let delay = options.pollMs.min;
    while (exit === undefined) {
      const wake = new Promise<void>((resolve) => (this.wakeUp = resolve));
      // A step just ended: the state machine is about to hand over the next one, so poll soon again.
      const stepEnded = this.stepEnded;
      this.stepEnded = false;
      const poll = await this.queue.poll();
      if (poll.stop || this.stopRequested) {
        exit = 'stopped';
        break;
      }
      if (poll.cancel && !this.cancelled) this.cancel();
      const fresh = poll.work.filter((work) => !this.running.has(work.taskToken));
      for (const work of fresh) {
        await this.queue.take(work);
        // An action's post step (it has the job's status) decides by its own post-if, as on GitHub.
        if (this.cancelled && work.runsOnCancel !== true && work.jobStatus === undefined) await this.refuse(work);
        else this.start(work);
      }
      if (fresh.length > 0 || this.running.size > 0) lastActivity = options.now();
      if (this.running.size === 0 && options.now() - lastActivity > options.idleMs) exit = 'idle';
      else if (options.now() - lastCheck >= options.checkExecutionMs) {
        lastCheck = options.now();
        if (!(await this.executionRunning())) exit = 'execution-ended';
      }
      if (exit !== undefined) break;
      delay = fresh.length > 0 || stepEnded ? options.pollMs.min : Math.min(delay * 2, options.pollMs.max);
      await sleep(delay, wake);
    }
    await this.shutDown();
    if (exit === 'stopped') await this.recordDuration();
    options.echo(`stepdeploy runner: exit (${exit})`);
    return exit;
  }

  /** SIGTERM (a stopped build): end as if a stop item had come. */
  requestStop(): void {
    this.stopRequested = true;
    this.wakeUp();
  }

  /** Polls now instead of at the end of the current wait (the local engine: a work item was just written). */
  wake(): void {
    this.wakeUp();
  }

  /** The run's cancel: every running step is stopped (SIGTERM, then SIGKILL after the grace period). */
  private cancel(): void {
    this.cancelled = true;
    this.options.echo('stepdeploy runner: the run was cancelled; stopping the running steps');
    for (const entry of this.running.values()) {
      entry.cancelled = true;
      void entry.process?.stop(this.options.graceMs);
    }
  }

  /** A step handed over after the cancel that does not run on cancel: it fails as cancelled, unrun. */
  private async refuse(work: StepWork): Promise<void> {
    this.options.echo(`stepdeploy runner: step ${work.step} not started: the run was cancelled`);
    await this.callbacks.cancelled(work.taskToken, 'the run was cancelled before the step started').catch((error: unknown) => {
      if (!taskIsGone(error)) throw error;
    });
  }

  private start(work: StepWork): void {
    const { options } = this;
    const entry: Running = { abandoned: false, cancelled: false, done: Promise.resolve() };
    const settings: StepSettings = {
      workspace: options.identity.workspace,
      tempDir: options.tempDir,
      logDir: options.logDir,
      job: options.identity.job,
      ...(options.identity.cell === undefined ? {} : { cellIndex: options.identity.cell }),
      logLink: options.logLink,
      baseEnv: options.baseEnv,
      cell: this.cell,
      posts: this.posts,
      ...(options.actionsDir !== undefined && { actionsDir: options.actionsDir }),
      masker: options.masker,
      stores: options.stores,
      echo: options.echo,
      context: options.context,
      source: options.source,
      first: [...this.startedSteps].every((seq) => seq === work.seq),
    };
    this.startedSteps.add(work.seq);
    this.firstStepAt ??= options.now();
    const heartbeat = setInterval(() => {
      this.callbacks.heartbeat(work.taskToken).catch((error: unknown) => {
        if (!taskIsGone(error) || entry.abandoned) return;
        entry.abandoned = true;
        options.echo(`stepdeploy runner: the task of step ${work.step} is gone (${(error as Error).name}); killing it`);
        void entry.process?.stop(options.graceMs);
      });
    }, Math.max(1000, (work.heartbeatSeconds * 1000) / 3));
    const attempt = `${String(work.seq).padStart(4, '0')}-${++this.attempts}`;
    options.echo(`stepdeploy runner: step ${work.step} starts`);
    (entry as { done: Promise<void> }).done = runStep(settings, work, attempt, (process) => {
      entry.process = process;
      this.groups.add(process.pid);
      if (options.stepPidsFile !== undefined) appendFileSync(options.stepPidsFile, `${process.pid}\n`);
      if (entry.abandoned || entry.cancelled) void process.stop(options.graceMs);
    })
      .then(async (outcome) => {
        clearInterval(heartbeat);
        if (entry.abandoned) return;
        if (entry.cancelled) {
          await this.callbacks.cancelled(work.taskToken, 'the run was cancelled while the step ran; it was stopped');
          options.echo(`stepdeploy runner: step ${work.step} cancelled`);
          return;
        }
        if (outcome.ok) await this.callbacks.succeed(work.taskToken, outcome.result);
        else await this.callbacks.fail(work.taskToken, outcome.cause);
        options.echo(`stepdeploy runner: step ${work.step} ${outcome.ok ? 'succeeded' : `failed (exit ${outcome.cause.exitCode})`}`);
      })
      .catch((error: unknown) => {
        clearInterval(heartbeat);
        // A callback refused because the task is gone is no one's business any more.
        if (!taskIsGone(error)) options.echo(`stepdeploy runner: step ${work.step}: ${(error as Error).stack ?? String(error)}`);
      })
      .finally(() => {
        this.running.delete(work.taskToken);
        this.stepEnded = true;
        this.lastStepEndAt = options.now();
        this.wakeUp();
      });
    this.running.set(work.taskToken, entry);
  }

  /** A matrix cell's steps took this long: the next run's Map starts the longest cells first (lib/runtime/durations). */
  private async recordDuration(): Promise<void> {
    const { firstStepAt, lastStepEndAt, options } = this;
    if (firstStepAt === undefined || lastStepEndAt === undefined) return;
    try {
      await recordCellDuration(options.table, options.identity.runnerId, (lastStepEndAt - firstStepAt) / 1000, options.now());
    } catch (error) {
      // Only the order of a later run depends on it.
      options.echo(`stepdeploy runner: the cell's duration was not recorded: ${(error as Error).message}`);
    }
  }

  private async executionRunning(): Promise<boolean> {
    try {
      const described = await this.options.sfn.send(new DescribeExecutionCommand({ executionArn: this.options.identity.executionArn }));
      return described.status === 'RUNNING';
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return false;
      // Not knowing is no reason to stop: the next check asks again.
      return true;
    }
  }

  private async shutDown(): Promise<void> {
    for (const entry of this.running.values()) {
      entry.abandoned = true;
      void entry.process?.stop(this.options.graceMs);
    }
    await Promise.all([...this.running.values()].map((entry) => entry.done));
    for (const pid of this.groups) killGroup(pid);
    await this.queue.leave();
  }
}
