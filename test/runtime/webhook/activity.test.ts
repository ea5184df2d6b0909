import { describe, expect, it } from 'vitest';
import { toActivityDetail, MAX_ACTIVITY_DETAIL_BYTES, type ActivityDetail } from '../../../lib/runtime/webhook/activity-detail';
import { isForkPullRequest, matchesActivity } from '../../../lib/runtime/webhook/activity-filter';
import { activityRulePattern } from '../../../lib/runtime/webhook/events';
import { executionNameForDelivery } from '../../../lib/runtime/webhook/execution-name';
import { workflowRunDetails, type RelayEvent } from '../../../lib/runtime/webhook/workflow-run-relay';

const pr = (action: string, base: string, head = 'octo/app'): ActivityDetail => ({
  delivery: 'd-1',
  action,
  pull_request: { base: { ref: base, repo: { full_name: 'octo/app' } }, head: { ref: 'topic', repo: head === '' ? null : { full_name: head } } },
});

describe('activity payloads → event details (GitHub shape, cut to what workflows read)', () => {
  it('keeps the fields workflows read and drops the rest', () => {
    const result = toActivityDetail('pull_request', 'd-1', {
      action: 'opened',
      number: 3,
      pull_request: { number: 3, title: 'T', head: { ref: 'topic', sha: 'abc', repo: { full_name: 'a/b', hooks_url: 'x' } }, _links: { self: 'y' } },
      repository: { full_name: 'octo/app', forks_url: 'z' },
      installation: { id: 9 },
    });
    expect(result).toEqual({
      kind: 'activity',
      detail: {
        action: 'opened',
        number: 3,
        pull_request: { number: 3, title: 'T', head: { ref: 'topic', sha: 'abc', repo: { full_name: 'a/b' } } },
        repository: { full_name: 'octo/app' },
        delivery: 'd-1',
      },
    });
  });

  it('keeps a repository_dispatch client_payload whole', () => {
    const detail = toActivityDetail('repository_dispatch', 'd-2', { action: 'deploy', client_payload: { nested: { list: [1, 2] } } });
    expect(detail).toEqual({ kind: 'activity', detail: { action: 'deploy', client_payload: { nested: { list: [1, 2] } }, delivery: 'd-2' } });
  });

  it.each<[string, unknown, string]>([
    ['release', [], 'release payload is not a JSON object'],
    ['release', { release: {} }, 'release payload lacks action'],
    ['release', { action: 'published' }, 'release payload lacks release'],
    ['pull_request', { action: 'opened' }, 'pull_request payload lacks pull_request'],
    ['workflow_run', { action: 'completed' }, 'workflow_run payload lacks workflow_run'],
  ])('refuses a %s payload %j', (event, payload, error) => {
    expect(toActivityDetail(event as 'release', 'd', payload)).toEqual({ kind: 'invalid', error });
  });

  it('refuses a payload too large for one event', () => {
    const result = toActivityDetail('repository_dispatch', 'd', { action: 'x', client_payload: { blob: 'a'.repeat(MAX_ACTIVITY_DETAIL_BYTES) } });
    expect(result.kind).toBe('invalid');
  });
});

describe('which deliveries start a workflow', () => {
  it('pull_request: the types, then the base branch through GitHub filter patterns', () => {
    const trigger = { event: 'pull_request', types: ['opened', 'synchronize', 'reopened'], branches: ['main', 'release/**', '!release/old'] } as const;
    expect(matchesActivity(trigger, pr('opened', 'main'))).toBe(true);
    expect(matchesActivity(trigger, pr('synchronize', 'release/1.x/hotfix'))).toBe(true);
    expect(matchesActivity(trigger, pr('opened', 'release/old'))).toBe(false);
    expect(matchesActivity(trigger, pr('closed', 'main'))).toBe(false);
    expect(matchesActivity({ event: 'pull_request_target', types: ['opened'], branchesIgnore: ['dev*'] }, pr('opened', 'develop'))).toBe(false);
  });

  it('release and repository_dispatch: the types, or every type when none are listed', () => {
    expect(matchesActivity({ event: 'release', types: ['published'] }, { delivery: 'd', action: 'published' })).toBe(true);
    expect(matchesActivity({ event: 'release', types: ['published'] }, { delivery: 'd', action: 'created' })).toBe(false);
    expect(matchesActivity({ event: 'repository_dispatch' }, { delivery: 'd', action: 'anything' })).toBe(true);
  });

  it('a pull request is from a fork when its head repository is another one, or deleted', () => {
    expect(isForkPullRequest(pr('opened', 'main'))).toBe(false);
    expect(isForkPullRequest(pr('opened', 'main', 'someone/app'))).toBe(true);
    expect(isForkPullRequest(pr('opened', 'main', ''))).toBe(true);
  });

  it('rule patterns narrow by webhook event and listed actions; pull_request_target listens to pull_request', () => {
    expect(activityRulePattern({ event: 'pull_request_target', types: ['closed'] })).toEqual({
      source: ['stepdeploy.github'],
      'detail-type': ['pull_request'],
      detail: { action: ['closed'] },
    });
    expect(activityRulePattern({ event: 'repository_dispatch' })).toEqual({ source: ['stepdeploy.github'], 'detail-type': ['repository_dispatch'] });
  });

  it('workflow_run: the types, the workflow names, then the run’s head branch', () => {
    const run = (action: string, name: string, branch: string | null): ActivityDetail => ({ delivery: 'd', action, workflow_run: { name, head_branch: branch } });
    const trigger = { event: 'workflow_run', workflows: ['build', 'Test suite'], types: ['completed'], branches: ['main', 'release/**'] } as const;
    expect(matchesActivity(trigger, run('completed', 'build', 'main'))).toBe(true);
    expect(matchesActivity(trigger, run('completed', 'Test suite', 'release/2.x'))).toBe(true);
    expect(matchesActivity(trigger, run('completed', 'test suite', 'main'))).toBe(false);
    expect(matchesActivity(trigger, run('requested', 'build', 'main'))).toBe(false);
    expect(matchesActivity(trigger, run('completed', 'build', 'feature'))).toBe(false);
    // A run without a branch (an API start without a ref) passes only a trigger without branch filters.
    expect(matchesActivity(trigger, run('completed', 'build', null))).toBe(false);
    expect(matchesActivity({ event: 'workflow_run', workflows: ['build'] }, run('in_progress', 'build', null))).toBe(true);
    expect(matchesActivity({ event: 'workflow_run', workflows: ['build'], branchesIgnore: ['wip/*'] }, run('completed', 'build', 'wip/x'))).toBe(false);
    expect(activityRulePattern(trigger)).toEqual({
      source: ['stepdeploy.github'],
      'detail-type': ['workflow_run'],
      detail: { action: ['completed'], workflow_run: { name: ['build', 'Test suite'] } },
    });
  });

  it('workflow_run from a stepdeploy execution: GitHub’s payload shape, requested and in_progress at the start, completed with the conclusion', () => {
    const change = (status: string, input: unknown): RelayEvent => ({
      relay: { name: 'build', path: 'workflows/build.yml' },
      statusChange: { executionArn: 'arn:aws:states:eu-west-1:1:execution:S_build:run-1', name: 'run-1', status, startDate: 0, stopDate: status === 'RUNNING' ? null : 60_000, input: JSON.stringify(input) },
    });
    const push = { inputs: {}, event: { trigger: 'push', ref: 'refs/heads/main', after: 'abc123', repository: 'octo/app', pusher: { name: 'mona' } } };
    const started = workflowRunDetails(change('RUNNING', push));
    expect(started.details.map((detail) => [detail.delivery, detail.action, (detail['workflow_run'] as { status: string }).status])).toEqual([
      ['run-1-requested', 'requested', 'queued'],
      ['run-1-in_progress', 'in_progress', 'in_progress'],
    ]);
    const [completed] = workflowRunDetails(change('FAILED', push)).details;
    expect(completed).toEqual({
      delivery: 'run-1-completed',
      action: 'completed',
      workflow_run: {
        id: 'run-1',
        name: 'build',
        display_title: 'build',
        path: 'workflows/build.yml',
        head_branch: 'main',
        head_sha: 'abc123',
        event: 'push',
        status: 'completed',
        conclusion: 'failure',
        run_number: 1,
        run_attempt: 1,
        html_url: 'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:eu-west-1:1:execution:S_build:run-1',
        created_at: '1970-01-01T00:00:00.000Z',
        updated_at: '1970-01-01T00:01:00.000Z',
        run_started_at: '1970-01-01T00:00:00.000Z',
        actor: { login: 'mona' },
        triggering_actor: { login: 'mona' },
        repository: { full_name: 'octo/app', name: 'app', owner: { login: 'octo' } },
        head_repository: { full_name: 'octo/app', name: 'app', owner: { login: 'octo' } },
      },
      workflow: { name: 'build', path: 'workflows/build.yml' },
      repository: { full_name: 'octo/app', name: 'app', owner: { login: 'octo' } },
      sender: { login: 'mona' },
      stepdeploy: { executionArn: 'arn:aws:states:eu-west-1:1:execution:S_build:run-1', depth: 1 },
    });
    const conclusion = (status: string) => (workflowRunDetails(change(status, push)).details[0]?.['workflow_run'] as { conclusion: string }).conclusion;
    expect(['SUCCEEDED', 'TIMED_OUT', 'ABORTED'].map(conclusion)).toEqual(['success', 'timed_out', 'cancelled']);
    // Each level of workflow_run adds one; a run started by GitHub's own workflow_run counts as the first.
    expect(workflowRunDetails(change('SUCCEEDED', { event: { trigger: 'workflow_run', stepdeploy: { depth: 2 } } })).depth).toBe(3);
    expect(workflowRunDetails(change('SUCCEEDED', { event: { trigger: 'workflow_run' } })).depth).toBe(2);
    expect(workflowRunDetails(change('SUCCEEDED', { event: { trigger: 'test' } })).depth).toBe(1);
  });

  it('names executions by trigger and delivery', () => {
    expect(executionNameForDelivery('0b1c', 'pr-')).toBe('pr-0b1c');
    expect(executionNameForDelivery('not a guid!', 'release-')).toMatch(/^release-[0-9a-f]{40}$/);
  });
});
