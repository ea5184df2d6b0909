import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../lib/constructs/load-workflows';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { fixture } from '../asl/render-helpers';

const workflows = async () => {
  const loaded = await loadWorkflows([fixture('steps')]);
  expect(loaded.problems).toEqual([]);
  return loaded.workflows;
};

function stackWith(context: Record<string, unknown>, list: Awaited<ReturnType<typeof workflows>>, nag = false): { app: App; stack: StepDeployStack } {
  const app = new App({ context: { [BUNDLING_STACKS]: [], ...context }, builtinCloudFormationValidation: false } as never);
  const stack = new StepDeployStack(app, 'Grants', { workflows: list });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

const runnerRoleId = (template: Template): string => {
  const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0] as { Properties: { ServiceRole: { 'Fn::GetAtt': [string, string] } } };
  return project.Properties.ServiceRole['Fn::GetAtt'][0];
};

describe('runner role grants from cdk.json context', () => {
  let list: Awaited<ReturnType<typeof workflows>>;
  let granted: Template;
  beforeAll(async () => {
    list = await workflows();
    granted = Template.fromStack(
      stackWith(
        {
          'stepdeploy:runnerManagedPolicies': ['PowerUserAccess', 'job-function/ViewOnlyAccess', 'arn:aws:iam::123456789012:policy/deploy-lambda-layers'],
          'stepdeploy:runnerAssumableRoles': ['arn:aws:iam::*:role/cdk-hnb659fds-*', 'arn:aws:iam::123456789012:role/deployer'],
        },
        list,
      ).stack,
    );
  });

  it('attaches managed policies by AWS name or by ARN to the runner role', () => {
    const role = granted.toJSON().Resources[runnerRoleId(granted)] as { Properties: { ManagedPolicyArns: unknown[] } };
    expect(role.Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/PowerUserAccess']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/job-function/ViewOnlyAccess']] },
      'arn:aws:iam::123456789012:policy/deploy-lambda-layers',
    ]);
  });

  it('lets the runner assume exactly the given roles', () => {
    granted.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: runnerRoleId(granted) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: ['arn:aws:iam::*:role/cdk-hnb659fds-*', 'arn:aws:iam::123456789012:role/deployer'] },
        ]),
      },
    });
  });

  it('grants nothing beyond logs without context', () => {
    const plain = Template.fromStack(stackWith({}, list).stack);
    const role = plain.toJSON().Resources[runnerRoleId(plain)] as { Properties: Record<string, unknown> };
    expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(JSON.stringify(plain.findResources('AWS::IAM::Policy'))).not.toContain('sts:AssumeRole');
  });

  it('takes a comma-separated string, as `cdk synth -c` passes it', () => {
    const template = Template.fromStack(stackWith({ 'stepdeploy:runnerAssumableRoles': 'arn:aws:iam::123456789012:role/a, arn:aws:iam::123456789012:role/b' }, list).stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/b'] })]) },
    });
  });

  it('rejects what is not a policy or a role, naming the key, the entry and the rule', () => {
    expect(() => stackWith({ 'stepdeploy:runnerManagedPolicies': ['PowerUserAccess', 'arn:aws:s3:::bucket'] }, list)).toThrow(
      "cdk.json context stepdeploy:runnerManagedPolicies[1]: 'arn:aws:s3:::bucket' is neither a managed policy name (e.g. PowerUserAccess) nor a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)",
    );
    expect(() => stackWith({ 'stepdeploy:runnerAssumableRoles': ['*'] }, list)).toThrow(
      "cdk.json context stepdeploy:runnerAssumableRoles[0]: '*' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME; '*' may stand in ACCOUNT and NAME)",
    );
    expect(() => stackWith({ 'stepdeploy:runnerAssumableRoles': { role: 'x' } }, list)).toThrow(
      'cdk.json context stepdeploy:runnerAssumableRoles: {"role":"x"} must be a list of strings (or one comma-separated string)',
    );
  });

  it('passes cdk-nag with the grants acknowledged as the deployer’s choice', () => {
    const { app } = stackWith({ 'stepdeploy:runnerManagedPolicies': ['PowerUserAccess', 'arn:aws:iam::aws:policy/AWSLambda_FullAccess'], 'stepdeploy:runnerAssumableRoles': ['arn:aws:iam::*:role/cdk-*', 'arn:aws:iam::*:role/other-*'] }, list, true);
    expect(() => app.synth()).not.toThrow();
  });
});
