import type { Workflow } from '../workflow';

/** A workflow whose only trigger is workflow_call runs only when a job calls it: it is not deployed (or run) on its own, as on GitHub. */
export function isCallOnly(workflow: Workflow): boolean {
  const { on } = workflow;
  return on.workflowCall !== undefined && on.workflowDispatch === undefined && on.push === undefined && on.schedule.length === 0 && (on.activities ?? []).length === 0;
}

export const callOnlyReason = (file: string): string =>
  `${file} is a reusable workflow: its only trigger is workflow_call, so it runs only when a job of another workflow calls it (jobs.<id>.uses), as on GitHub; run the workflow that calls it`;
