// The roles `aws-actions/configure-aws-credentials` steps name literally in `role-to-assume` (a
// workflow's steps, and those inside its composite actions as validate resolved them): the
// runner role may `sts:AssumeRole` (and `sts:TagSession`, which the action asks for) on exactly these.
// The action assumes them with the runner's own credentials (there is no GitHub OIDC token here).
// A role given by an expression is not granted here: name it in cdk.json's stepdeploy:runnerAssumableRoles.

import { configureAwsCredentialsAction } from '../model/keys';
import type { Workflow } from '../model/workflow';

const CONFIGURE_AWS_CREDENTIALS = configureAwsCredentialsAction;

/** A role ARN, or a role name (the action makes `arn:aws:iam::<the runner's account>:role/<name>` of it). */
export type AssumedRole = { readonly arn: string } | { readonly name: string };

export function assumedRolesOf(workflows: readonly Workflow[]): AssumedRole[] {
  const found = new Map<string, AssumedRole>();
  for (const workflow of workflows) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        if (step.kind !== 'action') continue;
        // A composite's own configure-aws-credentials steps, as validate found them (their with: given or defaulted literally).
        for (const role of step.assumedRoles ?? []) found.set(role, role.startsWith('arn:') ? { arn: role } : { name: role });
        if (step.remote?.action.toLowerCase() !== CONFIGURE_AWS_CREDENTIALS) continue;
        const role = Object.entries(step.with).find(([id]) => id.toLowerCase() === 'role-to-assume')?.[1]?.trim();
        if (role === undefined || role === '' || role.includes('${{')) continue;
        found.set(role, role.startsWith('arn:') ? { arn: role } : { name: role });
      }
    }
  }
  return [...found.keys()].sort().map((key) => found.get(key)!);
}
