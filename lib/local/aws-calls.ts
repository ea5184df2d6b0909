// Every AWS API call of a local run, in the form IAM sees it in AWS: the calling role (its logical id
// in the template), the action and the resource ARN. The SDK clients the engine hands to runtime
// handlers record theirs; the engine records what Step Functions itself would call for each task
// (lib/local/integration-calls.ts). A test evaluates them against the template's policies.

import { codeBuildProjectArn, dynamodbTableArn, eventBusArn, LOCAL_ACCOUNT, LOCAL_REGION, namedSecretArn } from './local-arns';

export interface AwsCall {
  /** Logical id of the IAM role the caller runs with (a function's, a state machine's, the runner's). */
  readonly role: string;
  /** IAM action, e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** The resource ARN the action is authorized on; `*` for actions without resource-level permissions. */
  readonly resource: string;
  /** Who makes it: `sdk` (the role's own code) or the AWS service acting on the role's behalf. */
  readonly by: string;
  /** Condition keys the request carries (`dynamodb:LeadingKeys`: the partition keys it touches). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
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
  SSMClient: 'ssm',
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
    if (command !== 'GetSecretValue' && command !== 'DescribeSecret') return undefined;
    const id = text(input, 'SecretId') ?? '';
    // A secret named by its name is authorized on its full ARN, random suffix included.
    return [id.startsWith('arn:') ? id : namedSecretArn(id)];
  },
  ssm: (command, input) => {
    if (command !== 'GetParameters') return undefined;
    const names = Array.isArray(input['Names']) ? (input['Names'] as string[]) : [];
    return names.map((name) => `arn:aws:ssm:${LOCAL_REGION}:${LOCAL_ACCOUNT}:parameter/${name.replace(/^\//, '')}`);
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

/** A table's partition key attribute, by table name: what `dynamodb:LeadingKeys` is read from. */
export type HashKeys = Readonly<Record<string, string>>;

/**
 * The partition key values an item request touches: `Key` / `Item` of single-item requests, the
 * equality on the partition key in a Query's KeyConditionExpression. Undefined for a Scan (no
 * leading key: a policy conditioned on one denies it) and for tables whose key is not known.
 */
export function leadingKeys(command: string, input: Input, hashKeys: HashKeys): string[] | undefined {
  const attribute = hashKeys[text(input, 'TableName') ?? ''];
  if (attribute === undefined) return undefined;
  const valueOf = (item: unknown): string | undefined => {
    const value = (item as Record<string, { S?: string; N?: string } | undefined> | undefined)?.[attribute];
    return value?.S ?? value?.N;
  };
  if (command === 'PutItem') return [valueOf(input['Item'])].filter((key): key is string => key !== undefined);
  if (['GetItem', 'UpdateItem', 'DeleteItem'].includes(command)) return [valueOf(input['Key'])].filter((key): key is string => key !== undefined);
  if (command !== 'Query') return undefined;
  const names = (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const values = (input['ExpressionAttributeValues'] ?? {}) as Record<string, { S?: string; N?: string }>;
  for (const match of (text(input, 'KeyConditionExpression') ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = match[1]!.startsWith('#') ? names[match[1]!] : match[1];
    const value = values[match[2]!];
    if (name === attribute && value !== undefined) return [value.S ?? value.N ?? ''];
  }
  return [];
}

/** The IAM form of one SDK command. */
export function sdkCall(role: string, clientName: string, commandName: string, input: Input, hashKeys: HashKeys = {}): AwsCall[] {
  const service = servicePrefixes[clientName] ?? clientName;
  const command = commandName.replace(/Command$/, '');
  const resources = resourcesOf[service]?.(command, input) ?? [UNMAPPED];
  const keys = service === 'dynamodb' ? leadingKeys(command, input, hashKeys) : undefined;
  return resources.map((resource) => ({ role, action: `${service}:${command}`, resource, by: 'sdk', ...(keys === undefined ? {} : { context: { 'dynamodb:LeadingKeys': keys } }) }));
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
export function recordSdkCalls<Client>(client: Client, role: string, record: AwsCallRecorder, hashKeys: HashKeys = {}): Client {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      for (const call of sdkCall(role, context.clientName ?? '', context.commandName ?? '', args.input as Input, hashKeys)) record(call);
      return next(args);
    },
    { step: 'initialize', name: 'stepdeployRecordAwsCalls' },
  );
  return client;
}

/** `arn:aws:logs:…:log-group:NAME:log-stream:STREAM`: where a service writes a role's log lines. */
export const logStreamArn = (group: string, stream: string): string => `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${group}:log-stream:${stream}`;
