// What Step Functions calls with a state machine's role for each kind of state, after AWS's IAM
// policy templates for its integrations ("IAM policies for …" in the Step Functions guide). The
// local engine records them per task with the task's resolved parameters; the IAM test also derives
// them from every definition, for paths a local run does not take.

import type { State, StateMachineDefinition } from '../asl/types';
import { UNMAPPED } from './aws-calls';
import { codeBuildProjectArn, dynamodbTableArn, lambdaFunctionArn, LOCAL_ACCOUNT, LOCAL_REGION, stateMachineNameOf } from './local-arns';

/** One call: action and resource (the role is the state machine's). */
export interface IntegrationCall {
  readonly action: string;
  readonly resource: string;
}

/** The rules Step Functions manages to follow `.sync` tasks (note CodeBuild's singular "Event"). */
export const MANAGED_RULES = {
  codeBuild: 'StepFunctionsGetEventForCodeBuildStartBuildRule',
  stepFunctions: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
} as const;

const ruleArn = (name: string): string => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${name}`;
const managedRuleCalls = (rule: string): IntegrationCall[] =>
  ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: ruleArn(rule) }));

/** A child execution ARN of a state machine (`execution:NAME:ID`, or `NAME/LABEL:ID` under a Distributed Map). */
const childExecution = (stateMachineArn: string, label?: string): string => {
  const name = stateMachineNameOf(stateMachineArn) ?? stateMachineArn;
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${name}${label === undefined ? '' : `/${label}`}:child-1`;
};

const stringParameter = (parameters: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof parameters[key] === 'string' ? parameters[key] : undefined;

/** A Lambda `FunctionName` (name, ARN or partial ARN, maybe qualified) as the ARN IAM authorizes. */
function functionArn(nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const partial = /^(\d{12}):function:(.+)$/.exec(nameOrArn);
  return partial ? `arn:aws:lambda:${LOCAL_REGION}:${partial[1]}:function:${partial[2]}` : lambdaFunctionArn(nameOrArn);
}

/**
 * The calls a Task with this resource makes, given its parameters (resolved, or as written: a
 * parameter given by path (`Key.$`) is unknown until run time, and its calls are left out here).
 */
export function taskCalls(resource: string, parameters: Readonly<Record<string, unknown>>): IntegrationCall[] {
  const integration = /^arn:aws:states:::(.+)$/.exec(resource)?.[1];
  if (integration === undefined) {
    // A bare function ARN is the legacy Lambda task.
    return resource.includes(':lambda:') ? [{ action: 'lambda:InvokeFunction', resource }] : [{ action: UNMAPPED, resource }];
  }
  const [service, action] = integration.split(':');
  const functionName = stringParameter(parameters, 'FunctionName');
  const project = stringParameter(parameters, 'ProjectName');
  const stateMachine = stringParameter(parameters, 'StateMachineArn');
  const table = stringParameter(parameters, 'TableName');
  switch (integration) {
    case 'lambda:invoke':
    case 'lambda:invoke.waitForTaskToken':
      return functionName === undefined ? [] : [{ action: 'lambda:InvokeFunction', resource: functionArn(functionName) }];
    case 'codebuild:startBuild':
      return project === undefined ? [] : [{ action: 'codebuild:StartBuild', resource: codeBuildProjectArn(project) }];
    case 'codebuild:startBuild.sync':
      return [
        ...(project === undefined ? [] : ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'].map((name) => ({ action: name, resource: codeBuildProjectArn(project) }))),
        ...managedRuleCalls(MANAGED_RULES.codeBuild),
      ];
    case 'states:startExecution':
      return stateMachine === undefined ? [] : [{ action: 'states:StartExecution', resource: stateMachine }];
    case 'states:startExecution.sync':
    case 'states:startExecution.sync:2':
      return [
        ...(stateMachine === undefined
          ? []
          : [
              { action: 'states:StartExecution', resource: stateMachine },
              { action: 'states:DescribeExecution', resource: childExecution(stateMachine) },
              { action: 'states:StopExecution', resource: childExecution(stateMachine) },
            ]),
        ...managedRuleCalls(MANAGED_RULES.stepFunctions),
      ];
    default:
      // Optimized DynamoDB item tasks (`dynamodb:putItem`) and the same actions as `aws-sdk:dynamodb:…`.
      if ((service === 'dynamodb' || integration.startsWith('aws-sdk:dynamodb:')) && table !== undefined) {
        const name = integration.split(':').at(-1)!;
        return [{ action: `dynamodb:${name[0]!.toUpperCase()}${name.slice(1)}`, resource: table.startsWith('arn:') ? table : dynamodbTableArn(table) }];
      }
      return [{ action: UNMAPPED, resource: `${service}:${action ?? ''}` }];
  }
}

function walk(states: Readonly<Record<string, State>>, visit: (name: string, state: State) => void): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    if (state.Type === 'Parallel') for (const branch of state.Branches) walk(branch.States, visit);
    if (state.Type === 'Map') walk(state.ItemProcessor.States, visit);
  }
}

/** Every call a definition's states can make with its role, with the parameters as written. */
export function definitionCalls(definition: StateMachineDefinition, stateMachineArn: string): IntegrationCall[] {
  const calls: IntegrationCall[] = [];
  walk(definition.States, (name, state) => {
    if (state.Type === 'Task') calls.push(...taskCalls(state.Resource, (state.Parameters ?? {}) as Record<string, unknown>));
    if (state.Type === 'Map' && state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      // A Distributed Map runs its items as child executions of this same state machine.
      calls.push(
        { action: 'states:StartExecution', resource: stateMachineArn },
        { action: 'states:DescribeExecution', resource: childExecution(stateMachineArn, name.replace(/[^A-Za-z0-9_-]/g, '-')) },
        { action: 'states:StopExecution', resource: childExecution(stateMachineArn, name.replace(/[^A-Za-z0-9_-]/g, '-')) },
      );
    }
  });
  return calls;
}
