import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../lib/constructs/load-workflows';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { fixture } from '../asl/render-helpers';
import { readLocalTemplate } from '../../lib/local/template';
import type { State, TaskState } from '../../lib/asl/types';
import { allStates } from '../asl/render-helpers';

const checkoutFixture = join(import.meta.dirname, '../fixtures/e2e-runner/checkout.yml');
const connection = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0f6c5a32-9d1e-4b8e-a2f1-3c4d5e6f7a8b';

async function templateWith(context: Record<string, unknown>): Promise<Template> {
  const { workflows } = await loadWorkflows([fixture('steps'), checkoutFixture]);
  const app = new App({ context: { [BUNDLING_STACKS]: [], ...context }, builtinCloudFormationValidation: false } as never);
  return Template.fromStack(new StepDeployStack(app, 'SourceTest', { workflows }));
}

describe('the runners’ source', () => {
  let connected: Template;
  let plain: Template;
  beforeAll(async () => {
    connected = await templateWith({ 'stepdeploy:connectionArn': connection, 'stepdeploy:repository': 'https://github.com/acme/site.git' });
    plain = await templateWith({});
  });

  it('takes the runner project’s source from GitHub through the CodeConnections connection', () => {
    connected.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: { Type: 'GITHUB', Location: 'https://github.com/acme/site.git', Auth: { Type: 'CODECONNECTIONS', Resource: connection }, GitCloneDepth: 1, BuildSpec: Match.anyValue() },
    });
    connected.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'codeconnections:UseConnection',
              'codeconnections:GetConnection',
              'codeconnections:GetConnectionToken',
              'codestar-connections:UseConnection',
              'codestar-connections:GetConnection',
              'codestar-connections:GetConnectionToken',
            ],
            Resource: [connection, connection.replace(':codeconnections:', ':codestar-connections:')],
          }),
        ]),
      },
    });
  });

  it('without a connection the project has no source', () => {
    plain.hasResourceProperties('AWS::CodeBuild::Project', { Source: { Type: 'NO_SOURCE' } });
  });

  it('keeps working-tree snapshots in a versioned, private, encrypted bucket the runner may read, named by CloudFormation', () => {
    for (const template of [plain, connected]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: Match.absent(),
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'snapshots/', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 1 } })] },
      });
    }
    plain.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RuntimeSourceSnapshots'), 'Arn'] }, '/snapshots/*']] } },
        ]),
      },
    });
  });

  it('tags each state machine with the snapshot bucket, which is how stepdeploy start finds it', () => {
    plain.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      Tags: Match.arrayWith([{ Key: 'stepdeploy:snapshot-bucket', Value: { Ref: Match.stringLikeRegexp('^RuntimeSourceSnapshots') } }]),
    });
  });

  it('refuses a malformed connection ARN or repository URL, naming the context key', async () => {
    await expect(templateWith({ 'stepdeploy:connectionArn': 'arn:aws:iam::1:role/x', 'stepdeploy:repository': 'https://github.com/a/b' })).rejects.toThrow(
      'cdk.json context stepdeploy:connectionArn: expected a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>), got "arn:aws:iam::1:role/x"',
    );
    await expect(templateWith({ 'stepdeploy:connectionArn': connection })).rejects.toThrow(
      'cdk.json context stepdeploy:repository: expected the repository\'s URL https://github.com/<owner>/<name>, got undefined',
    );
  });

  const startStates = (template: Template, workflow = 'checkout'): Record<string, State> => {
    const machine = readLocalTemplate(template.toJSON()).stateMachines.find((candidate) => candidate.id === workflow)!;
    return Object.fromEntries(allStates(machine.definition).filter(([name]) => / (start runner|source\?)/.test(name)));
  };

  it('starts a push’s (or a named commit’s) runner at that SHA of the connected repository, and a snapshot’s from the bucket', () => {
    const states = startStates(connected);
    const job = Object.keys(states).find((name) => name.endsWith(': source?'))!.replace(': source?', '');
    expect(states[`${job}: source?`]).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.run.checkout.kind', StringEquals: 'commit', Next: `${job}: start runner (commit)` },
        { Variable: '$.run.checkout.kind', StringEquals: 'snapshot', Next: `${job}: start runner (snapshot)` },
      ],
      Default: `${job}: start runner`,
    });
    const plainStart = (states[`${job}: start runner`] as TaskState).Parameters!;
    expect(Object.keys(plainStart).filter((key) => key.startsWith('Source') || key.startsWith('Buildspec'))).toEqual([]);
    expect((states[`${job}: start runner (commit)`] as TaskState).Parameters).toMatchObject({ 'SourceVersion.$': '$.run.checkout.version' });
    expect((states[`${job}: start runner (snapshot)`] as TaskState).Parameters).toMatchObject({
      SourceTypeOverride: 'S3',
      'SourceLocationOverride.$': "States.Format('{}/{}', $.run.checkout.bucket, $.run.checkout.key)",
      'SourceVersion.$': '$.run.checkout.versionId',
    });
    connected.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: { EnvironmentVariables: Match.arrayWith([{ Name: 'STEPDEPLOY_RUNNER_REPOSITORY', Type: 'PLAINTEXT', Value: 'https://github.com/acme/site' }]) },
    });
  });

  it('a job that neither checks out nor uses an action of the repository starts with the project’s own source, no Choice', () => {
    expect(Object.keys(startStates(connected, 'steps'))).toEqual(['deploy: start runner']);
  });

  it('without a connection only a snapshot overrides the source; a commit run gets no source (its checkout fails, naming the context keys)', () => {
    const states = startStates(plain);
    const choice = Object.entries(states).find(([name]) => name.endsWith(': source?'))![1] as { Choices: { StringEquals: string }[] };
    expect(choice.Choices.map((rule) => rule.StringEquals)).toEqual(['snapshot']);
    const project = Object.values(plain.findResources('AWS::CodeBuild::Project'))[0] as { Properties: { Environment: { EnvironmentVariables: { Name: string }[] } } };
    expect(project.Properties.Environment.EnvironmentVariables.map((variable) => variable.Name)).not.toContain('STEPDEPLOY_RUNNER_REPOSITORY');
  });
});
