import { callsStatusFunction, evaluateCondition, ExpressionError } from '../../expressions';
import { cellContexts, evaluateEnv, toVariables } from './contexts';
import { EvaluationError, type CellData, type JobData, type JobResultWord, type UpstreamWord } from './data';
import { environmentName, resolveEnvironment, type EnvironmentSpec } from './environment';
import type { Lookups, NamesRequest } from './lookups';
import { missingSecret, missingVar } from './missing';
import { evaluateLock } from './run-start';

export interface JobStartEvent {
  readonly op: 'job.start';
  readonly job: string;
  readonly needs: readonly string[];
  readonly if?: string;
  readonly gates?: readonly CallGateData[];
  readonly githubJob?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly concurrency?: { readonly group: string; readonly cancelInProgress: boolean | string };
  readonly vars?: NamesRequest;
  readonly secrets?: NamesRequest;
  readonly environment?: EnvironmentSpec;
  /** Fetched by the handler before evaluation (lib/runtime/evaluate/lookups.ts). */
  readonly lookups?: Lookups;
  /** The workflow runs jobs or steps on cancel (lib/asl/cancellable.ts): the handler reads the cancel marker. */
  readonly cancellable?: boolean;
  /** Set by the handler: the run was asked to cancel (lib/runtime/runners/cancel.ts). */
  readonly cancelRequested?: boolean;
  readonly context: CellData;
}

/**
 * Whether a job (cell) runs, and its evaluated env and concurrency group. As on GitHub, a job whose
 * needs did not all succeed is skipped unless its `if:` calls a status function (always(),
 * failure(), …); `failure()` is true when any ancestor failed, not only a direct need. A skipped
 * job's env is not evaluated.
 *
 * Ancestors are known through the needs alone: every job's record carries `upstream`, the worst
 * result among its own ancestors, so the definition never lists a job's ancestors (which would
 * grow with the square of a chain's length).
 */
export function jobStart(event: JobStartEvent): JobData {
  const lookups = event.lookups ?? { workflowVars: {}, vars: {}, secrets: {} };
  const { run, upstream, contexts: base } = decideJobRun(event);
  const status = upstream;
  const stores = storeFields(event);
  const cancel = event.cancelRequested === undefined ? {} : { cancelSeen: event.cancelRequested };
  if (!run) return { run, status: 'success', env: {}, envList: [], lock: null, upstream, ...stores.skipped, ...cancel };
  const where = `jobs.${event.job}`;
  const environment = event.environment === undefined ? undefined : resolveEnvironment(event.environment, environmentName(event.environment, base, where), ref(event.context), where);
  if (environment !== undefined && environment.name !== lookups.environment) {
    throw new Error(`${where}: the environment was looked up as '${lookups.environment ?? '(none)'}' but evaluates to '${environment.name}'`);
  }
  const missing = [
    ...(event.vars?.names ?? []).filter((name) => lookups.vars[name] === undefined).map((name) => missingVar(name, event.vars!.prefix, environment?.name)),
    ...(event.secrets?.names ?? []).filter((name) => lookups.secrets[name] === undefined).map((name) => missingSecret(name, event.secrets!.prefix, environment?.name)),
  ];
  if (missing.length > 0) throw new EvaluationError(`${where}: ${missing.join('; ')}`);
  const vars = { ...(base.vars as Record<string, string>), ...lookups.vars };
  const contexts = { ...base, vars };
  // A job of a called workflow does not get the caller's workflow-level env (its own workflow's is in its env), as on GitHub.
  const inherited = (event.gates ?? []).length > 0 ? {} : event.context.run.env;
  const env = evaluateEnv(event.env, inherited, contexts, status, where);
  const withJob = { STEPDEPLOY_JOB: event.job, STEPDEPLOY_EXECUTION: event.context.run.execution.name, ...env };
  const lock =
    event.concurrency !== undefined
      ? evaluateLock(event.concurrency, { ...contexts, env }, `jobs.${event.job}.concurrency`)
      : null;
  return {
    run,
    status: 'success',
    env,
    envList: toVariables(withJob),
    lock,
    upstream,
    ...(event.vars !== undefined && { vars }),
    ...(event.secrets !== undefined && { secrets: lookups.secrets }),
    ...(event.environment !== undefined && { environment: environment ?? null }),
    ...cancel,
  };
}

/** A call a job of a called workflow runs inside (lib/model/workflow.ts CallGate): the calling job's needs and if:. */
export interface CallGateData {
  readonly needs: readonly string[];
  readonly if?: string;
}

/** What a job's start and a dynamic matrix's expansion decide alike, from the job's needs and `if:`. */
export interface JobRunEvent {
  readonly job: string;
  readonly needs: readonly string[];
  readonly if?: string;
  /** The calls the job runs inside, outermost first; their needs are among `needs`. */
  readonly gates?: readonly CallGateData[];
  /** A job of a called workflow: its id there (`github.job`). */
  readonly githubJob?: string;
  readonly lookups?: Lookups;
  readonly cancelRequested?: boolean;
  readonly context: CellData;
}

/**
 * Whether the job runs, the worst result among its ancestors, and the contexts its `if:` was evaluated with.
 * A job of a called workflow runs only inside calls that run (each gate decided as its calling job
 * would be); then, as on GitHub, its status functions see only the jobs of its own workflow.
 */
export function decideJobRun(event: JobRunEvent): { run: boolean; upstream: UpstreamWord; contexts: Record<string, unknown> } {
  const workflowVars = { ...event.context.run.vars, ...event.lookups?.workflowVars };
  const contexts = { ...cellContexts(event.context, event.needs, event.context.run.env, event.githubJob ?? event.job), vars: workflowVars };
  const gates = event.gates ?? [];
  for (const gate of gates) {
    const decided = decide(event, gate.needs, gate.if, contexts, `jobs.${event.job} (its call's if)`);
    if (!decided.run) return { ...decided, contexts };
  }
  const outside = new Set(gates.flatMap((gate) => gate.needs));
  return { ...decide(event, event.needs.filter((id) => !outside.has(id)), event.if, contexts, `jobs.${event.job}.if`), contexts };
}

function decide(event: JobRunEvent, needs: readonly string[], condition: string | undefined, contexts: Record<string, unknown>, where: string): { run: boolean; upstream: UpstreamWord } {
  const recordOf = (id: string) => event.context.needs[id];
  const earlier = needs.flatMap((id) => [recordOf(id)?.result ?? 'skipped', recordOf(id)?.upstream ?? 'success']);
  // A cancelled run: as on GitHub, only a job whose if: calls always() or cancelled() still starts, and cancelled() is true.
  if (event.cancelRequested === true) earlier.push('cancelled');
  const upstream: UpstreamWord = worstOf(earlier);
  const allSucceeded = event.cancelRequested !== true && needs.every((id) => recordOf(id)?.result === 'success');
  try {
    const explicitStatus = condition !== undefined && callsStatusFunction(condition);
    const run = !allSucceeded && !explicitStatus ? false : evaluateCondition(condition ?? '', { contexts, status: upstream });
    return { run, upstream };
  } catch (error) {
    if (error instanceof ExpressionError) throw new EvaluationError(`${where}: ${error.message} in '${condition ?? ''}'`);
    throw error;
  }
}

/** The fields the definition selects when the job has vars, secrets or an environment: always present then. */
function storeFields(event: JobStartEvent): { skipped: Partial<JobData> } {
  return {
    skipped: {
      ...(event.vars !== undefined && { vars: {} }),
      ...(event.secrets !== undefined && { secrets: {} }),
      ...(event.environment !== undefined && { environment: null }),
    },
  };
}

/** The git ref of the run (a push's `event.ref`), if it has one. */
function ref(cell: CellData): string | undefined {
  const event = cell.run.event;
  const value = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['ref'] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** failure outweighs cancelled, which outweighs everything else. */
function worstOf(words: readonly JobResultWord[]): UpstreamWord {
  return words.includes('failure') ? 'failure' : words.includes('cancelled') ? 'cancelled' : 'success';
}
