import { evaluateTemplate, ExpressionError, toDisplayString, type EvalContext } from '../../expressions';
import { labelsKey, type RunnerChoice, type RunnerEnvironment } from '../../model/runner-labels';
import type { Json } from '../../model/workflow';
import { constantRunnerContext } from '../../model/github-context';
import { stepContextValue } from './records';
import { EvaluationError, type CellData, type CodeBuildVariable, type JobResultWord, type RunData } from './data';

/** The contexts every expression may read, from the run's data. */
export function runContexts(run: Pick<RunData, 'inputs' | 'event' | 'execution' | 'env' | 'github' | 'vars'>): Record<string, unknown> {
  return { inputs: run.inputs, event: run.event, execution: run.execution, env: run.env, github: { ...run.github, event: run.event }, vars: run.vars ?? {} };
}

/** The contexts of a job cell: the run's, plus matrix, needs (only the job's own), steps and job; `github.job` is the job's id. */
export function cellContexts(
  cell: CellData,
  needs: readonly string[] | undefined,
  env: Readonly<Record<string, string>>,
  jobId?: string,
): Record<string, unknown> {
  const ownNeeds: Record<string, unknown> = {};
  for (const id of needs ?? Object.keys(cell.needs)) {
    const need = cell.needs[id];
    if (need !== undefined) ownNeeds[id] = need;
  }
  const steps: Record<string, unknown> = {};
  for (const [id, record] of Object.entries(cell.steps)) steps[id] = stepContextValue(record);
  return {
    ...runContexts(cell.run),
    github: { ...cell.run.github, event: cell.run.event, ...(jobId !== undefined && { job: jobId }) },
    env,
    matrix: cell.matrix ?? {},
    needs: ownNeeds,
    steps,
    vars: cell.job?.vars ?? cell.run.vars ?? {},
    job: { status: cell.job?.status ?? 'success' },
    // The fields every runner has alike; the others are the runner's to evaluate (lib/model/runner-side.ts).
    runner: constantRunnerContext,
  };
}

/** Evaluates a template, naming the field when it fails (an ASL-matchable ExpressionFailed). */
export function evaluateField(template: string, ctx: EvalContext, field: string): unknown {
  try {
    return evaluateTemplate(template, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) throw new EvaluationError(`${field}: ${error.message} in '${template}'`);
    throw error;
  }
}

/** Evaluates `env` entries in order; each sees the ones before it, as GitHub's env does not, harmlessly. */
export function evaluateEnv(
  templates: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>>,
  contexts: Record<string, unknown>,
  status: EvalContext['status'],
  where: string,
): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const [name, template] of Object.entries(templates)) {
    env[name] = toDisplayString(evaluateField(template, { contexts: { ...contexts, env }, status }, `${where}.env.${name}`));
  }
  return env;
}

/** Deep evaluation of a JSON payload: strings holding expressions are evaluated, the rest kept. */
export function evaluatePayload(value: Json, ctx: EvalContext, field: string): unknown {
  if (typeof value === 'string') return evaluateField(value, ctx, field);
  if (Array.isArray(value)) return value.map((item, index) => evaluatePayload(item as Json, ctx, `${field}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, evaluatePayload(item as Json, ctx, `${field}.${key}`)]));
  }
  return value;
}

export function toVariables(env: Readonly<Record<string, string>>): CodeBuildVariable[] {
  return Object.entries(env).map(([Name, Value]) => ({ Name, Value, Type: 'PLAINTEXT' as const }));
}

/** The status functions' view of a status word: a skipped job never runs steps. */
export function evalStatus(status: JobResultWord): EvalContext['status'] {
  return status === 'failure' ? 'failure' : status === 'cancelled' ? 'cancelled' : 'success';
}

export type { RunnerChoice };

/** The environment a `runs-on` expression picks: a label or a list of labels, one the validator knew of. */
export function chooseRunner(runner: RunnerChoice, ctx: EvalContext, where: string): RunnerEnvironment {
  const value = evaluateField(runner.expression, ctx, where);
  const labels = Array.isArray(value) ? value.map((item) => toDisplayString(item)) : [toDisplayString(value)];
  const environment = runner.environments[labelsKey(labels)];
  if (environment === undefined) throw new EvaluationError(`${where}: '${runner.expression}' evaluated to ${JSON.stringify(labels)}, not a label set known when the workflow was deployed`);
  return environment;
}
