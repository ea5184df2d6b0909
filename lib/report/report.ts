import type { StepAnnotation } from '../runtime/runners/results';
// The run report: the stable JSON contract (issue 4) that `stepdeploy run --report` and
// `stepdeploy report` write, rebuilt from an execution's history alone.
import type { Json } from '../model/workflow';

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'superseded';

/** GitHub's job result words, as past participles. Steps use the same words. */
export type JobStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export type StepStatus = JobStatus;

export type Matrix = Readonly<Record<string, Json>>;

export interface StepReport {
  /** The step id (`steps[].id`, or `step-<n>`). */
  readonly name: string;
  readonly status: StepStatus;
  /** ISO-8601 with milliseconds; absent for a skipped step (it never ran). */
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** What the step wrote to `$STEPDEPLOY_OUTPUT`; absent when it wrote nothing. */
  readonly outputs?: Readonly<Record<string, Json>>;
  /** A failed step: its task's error name and cause (lib/report/step-failure.ts reads both). */
  readonly error?: string;
  readonly cause?: string;
  /** A failed script's exit status (null: a signal ended it); absent when the failure was not an exit. */
  readonly exitCode?: number | null;
  /** A failed step's own last output lines, and where its full log is. */
  readonly lastLines?: readonly string[];
  readonly log?: string;
  /** What the step reported with `::error::`, `::warning::`, `::notice::` (masked), succeeded or failed. */
  readonly annotations?: readonly StepAnnotation[];
}

/** One job, or one matrix cell of a job (then `matrix` is present). */
export interface JobReport {
  readonly id: string;
  readonly matrix?: Matrix;
  readonly status: JobStatus;
  /** Absent for a skipped job (it never ran). */
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** In order of first appearance in the history. */
  readonly steps: readonly StepReport[];
  /** Why the job failed before its steps (an expression, a missing secret or var, a refused ref). */
  readonly error?: string;
  /** The deployment, when the job has an environment: the job's status is the deployment's. */
  readonly environment?: DeploymentReport;
}

export interface DeploymentReport {
  readonly name: string;
  /** The evaluated `environment.url` (after the job's steps), when it has one and it is not empty. */
  readonly url?: string;
  /** The reviewer's answer, when the environment required one. */
  readonly approval?: { readonly decision: 'approved' | 'rejected'; readonly approver: string; readonly at: string; readonly comment?: string };
}

export interface RunReport {
  readonly workflow: string;
  /** The evaluated `run-name`, when the workflow has one. */
  readonly runName?: string;
  /** The execution ARN. */
  readonly execution: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Jobs and cells in order of first appearance in the history. */
  readonly jobs: readonly JobReport[];
}
