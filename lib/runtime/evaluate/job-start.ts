import { evaluateCondition, ExpressionError, parseExpression, parseTemplate, referencedContexts } from '../../expressions';
import { cellContexts, evaluateEnv, toVariables } from './contexts';
import { EvaluationError, type CellData, type JobData, type JobResultWord } from './data';
import { evaluateLock } from './run-start';

export interface JobStartEvent {
  readonly op: 'job.start';
  readonly job: string;
  readonly needs: readonly string[];
  /** All jobs this one comes after, when more than its needs: `failure()` looks at every one. */
  readonly ancestors?: readonly string[];
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
 */
export function jobStart(event: JobStartEvent): JobData {
  const resultOf = (id: string): JobResultWord => event.context.needs[id]?.result ?? 'skipped';
  const earlier = (event.ancestors ?? event.needs).map(resultOf);
  const needsStatus: JobResultWord = earlier.includes('failure') ? 'failure' : earlier.includes('cancelled') ? 'cancelled' : 'success';
  const allSucceeded = event.needs.every((id) => resultOf(id) === 'success');
  const base = cellContexts(event.context, event.needs, event.context.run.env, event.job);
  const status = needsStatus === 'cancelled' ? 'cancelled' : needsStatus === 'failure' ? 'failure' : 'success';
  const condition = event.if ?? '';
  let run: boolean;
  try {
    const explicitStatus = event.if !== undefined && callsStatusFunction(event.if);
    run = !allSucceeded && !explicitStatus ? false : evaluateCondition(condition, { contexts: base, status });
  } catch (error) {
    if (error instanceof ExpressionError) throw new EvaluationError(`jobs.${event.job}.if: ${error.message} in '${condition}'`);
    throw error;
  }
  if (!run) return { run, status: 'success', env: {}, envList: [], lock: null };
  const env = evaluateEnv(event.env, event.context.run.env, base, status, `jobs.${event.job}`);
  const withJob = { STEPDEPLOY_JOB: event.job, STEPDEPLOY_EXECUTION: event.context.run.execution.name, ...env };
  const lock =
    event.concurrency !== undefined
      ? evaluateLock(event.concurrency, { ...base, env }, `jobs.${event.job}.concurrency`)
      : null;
  return { run, status: 'success', env, envList: toVariables(withJob), lock };
}

/** Whether the condition as written (without GitHub's implicit `success() &&`) calls a status function. */
function callsStatusFunction(condition: string): boolean {
  const tree = condition.includes('${{') ? parseTemplate(condition) : parseExpression(condition);
  return referencedContexts(tree).statusFunctions.size > 0;
}
