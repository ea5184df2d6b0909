import type { WorkflowInput } from '../../model/workflow';
import { toDisplayString, isTruthy } from '../../expressions';
import { githubRunContext } from '../github-context';
import { parseRunSource, runCheckout } from '../run-source';
import { validateInputs } from '../inputs';
import { evaluateEnv, evaluateField, runContexts } from './contexts';
import { EvaluationError, InvalidInputError, type JobResult, type LockRequest, type RunData } from './data';
import type { Lookups, NamesRequest } from './lookups';
import { missingVar } from './missing';

export interface RunStartEvent {
  readonly op: 'run.start';
  readonly workflow: { readonly id: string; readonly name: string };
  readonly inputs: readonly WorkflowInput[];
  readonly env: Readonly<Record<string, string>>;
  /** `run-name:` as written. */
  readonly runName?: string;
  readonly concurrency?: { readonly group: string; readonly cancelInProgress: boolean | string };
  /** The vars the workflow's env and concurrency read. */
  readonly vars?: NamesRequest;
  /** Fetched by the handler before evaluation (lib/runtime/evaluate/lookups.ts). */
  readonly lookups?: Lookups;
  /** The execution's input: { inputs?, event? }. */
  readonly input: unknown;
  /** `$$.Execution`. */
  readonly execution: { readonly Id: string; readonly Name: string; readonly StartTime: string };
}

/** The run's first state: checks the inputs against the declared ones and evaluates run-wide values. */
export function runStart(event: RunStartEvent): { run: RunData; needs: Record<string, JobResult> } {
  const input = isObject(event.input) ? event.input : {};
  const unknownKeys = Object.keys(input).filter((key) => !['inputs', 'event', 'source'].includes(key));
  const given = input.inputs ?? {};
  if (!isObject(given)) throw new InvalidInputError(`execution input: 'inputs' must be an object of input values, got ${JSON.stringify(given)}`);
  const { values, errors } = validateInputs(event.inputs, given);
  for (const key of unknownKeys) errors.push(`execution input: unknown key '${key}' (expected { "inputs": {…}, "event": {…}, "source": {…} })`);
  const source = parseRunSource(input.source);
  if (typeof source === 'string') errors.push(`execution input: ${source}`);
  if (errors.length > 0) throw new InvalidInputError(errors.join('; '));

  const execution = { id: event.execution.Id, name: event.execution.Name, startTime: event.execution.StartTime };
  const trigger = input.event ?? {};
  const github = githubRunContext({ event: trigger, source: typeof source === 'string' ? {} : source, workflowName: event.workflow.name, executionName: execution.name });
  const vars = event.vars === undefined ? undefined : { ...event.lookups?.workflowVars };
  const missing = event.vars?.names.filter((name) => vars?.[name] === undefined) ?? [];
  if (missing.length > 0 && event.vars) throw new EvaluationError(missing.map((name) => missingVar(name, event.vars!.prefix, undefined)).join('; '));
  const partial = { inputs: values, event: trigger, execution, env: {}, github, ...(vars !== undefined && { vars }) };
  const env = evaluateEnv(event.env, {}, runContexts(partial), 'success', 'env');
  // run-name sees what GitHub lets it see (inputs, event, github), not the workflow env.
  const runName = event.runName === undefined ? event.workflow.name : toDisplayString(evaluateField(event.runName, { contexts: runContexts(partial) }, 'run-name'));
  // A webhook event names its commit (push, pull_request, release, …); a start or schedule may name one in `source`.
  const fromEvent = github.event_name !== 'workflow_dispatch' && github.event_name !== 'schedule';
  const checkout = runCheckout(fromEvent ? github.sha : undefined, typeof source === 'string' ? {} : source);
  const run: RunData = { workflow: event.workflow, runName, ...partial, env, lock: null, checkout };
  const lock = event.concurrency === undefined ? null : evaluateLock(event.concurrency, runContexts(run), 'concurrency');
  return { run: { ...run, lock }, needs: {} };
}

/** A concurrency group and its cancel-in-progress, evaluated; an empty group is an error. */
export function evaluateLock(
  concurrency: { readonly group: string; readonly cancelInProgress: boolean | string },
  contexts: Record<string, unknown>,
  where: string,
): LockRequest {
  const group = toDisplayString(evaluateField(concurrency.group, { contexts }, `${where}.group`));
  if (group.trim() === '') throw new EvaluationError(`${where}.group: '${concurrency.group}' evaluated to an empty group name`);
  const cancel = concurrency.cancelInProgress;
  const cancelInProgress = typeof cancel === 'boolean' ? cancel : isTruthy(evaluateField(cancel, { contexts }, `${where}.cancel-in-progress`));
  return { group, cancelInProgress };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
