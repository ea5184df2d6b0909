// `runs-on` → the StartBuild overrides of a run step's build (the job cell's runner environment).
// Literal labels are resolved here; a `runs-on` expression is evaluated by the step's prepare state,
// which gets every environment the expression can choose (keyed by its label list as JSON).

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

/** StartBuild's environment overrides for a job's run steps; none when the job has no runs-on (the project's own). */
export function startBuildOverrides(job: Job, table: RunnerLabelTable): Record<string, JsonValue> {
  if (job.runsOn.expression !== undefined) {
    return {
      'ImageOverride.$': '$.prepared.runner.image',
      'ComputeTypeOverride.$': '$.prepared.runner.computeType',
      'EnvironmentTypeOverride.$': '$.prepared.runner.environmentType',
    };
  }
  if (job.runsOn.labels.length === 0) return {};
  const environment = runnerEnvironmentFor(job.runsOn.labels, table);
  return { ImageOverride: environment.image, ComputeTypeOverride: environment.computeType, EnvironmentTypeOverride: environment.environmentType };
}
