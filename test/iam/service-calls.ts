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

/** What CodeBuild needs of a CodeConnections connection to fetch a GitHub source (AWS's CodeBuild guide). */
const CONNECTION_USE = ['codeconnections:UseConnection', 'codeconnections:GetConnection', 'codeconnections:GetConnectionToken'];

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
        // The runner project's buildspec fetches the runner bundle with the build's role (not run locally).
        const variables = ((properties['Environment'] as { EnvironmentVariables?: { Name: string; Value: unknown }[] } | undefined)?.EnvironmentVariables ?? []);
        const bundle = variables.find((variable) => variable.Name === 'STEPDEPLOY_RUNNER_BUNDLE');
        if (bundle !== undefined) push(role, 'sdk', ['s3:GetObject'], resolved(bundle.Value, id).replace(/^s3:\/\//, 'arn:aws:s3:::'));
        // A GitHub source through CodeConnections: CodeBuild fetches it with the build's role.
        const source = properties['Source'] as { Type?: string; Auth?: { Type?: string; Resource?: unknown } } | undefined;
        if (source?.Type === 'GITHUB' && source.Auth?.Type === 'CODECONNECTIONS' && source.Auth.Resource !== undefined) {
          push(role, CODEBUILD, CONNECTION_USE, resolved(source.Auth.Resource, id));
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
    // A start runner with an S3 source (a `stepdeploy start` snapshot): CodeBuild reads the object the
    // run names, under the bucket the state machine is tagged with, with the project's role.
    if (!JSON.stringify(machine.definition).includes('"SourceTypeOverride":"S3"')) continue;
    const tags = (template.Resources[machine.logicalId]?.Properties?.['Tags'] as { Key: string; Value: unknown }[] | undefined) ?? [];
    const bucketTag = tags.find((tag) => tag.Key === 'stepdeploy:snapshot-bucket');
    if (bucketTag === undefined) continue;
    const bucket = resolved(bucketTag.Value, machine.logicalId);
    for (const project of Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CodeBuild::Project')) {
      const role = getAttRole(project.Properties?.['ServiceRole']);
      push(role, CODEBUILD, ['s3:GetObject', 's3:GetObjectVersion'], `arn:aws:s3:::${bucket}/snapshots/0123abcd.zip`);
      push(role, CODEBUILD, ['s3:GetBucketAcl', 's3:GetBucketLocation'], `arn:aws:s3:::${bucket}`);
    }
  }
  return calls;
}
