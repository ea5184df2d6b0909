// `run --event FILE --event-name NAME` (or `run NAME`): a local run as if GitHub's event had triggered
// the workflow, as `act push -e event.json` does. The workflow must list the event under `on:` and its
// filters must let it through (the router's own checks: lib/runtime/push-filter.ts for push,
// lib/runtime/webhook/activity-filter.ts for pull_request(_target), release, repository_dispatch,
// workflow_run);
// the execution gets the input the trigger would give it in AWS, the payload cut as the webhook cuts it.
import { randomUUID } from 'node:crypto';
import type { Workflow } from '../model/workflow';
import { defaultInputValues, type InputValue } from '../runtime/inputs';
import { matchesPush } from '../runtime/push-filter';
import { toPushDetail } from '../runtime/webhook/push-detail';
import { toActivityDetail } from '../runtime/webhook/activity-detail';
import { activityRunEvent } from '../runtime/webhook/activity-run-event';
import { UsageError } from './args';

const ACTIVITY_NAMES = ['pull_request', 'pull_request_target', 'release', 'repository_dispatch', 'workflow_run'] as const;
export const EVENT_NAMES = ['workflow_dispatch', 'push', 'schedule', ...ACTIVITY_NAMES] as const;
export type EventName = (typeof EVENT_NAMES)[number];
type ActivityName = (typeof ACTIVITY_NAMES)[number];

const isActivityName = (name: EventName): name is ActivityName => (ACTIVITY_NAMES as readonly string[]).includes(name);

/** What an activity payload must hold, as GitHub sends it (the webhook refuses anything less). */
const payloadShape: Readonly<Record<ActivityName, string>> = {
  pull_request: '{ "action": "opened", "pull_request": { "base": { "ref": "main" }, … } }',
  pull_request_target: '{ "action": "opened", "pull_request": { "base": { "ref": "main" }, … } }',
  release: '{ "action": "published", "release": { "tag_name": "v1.0.0", … } }',
  repository_dispatch: '{ "action": "deploy", "client_payload": { … } }',
  workflow_run: '{ "action": "completed", "workflow_run": { "name": "Build", "conclusion": "success", "head_branch": "main", … } }',
};

export type Trigger =
  | { readonly run: true; readonly event: Readonly<Record<string, unknown>>; readonly inputs?: Readonly<Record<string, InputValue>>; readonly dispatchInputs?: Readonly<Record<string, string>> }
  | { readonly run: false; readonly reason: string };

/** The `event` of the execution input, and whether the workflow runs for this event at all. */
export function triggerFor(workflow: Workflow, name: EventName, payload: unknown, eventFile: string | undefined): Trigger {
  const source = eventFile === undefined ? `event '${name}'` : `event '${name}' (${eventFile})`;
  const activity = workflow.on.activities?.find((candidate) => candidate.event === name);
  const listed =
    name === 'workflow_dispatch' ? workflow.on.workflowDispatch !== undefined : name === 'push' ? workflow.on.push !== undefined : name === 'schedule' ? workflow.on.schedule.length > 0 : activity !== undefined;
  if (!listed) return { run: false, reason: `${workflow.file} is not triggered by ${source}: its 'on:' has no '${name}'` };
  const defaults = defaultInputValues(workflow.on.workflowDispatch?.inputs ?? []);
  if (isActivityName(name)) {
    if (payload === undefined) throw new UsageError(`--event-name ${name} needs --event FILE: the webhook payload, at least ${payloadShape[name]}`, 'run');
    const parsed = toActivityDetail(name === 'pull_request_target' ? 'pull_request' : name, `local-${randomUUID()}`, payload);
    if (parsed.kind === 'invalid') throw new UsageError(`--event ${eventFile ?? '(none)'}: ${parsed.error}`, 'run');
    const event = activityRunEvent(activity!, parsed.detail);
    if (event === undefined) return { run: false, reason: `${workflow.file} is not triggered by ${source}: ${describeActivity(name, parsed.detail)} does not pass its on.${name} filters` };
    return { run: true, event, inputs: defaults };
  }
  if (name === 'workflow_dispatch') {
    const given = isRecord(payload) && isRecord(payload['inputs']) ? payload['inputs'] : {};
    const dispatchInputs = Object.fromEntries(Object.entries(given).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    return { run: true, event: { trigger: 'local' }, dispatchInputs };
  }
  if (name === 'schedule') {
    const wanted = isRecord(payload) && typeof payload['schedule'] === 'string' ? payload['schedule'] : workflow.on.schedule[0]!.cron;
    if (!workflow.on.schedule.some((schedule) => schedule.cron === wanted)) {
      return { run: false, reason: `${workflow.file} is not triggered by ${source}: no 'on.schedule' cron is '${wanted}'` };
    }
    return { run: true, event: { trigger: 'schedule', schedule: wanted }, inputs: defaults };
  }
  const pushed = toPushDetail(`local-${randomUUID()}`, payload ?? {});
  if (pushed.kind === 'invalid') throw new UsageError(`--event ${eventFile ?? '(none)'}: ${pushed.error}`, 'run');
  if (pushed.kind === 'deletion') return { run: false, reason: `${workflow.file} is not triggered by ${source}: it deletes ${String((payload as { ref?: unknown }).ref)}` };
  const { detail } = pushed;
  if (!matchesPush(workflow.on.push!, { ref: detail.ref, ...(detail.changedFiles ? { changedFiles: detail.changedFiles } : {}) })) {
    return { run: false, reason: `${workflow.file} is not triggered by ${source}: a push to ${detail.ref}${detail.changedFiles ? ` changing ${detail.changedFiles.length} file(s)` : ''} does not pass its on.push filters` };
  }
  return { run: true, event: { trigger: 'push', ...detail }, inputs: defaults };
}

/** `a pull_request 'opened' to main`, `a release 'published'`: what the filters were asked about. */
function describeActivity(name: ActivityName, detail: Readonly<Record<string, unknown>>): string {
  const base = (detail['pull_request'] as { base?: { ref?: unknown } } | undefined)?.base?.ref;
  return `a ${name} '${String(detail['action'])}'${typeof base === 'string' ? ` to ${base}` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
