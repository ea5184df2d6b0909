// `on.workflow_run` between this stack's workflows: the status change of an upstream workflow's
// execution becomes the `workflow_run` event GitHub would deliver for a run of that workflow, put on
// the webhook bus beside GitHub's own workflow_run deliveries, so that one rule per downstream
// trigger and the router treat both alike. An execution that starts gives `requested` and
// `in_progress` (Step Functions has no queue before a run starts), one that ends `completed` with
// GitHub's conclusion. As on GitHub, at most three levels of workflow_run chain: a run started by a
// chain three deep starts nothing more.

import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { githubRunContext } from '../github-context';
import { parseRunSource } from '../run-source';
import type { ActivityDetail } from './activity-detail';
import { PUSH_EVENT_SOURCE } from './events';

/** GitHub: "You can't use workflow_run to chain together more than three levels of workflows." */
export const MAX_WORKFLOW_RUN_DEPTH = 3;

/** What a relay rule's target passes: the upstream workflow and the status change's detail. */
export interface RelayEvent {
  readonly relay: { readonly name: string; readonly path: string };
  readonly statusChange: {
    readonly executionArn: string;
    readonly name: string;
    readonly status: string;
    readonly startDate: number;
    readonly stopDate?: number | null;
    readonly input?: string | null;
  };
}

export type RelayResult =
  | { readonly outcome: 'relayed'; readonly actions: readonly string[] }
  | { readonly outcome: 'too deep'; readonly depth: number };

const conclusions: Readonly<Record<string, string>> = { SUCCEEDED: 'success', FAILED: 'failure', TIMED_OUT: 'timed_out', ABORTED: 'cancelled' };

/** The workflow_run details one status change gives (none for a status GitHub has no action for). */
export function workflowRunDetails(event: RelayEvent): { depth: number; details: ActivityDetail[] } {
  const { relay, statusChange } = event;
  const input = parseInput(statusChange.input);
  const upstreamEvent = isRecord(input.event) ? input.event : {};
  const depth = upstreamEvent.trigger === 'workflow_run' ? depthOf(upstreamEvent) + 1 : 1;
  const source = parseRunSource(input.source);
  const github = githubRunContext({ event: upstreamEvent, source: typeof source === 'string' ? {} : source, workflowName: relay.name, executionName: statusChange.name });
  const conclusion = conclusions[statusChange.status];
  const actions = statusChange.status === 'RUNNING' ? ['requested', 'in_progress'] : conclusion === undefined ? [] : ['completed'];
  const started = new Date(statusChange.startDate).toISOString();
  const updated = new Date(statusChange.stopDate ?? statusChange.startDate).toISOString();
  const region = statusChange.executionArn.split(':')[3] ?? '';
  const user = { login: github.actor };
  const repository = { full_name: github.repository, name: github.repository.slice(github.repository.indexOf('/') + 1), owner: { login: github.repository_owner } };
  const details = actions.map((action): ActivityDetail => ({
    delivery: `${statusChange.name}-${action}`,
    action,
    workflow_run: {
      // GitHub's run id is a number; here it is the execution's name, which is also github.run_id.
      id: statusChange.name,
      name: relay.name,
      display_title: relay.name,
      path: relay.path,
      head_branch: github.ref_type === '' ? null : github.ref_name,
      head_sha: github.sha,
      event: github.event_name,
      status: action === 'completed' ? 'completed' : action === 'requested' ? 'queued' : 'in_progress',
      conclusion: action === 'completed' ? conclusion! : null,
      run_number: github.run_number,
      run_attempt: github.run_attempt,
      html_url: `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${statusChange.executionArn}`,
      created_at: started,
      updated_at: updated,
      run_started_at: started,
      actor: user,
      triggering_actor: user,
      repository,
      head_repository: repository,
    },
    workflow: { name: relay.name, path: relay.path },
    repository,
    sender: user,
    // Not GitHub's: what the router needs to bound the chain and to name the upstream execution.
    stepdeploy: { executionArn: statusChange.executionArn, depth },
  }));
  return { depth, details };
}

/** Puts the status change's workflow_run events on the webhook bus (refusing a chain past three levels). */
export async function relayWorkflowRun(event: RelayEvent, eventBridge: EventBridgeClient, busName: string): Promise<RelayResult> {
  const { depth, details } = workflowRunDetails(event);
  if (depth > MAX_WORKFLOW_RUN_DEPTH) return { outcome: 'too deep', depth };
  if (details.length > 0) {
    const put = await eventBridge.send(
      new PutEventsCommand({
        Entries: details.map((detail) => ({ EventBusName: busName, Source: PUSH_EVENT_SOURCE, DetailType: 'workflow_run', Detail: JSON.stringify(detail) })),
      }),
    );
    const failed = put.Entries?.find((entry) => entry.ErrorCode !== undefined);
    // Thrown, so that EventBridge retries the delivery (the execution names keep a retry from starting twice).
    if ((put.FailedEntryCount ?? 0) > 0 || failed) throw new Error(`could not put workflow_run events on ${busName}: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim());
  }
  return { outcome: 'relayed', actions: details.map((detail) => detail.action) };
}

/** Whether a router event comes from a relay rule (it names `relay`). */
export function isRelayEvent(event: unknown): boolean {
  return isRecord(event) && 'relay' in event;
}

/** Checks the shape the relay rule's target promises; a mismatch is a wiring bug, reported plainly. */
export function parseRelayEvent(event: unknown): RelayEvent {
  const record = isRecord(event) ? event : {};
  const relay = isRecord(record.relay) ? record.relay : {};
  const change = isRecord(record.statusChange) ? record.statusChange : {};
  if (typeof relay.name !== 'string' || typeof relay.path !== 'string' || typeof change.executionArn !== 'string' || typeof change.name !== 'string' || typeof change.status !== 'string' || typeof change.startDate !== 'number') {
    throw new Error('router event must be { relay: { name, path }, statusChange: { executionArn, name, status, startDate, … } }');
  }
  return record as unknown as RelayEvent;
}

function depthOf(event: Record<string, unknown>): number {
  const stepdeploy = isRecord(event.stepdeploy) ? event.stepdeploy : {};
  return typeof stepdeploy.depth === 'number' ? stepdeploy.depth : 1;
}

function parseInput(input: string | null | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(input ?? '{}');
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
