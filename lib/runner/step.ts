// Runs one step of the cell to its end and says what to report: the script in its working directory
// with the cell's environment, then its file commands folded in and its outputs file checked.

import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LAST_LINES, SUMMARY_LIMIT_BYTES, boundedText, stepLogFileName, type StepFailedCause, type StepSkipped, type StepSuccess, type StepWork } from '../runtime/runners';
import { parseStepOutputs, StepOutputError } from '../runtime/step-outputs';
import { runAction, savedState, type ActionPosts, type ActionResult, type Executed, type ProcessPlan } from './action-step';
import type { CellEnvironment } from './file-commands';
import { LogLines } from './log-lines';
import type { LogMasker } from './masker';
import { createStepFiles, fileVariables, readText, stepFilePaths } from './step-files';
import { startProcess, type StepProcess } from './step-process';
import { WorkflowCommands } from './workflow-commands';
import { EnvironmentError, stepProcessEnvironment } from './step-environment';
import { resolveStoredValues, StoredValueError, type StoreClients } from './stored-values';
import { cellVariables, evaluateRunnerEnv, RunnerExpressionError, runnerSideContexts, stepVariables, type CellContext } from './cell-context';
import { CheckoutError, type CellSource } from './checkout';

export interface StepSettings {
  readonly workspace: string;
  readonly tempDir: string;
  readonly logDir: string;
  /** The job as state names show it, and the matrix cell index: step logs are named after both (lib/runtime/runners/log-names.ts). */
  readonly job: string;
  readonly cellIndex?: number;
  /** How a log file is shown in a failure's cause (a path locally, the build's log URL in AWS). */
  readonly logLink: (file: string) => string;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly cell: CellEnvironment;
  /** Remote actions by `<owner>/<repo>/<sha>` (lib/model/actions/lock.ts). */
  readonly actionsDir?: string;
  /** The cell's action post steps, registered by their mains. */
  readonly posts: ActionPosts;
  readonly masker: LogMasker;
  /** Where the secrets a step's env names are read. */
  readonly stores: StoreClients;
  readonly echo: (line: string) => void;
  /** The run's github context, the job and the runner's folders. */
  readonly context: CellContext;
  /** What a checkout step writes from. */
  readonly source: CellSource;
  /** No other step of the cell has started before this one. */
  readonly first: boolean;
}

export type StepOutcome = { readonly ok: true; readonly result: StepSuccess | StepSkipped } | { readonly ok: false; readonly cause: StepFailedCause };

/** A log file of its own per attempt, named by the step's state and cell (several runners of one execution share the folder). */
async function createLogFile(logDir: string, state: string, cell: number | undefined): Promise<string> {
  await mkdir(logDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const file = join(logDir, stepLogFileName(state, cell, attempt));
    try {
      await (await open(file, 'wx')).close();
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** `started` gets each process the step starts: what a refused heartbeat or a stopping runner kills. */
export async function runStep(settings: StepSettings, work: StepWork, attemptKey: string, started: (process: StepProcess) => void): Promise<StepOutcome> {
  const logFile = await createLogFile(settings.logDir, `${settings.job}.${work.step}: run`, settings.cellIndex);
  const commands = new WorkflowCommands(settings.masker);
  const lines = new LogLines(logFile, settings.masker, LAST_LINES, settings.echo, commands);
  const summaries: string[] = [];
  const closing = async (): Promise<{ lastLines: readonly string[]; extra: { summary?: string; annotations?: StepFailedCause['annotations'] } }> => {
    const found = commands.annotations();
    const summary = summaries.join('');
    return { lastLines: await lines.close(), extra: { ...(summary !== '' && { summary: boundedText(summary, SUMMARY_LIMIT_BYTES) }), ...(found.length > 0 && { annotations: found }) } };
  };
  const fail = async (exitCode: number | null, message?: string): Promise<StepOutcome> => {
    for (const line of message?.split('\n') ?? []) lines.line(line);
    const { lastLines, extra } = await closing();
    return { ok: false, cause: { exitCode, lastLines, log: settings.logLink(logFile), ...extra } };
  };

  if (work.checkout !== undefined) {
    try {
      lines.line(`stepdeploy: ${await settings.source.checkout(work.checkout.path, settings.first)}`);
    } catch (error) {
      if (error instanceof CheckoutError) return fail(1, `stepdeploy: checkout: ${error.message}`);
      throw error;
    }
    await lines.close();
    return { ok: true, result: { outcome: 'success', outputFileBase64: '' } };
  }

  // The files of the step's first process: what github.env / github.path name.
  const first = stepFilePaths(settings.tempDir, attemptKey);
  const facts = { step: work.step, envFile: first.env, pathFile: first.path };
  let stepEnv;
  try {
    stepEnv = [...(await resolveStoredValues(settings.stores, work.env, settings.masker)), ...evaluateRunnerEnv(work.runnerEnv ?? {}, runnerSideContexts(settings.context, facts))];
  } catch (error) {
    if (error instanceof StoredValueError || error instanceof RunnerExpressionError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  // GitHub's default variables: under what earlier steps exported and the step's own env.
  const stepSettings: StepSettings = { ...settings, baseEnv: { ...settings.baseEnv, ...cellVariables(settings.context), ...stepVariables(facts) } };
  let processes = 0;
  const execute = async (plan: ProcessPlan): Promise<Executed> => {
    const executed = await executeProcess(stepSettings, plan, `${attemptKey}${processes++ === 0 ? '' : `-${processes}`}`, lines, commands, started);
    if (executed.summary !== '') summaries.push(executed.summary);
    return executed;
  };

  let result: ActionResult;
  if (work.action !== undefined) {
    // An action's expressions read the github context the runner has (workspace, job, action included).
    const github = JSON.stringify(runnerSideContexts(settings.context, facts).github);
    const runtime = { workspace: settings.workspace, posts: settings.posts, baseEnv: { STEPDEPLOY_GITHUB: github }, execute, note: (line: string) => lines.line(line) };
    result = await runAction({ ...runtime, ...(settings.actionsDir !== undefined && { actionsDir: settings.actionsDir }) }, work, stepEnv);
  } else {
    const workingDirectory = work.workingDirectoryVariable === undefined ? work.workingDirectory : stepEnv.find((variable) => variable.Name === work.workingDirectoryVariable)?.Value;
    const executed = await execute({ command: { kind: 'script', script: work.script }, ...(workingDirectory !== undefined && { workingDirectory }), stepEnv, extraEnv: {} });
    result = executed.ok ? { kind: 'done', outputs: executed.outputs, raw: executed.raw } : { kind: 'failed', exitCode: executed.exitCode, ...(executed.message !== undefined && { message: executed.message }) };
  }
  if (result.kind === 'failed') return fail(result.exitCode, result.message);
  if (result.kind === 'skipped') {
    lines.line(result.message);
    await lines.close();
    return { ok: true, result: { outcome: 'skipped' } };
  }
  const { outputs } = result;
  let output = result.raw ?? Buffer.from(encodeOutputs(outputs));
  // As on GitHub: an output that holds a masked value (a secret) is skipped, so it never reaches
  // the task's result and the execution's history.
  const secret = Object.keys(outputs).filter((name) => settings.masker.mask(outputs[name]!) !== outputs[name]);
  if (secret.length > 0) {
    for (const name of secret) lines.line(`stepdeploy: output '${name}' is skipped: it may contain a secret`);
    output = Buffer.from(encodeOutputs(Object.fromEntries(Object.entries(outputs).filter(([name]) => !secret.includes(name)))));
  }
  const { extra } = await closing();
  const { annotations, summary } = extra;
  return { ok: true, result: { outcome: 'success', outputFileBase64: output.toString('base64'), ...(summary !== undefined && { summary }), ...(annotations !== undefined && { annotations }) } };
}

/**
 * One process of a step (a run step has one; an action step one per JavaScript file it runs): its
 * files, its environment, its output and state files read back, the cell's file commands applied.
 */
async function executeProcess(
  settings: StepSettings,
  plan: ProcessPlan,
  key: string,
  lines: LogLines,
  commands: WorkflowCommands,
  started: (process: StepProcess) => void,
): Promise<Executed> {
  const files = await createStepFiles(settings.tempDir, key);
  const stateFile = join(dirname(files.output), 'state');
  const failed = (exitCode: number | null, message?: string, summary = ''): Executed => ({ ok: false, exitCode, outputs: {}, state: {}, summary, ...(message !== undefined && { message }) });
  const cwd = resolve(settings.workspace, plan.workingDirectory ?? '.');
  if (!(await stat(cwd).then((info) => info.isDirectory(), () => false))) {
    return failed(1, `stepdeploy: working-directory '${plan.workingDirectory}' does not exist in the workspace`);
  }
  let file: string;
  let args: string[];
  if (plan.command.kind === 'script') {
    const { script } = plan.command;
    await writeFile(files.script, script.endsWith('\n') ? script : `${script}\n`);
    [file, args] = ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script]];
  } else {
    await writeFile(stateFile, '');
    [file, args] = [plan.command.node, [plan.command.file]];
  }
  let env;
  try {
    const state: Record<string, string> = plan.command.kind === 'node' ? { GITHUB_STATE: stateFile } : {};
    const variables = { ...settings.cell.environmentFor(settings.baseEnv, plan.stepEnv), ...fileVariables(files, settings.tempDir), ...state, ...plan.extraEnv };
    env = await stepProcessEnvironment(variables, join(settings.tempDir, `${key}-values`));
  } catch (error) {
    if (error instanceof EnvironmentError) return failed(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  commands.debug = (env.ACTIONS_STEP_DEBUG ?? '').toLowerCase() === 'true';
  const child = startProcess(file, args, cwd, env, lines);
  started(child);
  const exitCode = await child.exited;
  const saved = commands.state.splice(0);
  const setOutputs = commands.outputs.splice(0);
  const summary = await readText(files.summary);
  const state = plan.command.kind === 'node' ? savedState(saved, await readText(stateFile)) : {};

  // File commands apply even after a failure (as on GitHub); a bad file fails the step.
  try {
    settings.cell.apply(await readText(files.env), await readText(files.path));
  } catch (error) {
    if (error instanceof StepOutputError) return failed(1, `stepdeploy: ${error.message}`, summary);
    throw error;
  }
  if (exitCode !== 0) return { ...failed(exitCode, undefined, summary), state };
  const raw = await readFile(files.output).catch(() => Buffer.alloc(0));
  try {
    const outputs = { ...Object.fromEntries(setOutputs), ...parseStepOutputs(raw.toString('utf8')) };
    return { ok: true, exitCode, outputs, state, summary, ...(setOutputs.length === 0 && { raw }) };
  } catch (error) {
    if (error instanceof StepOutputError) return failed(1, `stepdeploy: $GITHUB_OUTPUT: ${error.message}`, summary);
    throw error;
  }
}

/** Outputs as `NAME<<DELIMITER` blocks (parseStepOutputs reads them back), each delimiter absent from its value. */
function encodeOutputs(outputs: Readonly<Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      let delimiter = 'STEPDEPLOY_EOF';
      while (value.includes(delimiter)) delimiter += '_';
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}
