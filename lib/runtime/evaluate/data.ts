// The shapes the state machine passes to the evaluate function (see lib/asl). Everything here
// comes from the definition or from earlier evaluate results, so it is trusted to this shape.

import type { EnvironmentData } from './environment';
import type { GithubRunContext } from '../github-context';
import type { RunCheckout } from '../run-source';
import type { StepRecord } from './records';

export type JobResultWord = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface LockRequest {
  readonly group: string;
  readonly cancelInProgress: boolean;
}

export interface RunData {
  readonly workflow: { readonly id: string; readonly name: string };
  /** `run-name` evaluated at run start, else the workflow name: what reports and progress call the run. */
  readonly runName: string;
  readonly inputs: Readonly<Record<string, string | number | boolean>>;
  readonly event: unknown;
  readonly execution: { readonly id: string; readonly name: string; readonly startTime: string };
  readonly env: Readonly<Record<string, string>>;
  readonly lock: LockRequest | null;
  /** The run-wide fields of the `github` context (lib/runtime/github-context.ts). */
  readonly github: GithubRunContext;
  /** Where the run's runner workspaces come from (lib/runtime/run-source.ts). */
  readonly checkout: RunCheckout;
  /** The workflow-level vars the workflow's own env and concurrency read (when it reads any). */
  readonly vars?: Readonly<Record<string, string>>;
}

/** The worst result among a job's ancestors (what `failure()` and `cancelled()` read). */
export type UpstreamWord = 'success' | 'failure' | 'cancelled';

export interface JobResult {
  readonly result: JobResultWord;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Absent reads as 'success' (no ancestor failed or was cancelled). */
  readonly upstream?: UpstreamWord;
}

/** A CodeBuild environment variable: SECRETS_MANAGER's Value is a secret's name, resolved by CodeBuild. */
export interface CodeBuildVariable {
  readonly Name: string;
  readonly Value: string;
  readonly Type: 'PLAINTEXT' | 'SECRETS_MANAGER';
}

export interface JobData {
  readonly run: boolean;
  readonly status: JobResultWord;
  readonly env: Readonly<Record<string, string>>;
  readonly envList: readonly CodeBuildVariable[];
  readonly lock: LockRequest | null;
  readonly upstream: UpstreamWord;
  /** Present when the job reads vars: NAME → value (the environment's win). */
  readonly vars?: Readonly<Record<string, string>>;
  /** Present when the job's steps read secrets: NAME → the secret's name in Secrets Manager (never its value). */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Present when the job has an environment (null: the job does not run). */
  readonly environment?: EnvironmentData | null;
  /** Present in a cancellable workflow: the run was already cancelled when the job started (it runs on cancel). */
  readonly cancelSeen?: boolean;
}

/** The data of one job cell: see lib/asl/steps.ts. */
export interface CellData {
  readonly run: RunData;
  readonly needs: Readonly<Record<string, JobResult>>;
  readonly matrix?: Readonly<Record<string, unknown>>;
  readonly cell?: number;
  readonly steps: Readonly<Record<string, StepRecord>>;
  readonly job?: JobData;
}

/** Errors with these names are ASL error names: a Retry or Catch can match them. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInput';
}

export class EvaluationError extends Error {
  override readonly name = 'ExpressionFailed';
}
