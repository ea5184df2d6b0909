// One webhook delivery from GitHub: size limit, signature, event kind, then one event on the bus
// (detail-type: push, pull_request, release or repository_dispatch).
// Every outcome is an HTTP status with a one-line reason that GitHub shows in "Recent Deliveries".

import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ACTIVITY_EVENTS, toActivityDetail, type ActivityEvent } from './activity-detail';
import { PUSH_DETAIL_TYPE, PUSH_EVENT_SOURCE } from './events';
import { toPushDetail } from './push-detail';
import { verifySignature } from './signature';

export interface WebhookRequest {
  /** Header names in lower case (the function URL payload format 2.0 gives them so). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes, exactly as signed. */
  readonly body: Buffer;
}

export interface WebhookResponse {
  readonly statusCode: number;
  readonly body: string;
}

export interface WebhookContext {
  readonly secret: () => Promise<string>;
  readonly eventBridge: EventBridgeClient;
  readonly busName: string;
}

export const MAX_BODY_BYTES = 1024 * 1024;

const reply = (statusCode: number, body: string): WebhookResponse => ({ statusCode, body });

export async function handleWebhookRequest(request: WebhookRequest, context: WebhookContext): Promise<WebhookResponse> {
  // Checked before the signature so that nobody can make us hash arbitrarily large bodies.
  if (request.body.length > MAX_BODY_BYTES) {
    return reply(413, `payload too large: ${request.body.length} bytes, the limit is ${MAX_BODY_BYTES}`);
  }
  const signature = verifySignature(await context.secret(), request.body, request.headers['x-hub-signature-256']);
  if (!signature.ok) return reply(401, signatureProblem[signature.reason]);

  const event = request.headers['x-github-event'];
  if (event === undefined || event === '') return reply(400, 'missing X-GitHub-Event header');
  if (event === 'ping') return reply(200, 'pong');
  const activity = (ACTIVITY_EVENTS as readonly string[]).includes(event) ? (event as ActivityEvent) : undefined;
  if (event !== 'push' && activity === undefined) return reply(202, `ignored: event '${event}' does not start workflows`);

  const delivery = request.headers['x-github-delivery'];
  if (delivery === undefined || delivery === '') return reply(400, 'missing X-GitHub-Delivery header');
  const payload = parsePayload(request);
  if (payload === undefined) return reply(400, `body is not a JSON ${event} payload`);
  let detailType: string;
  let detail: object;
  let accepted: string;
  if (activity !== undefined) {
    const result = toActivityDetail(activity, delivery, payload);
    if (result.kind === 'invalid') return reply(400, result.error);
    [detailType, detail, accepted] = [activity, result.detail, `${activity} ${result.detail.action}`];
  } else {
    const result = toPushDetail(delivery, payload);
    if (result.kind === 'invalid') return reply(400, result.error);
    if (result.kind === 'deletion') return reply(202, 'ignored: the push deletes a ref');
    [detailType, detail, accepted] = [PUSH_DETAIL_TYPE, result.detail, result.detail.ref];
  }

  const put = await context.eventBridge.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: context.busName, Source: PUSH_EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  );
  const failed = put.Entries?.[0];
  if ((put.FailedEntryCount ?? 0) > 0 || failed?.ErrorCode) {
    // 5xx makes GitHub mark the delivery failed, so it can be redelivered (same delivery id).
    return reply(502, `could not put the event on the bus: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim());
  }
  return reply(202, `accepted delivery ${delivery} for ${accepted}`);
}

const signatureProblem = {
  missing: 'missing X-Hub-Signature-256 header',
  malformed: 'malformed X-Hub-Signature-256 header: expected sha256=<64 hex digits>',
  mismatch: 'X-Hub-Signature-256 does not match the body: check the webhook secret',
} as const;

/** GitHub sends JSON, or a form with a `payload` field when the webhook's content type is form. */
function parsePayload(request: WebhookRequest): unknown {
  const text = request.body.toString('utf8');
  const contentType = request.headers['content-type'] ?? '';
  const json = contentType.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text).get('payload') : text;
  if (json === null) return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
