import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-layout';
import { didYouMean } from '../model/suggest';
import { reportUsageError, UsageError } from './args';
import { processIo, type CliIo, type Command } from './io';

interface CommandEntry {
  /**
   * Loads the command's module when it is called, not before: `validate` and `plan` must not pay
   * for aws-cdk-lib or the AWS SDK, which only `run`, `dev` and the remote commands use.
   */
  readonly load: () => Promise<Command>;
  /** One line for `stepdeploy --help`. */
  readonly summary: string;
}

/** Every command, in the order `--help` lists them: adding one is one line here and its own file. */
const commands: Readonly<Record<string, CommandEntry>> = {
  validate: { load: async () => (await import('./validate')).validate, summary: 'check workflow files and report every problem' },
  plan: { load: async () => (await import('./plan')).plan, summary: 'show the jobs, matrix cells, DAG shape and critical path of a workflow' },
  run: { load: async () => (await import('./run')).run, summary: 'run a workflow locally on the embedded engine (no AWS account), with live progress' },
  dev: { load: async () => (await import('./dev')).dev, summary: 'serve the local engine (Step Functions API and DynamoDB) for every workflow in a folder' },
  start: { load: async () => (await import('./start')).start, summary: 'start an execution of a deployed workflow (AWS, or a local engine with --endpoint)' },
  watch: { load: async () => (await import('./watch')).watch, summary: 'follow an execution until it ends' },
  approve: { load: async () => (await import('./approve')).approve, summary: 'approve a job’s pending deployment to an environment with required reviewers' },
  reject: { load: async () => (await import('./approve')).reject, summary: 'reject a job’s pending deployment (the job fails without running its steps)' },
  cancel: { load: async () => (await import('./cancel')).cancel, summary: 'stop an execution (its locks are released through the status-change path)' },
  locks: { load: async () => (await import('./locks')).locks, summary: 'list concurrency groups, their holders, waiters and lease ages' },
  report: { load: async () => (await import('./report')).report, summary: 'write the run report (JSON) and timeline (HTML) of an ended execution' },
  actions: { load: async () => (await import('./actions')).actions, summary: 'lock the remote actions the workflows use (stepdeploy.lock.json): actions update' },
  init: { load: async () => (await import('./init')).init, summary: 'set up a CDK app (new or existing) to deploy workflows with stepdeploy' },
  completion: { load: async () => (await import('./completion')).createCompletion(commands), summary: 'print a bash or zsh completion script' },
};

/**
 * The `stepdeploy` CLI: dispatches to one command and returns the exit code. User mistakes get a
 * message (exit 2 for a wrong call); an unexpected error gets its message and exit 1, with the stack
 * only when STEPDEPLOY_DEBUG=1.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, io);
    io.stderr(`stepdeploy: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (io.env.STEPDEPLOY_DEBUG === '1') io.stderr(`${error instanceof Error ? error.stack : String(error)}\n`);
    else io.stderr('Set STEPDEPLOY_DEBUG=1 to see where it happened.\n');
    return 1;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(usage());
    return 0;
  }
  if (first === 'help') {
    const [topic] = rest;
    if (topic === undefined) {
      io.stdout(usage());
      return 0;
    }
    return (await find(topic).load())(['--help'], io);
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`stepdeploy ${version()}\n`);
    return 0;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' — options go after the command`);
  return (await find(first).load())(rest, io);
}

function find(name: string): CommandEntry {
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry === undefined) throw new UsageError(`unknown command '${name}'${didYouMean(name, Object.keys(commands))}`);
  return entry;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: stepdeploy COMMAND [ARGS...]',
    '',
    'Commands:',
    ...list,
    '',
    "Run 'stepdeploy COMMAND --help' (or 'stepdeploy help COMMAND') for a command's options.",
    "'stepdeploy --version' prints the version.",
    '',
  ].join('\n');
}

function version(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
