import { evaluateCondition, ExpressionError, isTruthy, toDisplayString } from '../../expressions';
import type { RunnerEnvironment } from '../../model/runner-labels';
import type { Json } from '../../model/workflow';
import { cellContexts, chooseRunner, evaluateEnv, evaluateField, evalStatus, evaluatePayload, toVariables, type RunnerChoice } from './contexts';
import { EvaluationError, type CellData, type CodeBuildVariable } from './data';

export interface StepPrepareEvent {
  readonly op: 'step.prepare';
  readonly job: string;
  /** A job of a called workflow: its id there (`github.job`). */
  readonly githubJob?: string;
  readonly step: string;
  readonly kind: 'run' | 'lambda' | 'checkout';
  readonly if?: string;
  /** An expression-valued continue-on-error, decided before the step runs. */
  readonly continueOnError?: string;
  /** The step's env plus the script's lifted expressions (STEPDEPLOY_EXPR_<n>). */
  readonly env: Readonly<Record<string, string>>;
  /** Variables that are exactly `${{ secrets.NAME }}`: variable → NAME, never evaluated. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly function?: string;
  readonly payload?: Json;
  /** A `runs-on` expression and the environment of every label list it may give (lib/asl/runner-environment.ts). */
  readonly runner?: RunnerChoice;
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

/**
 * The step's secrets as CodeBuild variables of type SECRETS_MANAGER: the Value is the secret's name
 * (found at job start), which CodeBuild resolves inside the build — the value itself never passes here.
 */
function secretVariables(event: StepPrepareEvent, where: string): CodeBuildVariable[] {
  const found = event.context.job?.secrets ?? {};
  return Object.entries(event.secrets ?? {}).map(([variable, name]) => {
    const secret = found[name];
    if (secret === undefined) throw new EvaluationError(`${where}: secrets.${name} was not looked up when the job started`);
    return { Name: variable, Value: secret, Type: 'SECRETS_MANAGER' as const };
  });
}

/** Whether a step runs (its `if:` against the job's status so far) and its evaluated values. */
export function stepPrepare(event: StepPrepareEvent): PreparedStep {
  const job = event.context.job;
  const jobEnv = job?.env ?? event.context.run.env;
  const status = evalStatus(job?.status ?? 'success');
  const contexts = cellContexts(event.context, undefined, jobEnv, event.githubJob ?? event.job);
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
    env: [...toVariables(withJob), ...secretVariables(event, where)],
    function: event.function === undefined ? null : toDisplayString(evaluateField(event.function, ctx, `${where}.with.function`)),
    payload: event.payload === undefined ? null : evaluatePayload(event.payload, ctx, `${where}.with.payload`),
    continueOnError: event.continueOnError === undefined ? false : isTruthy(evaluateField(event.continueOnError, ctx, `${where}.continue-on-error`)),
    ...(event.runner !== undefined && { runner: chooseRunner(event.runner, { contexts, status }, `jobs.${event.job}.runs-on`) }),
  };
}
