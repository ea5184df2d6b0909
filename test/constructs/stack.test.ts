import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../lib/constructs/load-workflows';
import { loadWorkflowText } from '../../lib/model/load';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { OPERATIONS } from '../../lib/runtime/coordination/requests';
import { join } from 'node:path';
import { fixture } from '../asl/render-helpers';

async function stackOf(files: string[], nag = false): Promise<{ app: App; stack: StepDeployStack }> {
  const { workflows, problems } = await loadWorkflows(files);
  expect(problems).toEqual([]);
  // CloudFormation's own validation costs seconds per synth; the cdk-nag test keeps it on.
  const app = new App({ context: { [BUNDLING_STACKS]: [] }, ...(nag ? {} : { builtinCloudFormationValidation: false }) } as never);
  const stack = new StepDeployStack(app, 'StepDeployTest', { workflows });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

describe('StepDeployStack', () => {
  let template: Template;
  beforeAll(async () => {
    template = Template.fromStack((await stackOf([fixture('steps'), fixture('diamond'), fixture('n-shape')])).stack);
  });

  it('makes one Standard state machine per workflow, named and tagged by the workflow id', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
    for (const id of ['steps', 'diamond', 'n-shape']) {
      template.hasResource('AWS::StepFunctions::StateMachine', {
        Properties: { StateMachineName: `StepDeployTest_${id}`, StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } },
        Metadata: { 'stepdeploy:workflow': id },
      });
    }
  });

  it('keeps locks and queues in an on-demand, encrypted table with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('runs the runtime on Node.js 22, each function marked with the handler it runs', () => {
    for (const handler of ['evaluate', 'coordinator', 'status-change', 'runner-dispatch']) {
      template.hasResource('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' }, Metadata: { 'stepdeploy:handler': handler } });
    }
  });

  it('routes every ended execution of a stepdeploy state machine to the status-change handler', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
    });
  });

  it('sweeps expired leases every five minutes through the status-change handler, which alone may Scan the table', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuntimeStatusChange'), 'Arn'] } })],
    });
    const scans = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, policy]) => JSON.stringify(policy).includes('dynamodb:Scan'));
    expect(scans.map(([id]) => id)).toEqual([expect.stringMatching(/^RuntimeStatusChangeRole/)]);
  });

  it('gives a state machine role only the functions, project and Lambda targets its states use', () => {
    const roles = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('WorkflowstepsStateMachineRole') } });
    const statements = Object.values(roles).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toContain('lambda:InvokeFunction');
    expect(actions).toContain('codebuild:StartBuild');
    expect(actions).not.toContain('codebuild:StopBuild');
    // Only the runners' stop items: no other key of the runtime table.
    const puts = statements.filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'));
    expect(puts).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['runner#*'] } } })]);
    const invoke = statements.filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke)).toContain('function:notify-team');
    // No lock, no barrier in this workflow: the coordinator is there only for fail-fast, whose failed
    // cell stops the runners of the cells it is about to stop (runners.stop), and for nothing else.
    expect(JSON.stringify(invoke)).toContain('RuntimeCoordinator');
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'StepDeployTest_steps' } }))[0] as {
      Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
    };
    const text = machine.Properties.DefinitionString['Fn::Join'][1].filter((part): part is string => typeof part === 'string').join('');
    const coordinatorOps = OPERATIONS.filter((op) => text.includes(`"op":"${op}"`));
    expect(coordinatorOps).toEqual(['runners.stop']);
  });

  it('starts one runner per job cell (request-response StartBuild) and hands it each run step with a heartbeat', () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'StepDeployTest_steps' } }))[0] as {
      Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
    };
    // The definition's text with every token left out: enough to count resources and keys.
    const text = machine.Properties.DefinitionString['Fn::Join'][1].filter((part): part is string => typeof part === 'string').join('');
    const count = (needle: string) => text.split(needle).length - 1;
    const runSteps = count('"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken"');
    // No step reads the repository here: one start runner, with the project's own source (lib/asl/runner-source-seams.ts).
    expect(count('"Resource":"arn:aws:states:::codebuild:startBuild"')).toBe(1);
    expect(count('startBuild.sync')).toBe(0);
    expect(runSteps).toBeGreaterThan(1);
    expect(count('"HeartbeatSeconds":60')).toBe(runSteps);
    expect(count('"Resource":"arn:aws:states:::dynamodb:putItem"')).toBe(1);
  });

  it('builds the runner project around the bundled runner program', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: { Type: 'NO_SOURCE', BuildSpec: Match.serializedJson(Match.objectLike({ phases: { build: { commands: ['aws s3 cp --quiet "$STEPDEPLOY_RUNNER_BUNDLE" "/tmp/stepdeploy-runner.mjs"', 'node "/tmp/stepdeploy-runner.mjs"'] } } })) },
      Environment: {
        EnvironmentVariables: Match.arrayWith([
          Match.objectLike({ Name: 'STEPDEPLOY_RUNNER_TABLE', Value: { Ref: Match.stringLikeRegexp('RuntimeTable') } }),
          Match.objectLike({ Name: 'STEPDEPLOY_RUNNER_BUNDLE', Value: Match.anyValue() }),
        ]),
      },
    });
    const runnerPolicies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('RuntimeRunnerRole') } });
    const text = JSON.stringify(runnerPolicies);
    for (const action of ['states:SendTaskHeartbeat', 'states:SendTaskSuccess', 'states:SendTaskFailure', 'states:DescribeExecution', 'dynamodb:Query', 'dynamodb:DeleteItem']) expect(text).toContain(action);
    expect(text).toContain('"dynamodb:LeadingKeys":["runner#*","exec#*"]');
  });

  it('lets the needs barrier’s workflow (not series-parallel) invoke the coordinator', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('WorkflownshapeStateMachineRole') } });
    expect(JSON.stringify(policies)).toContain('RuntimeCoordinator');
  });

  it('passes the AwsSolutions cdk-nag pack, every acknowledgement carrying a reason', async () => {
    const { app } = await stackOf([fixture('steps'), fixture('n-shape'), fixture('triggers')], true);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('triggers', () => {
  let template: Template;
  beforeAll(async () => {
    template = Template.fromStack((await stackOf([fixture('triggers'), fixture('diamond')])).stack);
  });

  it('receives GitHub webhooks on a function URL that authenticates by signature, with the secret in Secrets Manager', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResource('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { WEBHOOK_SECRET_ARN: Match.anyValue(), EVENT_BUS_NAME: Match.anyValue() } } },
      Metadata: { 'stepdeploy:handler': 'webhook' },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  it('sends pushes for branches to the router with the workflow’s filters, defaults and state machine', () => {
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['stepdeploy.github'], 'detail-type': ['push'], detail: { ref: [{ prefix: 'refs/heads/' }] } } },
    });
    const targets = JSON.stringify(Object.values(rules).map((rule) => (rule as { Properties: { Targets: unknown } }).Properties.Targets));
    expect(Object.keys(rules)).toHaveLength(1);
    expect(targets).toContain('RuntimeGitHubWebhookRouter');
    expect(targets).toContain('\\"push\\":{\\"branches\\":[\\"main\\",\\"release/**\\"],\\"paths\\":[\\"src/**\\"]}');
    expect(targets).toContain('\\"inputs\\":{\\"environment\\":\\"staging\\"},\\"detail\\":<detail>');
    expect(targets).toContain('WorkflowtriggersStateMachine');
  });

  it('turns on.schedule into an EventBridge cron (GitHub’s Monday 1 is EventBridge’s 2) that starts the state machine', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 5 ? * 2 *)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ inputs: { environment: 'staging' }, event: { trigger: 'schedule', schedule: '30 5 * * 1' } }) })],
    });
  });

  it('lets only the router start the pushed workflow, and only that one', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('Router') } });
    const text = JSON.stringify(policies);
    expect(text).toContain('states:StartExecution');
    expect(text).toContain('WorkflowtriggersStateMachine');
    expect(text).not.toContain('WorkflowdiamondStateMachine');
  });
});

describe('workflow_run between the stack’s workflows', () => {
  it('relays the named workflow’s status changes the triggers ask for to the router, which may put them on the webhook bus', async () => {
    const files = ['build', 'after-build', 'build-requested'].map((name) => join(import.meta.dirname, `../fixtures/e2e-workflow-run/${name}.yml`));
    const template = Template.fromStack((await stackOf(files)).stack);
    const relays = Object.values(template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.states'], detail: { status: Match.anyValue(), stateMachineArn: [Match.objectLike({ Ref: Match.stringLikeRegexp('WorkflowbuildStateMachine') })] } } } }));
    expect(relays).toHaveLength(1);
    const relay = relays[0] as { Properties: { EventPattern: { detail: { status: string[] } }; Targets: { InputTransformer: { InputTemplate: string } }[] } };
    // requested (build requested) and completed (after build): the start and every end.
    expect(relay.Properties.EventPattern.detail.status).toEqual(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
    expect(relay.Properties.Targets[0]?.InputTransformer.InputTemplate).toBe('{"relay":{"name":"build","path":"test/fixtures/e2e-workflow-run/build.yml"},"statusChange":<detail>}');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['stepdeploy.github'], 'detail-type': ['workflow_run'], detail: { action: ['completed'], workflow_run: { name: ['build'] } } },
    });
    const router = JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('Router') } }));
    expect(router).toContain('events:PutEvents');
  });
});

describe('secrets and vars', () => {
  let template: Template;
  let definition: string;
  const file = join(import.meta.dirname, 'fixtures/secrets/deploy.yml');
  beforeAll(async () => {
    template = Template.fromStack((await stackOf([file])).stack);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    definition = JSON.stringify(machine.Properties.DefinitionString);
  });

  const statementsOf = (rolePattern: string): { Action: string | string[]; Resource: unknown }[] =>
    Object.values(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp(rolePattern) } })).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement,
    );
  const resourcesFor = (rolePattern: string, action: string): string[] =>
    statementsOf(rolePattern)
      .filter((statement) => [statement.Action].flat().includes(action))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource).replace(/\{"Ref":"AWS::(\w+)"\}/g, '<$1>').replace(/\\"|[{}[\]"]/g, '').replace(/^Fn::Join:,/, '').replace(/,/g, ''));

  it('lets the runner role read exactly the secrets the workflow names, at workflow and any environment level', () => {
    expect(resourcesFor('RuntimeRunnerRole', 'secretsmanager:GetSecretValue')).toEqual([
      'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:stepdeploy/deploy/API_TOKEN-??????',
      'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:stepdeploy/deploy/env/*/API_TOKEN-??????',
      'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:stepdeploy/deploy/DB_PASSWORD-??????',
      'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:stepdeploy/deploy/env/*/DB_PASSWORD-??????',
    ]);
    expect(statementsOf('RuntimeRunnerRole').some((statement) => JSON.stringify(statement.Resource).includes('secret:*'))).toBe(false);
  });

  it('lets the evaluate function check those secrets (metadata only) and read the vars', () => {
    expect(resourcesFor('RuntimeEvaluate', 'secretsmanager:DescribeSecret')).toHaveLength(4);
    expect(resourcesFor('RuntimeEvaluate', 'secretsmanager:GetSecretValue')).toEqual([]);
    expect(resourcesFor('RuntimeEvaluate', 'ssm:GetParameters')).toEqual([
      'arn:<Partition>:ssm:<Region>:<AccountId>:parameter/stepdeploy/deploy/CLUSTER',
      'arn:<Partition>:ssm:<Region>:<AccountId>:parameter/stepdeploy/deploy/env/*/CLUSTER',
      'arn:<Partition>:ssm:<Region>:<AccountId>:parameter/stepdeploy/deploy/REGION',
      'arn:<Partition>:ssm:<Region>:<AccountId>:parameter/stepdeploy/deploy/env/*/REGION',
    ]);
  });

  it('carries only references in the definition: names of secrets, never a store path per secret or a value', () => {
    expect(definition).toContain('"secrets\\":{\\"names\\":[\\"API_TOKEN\\",\\"DB_PASSWORD\\"],\\"prefix\\":\\"stepdeploy/deploy\\"}');
    expect(definition).toContain('\\"DB_PASSWORD\\":\\"DB_PASSWORD\\"');
    expect(definition).not.toContain('stepdeploy/deploy/DB_PASSWORD');
  });

  it('takes the naming scheme from cdk.json context', async () => {
    const { workflows } = await loadWorkflows([file]);
    const app = new App({ context: { [BUNDLING_STACKS]: [], 'stepdeploy:secretsPrefix': 'teams/payments/{workflow}' }, builtinCloudFormationValidation: false } as never);
    const stack = new StepDeployStack(app, 'Prefixed', { workflows });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('secret:teams/payments/deploy/DB_PASSWORD-??????');
  });

  it('passes the AwsSolutions cdk-nag pack with the environment-level grants acknowledged', async () => {
    const { app } = await stackOf([file], true);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Step Functions limits at cdk synth', () => {
  it('a workflow over a limit fails the synth with the located problem, as validate reports it', () => {
    const text = `on: workflow_dispatch\njobs:\n  retrying:\n    steps:\n${Array.from({ length: 70 }, () => '      - run: ./flaky\n        retry:\n          max-attempts: 100\n').join('')}`;
    const { workflow } = loadWorkflowText(text, 'workflows/retries.yml');
    const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
    expect(() => new StepDeployStack(app, 'StepDeployLimits', { workflows: [workflow!] })).toThrowError(
      /^workflows\/retries\.yml:3:3 error history-too-large: one execution could record up to 21,[0-9]{3} history events/,
    );
  });
});

describe('approvals', () => {
  const file = join(import.meta.dirname, 'fixtures/approvals/deploy.yml');

  it('answers approvals through an AWS_IAM function URL named by a state machine tag, whose role reads only approval items', async () => {
    const { app, stack } = await stackOf([file], true);
    expect(() => app.synth()).not.toThrow(); // cdk-nag: the approval function's acknowledgements carry reasons
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RuntimeApproval'), 'Arn'] } });
    template.hasResource('AWS::Lambda::Function', { Metadata: { 'stepdeploy:handler': 'approval' } });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      Tags: Match.arrayWith([{ Key: 'stepdeploy:approval-url', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RuntimeApprovalFunctionUrl'), 'FunctionUrl'] } }]),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^RuntimeApprovalRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'dynamodb:Query', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['approval#*'] } } }),
          Match.objectLike({ Action: 'states:SendTaskSuccess', Resource: '*' }),
        ]),
      },
    });
    // Nobody is granted to answer tokens directly: the approval function is the only way in.
    const approvalPolicies = JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^RuntimeApprovalRole') } }));
    expect(approvalPolicies).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)/);
  });

  it('makes no approval function for workflows without required reviewers', async () => {
    const template = Template.fromStack((await stackOf([fixture('steps')])).stack);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Metadata: { 'stepdeploy:handler': 'approval' } }))).toEqual([]);
  });
});
