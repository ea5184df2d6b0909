// `runs-on` → the StartBuild overrides of a job cell's runner. Literal labels are resolved here; a
// `runs-on` expression is evaluated once per cell by the `<job>: runs-on` state before the runner
// starts, which gets every environment the expression can choose (keyed by its label list as JSON).

import { labelsKey, runnerEnvironmentFor, type RunnerChoice, type RunnerEnvironment, type RunnerLabelTable } from '../model/runner-labels';
import { runsOnCandidates } from '../model/runs-on';
import type { Job, Workflow } from '../model/workflow';
import type { JsonValue } from './types';


export function runnerChoice(job: Job, workflow: Pick<Workflow, 'on' | 'runnerLabels'>): RunnerChoice | undefined {
  if (job.runsOn.expression === undefined) return undefined;
  const candidates = runsOnCandidates(job, workflow as Workflow) ?? [];
  const environments: Record<string, RunnerEnvironment> = {};
  for (const labels of candidates) environments[labelsKey(labels)] = runnerEnvironmentFor(labels, workflow.runnerLabels);
  return { expression: job.runsOn.expression, environments };
}

/** Where `<job>: runs-on` puts the environment a runs-on expression chose. */
export const RUNNER_ENVIRONMENT_PATH = '$.job.runnerEnvironment';

/** StartBuild's environment overrides for a job's runner; none when the job has no runs-on (the project's own). */
export function startBuildOverrides(job: Job, table: RunnerLabelTable): Record<string, JsonValue> {
  if (job.runsOn.expression !== undefined) {
    return {
      'ImageOverride.$': `${RUNNER_ENVIRONMENT_PATH}.image`,
      'ComputeTypeOverride.$': `${RUNNER_ENVIRONMENT_PATH}.computeType`,
      'EnvironmentTypeOverride.$': `${RUNNER_ENVIRONMENT_PATH}.environmentType`,
    };
  }
  if (job.runsOn.labels.length === 0) return {};
  const environment = runnerEnvironmentFor(job.runsOn.labels, table);
  return { ImageOverride: environment.image, ComputeTypeOverride: environment.computeType, EnvironmentTypeOverride: environment.environmentType };
}
