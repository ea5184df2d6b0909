// The IAM of a runner's source, by simulation against a connected stack: CodeBuild fetching the
// GitHub source through the CodeConnections connection, and a `stepdeploy start` snapshot from the
// runtime's bucket, both with the runner project's role; each statement they use is needed.
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../lib/constructs/load-workflows';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { fixture } from '../asl/render-helpers';
import { describeStatement, rolePolicies, type Template } from './policies';
import { serviceCalls } from './service-calls';
import { evaluateCall, evaluateCalls, formatVerdict } from './simulate';

const checkoutFixture = join(import.meta.dirname, '../fixtures/e2e-runner/checkout.yml');
const connection = 'arn:aws:codeconnections:us-east-1:000000000000:connection/0f6c5a32-9d1e-4b8e-a2f1-3c4d5e6f7a8b';

let template: Template;
beforeAll(async () => {
  const { workflows } = await loadWorkflows([fixture('steps'), checkoutFixture]);
  const context = { [BUNDLING_STACKS]: [], 'stepdeploy:connectionArn': connection, 'stepdeploy:repository': 'https://github.com/acme/site' };
  const app = new App({ context, builtinCloudFormationValidation: false } as never);
  template = CdkTemplate.fromStack(new StepDeployStack(app, 'SourceIam', { workflows })).toJSON() as Template;
});

const sourceCalls = () =>
  serviceCalls(template).filter((call) => call.by === 'codebuild.amazonaws.com' && (call.action.startsWith('codeconnections:') || call.action.startsWith('s3:')));

describe('the IAM of a runner’s source', () => {
  it('lets CodeBuild use the connection and read a snapshot with the runner role, and nothing is denied', async () => {
    const calls = sourceCalls();
    expect([...new Set(calls.map((call) => `${call.role.replace(/[0-9A-F]{8}$/, '')} ${call.action}`))].sort()).toEqual([
      'RuntimeRunnerRole codeconnections:GetConnection',
      'RuntimeRunnerRole codeconnections:GetConnectionToken',
      'RuntimeRunnerRole codeconnections:UseConnection',
      'RuntimeRunnerRole s3:GetBucketAcl',
      'RuntimeRunnerRole s3:GetBucketLocation',
      'RuntimeRunnerRole s3:GetObject',
      'RuntimeRunnerRole s3:GetObjectVersion',
    ]);
    const denied = (await evaluateCalls(serviceCalls(template), rolePolicies(template))).filter((verdict) => verdict.result !== 'Allowed');
    expect(denied.map(formatVerdict)).toEqual([]);
  });

  it('needs the connection and snapshot statements: dropping one denies a source call', async () => {
    const calls = sourceCalls();
    const role = rolePolicies(template).get(calls[0]!.role)!;
    const used: string[] = [];
    for (const dropped of role.statements) {
      const rest = role.statements.filter((statement) => statement !== dropped);
      const results = await Promise.all(calls.map((call) => evaluateCall(call, rest)));
      if (results.some((result) => result !== 'Allowed')) used.push(describeStatement(dropped).replace(/[0-9A-F]{8}\b/g, ''));
    }
    expect(used.map((statement) => statement.replace(/ on .*$/, ''))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('s3:GetObject, s3:GetObjectVersion'),
        expect.stringContaining('s3:GetBucketAcl, s3:GetBucketLocation'),
        expect.stringContaining('codeconnections:UseConnection, codeconnections:GetConnection, codeconnections:GetConnectionToken'),
      ]),
    );
    expect(used).toHaveLength(3);
  });

  it('the state machine role may start the runner project, whatever source a start runner overrides', async () => {
    const starts = serviceCalls(template).filter((call) => call.action === 'codebuild:StartBuild');
    expect(starts.length).toBeGreaterThan(0);
    const verdicts = await evaluateCalls(starts, rolePolicies(template));
    expect(verdicts.map((verdict) => verdict.result)).toEqual(starts.map(() => 'Allowed'));
  });
});
