// A GitHub push webhook payload → the Detail of the `push` event put on the bus. The detail keeps
// what filters and expressions need (`event.ref`, `event.headCommit.message`, …) and stays under
// EventBridge's 256 KB entry limit.

export interface PushDetail {
  /** X-GitHub-Delivery: the same for a redelivery, so it names the execution (deduplication). */
  readonly delivery: string;
  readonly ref: string;
  readonly before: string;
  readonly after: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly pusher: { readonly name: string; readonly email?: string };
  readonly headCommit: HeadCommit | null;
  /**
   * Paths added, modified or removed by any pushed commit, sorted. Absent when the payload may not
   * list them all or they do not fit in an event: path filters then let the push through, as GitHub
   * does when it has no diff.
   */
  readonly changedFiles?: readonly string[];
}

export interface HeadCommit {
  readonly id: string;
  readonly message: string;
  readonly timestamp: string;
  readonly url: string;
  readonly author: string;
}

export type PushPayloadResult =
  | { readonly kind: 'push'; readonly detail: PushDetail }
  | { readonly kind: 'deletion' }
  | { readonly kind: 'invalid'; readonly error: string };

/** EventBridge allows 256 KB per entry including source and detail-type; leave room for those. */
export const MAX_DETAIL_BYTES = 240 * 1024;
/** GitHub: "If you push more than 1,000 commits … the workflow will always run" (path filters are not applied). */
const MAX_FILTERED_COMMITS = 1000;
const MAX_MESSAGE_CHARS = 4096;

export function toPushDetail(delivery: string, payload: unknown): PushPayloadResult {
  if (!isRecord(payload)) return { kind: 'invalid', error: 'push payload is not a JSON object' };
  // Pushes that delete a branch or tag do not run push workflows on GitHub.
  if (payload.deleted === true) return { kind: 'deletion' };
  const ref = payload.ref;
  const before = payload.before;
  const after = payload.after;
  const repository = isRecord(payload.repository) ? payload.repository.full_name : undefined;
  if (typeof ref !== 'string' || typeof before !== 'string' || typeof after !== 'string' || typeof repository !== 'string') {
    return { kind: 'invalid', error: 'push payload lacks ref, before, after or repository.full_name' };
  }
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  const detail: PushDetail = {
    delivery,
    ref,
    before,
    after,
    repository,
    pusher: pusherOf(payload.pusher),
    headCommit: headCommitOf(payload.head_commit),
    ...(commits.length <= MAX_FILTERED_COMMITS ? { changedFiles: changedFilesOf(commits) } : {}),
  };
  return { kind: 'push', detail: fitInEvent(detail) };
}

function fitInEvent(detail: PushDetail): PushDetail {
  if (sizeOf(detail) <= MAX_DETAIL_BYTES) return detail;
  const { changedFiles: _dropped, ...withoutFiles } = detail;
  if (sizeOf(withoutFiles) <= MAX_DETAIL_BYTES || withoutFiles.headCommit === null) return withoutFiles;
  const message = withoutFiles.headCommit.message.slice(0, MAX_MESSAGE_CHARS);
  return { ...withoutFiles, headCommit: { ...withoutFiles.headCommit, message } };
}

function sizeOf(detail: PushDetail): number {
  return Buffer.byteLength(JSON.stringify(detail));
}

function changedFilesOf(commits: readonly unknown[]): string[] {
  const files = new Set<string>();
  for (const commit of commits) {
    if (!isRecord(commit)) continue;
    for (const key of ['added', 'modified', 'removed'] as const) {
      const list = commit[key];
      if (!Array.isArray(list)) continue;
      for (const file of list) if (typeof file === 'string') files.add(file);
    }
  }
  return [...files].sort();
}

function pusherOf(pusher: unknown): PushDetail['pusher'] {
  if (!isRecord(pusher)) return { name: '' };
  const name = typeof pusher.name === 'string' ? pusher.name : '';
  return typeof pusher.email === 'string' ? { name, email: pusher.email } : { name };
}

function headCommitOf(commit: unknown): HeadCommit | null {
  if (!isRecord(commit)) return null;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const author = isRecord(commit.author) ? text(commit.author.username) || text(commit.author.name) : '';
  return { id: text(commit.id), message: text(commit.message), timestamp: text(commit.timestamp), url: text(commit.url), author };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
