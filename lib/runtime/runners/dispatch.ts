// The runner-dispatch function's one job: put a step's work item where its cell's runner polls.
// The step's Task waits on the task token inside the item; the runner answers it.

import type { HandlerDeps } from '../deps';
import { putItem, tableOf } from '../coordination/table';
import { CoordinationError, ErrorNames } from '../coordination/errors';
import { RUNNER_PREFIX } from './keys';
import { workItem, type ActionWork, type NestedActionWork, type EnvVariable, type StepWork } from './work-item';

export interface DispatchResult {
  readonly runner: string;
  readonly seq: number;
}

const invalid = (message: string): CoordinationError => new CoordinationError(ErrorNames.invalidRequest, `runner-dispatch: ${message}`);
const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Checks the payload the renderer built (lib/asl/runner.ts); a bad one is a renderer bug. */
export function parseDispatchRequest(event: unknown): StepWork {
  const payload = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (payload.op !== 'step') throw invalid(`unknown op ${show(payload.op)} (expected 'step')`);
  const text = (field: string): string => {
    const value = payload[field];
    if (typeof value !== 'string' || value === '') throw invalid(`'${field}' must be a non-empty string, got ${show(value)}`);
    return value;
  };
  const count = (field: string, least: number): number => {
    const value = payload[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < least) throw invalid(`'${field}' must be an integer ≥ ${least}, got ${show(value)}`);
    return value;
  };
  const runner = text('runner');
  if (runner.includes(RUNNER_PREFIX)) throw invalid(`'runner' must be a runner id, got ${show(runner)}`);
  if (payload.shell !== 'bash') throw invalid(`'shell' must be 'bash', got ${show(payload.shell)}`);
  const env = payload.env;
  if (!Array.isArray(env)) throw invalid(`'env' must be a list of { Name, Value }, got ${show(env)}`);
  const variables: EnvVariable[] = env.map((entry: unknown, index) => {
    const { Name, Value, Type } = (entry ?? {}) as { Name?: unknown; Value?: unknown; Type?: unknown };
    if (typeof Name !== 'string' || typeof Value !== 'string') throw invalid(`'env[${index}]' must be { Name, Value } strings, got ${show(entry)}`);
    if (Type === undefined || Type === 'PLAINTEXT') return { Name, Value };
    // A secret: only its name travels; the runner reads the value.
    if (Type === 'SECRETS_MANAGER') return { Name, Value, Type };
    throw invalid(`'env[${index}].Type' must be PLAINTEXT or SECRETS_MANAGER, got ${show(Type)}`);
  });
  const script = payload.script;
  if (typeof script !== 'string') throw invalid(`'script' must be a string, got ${show(script)}`);
  const given = payload.workingDirectory;
  if (given !== undefined && typeof given !== 'string') throw invalid(`'workingDirectory' must be a string, got ${show(given)}`);
  let workingDirectory: string | undefined = given;
  const runnerEnv = stringMap(payload.runnerEnv, 'runnerEnv');
  // A working-directory with expressions: evaluated by the step's prepare state into this variable,
  // or by the runner when it reads a field only the runner knows.
  const fromVariable = payload.workingDirectoryVariable;
  let workingDirectoryVariable: string | undefined;
  if (fromVariable !== undefined) {
    const found = variables.find((variable) => variable.Name === fromVariable);
    if (found !== undefined) workingDirectory = found.Value;
    else if (typeof fromVariable === 'string' && runnerEnv?.[fromVariable] !== undefined) workingDirectoryVariable = fromVariable;
    else throw invalid(`'workingDirectoryVariable' names ${show(fromVariable)}, which is in neither 'env' nor 'runnerEnv'`);
  }
  const checkout = payload.checkout;
  if (checkout !== undefined && (typeof checkout !== 'object' || checkout === null || typeof (checkout as { path?: unknown }).path !== 'string')) {
    throw invalid(`'checkout' must be { path }, got ${show(checkout)}`);
  }
  const action = payload.action === undefined ? undefined : parseActionWork(payload.action);
  const jobStatus = payload.jobStatus;
  if (jobStatus !== undefined && typeof jobStatus !== 'string') throw invalid(`'jobStatus' must be a string, got ${show(jobStatus)}`);
  return {
    runner,
    seq: count('seq', 0),
    step: text('step'),
    taskToken: text('taskToken'),
    script,
    shell: 'bash',
    ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    ...(workingDirectoryVariable !== undefined ? { workingDirectoryVariable } : {}),
    ...(checkout !== undefined ? { checkout: { path: (checkout as { path: string }).path } } : {}),
    ...(runnerEnv !== undefined ? { runnerEnv } : {}),
    env: variables,
    heartbeatSeconds: count('heartbeatSeconds', 1),
    ...(payload.runsOnCancel === true ? { runsOnCancel: true } : {}),
    ...(action !== undefined ? { action } : {}),
    ...(jobStatus !== undefined ? { jobStatus } : {}),
  };
}

/** An optional `{ NAME: string }` field of the payload. */
function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw invalid(`'${field}' must be an object of strings, got ${show(value)}`);
  }
  return value as Record<string, string>;
}

function parseActionWork(value: unknown): ActionWork {
  const action = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { stage, path, uses, main } = action;
  const names = action.with;
  if (stage !== 'main' && stage !== 'post') throw invalid(`'action.stage' must be 'main' or 'post', got ${show(stage)}`);
  if (typeof path !== 'string' || typeof uses !== 'string') throw invalid(`'action' must name its path and uses, got ${show(value)}`);
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) throw invalid(`'action.with' must be a list of input ids, got ${show(names)}`);
  if (stage === 'post' && typeof main !== 'string') throw invalid(`'action.main' must name the step of a post, got ${show(main)}`);
  const { repository, sha } = action;
  if (repository !== undefined && (typeof repository !== 'string' || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))) throw invalid(`'action.repository' must be owner/repo, got ${show(repository)}`);
  if (sha !== undefined && (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha))) throw invalid(`'action.sha' must be a commit SHA, got ${show(sha)}`);
  const nested = action.nested === undefined ? undefined : parseNestedActions(action.nested);
  return {
    stage,
    path,
    uses,
    with: names as string[],
    ...(typeof main === 'string' ? { main } : {}),
    ...(typeof repository === 'string' ? { repository } : {}),
    ...(typeof sha === 'string' ? { sha } : {}),
    ...(nested !== undefined ? { nested } : {}),
  };
}

function parseNestedActions(value: unknown): NestedActionWork[] {
  const valid = (item: unknown): item is NestedActionWork => {
    const { action, ref, sha } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    return typeof action === 'string' && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(action) && typeof ref === 'string' && typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha);
  };
  if (!Array.isArray(value) || !value.every(valid)) throw invalid(`'action.nested' must be a list of { action: owner/repo, ref, sha: a commit SHA }, got ${show(value)}`);
  return value.map(({ action, ref, sha }) => ({ action, ref, sha }));
}

export async function dispatchStep(deps: Pick<HandlerDeps, 'env' | 'dynamodb'>, work: StepWork): Promise<DispatchResult> {
  await putItem(tableOf(deps), workItem(work));
  return { runner: work.runner, seq: work.seq };
}
