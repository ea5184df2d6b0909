// The read–decide–write loop of optimistic concurrency: a conflicting write means someone else changed
// the group first, so read it again. Jittered backoff spreads out contenders that collided.

import { CoordinationError, ErrorNames } from './errors';

export const CONFLICT = Symbol('conflict');

export const MAX_ATTEMPTS = 100;
const MAX_BACKOFF_MS = 50;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retryOnConflict<T>(what: string, attempt: () => Promise<T | typeof CONFLICT>): Promise<T> {
  for (let n = 0; n < MAX_ATTEMPTS; n++) {
    const result = await attempt();
    if (result !== CONFLICT) return result;
    await pause(Math.random() * Math.min(MAX_BACKOFF_MS, 4 * 2 ** n));
  }
  throw new CoordinationError(ErrorNames.busy, `${what}: still conflicting after ${MAX_ATTEMPTS} attempts; retry the task`);
}
