// Runs one step of the cell to its end and says what to report: the script in its working directory
// with the cell's environment, then its file commands folded in and its outputs file checked.

import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LAST_LINES, SUMMARY_LIMIT_BYTES, boundedText, stepLogFileName, type EnvVariable, type StepFailedCause, type StepSkipped, type StepSuccess, type StepWork } from '../runtime/runners';
import { parseStepOutputs, StepOutputError } from '../runtime/step-outputs';
import { planActionStep, savedState, type ActionPosts, type ProcessPlan } from './action-step';
import type { CellEnvironment } from './file-commands';
import { LogLines } from './log-lines';
import type { LogMasker } from './masker';
import { createStepFiles, fileVariables, readText } from './step-files';
import { startProcess, type StepProcess } from './step-process';
import { WorkflowCommands } from './workflow-commands';
import { EnvironmentError, stepProcessEnvironment } from './step-environment';
import { resolveStoredValues, StoredValueError, type StoreClients } from './stored-values';

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
  /** The cell's action post steps, registered by their mains. */
  readonly posts: ActionPosts;
  readonly masker: LogMasker;
  /** Where the secrets a step's env names are read. */
  readonly stores: StoreClients;
  readonly echo: (line: string) => void;
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

/** `started` gets the process: what a refused heartbeat or a stopping runner kills. */
export async function runStep(settings: StepSettings, work: StepWork, attemptKey: string, started: (process: StepProcess) => void): Promise<StepOutcome> {
  const files = await createStepFiles(settings.tempDir, attemptKey);
  const logFile = await createLogFile(settings.logDir, `${settings.job}.${work.step}: run`, settings.cellIndex);
  const commands = new WorkflowCommands(settings.masker);
  const lines = new LogLines(logFile, settings.masker, LAST_LINES, settings.echo, commands);
  const annotations = (): { annotations?: StepFailedCause['annotations'] } => {
    const found = commands.annotations();
    return found.length > 0 ? { annotations: found } : {};
  };
  const fail = async (exitCode: number | null, message?: string): Promise<StepOutcome> => {
    for (const line of message?.split('\n') ?? []) lines.line(line);
    const summary = await summaryOf(files.summary);
    return { ok: false, cause: { exitCode, lastLines: await lines.close(), log: settings.logLink(logFile), ...(summary ? { summary } : {}), ...annotations() } };
  };

  let stepEnv;
  try {
    stepEnv = await resolveStoredValues(settings.stores, work.env, settings.masker);
  } catch (error) {
    if (error instanceof StoredValueError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  const stateFile = `${files.output}-state`;
  let plan: ProcessPlan;
  if (work.action !== undefined) {
    await writeFile(stateFile, '');
    const planned = planActionStep({ workspace: settings.workspace, posts: settings.posts, baseEnv: settings.baseEnv }, work, stepEnv, stateFile);
    if ('failure' in planned) return fail(1, planned.failure);
    if ('skipped' in planned) {
      lines.line(planned.skipped);
      await lines.close();
      return { ok: true, result: { outcome: 'skipped' } };
    }
    plan = planned.plan;
  } else {
    const planned = await scriptPlan(settings, work, files.script, stepEnv);
    if (typeof planned === 'string') return fail(1, planned);
    plan = planned;
  }
  for (const note of plan.notes) lines.line(note);
  let env;
  try {
    const variables = { ...settings.cell.environmentFor(settings.baseEnv, plan.stepEnv), ...fileVariables(files, settings.tempDir), ...plan.extraEnv };
    env = await stepProcessEnvironment(variables, join(settings.tempDir, `${attemptKey}-values`));
  } catch (error) {
    if (error instanceof EnvironmentError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  commands.debug = (env.ACTIONS_STEP_DEBUG ?? '').toLowerCase() === 'true';
  const child = startProcess(plan.file, plan.args, plan.cwd, env, lines);
  started(child);
  const exitCode = await child.exited;
  plan.saved?.(savedState(commands.state, await readText(stateFile)));

  // File commands apply even after a failure (as on GitHub); a bad file fails the step.
  try {
    settings.cell.apply(await readText(files.env), await readText(files.path));
  } catch (error) {
    if (error instanceof StepOutputError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  if (exitCode !== 0) return fail(exitCode);
  let output = await readFile(files.output).catch(() => Buffer.alloc(0));
  let outputs: Record<string, string>;
  try {
    outputs = { ...Object.fromEntries(commands.outputs), ...parseStepOutputs(output.toString('utf8')) };
  } catch (error) {
    if (error instanceof StepOutputError) return fail(1, `stepdeploy: $GITHUB_OUTPUT: ${error.message}`);
    throw error;
  }
  if (commands.outputs.length > 0) output = Buffer.from(encodeOutputs(outputs));
  // As on GitHub: an output that holds a masked value (a secret) is skipped, so it never reaches
  // the task's result and the execution's history.
  const secret = Object.keys(outputs).filter((name) => settings.masker.mask(outputs[name]!) !== outputs[name]);
  if (secret.length > 0) {
    for (const name of secret) lines.line(`stepdeploy: output '${name}' is skipped: it may contain a secret`);
    output = Buffer.from(encodeOutputs(Object.fromEntries(Object.entries(outputs).filter(([name]) => !secret.includes(name)))));
  }
  await lines.close();
  const summary = await summaryOf(files.summary);
  return { ok: true, result: { outcome: 'success', outputFileBase64: output.toString('base64'), ...(summary ? { summary } : {}), ...annotations() } };
}

/** A run step: its script with bash in its working directory; a string says why it cannot start. */
async function scriptPlan(settings: StepSettings, work: StepWork, scriptFile: string, stepEnv: readonly EnvVariable[]): Promise<ProcessPlan | string> {
  const cwd = resolve(settings.workspace, work.workingDirectory ?? '.');
  if (!(await stat(cwd).then((info) => info.isDirectory(), () => false))) {
    return `stepdeploy: working-directory '${work.workingDirectory}' does not exist in the workspace`;
  }
  await writeFile(scriptFile, work.script.endsWith('\n') ? work.script : `${work.script}\n`);
  return { file: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], cwd, stepEnv, extraEnv: {}, notes: [] };
}

async function summaryOf(file: string): Promise<string | undefined> {
  const text = await readText(file);
  return text === '' ? undefined : boundedText(text, SUMMARY_LIMIT_BYTES);
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
