// Which expression contexts each place of a workflow may read: the one table the validator uses.
// It follows when the runtime evaluates each place: workflow fields at run start (before any job),
// job fields at job (cell) start, step fields at step start, job outputs when the job's steps end.

export type ExpressionPlace = 'workflow' | 'job-if' | 'matrix' | 'job' | 'job-outputs' | 'step' | 'call-with' | 'call-outputs';

// `github` is known from run start; `runner` only on the job cell's runner (steps, job outputs), as on GitHub.
const runStart = ['inputs', 'event', 'execution', 'github', 'vars'] as const;
const jobStart = [...runStart, 'env', 'matrix', 'needs'] as const;

export const allowedContexts: Readonly<Record<ExpressionPlace, readonly string[]>> = {
  /** `run-name`, `env`, `concurrency` and `defaults.run` of the workflow. */
  workflow: runStart,
  /** A job's `if`: decided once for the whole job, before its matrix expands and its env exists (as on GitHub). */
  'job-if': [...runStart, 'needs'],
  /** `strategy.matrix` given by expressions: evaluated once, when the job starts (GitHub: github, needs, vars, inputs). */
  matrix: [...runStart, 'needs'],
  /** `name`, `runs-on`, `env`, `environment`, `concurrency`, `continue-on-error`, `defaults.run` of a job. */
  job: jobStart,
  /** `outputs` and `environment.url` of a job. */
  'job-outputs': [...jobStart, 'steps', 'runner'],
  /** Every expression field of a step (`run`, `if`, `env`, `with`, …); `secrets` only in env and run (validate/secrets.ts). */
  step: [...jobStart, 'steps', 'job', 'runner', 'secrets'],
  /** `with:` of a job that calls a reusable workflow (GitHub: github, needs, matrix, inputs, vars). */
  'call-with': [...runStart, 'matrix', 'needs'],
  /** `on.workflow_call.outputs.<name>.value`: evaluated when the called workflow's jobs end. */
  'call-outputs': [...runStart, 'jobs'],
};

export const placeNames: Readonly<Record<ExpressionPlace, string>> = {
  workflow: 'workflow run-name, env, concurrency and defaults',
  'job-if': "a job's if",
  matrix: "a job's strategy.matrix",
  job: 'job name, runs-on, env, environment, concurrency, continue-on-error and defaults',
  'job-outputs': 'job outputs and environment url',
  step: 'step fields',
  'call-with': "a calling job's with",
  'call-outputs': 'workflow_call outputs',
};

/** success(), failure(), always(), cancelled(): they mean something only in an `if`. */
export const statusFunctions = ['success', 'failure', 'always', 'cancelled'] as const;
