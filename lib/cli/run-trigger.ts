// `run --event FILE --event-name NAME`: a local run as if GitHub's event had triggered the workflow,
// as `act push -e event.json` does. The workflow must list the event under `on:` and its filters
// must let it through (the router's own check for push, lib/runtime/push-filter.ts); the execution
// gets the input the trigger would give it in AWS.
import { randomUUID } from 'node:crypto';
import type { Workflow } from '../model/workflow';
import { defaultInputValues, type InputValue } from '../runtime/inputs';
import { matchesPush } from '../runtime/push-filter';
import { toPushDetail } from '../runtime/webhook/push-detail';
import { UsageError } from './args';

export const EVENT_NAMES = ['workflow_dispatch', 'push', 'schedule'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export type Trigger =
  | { readonly run: true; readonly event: Readonly<Record<string, unknown>>; readonly inputs?: Readonly<Record<string, InputValue>>; readonly dispatchInputs?: Readonly<Record<string, string>> }
  | { readonly run: false; readonly reason: string };

/** The `event` of the execution input, and whether the workflow runs for this event at all. */
export function triggerFor(workflow: Workflow, name: EventName, payload: unknown, eventFile: string | undefined): Trigger {
  const source = eventFile === undefined ? `event '${name}'` : `event '${name}' (${eventFile})`;
  const listed = name === 'workflow_dispatch' ? workflow.on.workflowDispatch !== undefined : name === 'push' ? workflow.on.push !== undefined : workflow.on.schedule.length > 0;
  if (!listed) return { run: false, reason: `${workflow.file} is not triggered by ${source}: its 'on:' has no '${name}'` };
  const defaults = defaultInputValues(workflow.on.workflowDispatch?.inputs ?? []);
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
