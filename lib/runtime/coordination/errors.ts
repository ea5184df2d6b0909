// Errors the coordinator throws or reports on a task token. `name` is what ASL Retry/Catch match.

export const ErrorNames = {
  /** A newer pending run replaced this one (queue: single), or cancel-in-progress stopped it. */
  superseded: 'Superseded',
  /** A `queue: max` group already has 100 waiters. */
  queueFull: 'QueueFull',
  /** Renew of a holder that does not hold the group (released, reclaimed after its lease, superseded). */
  lockNotHeld: 'LockNotHeld',
  /** The payload does not follow the coordinator contract; a renderer bug, not worth retrying. */
  invalidRequest: 'InvalidRequest',
  /** Contention or DynamoDB throttling outlasted our retries: safe to retry the whole task. */
  busy: 'CoordinatorBusy',
} as const;

export class CoordinationError extends Error {
  constructor(name: (typeof ErrorNames)[keyof typeof ErrorNames], message: string) {
    super(message);
    this.name = name;
  }
}

/** The SDK's error name, or undefined for something that is not an SDK error. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
