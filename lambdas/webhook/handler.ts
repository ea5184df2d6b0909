// Function URL handler for GitHub webhooks (payload format 2.0). Environment:
//   WEBHOOK_SECRET_ARN  the Secrets Manager secret holding the webhook secret (a plain string)
//   EVENT_BUS_NAME      the custom bus that receives `stepdeploy.github` / `push` events

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { HandlerDeps } from '../../lib/runtime/deps';
import { handleWebhookRequest, type WebhookResponse } from '../../lib/runtime/webhook/handle-request';
import { cachedSecret } from '../../lib/runtime/webhook/secret';

export interface WebhookDeps extends HandlerDeps {
  readonly eventBridge: EventBridgeClient;
  readonly secrets: SecretsManagerClient;
}

/** The parts of a function URL request (payload format 2.0) this handler reads. */
export interface FunctionUrlEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

export interface FunctionUrlResult extends WebhookResponse {
  readonly headers: Readonly<Record<string, string>>;
}

export function createHandler(deps: WebhookDeps): (event: FunctionUrlEvent) => Promise<FunctionUrlResult> {
  const secretId = requireEnv(deps.env, 'WEBHOOK_SECRET_ARN');
  const busName = requireEnv(deps.env, 'EVENT_BUS_NAME');
  const secret = cachedSecret({ client: deps.secrets, secretId, now: deps.now });
  return async (event) => {
    const method = event.requestContext?.http?.method ?? 'POST';
    if (method !== 'POST') return text({ statusCode: 405, body: `method ${method} not allowed: GitHub delivers with POST` });
    const headers = lowerCaseKeys(event.headers ?? {});
    // The signature covers the bytes GitHub sent, so decode before anything else touches them.
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    return text(await handleWebhookRequest({ headers, body }, { secret, eventBridge: deps.eventBridge, busName }));
  };
}

let entry: ReturnType<typeof createHandler> | undefined;

/** AWS entry: clients from the default credential chain, built on the first invocation. */
export const handler = (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
  entry ??= createHandler({
    env: process.env as Record<string, string>,
    dynamodb: new DynamoDBClient({}),
    sfn: new SFNClient({}),
    eventBridge: new EventBridgeClient({}),
    secrets: new SecretsManagerClient({}),
    now: Date.now,
  });
  return entry(event);
};

function text(response: WebhookResponse): FunctionUrlResult {
  return { ...response, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

function lowerCaseKeys(headers: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function requireEnv(env: Readonly<Record<string, string>>, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`webhook handler: environment variable ${name} is not set`);
  return value;
}
