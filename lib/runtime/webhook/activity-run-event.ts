// The run's `event` for an activity delivery, shared by the router and `stepdeploy run --event`. Kept
// apart from the router so the CLI builds it without loading the Step Functions client.

import type { ActivityTrigger } from '../../model/workflow';
import type { ActivityDetail } from './activity-detail';
import { isForkPullRequest, matchesActivity } from './activity-filter';

/** The run's `event` for a delivery the trigger lets through (`stepdeploy run --event` builds it here too), else undefined. */
export function activityRunEvent(activity: ActivityTrigger, detail: ActivityDetail): Record<string, unknown> | undefined {
  if (!matchesActivity(activity, detail)) return undefined;
  const withheld = activity.event === 'pull_request' && isForkPullRequest(detail);
  return { trigger: activity.event, ...(withheld && { secretsWithheld: true }), ...detail };
}
