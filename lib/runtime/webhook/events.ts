// The events the webhook puts on the custom bus, and the coarse rule pattern that sends them to the
// router. Glob filters cannot be written as EventBridge patterns; the pattern only narrows by ref
// kind so that the router is not invoked for pushes that can never match.

import type { ActivityTrigger, PushTrigger } from '../../model/workflow';

export const PUSH_EVENT_SOURCE = 'stepdeploy.github';
export const PUSH_DETAIL_TYPE = 'push';

export interface PushRulePattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail?: { readonly ref: readonly { readonly prefix: string }[] };
}

/** The EventPattern of one workflow's push rule (feed to `events.Rule({ eventPattern })`). */
export function pushRulePattern(filter: PushTrigger): PushRulePattern {
  const base = { source: [PUSH_EVENT_SOURCE], 'detail-type': [PUSH_DETAIL_TYPE] };
  const branches = filter.branches !== undefined || filter.branchesIgnore !== undefined;
  const tags = filter.tags !== undefined || filter.tagsIgnore !== undefined;
  if (branches === tags) return base;
  return { ...base, detail: { ref: [{ prefix: branches ? 'refs/heads/' : 'refs/tags/' }] } };
}

export interface ActivityRulePattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail?: { readonly action?: readonly string[]; readonly workflow_run?: { readonly name: readonly string[] } };
}

/**
 * The EventPattern of one workflow's activity rule: the webhook event (pull_request_target workflows
 * listen to GitHub's pull_request deliveries), when the trigger lists types, those actions, and for
 * workflow_run the named workflows.
 */
export function activityRulePattern(trigger: ActivityTrigger): ActivityRulePattern {
  const detailType = trigger.event === 'pull_request_target' ? 'pull_request' : trigger.event;
  const base = { source: [PUSH_EVENT_SOURCE], 'detail-type': [detailType] };
  const detail = {
    ...(trigger.types !== undefined && { action: [...trigger.types] }),
    ...(trigger.event === 'workflow_run' && { workflow_run: { name: [...trigger.workflows] } }),
  };
  return Object.keys(detail).length === 0 ? base : { ...base, detail };
}
