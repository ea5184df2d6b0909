// What AWS services call with a role of the template on its behalf, read from the resources that use
// the role: Lambda writes a function's logs and traces, Step Functions delivers a state machine's logs
// and traces and calls its integrations (every Task and Distributed Map of the definition, after
// AWS's IAM templates), CodeBuild writes a build's logs, EventBridge starts a scheduled state machine.
import { logStreamArn, type AwsCall } from '../../lib/local/aws-calls';
import { definitionCalls } from '../../lib/local/integration-calls';
import { resolveIntrinsics } from '../../lib/local/intrinsics';
import { readLocalTemplate, templateScope } from '../../lib/local/template';
import type { Template } from './policies';

const getAttRole = (value: unknown): string | undefined => {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' ? String(getAtt[0]) : undefined;
};

const LAMBDA = 'lambda.amazonaws.com';
const STATES = 'states.amazonaws.com';
const CODEBUILD = 'codebuild.amazonaws.com';
const EVENTS = 'events.amazonaws.com';

/** Step Functions' log delivery (CloudWatch Logs vended logs): none of these has resource-level permissions. */
const LOG_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

export function serviceCalls(template: Template): AwsCall[] {
  const scope = templateScope(template);
  const resolved = (value: unknown, where: string): string => String(resolveIntrinsics(value, scope, where, 'Properties'));
  const calls: AwsCall[] = [];
  const push = (role: string | undefined, by: string, actions: readonly string[], resource: string): void => {
    if (role !== undefined) for (const action of actions) calls.push({ role, action, resource, by });
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Lambda::Function': {
        const role = getAttRole(properties['Role']);
        const group = (properties['LoggingConfig'] as { LogGroup?: unknown } | undefined)?.LogGroup;
        const groupName = group === undefined ? `/aws/lambda/${id}` : resolved(group, id);
        if (group === undefined) push(role, LAMBDA, ['logs:CreateLogGroup'], `arn:aws:logs:us-east-1:000000000000:log-group:${groupName}`);
        push(role, LAMBDA, ['logs:CreateLogStream', 'logs:PutLogEvents'], logStreamArn(groupName, '2026/12/01/[$LATEST]0123abcd'));
        if ((properties['TracingConfig'] as { Mode?: string } | undefined)?.Mode === 'Active') push(role, LAMBDA, ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*');
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const role = getAttRole(properties['RoleArn']);
        if (properties['LoggingConfiguration'] !== undefined) push(role, STATES, LOG_DELIVERY, '*');
        if ((properties['TracingConfiguration'] as { Enabled?: boolean } | undefined)?.Enabled === true) {
          push(role, STATES, ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], '*');
        }
        break;
      }
      case 'AWS::CodeBuild::Project': {
        const role = getAttRole(properties['ServiceRole']);
        const group = (properties['LogsConfig'] as { CloudWatchLogs?: { GroupName?: unknown; Status?: string } } | undefined)?.CloudWatchLogs;
        if (group?.Status === 'ENABLED' && group.GroupName !== undefined) {
          push(role, CODEBUILD, ['logs:CreateLogStream', 'logs:PutLogEvents'], logStreamArn(resolved(group.GroupName, id), 'build-0123abcd'));
        }
        break;
      }
      case 'AWS::Events::Rule':
        for (const target of (properties['Targets'] as { Arn: unknown; RoleArn?: unknown }[] | undefined) ?? []) {
          const arn = resolved(target.Arn, id);
          if (target.RoleArn !== undefined && arn.includes(':states:')) push(getAttRole(target.RoleArn), EVENTS, ['states:StartExecution'], arn);
        }
        break;
    }
  }
  for (const machine of readLocalTemplate(template).stateMachines) {
    for (const call of definitionCalls(machine.definition, machine.arn)) push(machine.role, STATES, [call.action], call.resource);
  }
  return calls;
}
