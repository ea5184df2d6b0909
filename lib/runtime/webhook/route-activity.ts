// The router for activity events (pull_request, pull_request_target, release, repository_dispatch):
// one delivery, already matched by its detail-type, → at most one execution of the workflow whose
// rule sent it. lambdas/router/handler.ts documents what the rule target passes.

import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ActivityTrigger } from '../../model/workflow';
import type { InputValue } from '../inputs';
import { pathsAllowed } from '../push-filter';
import type { ActivityDetail } from './activity-detail';
import { activityRunEvent } from './activity-run-event';
import { executionNameForDelivery } from './execution-name';
import type { RouteResult } from './route-push';

/** What an activity rule's target delivers to the router for one workflow. */
export interface ActivityRouterEvent {
  readonly stateMachineArn: string;
  /** The workflow's trigger for this event, as in the model. */
  readonly activity: ActivityTrigger;
  readonly inputs: Readonly<Record<string, InputValue>>;
  readonly detail: ActivityDetail;
  /** The Secrets Manager name of the workflow's GITHUB_TOKEN, when it has one and path filters need the API. */
  readonly githubToken?: string;
}

/** A pull request's changed files for `paths` filters (lib/runtime/webhook/pull-request-files.ts). */
export type ChangedFiles = (event: ActivityRouterEvent, repository: string, number: number) => Promise<{ readonly files: readonly string[] } | { readonly unknown: string }>;

const namePrefixes: Readonly<Record<ActivityTrigger['event'], string>> = {
  pull_request: 'pr-',
  pull_request_target: 'prt-',
  release: 'release-',
  repository_dispatch: 'dispatch-',
  workflow_run: 'wfrun-',
};

/**
 * Starts the run with `event: { trigger, ...detail }`. A `pull_request` run of a fork's pull request
 * carries `secretsWithheld: true` beside `trigger`, as GitHub gives such runs no secrets
 * (pull_request_target runs in the base repository's context and keeps them).
 */
export async function routeActivity(event: ActivityRouterEvent, sfn: SFNClient, changedFiles?: ChangedFiles): Promise<RouteResult> {
  const { activity, detail } = event;
  const runEvent = activityRunEvent(activity, detail);
  if (runEvent === undefined) return { outcome: 'filtered' };
  if (!(await pathsPass(event, changedFiles))) return { outcome: 'filtered' };
  const name = executionNameForDelivery(detail.delivery, namePrefixes[activity.event]);
  try {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: event.stateMachineArn,
        name,
        input: JSON.stringify({ inputs: event.inputs, event: runEvent }),
      }),
    );
    return { outcome: 'started', executionArn: started.executionArn ?? '' };
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return { outcome: 'duplicate', executionName: name };
    throw error;
  }
}

/** A pull request trigger's `paths`/`paths-ignore` against its changed files (unknown files: it runs, as on GitHub). */
async function pathsPass(event: ActivityRouterEvent, changedFiles: ChangedFiles | undefined): Promise<boolean> {
  const { activity, detail } = event;
  if (activity.event !== 'pull_request' && activity.event !== 'pull_request_target') return true;
  if (activity.paths === undefined && activity.pathsIgnore === undefined) return true;
  const pullRequest = detail['pull_request'] as { number?: unknown; base?: { repo?: { full_name?: unknown } } } | undefined;
  const repository = pullRequest?.base?.repo?.full_name;
  const number = pullRequest?.number ?? detail['number'];
  if (changedFiles === undefined || typeof repository !== 'string' || typeof number !== 'number') return true;
  const result = await changedFiles(event, repository, number);
  return pathsAllowed('files' in result ? result.files : undefined, activity.paths, activity.pathsIgnore);
}

/** Whether a router event comes from an activity rule (it names `activity`) rather than a push rule. */
export function isActivityRouterEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'activity' in event;
}

/** Checks the shape the rule target promises; a mismatch is a wiring bug, reported plainly. */
export function parseActivityRouterEvent(event: unknown): ActivityRouterEvent {
  const record = event as Record<string, unknown> | null;
  const activity = record?.activity as Record<string, unknown> | undefined;
  const detail = record?.detail as Record<string, unknown> | undefined;
  if (
    typeof record?.stateMachineArn !== 'string' ||
    typeof activity?.event !== 'string' ||
    typeof record.inputs !== 'object' ||
    typeof detail?.delivery !== 'string' ||
    typeof detail.action !== 'string'
  ) {
    throw new Error('router event must be { stateMachineArn, activity: { event, … }, inputs, detail: { delivery, action, … } }');
  }
  return record as unknown as ActivityRouterEvent;
}
