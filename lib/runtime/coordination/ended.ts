// Ended markers: cleanup of an execution (or of one job of it) writes one before it reads the
// execution's index; an acquire checks for it after its write and, finding one, undoes itself. So a
// cleanup that ran while an acquire was in flight — a run stopped 1 ms after it started — and that
// acquire commute: whichever comes last leaves no entry.
//
// Why that suffices: the acquire writes its index item, then the group, then reads the marker; the
// cleanup writes the marker, then reads the index, then the group. If the acquire does not see the
// marker, its read came before the marker's write, so its index and group writes did too, and the
// cleanup finds and removes them. If it does see it, it removes its own entry.

import { holderOfExecution, endedKey, ENDED_PREFIX, executionIndexPk } from './keys';
import { putItem, queryPrefix, type Table } from './table';

/** A marker only matters while an acquire of its execution can still be in flight; DynamoDB's TTL deletes it after. */
const MARKER_TTL_SECONDS = 24 * 60 * 60;

export async function markEnded(table: Table, executionArn: string, now: number, job?: string): Promise<void> {
  const { pk, sk } = endedKey(executionArn, job);
  await putItem(table, { pk: { S: pk }, sk: { S: sk }, ttl: { N: String(Math.floor(now / 1000) + MARKER_TTL_SECONDS) } });
}

/** What has ended of `holder`'s run (its cleanup has started): the whole execution, the holder's job, or nothing. */
export async function endedPart(table: Table, executionArn: string, holder: string): Promise<'execution' | 'job' | undefined> {
  const markers = (await queryPrefix(table, executionIndexPk(executionArn), ENDED_PREFIX)).map((item) => item.sk?.S ?? '');
  if (markers.includes(ENDED_PREFIX)) return 'execution';
  const jobEnded = markers.some((sk) => sk.startsWith(`${ENDED_PREFIX}#`) && holderOfExecution(holder, `${executionArn}#${sk.slice(ENDED_PREFIX.length + 1)}`));
  return jobEnded ? 'job' : undefined;
}
