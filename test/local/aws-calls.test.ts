import { describe, expect, it } from 'vitest';
import { sdkCall, UNMAPPED } from '../../lib/local/aws-calls';
import { definitionCalls, taskCalls } from '../../lib/local/integration-calls';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Runtime';

describe('AWS calls in their IAM form', () => {
  it('names the table, and the partition keys an item request touches', () => {
    const hashKeys = { Runtime: 'pk' };
    expect(sdkCall('R', 'DynamoDBClient', 'PutItemCommand', { TableName: 'Runtime', Item: { pk: { S: 'lock#prod' }, sk: { S: 'state' } } }, hashKeys)).toEqual([
      { role: 'R', action: 'dynamodb:PutItem', resource: TABLE, by: 'sdk', context: { 'dynamodb:LeadingKeys': ['lock#prod'] } },
    ]);
    const query = { TableName: 'Runtime', KeyConditionExpression: '#p = :pk AND begins_with(sk, :s)', ExpressionAttributeNames: { '#p': 'pk' }, ExpressionAttributeValues: { ':pk': { S: 'runner#x' }, ':s': { S: 'step#' } } };
    expect(sdkCall('R', 'DynamoDBClient', 'QueryCommand', query, hashKeys)[0]?.context).toEqual({ 'dynamodb:LeadingKeys': ['runner#x'] });
    expect(sdkCall('R', 'DynamoDBClient', 'ScanCommand', { TableName: 'Runtime' }, hashKeys)[0]?.context).toBeUndefined();
  });

  it('puts task-token calls on *, execution calls on the execution, and marks what it cannot place', () => {
    expect(sdkCall('R', 'SFNClient', 'SendTaskHeartbeatCommand', { taskToken: 't' })).toMatchObject([{ action: 'states:SendTaskHeartbeat', resource: '*' }]);
    expect(sdkCall('R', 'SFNClient', 'StopExecutionCommand', { executionArn: 'arn:x' })).toMatchObject([{ action: 'states:StopExecution', resource: 'arn:x' }]);
    expect(sdkCall('R', 'EventBridgeClient', 'PutEventsCommand', { Entries: [{ EventBusName: 'bus' }, { EventBusName: 'bus' }] })).toMatchObject([
      { action: 'events:PutEvents', resource: 'arn:aws:events:us-east-1:000000000000:event-bus/bus' },
    ]);
    expect(sdkCall('R', 'DynamoDBClient', 'BatchWriteItemCommand', { RequestItems: {} })).toMatchObject([{ resource: UNMAPPED }]);
  });

  it('follows AWS’s IAM templates for the integrations a definition uses', () => {
    expect(taskCalls('arn:aws:states:::codebuild:startBuild.sync', { ProjectName: 'Runner' }).map((call) => `${call.action} ${call.resource}`)).toEqual([
      'codebuild:StartBuild arn:aws:codebuild:us-east-1:000000000000:project/Runner',
      'codebuild:StopBuild arn:aws:codebuild:us-east-1:000000000000:project/Runner',
      'codebuild:BatchGetBuilds arn:aws:codebuild:us-east-1:000000000000:project/Runner',
      'events:PutTargets arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventForCodeBuildStartBuildRule',
      'events:PutRule arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventForCodeBuildStartBuildRule',
      'events:DescribeRule arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventForCodeBuildStartBuildRule',
    ]);
    expect(taskCalls('arn:aws:states:::codebuild:startBuild', { ProjectName: 'Runner' })).toEqual([{ action: 'codebuild:StartBuild', resource: 'arn:aws:codebuild:us-east-1:000000000000:project/Runner' }]);
    const child = 'arn:aws:states:us-east-1:000000000000:stateMachine:Child';
    expect(taskCalls('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: child }).map((call) => `${call.action} ${call.resource}`)).toEqual([
      `states:StartExecution ${child}`,
      'states:DescribeExecution arn:aws:states:us-east-1:000000000000:execution:Child:child-1',
      'states:StopExecution arn:aws:states:us-east-1:000000000000:execution:Child:child-1',
      'events:PutTargets arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
      'events:PutRule arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
      'events:DescribeRule arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
    ]);
    expect(taskCalls('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: '123456789012:function:f' })).toEqual([
      { action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
    ]);
    expect(taskCalls('arn:aws:states:::dynamodb:putItem', { TableName: 'Runtime', Item: {} })).toEqual([{ action: 'dynamodb:PutItem', resource: TABLE }]);
    // A parameter given by path is known at run time only (the engine records it then).
    expect(taskCalls('arn:aws:states:::lambda:invoke', { 'FunctionName.$': '$.prepared.function' })).toEqual([]);
    expect(taskCalls('arn:aws:states:::sns:publish', {})).toEqual([{ action: UNMAPPED, resource: 'sns:publish' }]);
  });

  it('derives a Distributed Map’s calls on its own state machine from the definition', () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:S_w';
    const definition = {
      StartAt: 'cells',
      States: { cells: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'x', States: { x: { Type: 'Pass', End: true } } }, End: true } },
    };
    expect(definitionCalls(definition as never, machine).map((call) => call.action)).toEqual(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution']);
  });
});
