// Which activity deliveries start a workflow, as GitHub decides: the activity type must be one of the
// trigger's `types` (GitHub's default set when none are given), and for pull_request(_target) the
// pull request's base branch, for workflow_run the named workflow's run's head branch, must pass
// `branches`/`branches-ignore` (GitHub's filter patterns).

import type { ActivityTrigger } from '../../model/workflow';
import { matchesPatternList } from '../push-filter';
import type { ActivityDetail } from './activity-detail';

export function matchesActivity(trigger: ActivityTrigger, detail: ActivityDetail): boolean {
  if (trigger.types !== undefined && !trigger.types.includes(detail.action)) return false;
  if (trigger.event === 'workflow_run') {
    const run = detail['workflow_run'] as { name?: unknown; head_branch?: unknown } | undefined;
    if (typeof run?.name !== 'string' || !trigger.workflows.includes(run.name)) return false;
    // A run with no branch (started by API without a ref) passes only unfiltered.
    const branch = typeof run.head_branch === 'string' && run.head_branch !== '' ? run.head_branch : undefined;
    return branch === undefined ? trigger.branches === undefined && trigger.branchesIgnore === undefined : branchAllowed(trigger, branch);
  }
  if (trigger.event !== 'pull_request' && trigger.event !== 'pull_request_target') return true;
  const base = baseBranch(detail);
  return base !== undefined && branchAllowed(trigger, base);
}

/** A pull request's base branch, a workflow run's head branch, against the trigger's branch filters. */
function branchAllowed(trigger: { readonly branches?: readonly string[]; readonly branchesIgnore?: readonly string[] }, branch: string): boolean {
  if (trigger.branches !== undefined && !matchesPatternList(trigger.branches, branch)) return false;
  if (trigger.branchesIgnore !== undefined && matchesPatternList(trigger.branchesIgnore, branch)) return false;
  return true;
}

function baseBranch(detail: ActivityDetail): string | undefined {
  const pullRequest = detail['pull_request'] as { base?: { ref?: unknown } } | undefined;
  const ref = pullRequest?.base?.ref;
  return typeof ref === 'string' ? ref.replace(/^refs\/heads\//, '') : undefined;
}

/** A pull request from a fork: GitHub gives its `pull_request` runs no secrets. */
export function isForkPullRequest(detail: ActivityDetail): boolean {
  const pullRequest = detail['pull_request'] as { head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } | undefined;
  const head = pullRequest?.head?.repo;
  // A deleted fork leaves head.repo null: foreign too. (head.repo.fork is no test: a fork's own branches have it.)
  return head === undefined || head === null || head.full_name !== pullRequest?.base?.repo?.full_name;
}
