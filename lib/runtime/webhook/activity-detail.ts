// GitHub webhook payloads of the activity events (pull_request, release, repository_dispatch,
// workflow_run; the last also made by lib/runtime/webhook/workflow-run-relay.ts) → the
// Detail put on the bus, which is also the run's `event` (GitHub's `github.event`): the payload's own
// shape, cut to what workflows read, so that it stays under EventBridge's entry limit and expressions
// written for GitHub (`event.pull_request.head.ref`, `event.release.tag_name`,
// `event.client_payload.version`) read the same values here.

export const ACTIVITY_EVENTS = ['pull_request', 'release', 'repository_dispatch', 'workflow_run'] as const;
export type ActivityEvent = (typeof ACTIVITY_EVENTS)[number];

export interface ActivityDetail {
  /** X-GitHub-Delivery: names the execution (a redelivery starts nothing new). */
  readonly delivery: string;
  /** The activity type (`opened`, `published`, the dispatch's `event_type`). */
  readonly action: string;
  readonly [key: string]: unknown;
}

export type ActivityPayloadResult = { readonly kind: 'activity'; readonly detail: ActivityDetail } | { readonly kind: 'invalid'; readonly error: string };

export const MAX_ACTIVITY_DETAIL_BYTES = 240 * 1024;
const MAX_TEXT_CHARS = 4096;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type Shape = true | { readonly [key: string]: Shape } | readonly [Shape];

// What each payload keeps (true: the value as is; an object: those fields; [shape]: each item so).
const user: Shape = { login: true, id: true, type: true };
const repository: Shape = { id: true, name: true, full_name: true, fork: true, private: true, html_url: true, default_branch: true, owner: user };
const ref: Shape = { ref: true, sha: true, label: true, repo: repository, user };
const shapes: Readonly<Record<ActivityEvent, Shape>> = {
  pull_request: {
    action: true,
    number: true,
    pull_request: {
      number: true, id: true, title: true, body: true, state: true, draft: true, merged: true, merge_commit_sha: true,
      html_url: true, user, head: ref, base: ref, labels: [{ name: true }], created_at: true, updated_at: true,
    },
    label: { name: true },
    repository,
    sender: user,
  },
  release: {
    action: true,
    release: {
      id: true, tag_name: true, target_commitish: true, name: true, body: true, draft: true, prerelease: true,
      html_url: true, author: user, created_at: true, published_at: true,
    },
    repository,
    sender: user,
  },
  repository_dispatch: { action: true, branch: true, client_payload: true, repository, sender: user },
  workflow_run: {
    action: true,
    workflow_run: {
      id: true, name: true, display_title: true, path: true, head_branch: true, head_sha: true, event: true, status: true, conclusion: true,
      run_number: true, run_attempt: true, html_url: true, created_at: true, updated_at: true, run_started_at: true, actor: user, triggering_actor: user,
      head_repository: repository, repository,
    },
    workflow: { id: true, name: true, path: true },
    repository,
    sender: user,
  },
};

/** The detail of one delivery of `event`, or why the payload cannot be one. */
export function toActivityDetail(event: ActivityEvent, delivery: string, payload: unknown): ActivityPayloadResult {
  if (!isRecord(payload)) return { kind: 'invalid', error: `${event} payload is not a JSON object` };
  if (typeof payload.action !== 'string') return { kind: 'invalid', error: `${event} payload lacks action` };
  if (event === 'pull_request' && !isRecord(payload.pull_request)) return { kind: 'invalid', error: 'pull_request payload lacks pull_request' };
  if (event === 'release' && !isRecord(payload.release)) return { kind: 'invalid', error: 'release payload lacks release' };
  if (event === 'workflow_run' && !isRecord(payload.workflow_run)) return { kind: 'invalid', error: 'workflow_run payload lacks workflow_run' };
  const kept = keep(payload as Json, shapes[event]) as Record<string, unknown>;
  const detail: ActivityDetail = { ...kept, action: payload.action, delivery };
  if (Buffer.byteLength(JSON.stringify(detail)) > MAX_ACTIVITY_DETAIL_BYTES) {
    return { kind: 'invalid', error: `${event} payload is larger than ${MAX_ACTIVITY_DETAIL_BYTES} bytes once cut to what workflows read (a client_payload or a body that large cannot be an event)` };
  }
  return { kind: 'activity', detail };
}

function keep(value: Json | undefined, shape: Shape): Json | undefined {
  if (value === undefined) return undefined;
  if (shape === true) return typeof value === 'string' && value.length > MAX_TEXT_CHARS && !isRecord(value) ? value.slice(0, MAX_TEXT_CHARS) : value;
  if (Array.isArray(shape)) return Array.isArray(value) ? value.map((item) => keep(item, shape[0]) ?? null) : undefined;
  if (!isRecord(value)) return value === null ? null : undefined;
  const kept: Record<string, Json> = {};
  for (const [key, inner] of Object.entries(shape as Record<string, Shape>)) {
    const item = keep((value as Record<string, Json>)[key], inner);
    if (item !== undefined) kept[key] = item;
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
