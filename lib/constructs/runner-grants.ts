// What a runner may do beyond writing its logs, from cdk.json context: the steps of a workflow deploy
// with the runner's role (no GitHub token is minted; `permissions:` in a workflow has no IAM effect).
import { Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { contextValue } from './context-value';
import { RUNNER_ASSUMABLE_ROLES, RUNNER_MANAGED_POLICIES, runnerAssumableRoles, runnerManagedPolicies } from '../model/project-context';

export { RUNNER_ASSUMABLE_ROLES, RUNNER_MANAGED_POLICIES } from '../model/project-context';

export interface RunnerGrants {
  readonly managedPolicies: readonly string[];
  readonly assumableRoles: readonly string[];
}

/** Reads and checks both context keys; a bad entry is an error naming the key, its index, the value and the rule. */
export function runnerGrantsFromContext(scope: Construct): RunnerGrants {
  return {
    managedPolicies: contextValue(scope, RUNNER_MANAGED_POLICIES, runnerManagedPolicies),
    assumableRoles: contextValue(scope, RUNNER_ASSUMABLE_ROLES, runnerAssumableRoles),
  };
}

/**
 * Attaches the policies (a plain name is an AWS managed policy, `job-function/…` included; your own
 * policies go by ARN) and allows sts:AssumeRole (+ TagSession, which CDK's roles ask for) on the roles.
 */
export function grantRunner(role: IRole, grants: RunnerGrants): void {
  grants.managedPolicies.forEach((entry, index) => {
    const policy = entry.startsWith('arn:')
      ? ManagedPolicy.fromManagedPolicyArn(role, `RunnerManagedPolicy${index}`, entry)
      : ManagedPolicy.fromAwsManagedPolicyName(entry);
    role.addManagedPolicy(policy);
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM4[Policy::${entry.startsWith('arn:') ? entry : `arn:<AWS::Partition>:iam::aws:policy/${entry}`}]`,
      reason: `Managed policies of the runner are the deployer's choice in cdk.json (${RUNNER_MANAGED_POLICIES}).`,
    });
  });
  if (grants.assumableRoles.length > 0) {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [...grants.assumableRoles] }));
    for (const arn of grants.assumableRoles.filter((entry) => entry.includes('*'))) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arn}]`,
        reason: `Role patterns are the deployer's choice in cdk.json (${RUNNER_ASSUMABLE_ROLES}).`,
      });
    }
  }
}
