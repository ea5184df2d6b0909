// Every AWS API call of a local run, in the form IAM sees it in AWS: the calling role (its logical id
// in the template), the action and the resource ARN. The SDK clients the engine hands to runtime
// handlers record theirs; the engine records what Step Functions itself would call for each task
// (lib/local/integration-calls.ts). A test evaluates them against the template's policies.

import { codeBuildProjectArn, dynamodbTableArn, eventBusArn, LOCAL_ACCOUNT, LOCAL_REGION, secretArn } from './local-arns';

export interface AwsCall {
  /** Logical id of the IAM role the caller runs with (a function's, a state machine's, the runner's). */
  readonly role: string;
  /** IAM action, e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** The resource ARN the action is authorized on; `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** Who makes it: `sdk` (the role's own code) or the AWS service acting on the role's behalf. */
  readonly by: string;
}

export type AwsCallRecorder = (call: AwsCall) => void;

/** The IAM service prefix of an SDK client (its `clientName` in the middleware context). */
const servicePrefixes: Readonly<Record<string, string>> = {
  DynamoDBClient: 'dynamodb',
  SFNClient: 'states',
  EventBridgeClient: 'events',
  SecretsManagerClient: 'secretsmanager',
  CodeBuildClient: 'codebuild',
  LambdaClient: 'lambda',
};

type Input = Readonly<Record<string, unknown>>;

const text = (input: Input, key: string): string | undefined => (typeof input[key] === 'string' ? input[key] : undefined);

/** A table name or ARN as the table's ARN (an index of it for Query and Scan with IndexName). */
function tableResource(input: Input): string[] {
  const name = text(input, 'TableName');
  if (name === undefined) return [];
  const table = name.startsWith('arn:') ? name : dynamodbTableArn(name);
  const index = text(input, 'IndexName');
  return [index === undefined ? table : `${table}/index/${index}`];
}

function eventBusResources(input: Input): string[] {
  const entries = Array.isArray(input['Entries']) ? (input['Entries'] as Input[]) : [];
  const buses = entries.map((entry) => text(entry, 'EventBusName') ?? 'default');
  return [...new Set(buses)].map((bus) => (bus.startsWith('arn:') ? bus : eventBusArn(bus)));
}

/** What each command is authorized on, by service; a command missing here is recorded as unmapped. */
const resourcesOf: Readonly<Record<string, (command: string, input: Input) => string[] | undefined>> = {
  dynamodb: (command, input) => (['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'].includes(command) ? tableResource(input) : undefined),
  states: (command, input) => {
    if (['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat', 'ListStateMachines'].includes(command)) return ['*'];
    if (['StopExecution', 'DescribeExecution', 'GetExecutionHistory'].includes(command)) return [text(input, 'executionArn') ?? ''];
    if (['StartExecution', 'DescribeStateMachine', 'ListExecutions'].includes(command)) return [text(input, 'stateMachineArn') ?? ''];
    return undefined;
  },
  events: (command, input) => (command === 'PutEvents' ? eventBusResources(input) : undefined),
  secretsmanager: (command, input) => {
    if (command !== 'GetSecretValue') return undefined;
    const id = text(input, 'SecretId') ?? '';
    return [id.startsWith('arn:') ? id : secretArn(id)];
  },
  codebuild: (command, input) => {
    if (command === 'StopBuild' || command === 'BatchGetBuilds') {
      const ids = command === 'StopBuild' ? [text(input, 'id') ?? ''] : ((input['ids'] as string[] | undefined) ?? []);
      return ids.map((id) => codeBuildProjectArn(id.split(':')[0] ?? id));
    }
    return command === 'StartBuild' ? [codeBuildProjectArn(text(input, 'projectName') ?? '')] : undefined;
  },
};

/** Marks a call the recorder cannot place, so that the IAM check fails with its name instead of passing it by. */
export const UNMAPPED = 'unmapped';

/** The IAM form of one SDK command. */
export function sdkCall(role: string, clientName: string, commandName: string, input: Input): AwsCall[] {
  const service = servicePrefixes[clientName] ?? clientName;
  const command = commandName.replace(/Command$/, '');
  const resources = resourcesOf[service]?.(command, input) ?? [UNMAPPED];
  return resources.map((resource) => ({ role, action: `${service}:${command}`, resource, by: 'sdk' }));
}

interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: { input: object }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** Records every command the client sends, as the role would be authorized for it in AWS. */
export function recordSdkCalls<Client>(client: Client, role: string, record: AwsCallRecorder): Client {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      for (const call of sdkCall(role, context.clientName ?? '', context.commandName ?? '', args.input as Input)) record(call);
      return next(args);
    },
    { step: 'initialize', name: 'stepdeployRecordAwsCalls' },
  );
  return client;
}

/** `arn:aws:logs:…:log-group:NAME:log-stream:STREAM`: where a service writes a role's log lines. */
export const logStreamArn = (group: string, stream: string): string => `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${group}:log-stream:${stream}`;
