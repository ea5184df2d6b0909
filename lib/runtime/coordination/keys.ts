// Table keys of the coordination items. Every key is prefixed (`lock#`, `exec#`, `needs#`) so it never
// collides with another runtime module's items in the shared table.

/** Group names compare case-insensitively: this is the one place that decides what "the same" means. */
export function groupKey(group: string): string {
  return group.normalize('NFC').toLowerCase();
}

/** The `max-parallel` window of one execution is a group of its own (see isWindowGroup). */
export const WINDOW_PREFIX = 'window#';

export function windowGroup(executionArn: string): string {
  return `${WINDOW_PREFIX}${executionArn}`;
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
