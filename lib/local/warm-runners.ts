// Runner processes started ahead of their job. A runner's start (a node process loading the bundle,
// ~100–200 ms) is on every cell's critical path locally, where CodeBuild would provision a build. So the
// engine keeps a few node processes that have loaded the runner bundle and wait for a job over their
// IPC channel: the launch's whole environment and workspace, exactly what a runner started for it gets.
// The process then replaces its environment with that one (nothing of its own stays), moves into the
// workspace and runs the runner's main, as `node <bundle>` would. A launch whose environment sets
// something node reads only as it starts (NODE_OPTIONS, locale, OpenSSL, …) gets a fresh process.
// The pool starts late: once the engine's first runner, a process of its own, is up (start(), from
// lib/local/runners.ts). Started with the engine, or with that first launch, the waiting processes load
// the bundle beside the first runner as it loads its own, and on two cores that slowed a one-step run,
// which never uses them (1164 → 1281 ms, issue 16). After that, each take refills the pool.

import { spawn, type ChildProcess } from 'node:child_process';

/** node reads these while it starts: a process started earlier without them would not be the same runner. */
const READ_AT_NODE_START = /^(NODE_|UV_|OPENSSL_|SSL_CERT_|LANG$|LANGUAGE$|LC_|TZ$|ICU_)/;

/** A waiting process has loaded the bundle. */
const READY_MESSAGE = 'stepdeploy:ready';

/**
 * The waiting process (CommonJS for `node -e`): loads the bundle at once, takes one job, and runs it.
 * argv: [node, 'stepdeploy-warm-runner', <bundle>], so the bundle's own "am I the entry" check is false.
 */
const WAITING_PROGRAM = `
const bundle = process.argv[2];
const loaded = import(require('node:url').pathToFileURL(bundle).href);
loaded.then(() => process.send && process.send('${READY_MESSAGE}'), () => undefined);
const orphaned = () => process.exit(0);
process.on('disconnect', orphaned);
process.once('message', async (job) => {
  process.off('disconnect', orphaned);
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, job.env);
  process.chdir(job.cwd);
  try {
    const { main } = await loaded;
    process.exit(await main(process.env));
  } catch (error) {
    process.stderr.write((error instanceof Error ? error.message : String(error)) + '\\n');
    process.exit(1);
  }
});
`;

export interface RunnerJob {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The only variables a waiting process starts with. */
function waitingEnvironment(): Record<string, string> {
  return process.env.PATH === undefined ? {} : { PATH: process.env.PATH };
}

/** Whether a process that started with waitingEnvironment() runs `job` as a fresh one would. */
export function canRunWarm(job: RunnerJob): boolean {
  const started = waitingEnvironment();
  return Object.keys(job.env).every((name) => !READ_AT_NODE_START.test(name)) && started.PATH === job.env.PATH;
}

/** Whether the process, its channel and its pipes hold the engine's event loop open. */
function keepAlive(child: ChildProcess, keep: boolean): void {
  const handles = [child, child.channel, child.stdout, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[];
  for (const handle of handles) {
    if (keep) handle?.ref?.();
    else handle?.unref?.();
  }
}

interface Waiting {
  readonly child: ChildProcess;
  /** It has loaded the bundle. */
  ready: boolean;
}

export class WarmRunners {
  private readonly waiting: Waiting[] = [];
  /** The engine's first runner is up: from then on the pool fills. */
  private started = false;
  private closed = false;

  /**
   * @param bundle the runner bundle each process loads
   * @param size how many wait at once (a matrix starts several cells together)
   */
  constructor(
    private readonly bundle: () => string,
    private readonly size: number,
  ) {}

  /** The engine's first runner is up (or gone): the pool fills from now on. */
  start(): void {
    this.started = true;
    this.fill();
  }

  /** How many processes wait, and how many of them have loaded the bundle. */
  get count(): { readonly waiting: number; readonly ready: number } {
    return { waiting: this.waiting.length, ready: this.waiting.filter((entry) => entry.ready).length };
  }

  /** Starts a process when fewer than `size` wait; one at a time, so that they never compete with each other for the CPU as they load. */
  private fill(): void {
    if (!this.started || this.closed || this.waiting.length >= this.size || this.waiting.some((entry) => !entry.ready)) return;
    const child = spawn(process.execPath, ['-e', WAITING_PROGRAM, 'stepdeploy-warm-runner', this.bundle()], {
      env: waitingEnvironment(),
      // A process group of its own, as every runner has: the engine stops a runner by its group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    if (child.pid === undefined) {
      child.once('error', () => undefined);
      return;
    }
    const entry: Waiting = { child, ready: false };
    const forget = (): void => {
      const index = this.waiting.indexOf(entry);
      if (index >= 0) this.waiting.splice(index, 1);
    };
    child.once('exit', forget);
    child.once('error', forget);
    child.on('message', (message) => {
      if (message !== READY_MESSAGE || !this.waiting.includes(entry)) return;
      entry.ready = true;
      this.fill();
    });
    // An idle waiting process never keeps the engine alive.
    keepAlive(child, false);
    this.waiting.push(entry);
  }

  /** A waiting process (a loaded one first), given `job`; undefined when none waits or the job needs a fresh process. */
  take(job: RunnerJob): ChildProcess | undefined {
    if (!canRunWarm(job)) return undefined;
    const index = Math.max(0, this.waiting.findIndex((entry) => entry.ready));
    const [entry] = this.waiting.splice(index, 1);
    if (entry === undefined || !entry.child.connected) return undefined;
    keepAlive(entry.child, true);
    entry.child.send(job);
    this.fill();
    return entry.child;
  }

  /** Ends the processes still waiting. */
  close(): void {
    this.closed = true;
    for (const { child } of this.waiting.splice(0)) {
      child.once('error', () => undefined);
      child.kill('SIGKILL');
    }
  }
}
