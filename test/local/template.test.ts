import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { TemplateError } from '../../lib/local/intrinsics';
import { mergeLocalTemplates, readLocalTemplate } from '../../lib/local/template';

const fixture = async (): Promise<Record<string, any>> =>
  JSON.parse(await readFile(new URL('../fixtures/templates/cdk-shaped.json', import.meta.url), 'utf8'));

describe('readLocalTemplate', () => {
  test('resolves Fn::Join, Fn::Sub, Fn::GetAtt, Ref and pseudo parameters in a definition to local ARNs', async () => {
    const { stateMachines } = readLocalTemplate(await fixture());
    const deploy = stateMachines.find((machine) => machine.logicalId === 'DeployWorkflowMachine9F8E');
    expect(deploy).toMatchObject({ id: 'deploy', name: 'deploy', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy' });
    expect(deploy?.definition.States['build.compile: run']).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::codebuild:startBuild.sync',
      Parameters: { ProjectName: 'RunnerProject0A1B', BuildspecOverride: 'version: 0.2' },
      Next: 'notify',
    });
    expect(deploy?.definition.States['notify']).toMatchObject({
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:EvaluateFnD4E5F6', Payload: { region: 'us-east-1' } },
    });
  });

  test('a state machine without workflow metadata is known by its logical id', async () => {
    const { stateMachines } = readLocalTemplate(await fixture());
    expect(stateMachines.find((machine) => machine.logicalId === 'PlainMachine')).toMatchObject({ id: 'PlainMachine', name: 'PlainMachine' });
  });

  test('functions keep their handler name and get resolved environment variables', async () => {
    const { functions } = readLocalTemplate(await fixture());
    expect(functions).toEqual([
      {
        logicalId: 'EvaluateFnD4E5F6',
        name: 'EvaluateFnD4E5F6',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:EvaluateFnD4E5F6',
        handler: 'evaluate',
        env: {
          TABLE_NAME: 'RuntimeTableA1B2C3',
          TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/RuntimeTableA1B2C3',
          ENDPOINT: 'https://states.us-east-1.amazonaws.com/${NotAVariable}',
          BUCKET: 'arn:aws:s3:::RuntimeTableA1B2C3-000000000000',
        },
      },
      { logicalId: 'CustomResourceProviderFn', name: 'cdk-provider', arn: 'arn:aws:lambda:us-east-1:000000000000:function:cdk-provider', env: {} },
    ]);
  });

  test('keeps status-change rules with their Lambda targets and leaves other rules out', async () => {
    const { rules } = readLocalTemplate(await fixture());
    expect(rules).toEqual([
      {
        logicalId: 'StatusChangeRule',
        name: 'StatusChangeRule',
        pattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { status: ['ABORTED', 'TIMED_OUT'], stateMachineArn: ['arn:aws:states:us-east-1:000000000000:stateMachine:deploy'] },
        },
        targets: [{ arn: 'arn:aws:lambda:us-east-1:000000000000:function:EvaluateFnD4E5F6', input: { kind: 'event' } }],
      },
    ]);
  });

  test('reads the table key schema', async () => {
    const { tables } = readLocalTemplate(await fixture());
    expect(tables).toEqual([
      {
        logicalId: 'RuntimeTableA1B2C3',
        name: 'RuntimeTableA1B2C3',
        keySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        attributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      },
    ]);
  });

  test('an unresolvable Ref names the resource and the path', async () => {
    const template = await fixture();
    template['Resources']['DeployWorkflowMachine9F8E']['Properties']['DefinitionString']['Fn::Join'][1][3] = { Ref: 'MissingProject' };
    expect(() => readLocalTemplate(template)).toThrow(
      new TemplateError(
        "Resource 'DeployWorkflowMachine9F8E' (AWS::StepFunctions::StateMachine) Properties.DefinitionString.Fn::Join[1][3].Ref: cannot resolve Ref 'MissingProject' (no such resource or parameter)",
      ),
    );
  });

  test('an unsupported intrinsic names the resource and the path', async () => {
    const template = await fixture();
    template['Resources']['EvaluateFnD4E5F6']['Properties']['Environment']['Variables']['ZONE'] = { 'Fn::ImportValue': 'shared-zone' };
    expect(() => readLocalTemplate(template)).toThrow(
      "Resource 'EvaluateFnD4E5F6' (AWS::Lambda::Function) Properties.Environment.Variables.ZONE.Fn::ImportValue: Fn::ImportValue is not supported by the local engine",
    );
  });

  test('an attribute that has no local value is refused', async () => {
    const template = await fixture();
    template['Resources']['EvaluateFnD4E5F6']['Properties']['Environment']['Variables']['STREAM'] = { 'Fn::GetAtt': ['RuntimeTableA1B2C3', 'StreamArn'] };
    expect(() => readLocalTemplate(template)).toThrow(
      "Resource 'EvaluateFnD4E5F6' (AWS::Lambda::Function) Properties.Environment.Variables.STREAM.Fn::GetAtt: cannot resolve Fn::GetAtt 'RuntimeTableA1B2C3.StreamArn' (unknown resource or attribute not available locally)",
    );
  });

  test('a definition feature the library would ignore is refused with the state named', () => {
    const template = {
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: JSON.stringify({ StartAt: 'a', States: { a: { Type: 'Pass', Assign: { x: 1 }, End: true } } }) },
        },
      },
    };
    expect(() => readLocalTemplate(template)).toThrow("State machine 'M', state 'a': Assign is not supported by the local engine");
  });

  test('a status-change rule with a content filter is refused', async () => {
    const template = await fixture();
    template['Resources']['StatusChangeRule']['Properties']['EventPattern']['detail']['status'] = [{ 'anything-but': 'RUNNING' }];
    expect(() => readLocalTemplate(template)).toThrow(
      'Resource \'StatusChangeRule\' (AWS::Events::Rule) Properties.EventPattern.detail.status: content filter {"anything-but":"RUNNING"} is not supported locally (exact values only)',
    );
  });

  test('two templates may not define the same state machine name', async () => {
    const one = readLocalTemplate(await fixture());
    expect(() => mergeLocalTemplates([one, one])).toThrow("Templates: two state machines resolve to the same local name 'deploy'");
  });
});
