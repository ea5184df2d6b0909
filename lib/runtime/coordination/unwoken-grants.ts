// The backstop for a grant that never reached its holder. A decision commits first and notifies after
// (notify.ts): a coordinator that dies in between, or a SendTaskSuccess that fails after the write
// (its retried release then finds nothing to release), leaves a holder whose execution runs and waits
// on a task nobody will complete — and since its execution runs, every lease check extends its lease
// (liveness.ts), so without this it would hold the slot, and wait, for ever. Its parked token is the
// sign: whoever wakes a waiter deletes its token. The sweeper, finding such a holder's lease run out,
// takes the token (a delete conditioned on it, so that a granter still delivering and the sweeper
// never both deliver and then void the grant, wake() in notify.ts) and sends the grant itself.

import type { HandlerDeps } from '../deps';
import type { Holding } from './group-state';
import { isRunning } from './liveness';
import { sendGrant } from './notify';
import { putToken, getToken, takeToken } from './tokens';
import type { Table } from './table';

/** Wakes each holder of `holders` whose lease has run out, whose execution runs and whose token is still parked. Returns who was woken. */
export async function wakeUnwokenHolders(deps: Pick<HandlerDeps, 'sfn'>, table: Table, key: string, holders: readonly Holding[], now: number): Promise<string[]> {
  const woken: string[] = [];
  for (const holding of holders) {
    if (holding.expiresAt > now) continue;
    const parked = await getToken(table, key, holding.holder);
    if (parked === undefined || !(await isRunning(deps, holding.executionArn))) continue;
    if (!(await takeToken(table, key, holding.holder, parked.token))) continue; // its granter woke it meanwhile
    const output = { granted: true as const, group: parked.group, holder: holding.holder, waitedMs: Math.max(0, holding.since - parked.since) };
    try {
      if (await sendGrant(deps.sfn, parked.token, output)) woken.push(holding.holder);
    } catch (error) {
      await putToken(table, key, parked); // the next sweep tries again
      throw error;
    }
  }
  return woken;
}
