import { describe, expect, it } from 'vitest';
import { executionNameForDelivery } from '../../lib/runtime/webhook/execution-name';
import { pushRulePattern } from '../../lib/runtime/webhook/events';
import { MAX_DETAIL_BYTES, toPushDetail } from '../../lib/runtime/webhook/push-detail';

const pushPayload = {
  ref: 'refs/heads/main',
  before: 'a'.repeat(40),
  after: 'b'.repeat(40),
  created: false,
  deleted: false,
  repository: { full_name: 'octo/app', name: 'app' },
  pusher: { name: 'mona', email: 'mona@example.com' },
  head_commit: {
    id: 'b'.repeat(40),
    message: 'Deploy the thing',
    timestamp: '2026-03-01T10:00:00Z',
    url: 'https://github.com/octo/app/commit/bbb',
    author: { name: 'Mona Lisa', email: 'mona@example.com', username: 'mona' },
  },
  commits: [
    { id: '1', added: ['src/new.ts'], modified: ['README.md'], removed: [] },
    { id: '2', added: [], modified: ['src/new.ts', 'docs/a.md'], removed: ['old.txt'] },
  ],
};

describe('toPushDetail', () => {
  it('keeps what filters and expressions read, with the changed files of all commits', () => {
    expect(toPushDetail('d-1', pushPayload)).toEqual({
      kind: 'push',
      detail: {
        delivery: 'd-1',
        ref: 'refs/heads/main',
        before: 'a'.repeat(40),
        after: 'b'.repeat(40),
        repository: 'octo/app',
        pusher: { name: 'mona', email: 'mona@example.com' },
        headCommit: {
          id: 'b'.repeat(40),
          message: 'Deploy the thing',
          timestamp: '2026-03-01T10:00:00Z',
          url: 'https://github.com/octo/app/commit/bbb',
          author: 'mona',
        },
        changedFiles: ['README.md', 'docs/a.md', 'old.txt', 'src/new.ts'],
      },
    });
  });

  it('has no head commit for a push that adds no commits (a new tag on an old commit)', () => {
    const result = toPushDetail('d-2', { ...pushPayload, ref: 'refs/tags/v1', head_commit: null, commits: [] });
    expect(result.kind === 'push' && result.detail.headCommit).toBeNull();
    expect(result.kind === 'push' && result.detail.changedFiles).toEqual([]);
  });

  it('ignores pushes that delete a ref', () => {
    expect(toPushDetail('d-3', { ...pushPayload, deleted: true })).toEqual({ kind: 'deletion' });
  });

  it.each([
    ['a list', [], 'push payload is not a JSON object'],
    ['a payload without a ref', { ...pushPayload, ref: undefined }, 'push payload lacks ref, before, after or repository.full_name'],
    ['a payload without a repository', { ...pushPayload, repository: null }, 'push payload lacks ref, before, after or repository.full_name'],
  ])('refuses %s', (_case, payload, error) => {
    expect(toPushDetail('d-4', payload)).toEqual({ kind: 'invalid', error });
  });

  it('drops the file list when it would not fit in an event, so path filters let the push through', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `src/module-${i}/a-rather-long-file-name-${i}.ts`);
    const result = toPushDetail('d-5', { ...pushPayload, commits: [{ added: many, modified: [], removed: [] }] });
    expect(result.kind).toBe('push');
    if (result.kind !== 'push') return;
    expect(result.detail.changedFiles).toBeUndefined();
    expect(result.detail.headCommit?.message).toBe('Deploy the thing');
    expect(Buffer.byteLength(JSON.stringify(result.detail))).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
  });

  it('shortens a huge head commit message last', () => {
    const message = 'x'.repeat(MAX_DETAIL_BYTES + 10);
    const result = toPushDetail('d-6', { ...pushPayload, head_commit: { ...pushPayload.head_commit, message } });
    expect(result.kind === 'push' && result.detail.headCommit?.message).toBe('x'.repeat(4096));
  });

  it('gives no file list for a push of more than 1,000 commits, which GitHub always runs (path filters then let it through)', () => {
    const commits = (count: number) => Array.from({ length: count }, (_, i) => ({ id: String(i), added: [], modified: ['a'], removed: [] }));
    const over = toPushDetail('d-7', { ...pushPayload, commits: commits(1001) });
    expect(over.kind === 'push' && 'changedFiles' in over.detail).toBe(false);
    const at = toPushDetail('d-8', { ...pushPayload, commits: commits(1000) });
    expect(at.kind === 'push' && at.detail.changedFiles).toEqual(['a']);
  });
});

describe('executionNameForDelivery', () => {
  it('names the execution after a GUID delivery id', () => {
    expect(executionNameForDelivery('72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe('push-72d3162e-cc78-11e3-81ab-4c9367dc0958');
  });

  it('hashes ids that are not safe execution names, keeping distinct ids distinct', () => {
    const a = executionNameForDelivery('a b');
    const b = executionNameForDelivery('a_b c');
    expect(a).toMatch(/^push-[0-9a-f]{40}$/);
    expect(a).not.toBe(b);
    expect(executionNameForDelivery('x'.repeat(200))).toHaveLength(45);
  });
});

describe('pushRulePattern', () => {
  const base = { source: ['stepdeploy.github'], 'detail-type': ['push'] };

  it('narrows to branch refs when only branches are filtered', () => {
    expect(pushRulePattern({ branches: ['main'] })).toEqual({ ...base, detail: { ref: [{ prefix: 'refs/heads/' }] } });
    expect(pushRulePattern({ branchesIgnore: ['dev'], paths: ['src/**'] })).toEqual({ ...base, detail: { ref: [{ prefix: 'refs/heads/' }] } });
  });

  it('narrows to tag refs when only tags are filtered', () => {
    expect(pushRulePattern({ tags: ['v*'] })).toEqual({ ...base, detail: { ref: [{ prefix: 'refs/tags/' }] } });
  });

  it('takes every push otherwise', () => {
    expect(pushRulePattern({})).toEqual(base);
    expect(pushRulePattern({ branches: ['main'], tags: ['v*'] })).toEqual(base);
  });
});
