// What a runner may do beyond writing its logs, from cdk.json context: the steps of a workflow deploy
// with the runner's role (no GitHub token is minted; `permissions:` in a workflow has no IAM effect).
import { Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Names or ARNs of managed policies attached to the runner role. */
export const RUNNER_MANAGED_POLICIES = 'stepdeploy:runnerManagedPolicies';
/** ARNs (or patterns with `*`) of roles the runner may `sts:AssumeRole`, e.g. CDK's bootstrap roles. */
export const RUNNER_ASSUMABLE_ROLES = 'stepdeploy:runnerAssumableRoles';

export interface RunnerGrants {
  readonly managedPolicies: readonly string[];
  readonly assumableRoles: readonly string[];
}

const policyArn = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const policyName = /^[\w+=,.@/-]{1,128}$/;
const roleArn = /^arn:aws[a-z-]*:iam::(\d{12}|\*):role\/[\w+=,.@/*-]+$/;

/** A context value as a list: a JSON array from cdk.json, or a comma-separated string from `-c`. */
function contextList(scope: Construct, key: string): string[] {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) {
    throw new Error(`cdk.json context ${key}: ${JSON.stringify(value)} must be a list of strings (or one comma-separated string)`);
  }
  return items;
}

/** Reads and checks both context keys; a bad entry is an error naming the key, its index, the value and the rule. */
export function runnerGrantsFromContext(scope: Construct): RunnerGrants {
  const managedPolicies = contextList(scope, RUNNER_MANAGED_POLICIES);
  managedPolicies.forEach((entry, index) => {
    if (!policyArn.test(entry) && !(policyName.test(entry) && !entry.startsWith('arn:'))) {
      throw new Error(
        `cdk.json context ${RUNNER_MANAGED_POLICIES}[${index}]: '${entry}' is neither a managed policy name (e.g. PowerUserAccess) nor a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)`,
      );
    }
  });
  const assumableRoles = contextList(scope, RUNNER_ASSUMABLE_ROLES);
  assumableRoles.forEach((entry, index) => {
    if (!roleArn.test(entry)) {
      throw new Error(
        `cdk.json context ${RUNNER_ASSUMABLE_ROLES}[${index}]: '${entry}' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME; '*' may stand in ACCOUNT and NAME)`,
      );
    }
  });
  return { managedPolicies, assumableRoles };
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
