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

export interface RunnerSeams {
  /** StartBuild parameters for the source: `SourceVersion(.$)`, `SourceTypeOverride`, `SourceLocationOverride`, … */
  source(job: Job): Readonly<Record<string, JsonValue>>;
  /** The CodeBuild environment a job runs on; undefined: the runner project's default. */
  environment(job: Job): RunnerEnvironment | undefined;
  /** More variables for every step of the cell (GitHub's default GITHUB_* variables). */
  variables(job: Job): readonly RunnerVariable[];
}

export const defaultRunnerSeams: RunnerSeams = {
  source: () => ({}),
  environment: () => undefined,
  variables: () => [],
};

/** The start runner parameters the seams give for a job. */
export function seamParameters(seams: RunnerSeams, job: Job): Record<string, JsonValue> {
  const environment = seams.environment(job);
  return {
    ...seams.source(job),
    ...(environment === undefined
      ? {}
      : { ImageOverride: environment.image, ComputeTypeOverride: environment.computeType, EnvironmentTypeOverride: environment.environmentType }),
  };
}
