import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, type StartExecutionCommandInput } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler as createRouter } from '../../lambdas/router/handler';
import { createHandler as createWebhook } from '../../lambdas/webhook/handler';
import type { HandlerDeps } from '../../lib/runtime/deps';
import type { PushDetail } from '../../lib/runtime/webhook/push-detail';
import type { RouterEvent } from '../../lib/runtime/webhook/route-push';
import { signatureHeader } from '../../lib/runtime/webhook/signature';

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy';
const sfn = mockClient(SFNClient);
const eventBridge = mockClient(EventBridgeClient);
const secrets = mockClient(SecretsManagerClient);

/** Step Functions' naming rule: a second StartExecution with a used name starts nothing. */
let started: StartExecutionCommandInput[];
beforeEach(() => {
  started = [];
  sfn.reset();
  sfn.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
    if (started.some((execution) => execution.name === input.name)) {
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${MACHINE}:${input.name}'`, $metadata: {} });
    }
    started.push(input);
    return { executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date(0) };
  });
});

const deps: HandlerDeps = {
  env: {},
  dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
  sfn: new SFNClient({ region: 'us-east-1' }),
  now: () => 0,
};

const detail: PushDetail = {
  delivery: 'd-1',
  ref: 'refs/heads/main',
  before: 'a',
  after: 'b',
  repository: 'octo/app',
  pusher: { name: 'mona' },
  headCommit: null,
  changedFiles: ['src/app.ts'],
};

const routerEvent = (overrides: Partial<RouterEvent> = {}): RouterEvent => ({
  stateMachineArn: MACHINE,
  push: { branches: ['main'], paths: ['src/**'] },
  inputs: { 'dry-run': false },
  detail,
  ...overrides,
});

describe('router', () => {
  it('starts the workflow for a matching push, named after the delivery, with defaults and the event', async () => {
    expect(await createRouter(deps)(routerEvent())).toEqual({
      outcome: 'started',
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:deploy:push-d-1',
    });
    expect(started).toEqual([
      {
        stateMachineArn: MACHINE,
        name: 'push-d-1',
        input: JSON.stringify({ inputs: { 'dry-run': false }, event: { trigger: 'push', ...detail } }),
      },
    ]);
  });

  it.each([
    ['another branch', { ...detail, ref: 'refs/heads/dev' }],
    ['a tag', { ...detail, ref: 'refs/tags/v1' }],
    ['no changed file under the paths', { ...detail, changedFiles: ['docs/a.md'] }],
  ])('starts nothing for %s', async (_case, pushed) => {
    expect(await createRouter(deps)(routerEvent({ detail: pushed }))).toEqual({ outcome: 'filtered' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('treats a second start for the same delivery as done, not as an error', async () => {
    const route = createRouter(deps);
    await route(routerEvent());
    expect(await route(routerEvent())).toEqual({ outcome: 'duplicate', executionName: 'push-d-1' });
    expect(started).toHaveLength(1);
  });

  it('lets other Step Functions errors fail the invocation, so EventBridge retries it', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('Rate exceeded'));
    await expect(createRouter(deps)(routerEvent())).rejects.toThrow('Rate exceeded');
  });

  it('logs each routing decision with the delivery, the ref and the execution it started', async () => {
    const lines: [string, Record<string, unknown>][] = [];
    const log = { info: (message: string, fields: Record<string, unknown>) => void lines.push([message, fields]), warn: () => undefined };
    const route = createRouter({ ...deps, log });
    await route(routerEvent());
    await route(routerEvent({ detail: { ...detail, delivery: 'd-2', ref: 'refs/heads/dev' } }));
    expect(lines).toEqual([
      ['push routed', { op: 'push', stateMachineArn: MACHINE, delivery: 'd-1', ref: 'refs/heads/main', decision: 'started', executionArn: 'arn:aws:states:us-east-1:000000000000:execution:deploy:push-d-1' }],
      ['push routed', { op: 'push', stateMachineArn: MACHINE, delivery: 'd-2', ref: 'refs/heads/dev', decision: 'filtered' }],
    ]);
  });

  it('names the expected shape when the rule target is wired wrongly', async () => {
    await expect(createRouter(deps)({ detail })).rejects.toThrow(
      'router event must be { stateMachineArn, push, inputs, detail: { delivery, ref, … } }',
    );
  });
});

describe('a redelivered webhook', () => {
  it('starts exactly one execution', async () => {
    secrets.reset();
    eventBridge.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 's3cret' });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const webhook = createWebhook({
      ...deps,
      env: { WEBHOOK_SECRET_ARN: 'arn:secret', EVENT_BUS_NAME: 'bus' },
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    });
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: 'a',
      after: 'b',
      repository: { full_name: 'octo/app' },
      pusher: { name: 'mona' },
      head_commit: null,
      commits: [{ added: ['src/app.ts'], modified: [], removed: [] }],
    });
    const delivery = {
      headers: { 'x-github-event': 'push', 'x-github-delivery': 'guid-1', 'x-hub-signature-256': signatureHeader('s3cret', body) },
      body,
    };
    // GitHub's "Redeliver" sends the same delivery again.
    await webhook(delivery);
    await webhook(delivery);

    // What the rule target hands the router for each event on the bus (see lambdas/router/handler.ts).
    const route = createRouter(deps);
    const outcomes = [];
    for (const call of eventBridge.commandCalls(PutEventsCommand)) {
      const entry = call.args[0].input.Entries?.[0];
      outcomes.push((await route(routerEvent({ detail: JSON.parse(entry?.Detail ?? '{}') as PushDetail }))).outcome);
    }
    expect(outcomes).toEqual(['started', 'duplicate']);
    expect(started.map((execution) => execution.name)).toEqual(['push-guid-1']);
  });
});
