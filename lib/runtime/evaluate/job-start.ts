import { callsStatusFunction, evaluateCondition, ExpressionError } from '../../expressions';
import { cellContexts, evaluateEnv, toVariables } from './contexts';
import { EvaluationError, type CellData, type JobData, type JobResultWord, type UpstreamWord } from './data';
import { evaluateLock } from './run-start';

export interface JobStartEvent {
  readonly op: 'job.start';
  readonly job: string;
  readonly needs: readonly string[];
  readonly if?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly concurrency?: { readonly group: string; readonly cancelInProgress: boolean | string };
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
  const recordOf = (id: string) => event.context.needs[id];
  const earlier = event.needs.flatMap((id) => [recordOf(id)?.result ?? 'skipped', recordOf(id)?.upstream ?? 'success']);
  const upstream: UpstreamWord = worstOf(earlier);
  const allSucceeded = event.needs.every((id) => recordOf(id)?.result === 'success');
  const base = cellContexts(event.context, event.needs, event.context.run.env, event.job);
  const status = upstream;
  const condition = event.if ?? '';
  let run: boolean;
  try {
    const explicitStatus = event.if !== undefined && callsStatusFunction(event.if);
    run = !allSucceeded && !explicitStatus ? false : evaluateCondition(condition, { contexts: base, status });
  } catch (error) {
    if (error instanceof ExpressionError) throw new EvaluationError(`jobs.${event.job}.if: ${error.message} in '${condition}'`);
    throw error;
  }
  if (!run) return { run, status: 'success', env: {}, envList: [], lock: null, upstream };
  const env = evaluateEnv(event.env, event.context.run.env, base, status, `jobs.${event.job}`);
  const withJob = { STEPDEPLOY_JOB: event.job, STEPDEPLOY_EXECUTION: event.context.run.execution.name, ...env };
  const lock =
    event.concurrency !== undefined
      ? evaluateLock(event.concurrency, { ...base, env }, `jobs.${event.job}.concurrency`)
      : null;
  return { run, status: 'success', env, envList: toVariables(withJob), lock, upstream };
}

/** failure outweighs cancelled, which outweighs everything else. */
function worstOf(words: readonly JobResultWord[]): UpstreamWord {
  return words.includes('failure') ? 'failure' : words.includes('cancelled') ? 'cancelled' : 'success';
}
