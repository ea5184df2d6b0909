// Which expression contexts each place of a workflow may read: the one table the validator uses.
// It follows when the runtime evaluates each place: workflow fields at run start (before any job),
// job fields at job (cell) start, step fields at step start, job outputs when the job's steps end.

export type ExpressionPlace = 'workflow' | 'job-if' | 'job' | 'job-outputs' | 'step';

const runStart = ['inputs', 'event', 'execution', 'vars'] as const;
const jobStart = [...runStart, 'env', 'matrix', 'needs'] as const;

export const allowedContexts: Readonly<Record<ExpressionPlace, readonly string[]>> = {
  /** `env` and `concurrency` of the workflow. */
  workflow: runStart,
  /** A job's `if`: decided once for the whole job, before its matrix expands and its env exists (as on GitHub). */
  'job-if': [...runStart, 'needs'],
  /** `name`, `env`, `environment`, `concurrency`, `continue-on-error` of a job. */
  job: jobStart,
  /** `outputs` and `environment.url` of a job. */
  'job-outputs': [...jobStart, 'steps'],
  /** Every expression field of a step (`run`, `if`, `env`, `with`, …); `secrets` only in env and run (validate/secrets.ts). */
  step: [...jobStart, 'steps', 'job', 'secrets'],
};

export const placeNames: Readonly<Record<ExpressionPlace, string>> = {
  workflow: 'workflow env and concurrency',
  'job-if': "a job's if",
  job: 'job name, env, environment, concurrency and continue-on-error',
  'job-outputs': 'job outputs and environment url',
  step: 'step fields',
};

/** success(), failure(), always(), cancelled(): they mean something only in an `if`. */
export const statusFunctions = ['success', 'failure', 'always', 'cancelled'] as const;
