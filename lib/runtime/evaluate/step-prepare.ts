import { evaluateCondition, ExpressionError, isTruthy, toDisplayString } from '../../expressions';
import type { EvalContext } from '../../expressions';
import { labelsKey, type RunnerEnvironment } from '../../model/runner-labels';
import type { Json } from '../../model/workflow';
import { cellContexts, evaluateEnv, evaluateField, evalStatus, evaluatePayload, toVariables } from './contexts';
import { EvaluationError, type CellData, type CodeBuildVariable } from './data';

export interface StepPrepareEvent {
  readonly op: 'step.prepare';
  readonly job: string;
  readonly step: string;
  readonly kind: 'run' | 'lambda';
  readonly if?: string;
  /** An expression-valued continue-on-error, decided before the step runs. */
  readonly continueOnError?: string;
  /** The step's env plus the script's lifted expressions (STEPDEPLOY_EXPR_<n>). */
  readonly env: Readonly<Record<string, string>>;
  readonly function?: string;
  readonly payload?: Json;
  /** A `runs-on` expression and the environment of every label list it may give (lib/asl/runner-environment.ts). */
  readonly runner?: { readonly expression: string; readonly environments: Readonly<Record<string, RunnerEnvironment>> };
  readonly context: CellData;
}

export interface PreparedStep {
  readonly run: boolean;
  readonly env: readonly CodeBuildVariable[];
  readonly function: string | null;
  readonly payload: unknown;
  readonly continueOnError: boolean;
  /** Present when the job's runs-on is an expression. */
  readonly runner?: RunnerEnvironment;
}

/** Whether a step runs (its `if:` against the job's status so far) and its evaluated values. */
export function stepPrepare(event: StepPrepareEvent): PreparedStep {
  const job = event.context.job;
  const jobEnv = job?.env ?? event.context.run.env;
  const status = evalStatus(job?.status ?? 'success');
  const contexts = cellContexts(event.context, undefined, jobEnv, event.job);
  const where = `jobs.${event.job}.steps.${event.step}`;
  let run = true;
  if (event.if !== undefined) {
    try {
      run = evaluateCondition(event.if, { contexts, status });
    } catch (error) {
      if (error instanceof ExpressionError) throw new EvaluationError(`${where}.if: ${error.message} in '${event.if}'`);
      throw error;
    }
  }
  if (!run) return { run, env: [], function: null, payload: null, continueOnError: false };
  const env = evaluateEnv(event.env, jobEnv, contexts, status, where);
  const withJob = { STEPDEPLOY_JOB: event.job, STEPDEPLOY_EXECUTION: event.context.run.execution.name, ...env };
  const ctx = { contexts: { ...contexts, env }, status };
  return {
    run,
    env: toVariables(withJob),
    function: event.function === undefined ? null : toDisplayString(evaluateField(event.function, ctx, `${where}.with.function`)),
    payload: event.payload === undefined ? null : evaluatePayload(event.payload, ctx, `${where}.with.payload`),
    continueOnError: event.continueOnError === undefined ? false : isTruthy(evaluateField(event.continueOnError, ctx, `${where}.continue-on-error`)),
    ...(event.runner !== undefined && { runner: chooseRunner(event.runner, { contexts, status }, `jobs.${event.job}.runs-on`) }),
  };
}

/** The environment a `runs-on` expression picks: a label or a list of labels, one the validator knew of. */
function chooseRunner(runner: NonNullable<StepPrepareEvent['runner']>, ctx: EvalContext, where: string): RunnerEnvironment {
  const value = evaluateField(runner.expression, ctx, where);
  const labels = Array.isArray(value) ? value.map((item) => toDisplayString(item)) : [toDisplayString(value)];
  const environment = runner.environments[labelsKey(labels)];
  if (environment === undefined) throw new EvaluationError(`${where}: '${runner.expression}' evaluated to ${JSON.stringify(labels)}, not a label set known when the workflow was deployed`);
  return environment;
}
