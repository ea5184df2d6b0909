// Leases renewed by liveness, not by heartbeats. A holder's lease is short; when it has run out and a
// decision is about to take the slot back, the coordinator asks Step Functions whether the holder's
// execution still runs. If it does, the lease is extended and nothing is taken back; if it ended (and
// its status-change event never arrived), the slot is reclaimed. A running holder thus keeps its group
// however long it runs, a vanished one loses it one lease after it vanished, and no state machine pays
// for a heartbeat loop.

import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { HandlerDeps } from '../deps';
import type { StoredGroup } from './group-item';
import { setHolderExpiry } from './group-store';
import type { Table } from './table';

/** How far a live holder's lease is pushed each time a contender finds it expired. */
export const LIVENESS_EXTENSION_SECONDS = 600;

/**
 * Extends the leases of expired holders whose execution is still RUNNING. True when it wrote
 * anything: the caller reads the group again before deciding.
 */
export async function extendLiveLeases(deps: Pick<HandlerDeps, 'sfn'>, table: Table, key: string, read: StoredGroup | undefined, now: number): Promise<boolean> {
  const expired = read?.state.holders.filter((holding) => holding.expiresAt <= now) ?? [];
  let extended = false;
  for (const holding of expired) {
    if (!(await isRunning(deps, holding.executionArn))) continue;
    extended = (await extendLease(table, key, holding.holder, holding.expiresAt, now + LIVENESS_EXTENSION_SECONDS * 1000)) || extended;
  }
  return extended;
}

/** Whether the execution still runs; one that Step Functions does not know has ended. */
export async function isRunning(deps: Pick<HandlerDeps, 'sfn'>, executionArn: string): Promise<boolean> {
  try {
    const { status } = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return status === 'RUNNING';
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}

/** Moves one holder's expiry if nobody changed it since it was read; either way the caller reads again. */
async function extendLease(table: Table, key: string, holder: string, seenExpiry: number, expiresAt: number): Promise<boolean> {
  await setHolderExpiry(table, key, holder, expiresAt, { expression: '#hs.#h.#x = :seen', values: { ':seen': { N: String(seenExpiry) } } });
  return true;
}
