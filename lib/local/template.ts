// A synthesized CloudFormation template → what the local engine runs: state machines with their
// definitions resolved to local ARNs, the runtime functions, the status-change rules and the tables.

import type { JsonValue, StateMachineDefinition } from '../asl/types';
import { checkLocallySupported } from './definition';
import { readTargetInput, type TargetInput } from './eventbridge/target-input';
import { resolveIntrinsics, TemplateError, type IntrinsicScope } from './intrinsics';
import { rateIntervalMs, type LocalSchedule } from './schedules';
import {
  codeBuildProjectArn,
  dynamodbTableArn,
  eventBusArn,
  lambdaFunctionArn,
  lambdaFunctionName,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  secretArn,
  stateMachineArn,
} from './local-arns';

export interface LocalStateMachine {
  readonly logicalId: string;
  /** The workflow id (`Metadata["stepdeploy:workflow"]`), or the logical id. */
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly definition: StateMachineDefinition;
  /** Logical id of its role (`RoleArn: Fn::GetAtt [ROLE, Arn]`), when the template makes it. */
  readonly role?: string;
}

export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `Metadata["stepdeploy:handler"]`: the folder under lambdas/; absent for functions stepdeploy does not own. */
  readonly handler?: string;
  readonly env: Readonly<Record<string, string>>;
  /** Logical id of its execution role (`Role: Fn::GetAtt [ROLE, Arn]`), when the template makes it. */
  readonly role?: string;
}

/** An EventBridge pattern: field → accepted values, nested for `detail`. */
export interface EventPattern {
  readonly [field: string]: readonly JsonValue[] | EventPattern;
}

export interface StatusChangeRule {
  readonly logicalId: string;
  readonly name: string;
  readonly pattern: EventPattern;
  /** The Lambda functions the rule targets, each with what it is given (the event, or a transformed one). */
  readonly targets: readonly { readonly arn: string; readonly input: TargetInput }[];
}

/** A custom EventBridge bus (the default bus only carries the status-change events above). */
export interface LocalEventBus {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

/** A rule on a custom bus: its Lambda targets get each matching event put on that bus. */
export interface BusRule {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly pattern: EventPattern;
  readonly targets: readonly { readonly arn: string; readonly input: TargetInput }[];
}

export interface LocalSecret {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `SecretString` when the template sets one; absent for a generated secret. */
  readonly secretString?: string;
}

/** A Lambda function URL: the local engine serves it on loopback (lib/local/function-url-server.ts). */
export interface LocalFunctionUrl {
  readonly logicalId: string;
  readonly functionName: string;
  readonly authType: string;
}

/** A CodeBuild project: `codebuild:startBuild` on it starts a local runner with its environment. */
export interface LocalProject {
  readonly logicalId: string;
  readonly name: string;
  /** Environment.EnvironmentVariables (PLAINTEXT), as the build would see them. */
  readonly env: Readonly<Record<string, string>>;
  /** Logical id of its service role (`ServiceRole: Fn::GetAtt [ROLE, Arn]`): what a build's calls run as. */
  readonly role?: string;
}

export interface LocalTable {
  readonly logicalId: string;
  readonly name: string;
  readonly keySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly attributeDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly globalSecondaryIndexes?: readonly JsonValue[];
  readonly localSecondaryIndexes?: readonly JsonValue[];
}

export interface LocalTemplate {
  readonly stateMachines: readonly LocalStateMachine[];
  readonly functions: readonly LocalFunction[];
  readonly rules: readonly StatusChangeRule[];
  readonly tables: readonly LocalTable[];
  readonly eventBuses: readonly LocalEventBus[];
  readonly busRules: readonly BusRule[];
  readonly secrets: readonly LocalSecret[];
  readonly functionUrls: readonly LocalFunctionUrl[];
  readonly projects: readonly LocalProject[];
  /** Scheduled rules with Lambda targets (the lease sweep): lib/local/schedules.ts runs them. */
  readonly schedules: readonly LocalSchedule[];
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A physical name property when it is a plain string; otherwise the logical id stands in for it. */
const physicalName = (resource: Resource, property: string, logicalId: string): string => {
  const value = resource.Properties?.[property];
  return typeof value === 'string' ? value : logicalId;
};

const stateMachineName = (logicalId: string, resource: Resource): string => {
  const workflow = resource.Metadata?.['stepdeploy:workflow'];
  const explicit = resource.Properties?.['StateMachineName'];
  return typeof explicit === 'string' ? explicit : typeof workflow === 'string' ? workflow : logicalId;
};

function scopeOf(resources: Record<string, Resource>, parameters: Record<string, unknown>): IntrinsicScope {
  const arnOf = (logicalId: string, resource: Resource): string | undefined => {
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return lambdaFunctionArn(physicalName(resource, 'FunctionName', logicalId));
      case 'AWS::DynamoDB::Table':
        return dynamodbTableArn(physicalName(resource, 'TableName', logicalId));
      case 'AWS::CodeBuild::Project':
        return codeBuildProjectArn(physicalName(resource, 'Name', logicalId));
      case 'AWS::StepFunctions::StateMachine':
        return stateMachineArn(stateMachineName(logicalId, resource));
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${physicalName(resource, 'RoleName', logicalId)}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${physicalName(resource, 'Name', logicalId)}`;
      case 'AWS::Events::EventBus':
        return eventBusArn(physicalName(resource, 'Name', logicalId));
      case 'AWS::SecretsManager::Secret':
        return secretArn(physicalName(resource, 'Name', logicalId));
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${physicalName(resource, 'LogGroupName', logicalId)}:*`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${logicalId}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${physicalName(resource, 'BucketName', logicalId).toLowerCase()}`;
      default:
        return undefined;
    }
  };
  return {
    ref(logicalId) {
      const resource = resources[logicalId];
      if (!resource) {
        const parameter = parameters[logicalId];
        return isRecord(parameter) && typeof parameter['Default'] === 'string' ? parameter['Default'] : undefined;
      }
      switch (resource.Type) {
        case 'AWS::StepFunctions::StateMachine':
          return arnOf(logicalId, resource);
        case 'AWS::Lambda::Function':
          return physicalName(resource, 'FunctionName', logicalId);
        case 'AWS::DynamoDB::Table':
          return physicalName(resource, 'TableName', logicalId);
        case 'AWS::CodeBuild::Project':
        case 'AWS::Events::Rule':
          return physicalName(resource, 'Name', logicalId);
        case 'AWS::IAM::Role':
          return physicalName(resource, 'RoleName', logicalId);
        case 'AWS::Events::EventBus':
          return physicalName(resource, 'Name', logicalId);
        case 'AWS::Logs::LogGroup':
          return physicalName(resource, 'LogGroupName', logicalId);
        case 'AWS::S3::Bucket':
          return physicalName(resource, 'BucketName', logicalId).toLowerCase();
        case 'AWS::SecretsManager::Secret':
          return arnOf(logicalId, resource);
        default:
          return logicalId;
      }
    },
    getAtt(logicalId, attribute) {
      const resource = resources[logicalId];
      if (!resource) return undefined;
      if (attribute === 'Arn') return arnOf(logicalId, resource);
      if (attribute === 'Name' && resource.Type === 'AWS::StepFunctions::StateMachine') return stateMachineName(logicalId, resource);
      return undefined;
    },
  };
}

/** The logical id of a role given as `Fn::GetAtt [ROLE, Arn]`. */
function roleOf(resource: Resource, property: string): { role: string } | Record<string, never> {
  const value = resource.Properties?.[property];
  const getAtt = isRecord(value) ? value['Fn::GetAtt'] : undefined;
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn' ? { role: getAtt[0] } : {};
}

const describe = (logicalId: string, resource: Resource): string => `Resource '${logicalId}' (${resource.Type})`;

function readDefinition(logicalId: string, resource: Resource, scope: IntrinsicScope, name: string): StateMachineDefinition {
  const where = describe(logicalId, resource);
  const properties = resource.Properties ?? {};
  let text: string;
  if (properties['DefinitionString'] !== undefined) {
    const resolved = resolveIntrinsics(properties['DefinitionString'], scope, where, 'Properties.DefinitionString');
    if (typeof resolved !== 'string') throw new TemplateError(`${where} Properties.DefinitionString: expected a string after resolving intrinsics`);
    text = resolved;
  } else if (properties['Definition'] !== undefined) {
    text = JSON.stringify(resolveIntrinsics(properties['Definition'], scope, where, 'Properties.Definition'));
  } else {
    throw new TemplateError(`${where} Properties: needs DefinitionString or Definition (DefinitionS3Location is not supported locally)`);
  }
  const substitutions = properties['DefinitionSubstitutions'];
  if (substitutions !== undefined) {
    const values = resolveIntrinsics(substitutions, scope, where, 'Properties.DefinitionSubstitutions');
    if (!isRecord(values)) throw new TemplateError(`${where} Properties.DefinitionSubstitutions: expected an object`);
    text = text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
      const value = values[key];
      return value === undefined ? whole : typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new TemplateError(`${where} Properties.DefinitionString: not valid JSON after resolving intrinsics (${(error as Error).message})`);
  }
  if (!isRecord(definition) || typeof definition['StartAt'] !== 'string' || !isRecord(definition['States'])) {
    throw new TemplateError(`${where} Properties.DefinitionString: a definition needs StartAt and States`);
  }
  checkLocallySupported(definition as unknown as StateMachineDefinition, name);
  return definition as unknown as StateMachineDefinition;
}

function readFunction(logicalId: string, resource: Resource, scope: IntrinsicScope): LocalFunction {
  const where = describe(logicalId, resource);
  const variables = isRecord(resource.Properties?.['Environment']) ? resource.Properties['Environment']['Variables'] : undefined;
  const resolved = variables === undefined ? {} : resolveIntrinsics(variables, scope, where, 'Properties.Environment.Variables');
  if (!isRecord(resolved)) throw new TemplateError(`${where} Properties.Environment.Variables: expected an object`);
  const env = Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  const handler = resource.Metadata?.['stepdeploy:handler'];
  const name = physicalName(resource, 'FunctionName', logicalId);
  return { logicalId, name, arn: lambdaFunctionArn(name), ...(typeof handler === 'string' ? { handler } : {}), env, ...roleOf(resource, 'Role') };
}

function readProject(logicalId: string, resource: Resource, scope: IntrinsicScope): LocalProject {
  const where = describe(logicalId, resource);
  const environment = isRecord(resource.Properties?.['Environment']) ? resource.Properties['Environment'] : {};
  const variables = Array.isArray(environment['EnvironmentVariables']) ? environment['EnvironmentVariables'] : [];
  const env: Record<string, string> = {};
  variables.forEach((variable: unknown, index) => {
    const at = `Properties.Environment.EnvironmentVariables[${index}]`;
    if (!isRecord(variable) || typeof variable['Name'] !== 'string') throw new TemplateError(`${where} ${at}: expected { Name, Value }`);
    // The runner bundle's S3 location: locally the engine runs lib/runner from source instead.
    if (variable['Name'] === 'STEPDEPLOY_RUNNER_BUNDLE') return;
    if (variable['Type'] !== undefined && variable['Type'] !== 'PLAINTEXT') {
      throw new TemplateError(`${where} ${at}: ${variable['Name']} has Type ${String(variable['Type'])}; only PLAINTEXT is available locally`);
    }
    const value = resolveIntrinsics(variable['Value'], scope, where, `${at}.Value`);
    env[variable['Name']] = typeof value === 'string' ? value : JSON.stringify(value);
  });
  return { logicalId, name: physicalName(resource, 'Name', logicalId), env, ...roleOf(resource, 'ServiceRole') };
}

function checkPattern(pattern: JsonValue, where: string, path: string): EventPattern {
  if (!isRecord(pattern)) throw new TemplateError(`${where} ${path}: an event pattern must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (Array.isArray(value)) {
      // Exact values and `prefix` filters (what stepdeploy's own rules use); other filters are refused.
      const filter = value.find((item) => typeof item === 'object' && item !== null && !isPrefixFilter(item));
      if (filter !== undefined) throw new TemplateError(`${where} ${at}: content filter ${JSON.stringify(filter)} is not supported locally (exact values only)`);
    } else {
      checkPattern(value as JsonValue, where, at);
    }
  }
  return pattern as EventPattern;
}

function isPrefixFilter(item: unknown): boolean {
  return isRecord(item) && Object.keys(item).length === 1 && typeof item['prefix'] === 'string';
}

/** A rule on a custom bus; its targets may reshape the event (Input, InputPath, InputTransformer). */
function readBusRule(logicalId: string, resource: Resource, scope: IntrinsicScope, busName: string): BusRule {
  const properties = resource.Properties ?? {};
  const where = describe(logicalId, resource);
  const pattern = checkPattern(resolveIntrinsics(properties['EventPattern'], scope, where, 'Properties.EventPattern'), where, 'Properties.EventPattern');
  const targets = (Array.isArray(properties['Targets']) ? properties['Targets'] : []).map((target, index) => {
    const at = `Properties.Targets[${index}]`;
    if (!isRecord(target)) throw new TemplateError(`${where} ${at}: expected an object`);
    const arn = resolveIntrinsics(target['Arn'], scope, where, `${at}.Arn`);
    if (typeof arn !== 'string' || !arn.includes(':lambda:')) {
      throw new TemplateError(`${where} ${at}.Arn: only Lambda targets are delivered locally (got ${JSON.stringify(arn)})`);
    }
    return { arn, input: readTargetInput(target, scope, where, at) };
  });
  const name = physicalName(resource, 'Name', logicalId);
  return { logicalId, name, arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${busName}/${name}`, busName, pattern, targets };
}

/** The bus a rule listens on, by name; undefined for the default bus. */
function ruleBusName(logicalId: string, resource: Resource, scope: IntrinsicScope): string | undefined {
  const given = resource.Properties?.['EventBusName'];
  if (given === undefined) return undefined;
  const resolved = resolveIntrinsics(given, scope, describe(logicalId, resource), 'Properties.EventBusName');
  if (typeof resolved !== 'string') throw new TemplateError(`${describe(logicalId, resource)} Properties.EventBusName: expected a string`);
  const name = resolved.startsWith('arn:') ? resolved.slice(resolved.lastIndexOf('/') + 1) : resolved;
  return name === 'default' ? undefined : name;
}

/** A rule for "Step Functions Execution Status Change" events, or undefined for any other rule. */
function readRule(logicalId: string, resource: Resource, scope: IntrinsicScope): StatusChangeRule | undefined {
  const properties = resource.Properties ?? {};
  if (properties['EventPattern'] === undefined || properties['State'] === 'DISABLED') return undefined;
  const where = describe(logicalId, resource);
  const pattern = resolveIntrinsics(properties['EventPattern'], scope, where, 'Properties.EventPattern');
  const sources = isRecord(pattern) ? pattern['source'] : undefined;
  if (!Array.isArray(sources) || !sources.includes('aws.states')) return undefined;
  const checked = checkPattern(pattern, where, 'Properties.EventPattern');
  const targets = (Array.isArray(properties['Targets']) ? properties['Targets'] : []).flatMap((target, index) => {
    const at = `Properties.Targets[${index}]`;
    if (!isRecord(target)) throw new TemplateError(`${where} ${at}: expected an object`);
    const arn = resolveIntrinsics(target['Arn'], scope, where, `${at}.Arn`);
    return typeof arn === 'string' && arn.includes(':lambda:') ? [{ arn, input: readTargetInput(target, scope, where, at) }] : [];
  });
  return { logicalId, name: physicalName(resource, 'Name', logicalId), pattern: checked, targets };
}

/** A scheduled rule on the default bus with Lambda targets; undefined for any other rule. */
function readSchedule(logicalId: string, resource: Resource, scope: IntrinsicScope): LocalSchedule | undefined {
  const properties = resource.Properties ?? {};
  if (properties['ScheduleExpression'] === undefined || properties['State'] === 'DISABLED') return undefined;
  const where = describe(logicalId, resource);
  const targets = (Array.isArray(properties['Targets']) ? properties['Targets'] : []).flatMap((target, index): string[] => {
    const arn = isRecord(target) ? resolveIntrinsics(target['Arn'], scope, where, `Properties.Targets[${index}].Arn`) : undefined;
    return typeof arn === 'string' && arn.includes(':lambda:') ? [arn] : [];
  });
  // A workflow's on.schedule starts its state machine: an AWS schedule, not run locally.
  if (targets.length === 0) return undefined;
  const expression = resolveIntrinsics(properties['ScheduleExpression'], scope, where, 'Properties.ScheduleExpression');
  if (typeof expression !== 'string') throw new TemplateError(`${where} Properties.ScheduleExpression: expected a string`);
  const arn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${physicalName(resource, 'Name', logicalId)}`;
  return { logicalId, arn, expression, intervalMs: rateIntervalMs(expression, where), targets };
}

function readTable(logicalId: string, resource: Resource): LocalTable {
  const properties = resource.Properties ?? {};
  const where = describe(logicalId, resource);
  if (!Array.isArray(properties['KeySchema']) || !Array.isArray(properties['AttributeDefinitions'])) {
    throw new TemplateError(`${where} Properties: needs KeySchema and AttributeDefinitions`);
  }
  return {
    logicalId,
    name: physicalName(resource, 'TableName', logicalId),
    keySchema: properties['KeySchema'] as LocalTable['keySchema'],
    attributeDefinitions: properties['AttributeDefinitions'] as LocalTable['attributeDefinitions'],
    ...(Array.isArray(properties['GlobalSecondaryIndexes']) ? { globalSecondaryIndexes: properties['GlobalSecondaryIndexes'] as JsonValue[] } : {}),
    ...(Array.isArray(properties['LocalSecondaryIndexes']) ? { localSecondaryIndexes: properties['LocalSecondaryIndexes'] as JsonValue[] } : {}),
  };
}

/** What Ref and Fn::GetAtt resolve to in this template, locally (the IAM check resolves policies with it). */
export function templateScope(template: { Resources: Record<string, unknown>; Parameters?: Record<string, unknown> }): IntrinsicScope {
  return scopeOf(template.Resources as Record<string, Resource>, template.Parameters ?? {});
}

/** Reads one synthesized template. Throws TemplateError naming the resource and the path. */
export function readLocalTemplate(template: unknown): LocalTemplate {
  if (!isRecord(template) || !isRecord(template['Resources'])) throw new TemplateError('Template: expected an object with Resources');
  const resources = template['Resources'] as Record<string, Resource>;
  const parameters = isRecord(template['Parameters']) ? template['Parameters'] : {};
  const scope = scopeOf(resources, parameters);
  const stateMachines: LocalStateMachine[] = [];
  const functions: LocalFunction[] = [];
  const rules: StatusChangeRule[] = [];
  const schedules: LocalSchedule[] = [];
  const tables: LocalTable[] = [];
  const eventBuses: LocalEventBus[] = [];
  const busRules: BusRule[] = [];
  const secrets: LocalSecret[] = [];
  const functionUrls: LocalFunctionUrl[] = [];
  const projects: LocalProject[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') throw new TemplateError(`Resource '${logicalId}': expected an object with Type`);
    switch (resource.Type) {
      case 'AWS::StepFunctions::StateMachine': {
        const name = stateMachineName(logicalId, resource);
        const workflow = resource.Metadata?.['stepdeploy:workflow'];
        stateMachines.push({
          logicalId,
          id: typeof workflow === 'string' ? workflow : logicalId,
          name,
          arn: stateMachineArn(name),
          definition: readDefinition(logicalId, resource, scope, name),
          ...roleOf(resource, 'RoleArn'),
        });
        break;
      }
      case 'AWS::Lambda::Function':
        functions.push(readFunction(logicalId, resource, scope));
        break;
      case 'AWS::Events::Rule': {
        const busName = ruleBusName(logicalId, resource, scope);
        const enabled = resource.Properties?.['EventPattern'] !== undefined && resource.Properties['State'] !== 'DISABLED';
        if (busName !== undefined) {
          if (enabled) busRules.push(readBusRule(logicalId, resource, scope, busName));
          break;
        }
        const rule = readRule(logicalId, resource, scope);
        if (rule) rules.push(rule);
        const schedule = readSchedule(logicalId, resource, scope);
        if (schedule) schedules.push(schedule);
        break;
      }
      case 'AWS::Events::EventBus': {
        const name = physicalName(resource, 'Name', logicalId);
        eventBuses.push({ logicalId, name, arn: eventBusArn(name) });
        break;
      }
      case 'AWS::SecretsManager::Secret': {
        const name = physicalName(resource, 'Name', logicalId);
        const secretString = resource.Properties?.['SecretString'];
        secrets.push({ logicalId, name, arn: secretArn(name), ...(typeof secretString === 'string' ? { secretString } : {}) });
        break;
      }
      case 'AWS::Lambda::Url': {
        const where = describe(logicalId, resource);
        const target = resolveIntrinsics(resource.Properties?.['TargetFunctionArn'], scope, where, 'Properties.TargetFunctionArn');
        if (typeof target !== 'string') throw new TemplateError(`${where} Properties.TargetFunctionArn: expected a function ARN`);
        const authType = resource.Properties?.['AuthType'];
        functionUrls.push({ logicalId, functionName: lambdaFunctionName(target), authType: typeof authType === 'string' ? authType : 'NONE' });
        break;
      }
      case 'AWS::DynamoDB::Table':
        tables.push(readTable(logicalId, resource));
        break;
      case 'AWS::CodeBuild::Project':
        projects.push(readProject(logicalId, resource, scope));
        break;
    }
  }
  return { stateMachines, functions, rules, tables, eventBuses, busRules, secrets, functionUrls, projects, schedules };
}

/** Several templates as one; two resources with the same local ARN or name are a mistake. */
export function mergeLocalTemplates(templates: readonly LocalTemplate[]): LocalTemplate {
  const merged = {
    stateMachines: templates.flatMap((t) => t.stateMachines),
    functions: templates.flatMap((t) => t.functions),
    rules: templates.flatMap((t) => t.rules),
    tables: templates.flatMap((t) => t.tables),
    eventBuses: templates.flatMap((t) => t.eventBuses),
    busRules: templates.flatMap((t) => t.busRules),
    secrets: templates.flatMap((t) => t.secrets),
    functionUrls: templates.flatMap((t) => t.functionUrls),
    projects: templates.flatMap((t) => t.projects),
    schedules: templates.flatMap((t) => t.schedules),
  };
  const unique = (kind: string, names: string[]): void => {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new TemplateError(`Templates: two ${kind} resolve to the same local name '${name}'`);
      seen.add(name);
    }
  };
  unique('state machines', merged.stateMachines.map((m) => m.name));
  unique('Lambda functions', merged.functions.map((f) => f.name));
  return merged;
}
