// Table keys of the coordination items. Every key is prefixed (`lock#`, `exec#`, `needs#`) so it never
// collides with another runtime module's items in the shared table.

/**
 * A user's group: its name compared case-insensitively (this is the one place that decides what "the
 * same" means), under a prefix of its own, so that no user string equals an internal key (a window,
 * a token, a run's index) whatever it contains.
 */
export const USER_GROUP_PREFIX = 'group#';

export function groupKey(group: string): string {
  return `${USER_GROUP_PREFIX}${group.normalize('NFC').toLowerCase()}`;
}

/** The `max-parallel` window of one execution is a group of its own (see isWindowGroup). */
export const WINDOW_PREFIX = 'window#';

/** The display name of an execution's window (what the state machine passes as `group`). */
export function windowGroup(executionArn: string): string {
  return `${WINDOW_PREFIX}${executionArn}`;
}

/** The key of an execution's window: derived from the ARN the request names, never from a group name. */
export function windowKey(executionArn: string): string {
  return `${WINDOW_PREFIX}${executionArn}`;
}

/** Which group a request means: the caller's window (`window: true`) or a user's group by name. */
export function keyOfRequest(request: { readonly group: string; readonly window?: boolean; readonly executionArn?: string }): string {
  if (request.window === true) {
    if (request.executionArn === undefined) throw new Error('a window request must name its execution');
    return windowKey(request.executionArn);
  }
  return groupKey(request.group);
}

/** Windows are never refused for a full queue, and need no execution index (the key names the execution). */
export function isWindowGroup(key: string): boolean {
  return key.startsWith(WINDOW_PREFIX);
}

/** The one item holding a group's holders and queue. */
export const groupItemKey = (key: string) => ({ pk: `lock#${key}`, sk: 'state' });

/** A waiter's task token lives beside the group item, so the group item stays small (see group-item.ts). */
export const TOKEN_PREFIX = 'token#';
export const tokenItemKey = (key: string, holder: string) => ({ pk: `lock#${key}`, sk: `${TOKEN_PREFIX}${holder}` });

/**
 * Written when an execution's (or one of its jobs') cleanup starts, before it reads the index: an
 * acquire that commits later finds it and undoes itself, so cleanup and acquire commute.
 */
export const ENDED_PREFIX = 'ended';
export const endedKey = (executionArn: string, job?: string) => ({
  pk: executionIndexPk(executionArn),
  sk: job === undefined ? ENDED_PREFIX : `${ENDED_PREFIX}#${job}`,
});

/** Per-execution index: which groups an execution holds or waits on, so cleanup needs no Scan. */
export const executionIndexPk = (executionArn: string) => `exec#${executionArn}`;
export const executionIndexKey = (executionArn: string, key: string) => ({
  pk: executionIndexPk(executionArn),
  sk: `lock#${key}`,
});

/** The needs barrier of one execution: `result#<job>` and `wait#<job>` items. */
export const needsPk = (executionArn: string) => `needs#${executionArn}`;
export const needsResultKey = (executionArn: string, job: string) => ({ pk: needsPk(executionArn), sk: `result#${job}` });
export const needsWaitKey = (executionArn: string, job: string) => ({ pk: needsPk(executionArn), sk: `wait#${job}` });

/**
 * Holder ids are the execution ARN, or the ARN + '#' + job + '#' + cell (ARNs contain no '#').
 * True when `holder` belongs to `executionArn`.
 */
export function holderOfExecution(holder: string, executionArn: string): boolean {
  return holder === executionArn || holder.startsWith(`${executionArn}#`);
}
