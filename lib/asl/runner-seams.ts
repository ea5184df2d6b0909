// Where the other parts of issue 9 plug into a job cell's runner (docs/architecture.md, "Job runners"):
// the checkout source, the `runs-on` environment and GitHub's default variables. Each seam returns
// what it adds to the `<job>: start runner` state; the defaults add nothing (the runner project's own
// source and environment).

import type { Job } from '../model/workflow';
import type { JsonValue } from './types';

/** A CodeBuild environment for a `runs-on` label (→ ImageOverride, ComputeTypeOverride, EnvironmentTypeOverride). */
export interface RunnerEnvironment {
  readonly image: string;
  readonly computeType: string;
  readonly environmentType: string;
}

/** One more entry of the start runner's EnvironmentVariablesOverride: a fixed `Value` or a `Value.$` path. */
export type RunnerVariable = { readonly Name: string; readonly Type: 'PLAINTEXT' } & ({ readonly Value: string } | { readonly 'Value.$': string });

/**
 * A start runner for one kind of `$.run.checkout` (lib/runtime/run-source.ts): StartBuild's source
 * parameters (`SourceVersion(.$)`, `SourceTypeOverride`, `SourceLocationOverride`, …) for it.
 */
export interface SourceVariant {
  readonly kind: 'commit' | 'snapshot';
  readonly parameters: Readonly<Record<string, JsonValue>>;
}

export interface RunnerSeams {
  /** The start runner per checkout kind; a kind not listed (and a job with none) starts the project with its own source. */
  sources(job: Job): readonly SourceVariant[];
  /** The CodeBuild environment a job runs on; undefined: the runner project's default. */
  environment(job: Job): RunnerEnvironment | undefined;
  /** More variables for every step of the cell (GitHub's default GITHUB_* variables). */
  variables(job: Job): readonly RunnerVariable[];
}

export const defaultRunnerSeams: RunnerSeams = {
  sources: () => [],
  environment: () => undefined,
  variables: () => [],
};

/** The start runner parameters the seams give for a job (the source variants aside). */
export function seamParameters(seams: RunnerSeams, job: Job): Record<string, JsonValue> {
  const environment = seams.environment(job);
  return {
    ...(environment === undefined
      ? {}
      : { ImageOverride: environment.image, ComputeTypeOverride: environment.computeType, EnvironmentTypeOverride: environment.environmentType }),
  };
}
