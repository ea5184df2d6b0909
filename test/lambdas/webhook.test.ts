import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlEvent, type WebhookDeps } from '../../lambdas/webhook/handler';
import { signatureHeader } from '../../lib/runtime/webhook/signature';

const SECRET = 'webhook-secret';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:webhook';
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

const payload = {
  ref: 'refs/heads/main',
  before: '0'.repeat(39) + '1',
  after: '0'.repeat(39) + '2',
  deleted: false,
  repository: { full_name: 'octo/app' },
  pusher: { name: 'mona', email: 'mona@example.com' },
  head_commit: { id: 'c2', message: 'ship it', timestamp: '2026-03-01T10:00:00Z', url: 'https://github.com/octo/app/commit/c2', author: { username: 'mona' } },
  commits: [{ added: ['src/a.ts'], modified: ['README.md'], removed: [] }],
};

const eventBridge = mockClient(EventBridgeClient);
const secrets = mockClient(SecretsManagerClient);
let now = 0;

function deps(): WebhookDeps {
  return {
    env: { WEBHOOK_SECRET_ARN: SECRET_ARN, EVENT_BUS_NAME: 'stepdeploy-bus' },
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    sfn: new SFNClient({ region: 'us-east-1' }),
    eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    now: () => now,
  };
}

/** A delivery as the function URL hands it over: lower-case headers, the body as text. */
function delivery(options: { event?: string; body?: string; headers?: Record<string, string>; signature?: string | null } = {}): FunctionUrlEvent {
  const body = options.body ?? JSON.stringify(payload);
  const signature = options.signature === undefined ? signatureHeader(SECRET, body) : options.signature;
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': options.event ?? 'push',
      'x-github-delivery': DELIVERY,
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
      ...options.headers,
    },
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST' } },
  };
}

beforeEach(() => {
  now = 0;
  eventBridge.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe('webhook handler', () => {
  it('puts a verified push on the bus with the delivery id and the changed files', async () => {
    const response = await createHandler(deps())(delivery());
    expect(response).toEqual({
      statusCode: 202,
      body: `accepted delivery ${DELIVERY} for refs/heads/main`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const [entry] = calls[0]!.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({ EventBusName: 'stepdeploy-bus', Source: 'stepdeploy.github', DetailType: 'push' });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual({
      delivery: DELIVERY,
      ref: 'refs/heads/main',
      before: payload.before,
      after: payload.after,
      repository: 'octo/app',
      pusher: { name: 'mona', email: 'mona@example.com' },
      headCommit: { id: 'c2', message: 'ship it', timestamp: '2026-03-01T10:00:00Z', url: 'https://github.com/octo/app/commit/c2', author: 'mona' },
      changedFiles: ['README.md', 'src/a.ts'],
    });
  });

  it('verifies a base64-encoded body on its decoded bytes', async () => {
    const body = JSON.stringify(payload);
    const event = { ...delivery({ body }), body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
    expect((await createHandler(deps())(event)).statusCode).toBe(202);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('accepts the form content type GitHub can be set to', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const event = delivery({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await createHandler(deps())(event)).statusCode).toBe(202);
  });

  it.each([
    ['a missing signature header', delivery({ signature: null }), 'missing X-Hub-Signature-256 header'],
    ['a malformed signature header', delivery({ signature: 'sha1=abc' }), 'malformed X-Hub-Signature-256 header: expected sha256=<64 hex digits>'],
    ['a signature made with another secret', delivery({ signature: signatureHeader('wrong', JSON.stringify(payload)) }),
      'X-Hub-Signature-256 does not match the body: check the webhook secret'],
    ['a body changed after signing', { ...delivery(), body: JSON.stringify({ ...payload, ref: 'refs/heads/evil' }) },
      'X-Hub-Signature-256 does not match the body: check the webhook secret'],
  ])('answers 401 to %s and puts nothing on the bus', async (_case, event, body) => {
    expect(await createHandler(deps())(event)).toMatchObject({ statusCode: 401, body });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('answers 413 to a body over 1 MiB without hashing it', async () => {
    const body = 'x'.repeat(1024 * 1024 + 1);
    expect(await createHandler(deps())(delivery({ body }))).toMatchObject({
      statusCode: 413,
      body: 'payload too large: 1048577 bytes, the limit is 1048576',
    });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("answers GitHub's ping with pong", async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(await createHandler(deps())(delivery({ event: 'ping', body }))).toMatchObject({ statusCode: 200, body: 'pong' });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('acknowledges other events without acting on them', async () => {
    expect(await createHandler(deps())(delivery({ event: 'issues', body: '{}' }))).toMatchObject({
      statusCode: 202,
      body: "ignored: event 'issues' does not start workflows",
    });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('acknowledges a push that deletes a branch without starting anything', async () => {
    const body = JSON.stringify({ ...payload, deleted: true });
    expect(await createHandler(deps())(delivery({ body }))).toMatchObject({ statusCode: 202, body: 'ignored: the push deletes a ref' });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it.each([
    ['no event header', delivery({ headers: { 'x-github-event': '' } }), 'missing X-GitHub-Event header'],
    ['no delivery header', delivery({ headers: { 'x-github-delivery': '' } }), 'missing X-GitHub-Delivery header'],
    ['a body that is not JSON', delivery({ body: 'not json' }), 'body is not a JSON push payload'],
    ['a push without a ref', delivery({ body: JSON.stringify({ ...payload, ref: 1 }) }), 'push payload lacks ref, before, after or repository.full_name'],
  ])('answers 400 to a signed delivery with %s', async (_case, event, body) => {
    expect(await createHandler(deps())(event)).toMatchObject({ statusCode: 400, body });
  });

  it('answers 502 when the bus refuses the event, so GitHub shows the delivery as failed', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    expect(await createHandler(deps())(delivery())).toMatchObject({
      statusCode: 502,
      body: 'could not put the event on the bus: InternalFailure try again',
    });
  });

  it('refuses methods other than POST', async () => {
    const event = { ...delivery(), requestContext: { http: { method: 'GET' } } };
    expect(await createHandler(deps())(event)).toMatchObject({ statusCode: 405, body: 'method GET not allowed: GitHub delivers with POST' });
  });

  it('reads the secret once per five minutes', async () => {
    const handle = createHandler(deps());
    await handle(delivery());
    now = 299_999;
    await handle(delivery());
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 300_000;
    await handle(delivery());
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads the secret again after a failed read', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).rejectsOnce(new Error('throttled')).resolves({ SecretString: SECRET });
    const handle = createHandler(deps());
    await expect(handle(delivery())).rejects.toThrow('throttled');
    expect((await handle(delivery())).statusCode).toBe(202);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('names a missing environment variable when it is created', () => {
    expect(() => createHandler({ ...deps(), env: { EVENT_BUS_NAME: 'bus' } })).toThrow(
      'webhook handler: environment variable WEBHOOK_SECRET_ARN is not set',
    );
  });
});
