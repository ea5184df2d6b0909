// The `github` context of a run, filled at run start from what started it (lib/model/github-context.ts
// lists the fields and why the others are absent):
//   push (webhook)         → the push: sha = after, ref, repository, actor = the pusher;
//   schedule               → the source the start gives (else empty sha/ref: CodeBuild takes the
//                            project's default source version);
//   API, console, CLI      → event_name workflow_dispatch, sha/ref/repository/actor from the
//                            execution input's `source` (`stepdeploy run` and `start` fill it);
//   pull_request(_target), release, repository_dispatch, workflow_run → that event_name, and sha/ref,
//                            head_ref/base_ref, repository and actor (the sender) as GitHub sets them
//                            for the event (activityFacts).

import type { RunSource } from './run-source';

export interface GithubRunContext {
  readonly sha: string;
  readonly ref: string;
  readonly ref_name: string;
  readonly ref_type: string;
  readonly ref_protected: boolean;
  readonly repository: string;
  readonly repository_owner: string;
  readonly actor: string;
  readonly triggering_actor: string;
  readonly event_name: string;
  readonly run_id: string;
  readonly run_number: number;
  readonly run_attempt: number;
  readonly workflow: string;
  readonly workflow_sha: string;
  readonly server_url: string;
  readonly api_url: string;
  readonly graphql_url: string;
  readonly head_ref: string;
  readonly base_ref: string;
  readonly retention_days: number;
}

export const GITHUB_SERVER_URL = 'https://github.com';
export const GITHUB_API_URL = 'https://api.github.com';

export interface GithubRunInput {
  readonly event: unknown;
  readonly source: RunSource;
  readonly workflowName: string;
  readonly executionName: string;
}

export function githubRunContext({ event, source, workflowName, executionName }: GithubRunInput): GithubRunContext {
  const record = isRecord(event) ? event : {};
  const trigger = record.trigger;
  const push = trigger === 'push';
  const activity = activityFacts(record);
  const eventName = push ? 'push' : trigger === 'schedule' ? 'schedule' : (activity?.eventName ?? 'workflow_dispatch');
  const sha = (push ? text(record.after) : (activity?.sha ?? '')) || (source.sha ?? '');
  const ref = (push ? text(record.ref) : (activity?.ref ?? '')) || (source.ref ?? '');
  const repository = (push ? text(record.repository) : (activity?.repository ?? '')) || (source.repository ?? '');
  const pusher = isRecord(record.pusher) ? text(record.pusher.name) : '';
  const actor = (push ? pusher : (activity?.actor ?? '')) || (source.actor ?? '');
  return {
    sha,
    ref,
    ref_name: refName(ref),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : ref.startsWith('refs/heads/') ? 'branch' : '',
    ref_protected: false,
    repository,
    repository_owner: repository.includes('/') ? repository.slice(0, repository.indexOf('/')) : '',
    actor,
    triggering_actor: actor,
    event_name: eventName,
    run_id: executionName,
    run_number: 1,
    run_attempt: 1,
    workflow: workflowName,
    workflow_sha: sha,
    server_url: GITHUB_SERVER_URL,
    api_url: GITHUB_API_URL,
    graphql_url: `${GITHUB_API_URL}/graphql`,
    head_ref: activity?.headRef ?? '',
    base_ref: activity?.baseRef ?? '',
    retention_days: 90,
  };
}

interface ActivityFacts {
  readonly eventName: string;
  readonly sha: string;
  readonly ref: string;
  readonly headRef: string;
  readonly baseRef: string;
  readonly repository: string;
  readonly actor: string;
}

/**
 * GITHUB_SHA and GITHUB_REF as GitHub documents them per event: pull_request → the merge commit and
 * refs/pull/<n>/merge; pull_request_target → the base branch's last commit and the base branch;
 * release → refs/tags/<tag> (the tagged commit's SHA is not in the payload); repository_dispatch and
 * workflow_run → the default branch (its SHA is not in the payload either).
 */
function activityFacts(event: Record<string, unknown>): ActivityFacts | undefined {
  const trigger = event.trigger;
  if (trigger !== 'pull_request' && trigger !== 'pull_request_target' && trigger !== 'release' && trigger !== 'repository_dispatch' && trigger !== 'workflow_run') return undefined;
  const repo = isRecord(event.repository) ? event.repository : {};
  const facts = { eventName: trigger, repository: text(repo.full_name), actor: isRecord(event.sender) ? text(event.sender.login) : '', headRef: '', baseRef: '' };
  if (trigger === 'release') {
    const tag = isRecord(event.release) ? text(event.release.tag_name) : '';
    return { ...facts, sha: '', ref: tag === '' ? '' : `refs/tags/${tag}` };
  }
  if (trigger === 'repository_dispatch' || trigger === 'workflow_run') {
    const branch = text(repo.default_branch);
    return { ...facts, sha: '', ref: branch === '' ? '' : `refs/heads/${branch}` };
  }
  const pullRequest = isRecord(event.pull_request) ? event.pull_request : {};
  const head = isRecord(pullRequest.head) ? pullRequest.head : {};
  const base = isRecord(pullRequest.base) ? pullRequest.base : {};
  const headRef = text(head.ref);
  const baseRef = text(base.ref);
  if (trigger === 'pull_request_target') return { ...facts, headRef, baseRef, sha: text(base.sha), ref: baseRef === '' ? '' : `refs/heads/${baseRef}` };
  const number = typeof event.number === 'number' ? event.number : pullRequest.number;
  return { ...facts, headRef, baseRef, sha: text(pullRequest.merge_commit_sha), ref: typeof number === 'number' ? `refs/pull/${number}/merge` : '' };
}

/** `refs/heads/main` → `main`, `refs/tags/v1` → `v1`; another ref as it is. */
export function refName(ref: string): string {
  for (const prefix of ['refs/heads/', 'refs/tags/']) if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  return ref;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
