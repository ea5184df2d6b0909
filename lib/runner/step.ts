// Runs one step of the cell to its end and says what to report: the script in its working directory
// with the cell's environment, then its file commands folded in and its outputs file checked.

import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LAST_LINES, SUMMARY_LIMIT_BYTES, boundedText, stepLogFileName, type StepFailedCause, type StepSuccess, type StepWork } from '../runtime/runners';
import { parseStepOutputs, StepOutputError } from '../runtime/step-outputs';
import type { CellEnvironment } from './file-commands';
import { LogLines } from './log-lines';
import type { LogMasker } from './masker';
import { createStepFiles, fileVariables, readText } from './step-files';
import { startStepProcess, type StepProcess } from './step-process';
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

export type StepOutcome = { readonly ok: true; readonly result: StepSuccess } | { readonly ok: false; readonly cause: StepFailedCause };

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
  const lines = new LogLines(logFile, settings.masker, LAST_LINES, settings.echo);
  const fail = async (exitCode: number | null, message?: string): Promise<StepOutcome> => {
    if (message !== undefined) lines.line(message);
    const summary = await summaryOf(files.summary);
    return { ok: false, cause: { exitCode, lastLines: await lines.close(), log: settings.logLink(logFile), ...(summary ? { summary } : {}) } };
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

  const facts = { step: work.step, envFile: files.env, pathFile: files.path };
  let stepEnv;
  try {
    stepEnv = [...(await resolveStoredValues(settings.stores, work.env, settings.masker)), ...evaluateRunnerEnv(work.runnerEnv ?? {}, runnerSideContexts(settings.context, facts))];
  } catch (error) {
    if (error instanceof StoredValueError || error instanceof RunnerExpressionError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  const workingDirectory = work.workingDirectoryVariable === undefined ? work.workingDirectory : stepEnv.find((variable) => variable.Name === work.workingDirectoryVariable)?.Value;
  const cwd = resolve(settings.workspace, workingDirectory ?? '.');
  if (!(await stat(cwd).then((info) => info.isDirectory(), () => false))) {
    return fail(1, `stepdeploy: working-directory '${workingDirectory}' does not exist in the workspace`);
  }
  await writeFile(files.script, work.script.endsWith('\n') ? work.script : `${work.script}\n`);
  let env;
  try {
    const base = { ...settings.baseEnv, ...cellVariables(settings.context), ...stepVariables(facts) };
    env = await stepProcessEnvironment({ ...settings.cell.environmentFor(base, stepEnv), ...fileVariables(files, settings.tempDir) }, join(settings.tempDir, `${attemptKey}-values`));
  } catch (error) {
    if (error instanceof EnvironmentError) return fail(1, `stepdeploy: ${error.message}`);
    throw error;
  }
  const child = startStepProcess(files.script, cwd, env, lines);
  started(child);
  const exitCode = await child.exited;

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
    outputs = parseStepOutputs(output.toString('utf8'));
  } catch (error) {
    if (error instanceof StepOutputError) return fail(1, `stepdeploy: $GITHUB_OUTPUT: ${error.message}`);
    throw error;
  }
  // As on GitHub: an output that holds a masked value (a secret) is skipped, so it never reaches
  // the task's result and the execution's history.
  const secret = Object.keys(outputs).filter((name) => settings.masker.mask(outputs[name]!) !== outputs[name]);
  if (secret.length > 0) {
    for (const name of secret) lines.line(`stepdeploy: output '${name}' is skipped: it may contain a secret`);
    output = Buffer.from(encodeOutputs(Object.fromEntries(Object.entries(outputs).filter(([name]) => !secret.includes(name)))));
  }
  await lines.close();
  const summary = await summaryOf(files.summary);
  return { ok: true, result: { outcome: 'success', outputFileBase64: output.toString('base64'), ...(summary ? { summary } : {}) } };
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
