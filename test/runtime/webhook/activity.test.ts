import { describe, expect, it } from 'vitest';
import { toActivityDetail, MAX_ACTIVITY_DETAIL_BYTES, type ActivityDetail } from '../../../lib/runtime/webhook/activity-detail';
import { isForkPullRequest, matchesActivity } from '../../../lib/runtime/webhook/activity-filter';
import { activityRulePattern } from '../../../lib/runtime/webhook/events';
import { executionNameForDelivery } from '../../../lib/runtime/webhook/execution-name';

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

  it('names executions by trigger and delivery', () => {
    expect(executionNameForDelivery('0b1c', 'pr-')).toBe('pr-0b1c');
    expect(executionNameForDelivery('not a guid!', 'release-')).toMatch(/^release-[0-9a-f]{40}$/);
  });
});
