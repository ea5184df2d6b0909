import type { StepPaths } from './normalize/job';
import { canonicalName, namedContextReads } from './secret-refs';
import type { SourceIndex } from './source-index';
import { expressionFields } from './validate/expression-fields';
import { fieldExpressions } from './validate/field-expressions';
import type { Job, Workflow } from './workflow';

/**
 * The workflow with the secret and variable names each part reads filled in: what the runner role
 * is granted and what a job is given. Runs on a workflow whose expressions are valid.
 */
export function withReadNames(workflow: Workflow, stepPaths: StepPaths, index: SourceIndex): Workflow {
  const workflowVars = new Set<string>();
  const jobNames = new Map<Job, { secrets: Set<string>; vars: Set<string> }>(workflow.jobs.map((job) => [job, { secrets: new Set(), vars: new Set() }]));
  for (const field of expressionFields({ workflow, stepPaths, index })) {
    for (const { ast } of fieldExpressions(field).parsed) {
      for (const read of namedContextReads(ast)) {
        if (read.name === undefined) continue;
        const into = field.job ? jobNames.get(field.job) : undefined;
        if (read.context === 'secrets') into?.secrets.add(canonicalName(read.name));
        else (into?.vars ?? workflowVars).add(canonicalName(read.name));
      }
    }
  }
  const sorted = (names: Set<string> | undefined): string[] => [...(names ?? [])].sort();
  return {
    ...workflow,
    vars: sorted(workflowVars),
    jobs: workflow.jobs.map((job) => ({ ...job, secrets: sorted(jobNames.get(job)?.secrets), vars: sorted(jobNames.get(job)?.vars) })),
  };
}
