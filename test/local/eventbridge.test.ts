import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalEngine } from '../../lib/local/engine';
import { parseEventPath } from '../../lib/local/eventbridge/event-path';
import { transformInput, type InputTransformer } from '../../lib/local/eventbridge/input-transformer';
import { readLocalTemplate } from '../../lib/local/template';

// Local EventBridge for custom buses: rules and targets read from the template, patterns matched,
// target input transformed as EventBridge does, Lambda targets run in-process; PutEvents and
// GetSecretValue through the real SDK clients against the engine's API port.

const pushEvent = {
  version: '0',
  id: 'e-1',
  'detail-type': 'push',
  source: 'stepdeploy.github',
  account: '000000000000',
  time: '2026-01-31T12:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { ref: 'refs/heads/ma"in', delivery: 'd-1', changedFiles: ['src/a.ts'], forced: false },
};
const rule = { arn: 'arn:aws:events:us-east-1:000000000000:rule/Bus/PushRule', name: 'PushRule' };
const path = (text: string): readonly (string | number)[] => {
  const parsed = parseEventPath(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.path;
};
const transformer = (template: string, paths: Record<string, string> = {}): InputTransformer => ({
  template,
  pathsMap: Object.fromEntries(Object.entries(paths).map(([name, text]) => [name, path(text)])),
});

describe('transformInput', () => {
  test('an object variable outside quotes is inserted as JSON (the router target CDK synthesizes)', () => {
    const input = transformInput(pushEvent, transformer('{"stateMachineArn":"arn:sm","inputs":{},"detail":<detail>}', { detail: '$.detail' }), rule, 'now');
    expect(input).toEqual({ stateMachineArn: 'arn:sm', inputs: {}, detail: pushEvent.detail });
  });

  test('inside a JSON string a value is inserted as escaped string contents, outside as a JSON value', () => {
    const template = '{"text":"push of <ref> (\\"<forced>\\") by rule <aws.events.rule-name>","ref":<ref>,"list":[9,<ref>,<forced>],"first":<file>}';
    const input = transformInput(pushEvent, transformer(template, { ref: '$.detail.ref', forced: '$.detail.forced', file: '$.detail.changedFiles[0]' }), rule, 'now');
    expect(input).toEqual({
      text: 'push of refs/heads/ma"in ("false") by rule PushRule',
      ref: 'refs/heads/ma"in',
      list: [9, 'refs/heads/ma"in', false],
      first: 'src/a.ts',
    });
  });

  test('a path the event lacks gives null as a value and nothing inside a string', () => {
    const input = transformInput(pushEvent, transformer('{"a":<missing>,"b":"[<missing>]"}', { missing: '$.detail.nope.deeper' }), rule, 'now');
    expect(input).toEqual({ a: null, b: '[]' });
  });

  test('the predefined variables: rule, ingestion time, the event with and without detail', () => {
    const template = '{"arn":"<aws.events.rule-arn>","at":"<aws.events.event.ingestion-time>","bare":<aws.events.event>,"full":<aws.events.event.json>}';
    const input = transformInput(pushEvent, transformer(template), rule, '2026-01-31T12:00:01Z');
    const { detail: _detail, ...bare } = pushEvent;
    expect(input).toEqual({ arn: rule.arn, at: '2026-01-31T12:00:01Z', bare, full: pushEvent });
  });

  test('an object inside a string and a result that is not JSON are refused with the reason', () => {
    expect(() => transformInput(pushEvent, transformer('{"d":"<detail>"}', { detail: '$.detail' }), rule, 'now')).toThrow(
      '<detail> is an object or array inside a JSON string; the local engine inserts objects only as JSON values',
    );
    expect(() => transformInput(pushEvent, transformer('<ref> was pushed', { ref: '$.detail.ref' }), rule, 'now')).toThrow(
      'InputTemplate did not render to JSON, which a Lambda target needs: "refs/heads/ma\\"in" was pushed',
    );
  });
});

const lambdaArn = (logicalId: string): object => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** A bus with two rules (one with a prefix filter and an InputTransformer), a secret and a function URL. */
function busTemplate(): Record<string, any> {
  return {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'pushes' } },
      Recorder: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'stepdeploy:handler': 'recorder' } },
      Failing: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'stepdeploy:handler': 'failing' } },
      Receiver: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { WEBHOOK_SECRET_ARN: { Ref: 'Secret' }, EVENT_BUS_NAME: { Ref: 'Bus' } } } },
        Metadata: { 'stepdeploy:handler': 'webhook' },
      },
      ReceiverUrl: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: lambdaArn('Receiver') } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 48 } } },
      FixedSecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'fixed', SecretString: 'f1xed' } },
      Branches: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { source: ['stepdeploy.github'], 'detail-type': ['push'], detail: { ref: [{ prefix: 'refs/heads/' }] } },
          State: 'ENABLED',
          Targets: [
            {
              Id: 'Target0',
              Arn: lambdaArn('Recorder'),
              InputTransformer: {
                InputPathsMap: { detail: '$.detail', ref: '$.detail.ref' },
                InputTemplate: { 'Fn::Join': ['', ['{"rule":"branches","ref":"<ref>","region":"', { Ref: 'AWS::Region' }, '","detail":<detail>}']] },
              },
            },
          ],
        },
      },
      Everything: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { 'Fn::GetAtt': ['Bus', 'Arn'] },
          EventPattern: { source: ['stepdeploy.github'] },
          Targets: [
            { Id: 'Target0', Arn: lambdaArn('Recorder'), Input: '{"rule":"everything"}' },
            { Id: 'Target1', Arn: lambdaArn('Failing') },
          ],
        },
      },
      Disabled: {
        Type: 'AWS::Events::Rule',
        Properties: { EventBusName: 'pushes', EventPattern: { source: ['stepdeploy.github'] }, State: 'DISABLED', Targets: [{ Id: 'T', Arn: lambdaArn('Recorder') }] },
      },
    },
  };
}

describe('readLocalTemplate: custom buses, secrets, function URLs', () => {
  test('reads the bus, its enabled rules with resolved target input, the secrets and the function URL', () => {
    const template = readLocalTemplate(busTemplate());
    expect(template.eventBuses).toEqual([{ logicalId: 'Bus', name: 'pushes', arn: 'arn:aws:events:us-east-1:000000000000:event-bus/pushes' }]);
    expect(template.busRules).toEqual([
      {
        logicalId: 'Branches',
        name: 'Branches',
        arn: 'arn:aws:events:us-east-1:000000000000:rule/pushes/Branches',
        busName: 'pushes',
        pattern: { source: ['stepdeploy.github'], 'detail-type': ['push'], detail: { ref: [{ prefix: 'refs/heads/' }] } },
        targets: [
          {
            arn: 'arn:aws:lambda:us-east-1:000000000000:function:Recorder',
            input: {
              kind: 'transformer',
              transformer: { pathsMap: { detail: ['detail'], ref: ['detail', 'ref'] }, template: '{"rule":"branches","ref":"<ref>","region":"us-east-1","detail":<detail>}' },
            },
          },
        ],
      },
      {
        logicalId: 'Everything',
        name: 'Everything',
        arn: 'arn:aws:events:us-east-1:000000000000:rule/pushes/Everything',
        busName: 'pushes',
        pattern: { source: ['stepdeploy.github'] },
        targets: [
          { arn: 'arn:aws:lambda:us-east-1:000000000000:function:Recorder', input: { kind: 'constant', value: { rule: 'everything' } } },
          { arn: 'arn:aws:lambda:us-east-1:000000000000:function:Failing', input: { kind: 'event' } },
        ],
      },
    ]);
    expect(template.rules).toEqual([]);
    expect(template.secrets).toEqual([
      { logicalId: 'Secret', name: 'Secret', arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:Secret' },
      { logicalId: 'FixedSecret', name: 'fixed', arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:fixed', secretString: 'f1xed' },
    ]);
    expect(template.functionUrls).toEqual([{ logicalId: 'ReceiverUrl', functionName: 'Receiver', authType: 'NONE' }]);
    expect(template.functions.find((fn) => fn.logicalId === 'Receiver')?.env).toEqual({
      WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:Secret',
      EVENT_BUS_NAME: 'pushes',
    });
  });

  test.each([
    [
      'a wildcard path',
      (t: Record<string, any>) => (t['Resources']['Branches']['Properties']['Targets'][0]['InputTransformer']['InputPathsMap']['ref'] = '$.detail.*'),
      "Resource 'Branches' (AWS::Events::Rule) Properties.Targets[0].InputTransformer.InputPathsMap.ref: '$.detail.*': wildcards are not supported locally",
    ],
    [
      'a reserved variable name',
      (t: Record<string, any>) => (t['Resources']['Branches']['Properties']['Targets'][0]['InputTransformer']['InputPathsMap']['aws.mine'] = '$.id'),
      "Resource 'Branches' (AWS::Events::Rule) Properties.Targets[0].InputTransformer.InputPathsMap.aws.mine: names starting with 'aws.' are reserved by EventBridge",
    ],
    [
      'two input settings on one target',
      (t: Record<string, any>) => (t['Resources']['Branches']['Properties']['Targets'][0]['InputPath'] = '$.detail'),
      "Resource 'Branches' (AWS::Events::Rule) Properties.Targets[0].InputTransformer: a target takes at most one of Input, InputPath and InputTransformer (got InputPath, InputTransformer)",
    ],
    [
      'a constant input that is not JSON',
      (t: Record<string, any>) => (t['Resources']['Everything']['Properties']['Targets'][0]['Input'] = '{rule'),
      "Resource 'Everything' (AWS::Events::Rule) Properties.Targets[0].Input: not valid JSON: {rule",
    ],
    [
      'a target that is not a Lambda function',
      (t: Record<string, any>) => (t['Resources']['Everything']['Properties']['Targets'][1]['Arn'] = 'arn:aws:sqs:us-east-1:000000000000:queue'),
      'Resource \'Everything\' (AWS::Events::Rule) Properties.Targets[1].Arn: only Lambda targets are delivered locally (got "arn:aws:sqs:us-east-1:000000000000:queue")',
    ],
    [
      'a content filter other than prefix',
      (t: Record<string, any>) => (t['Resources']['Everything']['Properties']['EventPattern']['source'] = [{ suffix: '.github' }]),
      'Resource \'Everything\' (AWS::Events::Rule) Properties.EventPattern.source: content filter {"suffix":".github"} is not supported locally (exact values only)',
    ],
  ])('refuses %s, naming the rule and the path', (_what, change, message) => {
    const template = busTemplate();
    change(template);
    expect(() => readLocalTemplate(template)).toThrow(message);
  });
});

describe('the local EventBridge and Secrets Manager APIs', () => {
  let engine: LocalEngine;
  const received: unknown[] = [];
  const warnings: string[] = [];
  const client = (): { region: string; credentials: { accessKeyId: string; secretAccessKey: string } } => ({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  let events: EventBridgeClient;
  let secrets: SecretsManagerClient;

  beforeAll(async () => {
    engine = await LocalEngine.start({
      templates: [busTemplate()],
      webhookSecret: 'w3bhook',
      handlerModules: async (name) => ({
        createHandler: () => async (payload: unknown) => {
          if (name === 'failing') throw new Error('target is down');
          received.push(payload);
          return null;
        },
      }),
    });
    engine.on('warning', (message) => warnings.push(message));
    events = new EventBridgeClient({ endpoint: engine.endpoints.eventBridge, ...client() });
    secrets = new SecretsManagerClient({ endpoint: engine.endpoints.secretsManager, ...client() });
  });
  afterAll(async () => {
    events.destroy();
    secrets.destroy();
    await engine.close();
  });

  test('PutEvents answers with event ids; each matching rule target then gets its input, a failing one is reported', async () => {
    received.length = 0;
    warnings.length = 0;
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'pushes', Source: 'stepdeploy.github', DetailType: 'push', Detail: JSON.stringify({ ref: 'refs/heads/main', n: 1 }) },
          { EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/pushes', Source: 'stepdeploy.github', DetailType: 'push', Detail: '{"ref":"refs/tags/v1"}' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.map((entry) => typeof entry.EventId)).toEqual(['string', 'string']);
    await engine.eventsDelivered();
    // The branch event matches both rules, the tag event only the rule without a ref filter.
    expect(received).toHaveLength(3);
    expect(received).toContainEqual({ rule: 'branches', ref: 'refs/heads/main', region: 'us-east-1', detail: { ref: 'refs/heads/main', n: 1 } });
    expect(received.filter((payload) => JSON.stringify(payload) === '{"rule":"everything"}')).toHaveLength(2);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      new RegExp(`^Rule 'Everything' on bus pushes: delivering event ${put.Entries?.[0]?.EventId} to arn:aws:lambda:us-east-1:000000000000:function:Failing failed: target is down$`),
    );
  });

  test('an entry with malformed detail or for an unknown bus fails alone, with the reason', async () => {
    received.length = 0;
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'pushes', Source: 'stepdeploy.github', DetailType: 'push', Detail: '[1]' },
          { EventBusName: 'elsewhere', Source: 'stepdeploy.github', DetailType: 'push', Detail: '{}' },
          { Source: 'stepdeploy.github', DetailType: 'push', Detail: '{}' },
          { EventBusName: 'pushes', Source: 'stepdeploy.github', Detail: '{}' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(4);
    expect(put.Entries).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: "Event bus elsewhere does not exist locally (the template's custom buses: pushes)." },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: "Event bus default does not exist locally (the template's custom buses: pushes)." },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
    ]);
    await engine.eventsDelivered();
    expect(received).toEqual([]);
  });

  test('GetSecretValue serves the webhook secret given to the engine and SecretString values, by ARN or name', async () => {
    const webhook = await secrets.send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:Secret' }));
    expect(webhook).toMatchObject({ Name: 'Secret', SecretString: 'w3bhook', VersionStages: ['AWSCURRENT'] });
    expect(webhook.CreatedDate).toBeInstanceOf(Date);
    expect(engine.webhookSecret).toBe('w3bhook');
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'fixed' }))).SecretString).toBe('f1xed');
    const missing = secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }));
    await expect(missing).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
  });

  test('the engine lists the function URL with the handler it runs', () => {
    expect(engine.functionUrls).toEqual([{ logicalId: 'ReceiverUrl', functionName: 'Receiver', authType: 'NONE', handler: 'webhook' }]);
  });
});
