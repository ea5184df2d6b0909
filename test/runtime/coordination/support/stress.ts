// A contention run: many contenders (one execution each) acquire and release one group round after
// round on a real dynalite, woken through the fake Step Functions. Two independent checks:
//  - outside: holding intervals (grant seen → release called) never overlap more than `capacity`;
//  - inside: every committed write of the group item (captured from the DynamoDB client, chained by
//    revision) keeps holders ≤ capacity and promotes waiters strictly in queue order (FIFO).
// Used by test/runtime/coordination/stress.test.ts and bench/locks.bench.ts.

import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { acquire, release } from '../../../../lib/runtime/coordination';
import { fromItem } from '../../../../lib/runtime/coordination/group-item';
import type { GroupState } from '../../../../lib/runtime/coordination/group-state';
import { clientFor, type TestTable } from './dynalite-table';
import { acquireOf, arn, retryBusy } from './contenders';
import { FakeStepFunctions } from './fake-step-functions';

export interface StressOptions {
  readonly group: string;
  readonly contenders: number;
  readonly rounds: number;
  readonly capacity: number;
}

export interface StressReport {
  readonly acquisitions: number;
  readonly elapsedMs: number;
  readonly acquisitionsPerSecond: number;
  /** Release called → the next holder's SendTaskSuccess, per handoff (ms). */
  readonly handoffMs: readonly number[];
  readonly violations: readonly string[];
  /** Committed group-item writes checked by the inside check. */
  readonly transitionsChecked: number;
  readonly maxHoldersSeen: number;
  /** DynamoDB writes (Put/Update/Delete, conflicts included) per acquisition, and of which conflicts. */
  readonly writesPerAcquisition: number;
  readonly conflictsPerAcquisition: number;
  /** Operations that gave up with CoordinatorBusy and were retried (as an ASL Retry would). */
  readonly busyRetries: number;
}

type Item = Record<string, AttributeValue>;
interface CapturedWrite {
  /** An append (UpdateItem) parks a waiter without a revision check: only its result is known. */
  readonly append?: boolean;
  readonly previousRevision?: string;
  readonly next?: { readonly revision: string; readonly state: GroupState };
}

/** Captures every group-item write that DynamoDB accepted, and counts all writes. */
function instrument(client: DynamoDBClient, captured: CapturedWrite[], counts: { writes: number; conflicts: number }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const isWrite = name === 'PutItemCommand' || name === 'UpdateItemCommand' || name === 'DeleteItemCommand';
      if (isWrite) counts.writes++;
      let output;
      try {
        output = await next(args);
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') counts.conflicts++;
        throw error;
      }
      const input = args.input as { Item?: Item; Key?: Item; ExpressionAttributeValues?: Item };
      const sk = input.Item?.sk?.S ?? input.Key?.sk?.S;
      const attributes = (output.output as { Attributes?: Item }).Attributes;
      if (isWrite && sk === 'state' && name === 'UpdateItemCommand' && attributes) {
        captured.push({ append: true, next: fromItem(attributes) });
      } else if (isWrite && sk === 'state') {
        const previousRevision = input.ExpressionAttributeValues?.[':rev']?.S;
        captured.push({ previousRevision, next: input.Item ? fromItem(input.Item) : undefined });
      }
      return output;
    },
    { step: 'initialize', name: 'captureGroupWrites' },
  );
}

/** The inside check: each committed transition from the state it was conditioned on. */
export function checkTransitions(captured: readonly CapturedWrite[], capacity: number): string[] {
  const states = new Map<string, GroupState>();
  for (const write of captured) if (write.next) states.set(write.next.revision, write.next.state);
  const violations: string[] = [];
  for (const write of captured) {
    if (write.append) {
      const holders = write.next?.state.holders.length ?? 0;
      if (holders > capacity) violations.push(`${holders} holders stored with capacity ${capacity}`);
      continue;
    }
    const before = write.previousRevision === undefined ? undefined : states.get(write.previousRevision);
    if (write.previousRevision !== undefined && before === undefined) {
      violations.push(`write conditioned on unknown revision ${write.previousRevision}`);
      continue;
    }
    const after = write.next?.state;
    const holdersAfter = new Set(after?.holders.map((h) => h.holder) ?? []);
    const queueAfter = after?.queue.map((w) => w.holder) ?? [];
    if (holdersAfter.size > capacity) violations.push(`${holdersAfter.size} holders stored with capacity ${capacity}`);
    const queueBefore = before?.queue.map((w) => w.holder) ?? [];
    const promoted = queueBefore.map((h, i) => ({ h, i })).filter(({ h }) => holdersAfter.has(h));
    const stayed = queueBefore.filter((h) => queueAfter.includes(h));
    const firstStayed = queueBefore.findIndex((h) => queueAfter.includes(h));
    if (firstStayed >= 0 && promoted.some(({ i }) => i > firstStayed)) {
      violations.push(`FIFO broken: promoted ${promoted.map((p) => p.h).join(', ')} past ${queueBefore[firstStayed]}`);
    }
    if (queueAfter.slice(0, stayed.length).join() !== stayed.join()) violations.push('queue order changed for waiters that stayed');
    const left = queueBefore.filter((h) => !holdersAfter.has(h) && !queueAfter.includes(h));
    if (left.length > 0) violations.push(`waiters vanished from the queue: ${left.join(', ')}`);
  }
  return violations;
}

export async function runStress(table: TestTable, options: StressOptions): Promise<StressReport> {
  const client = clientFor(table.endpoint);
  const captured: CapturedWrite[] = [];
  const counts = { writes: 0, conflicts: 0 };
  instrument(client, captured, counts);
  const sfn = new FakeStepFunctions();
  const deps = { env: { TABLE_NAME: table.tableName }, dynamodb: client, sfn: sfn.client, now: Date.now };

  const violations: string[] = [];
  const holding = new Set<string>();
  let maxHoldersSeen = 0;
  const tokenHolder = new Map<string, string>();
  sfn.onComplete = (token, outcome) => {
    if (outcome.kind !== 'success') {
      violations.push(`${tokenHolder.get(token)} was refused: ${outcome.error} ${outcome.cause}`);
      return;
    }
    const holder = tokenHolder.get(token) ?? token;
    holding.add(holder);
    maxHoldersSeen = Math.max(maxHoldersSeen, holding.size);
    if (holding.size > options.capacity) violations.push(`${holding.size} holders at once: ${[...holding].join(', ')}`);
  };

  // As the state machine's Retry on CoordinatorBusy would: the operations are idempotent.
  let busyRetries = 0;
  const retryingBusy = <T>(run: () => Promise<T>): Promise<T> => retryBusy(run, () => busyRetries++);
  const handoffMs: number[] = [];
  const started = performance.now();
  const contender = async (index: number) => {
    for (let round = 0; round < options.rounds; round++) {
      const command = acquireOf(options.group, index, { capacity: options.capacity, queue: 'max', leaseSeconds: 3600 });
      tokenHolder.set(command.taskToken, command.holder);
      await retryingBusy(() => acquire(deps, command));
      const outcome = await sfn.outcome(command.taskToken);
      if (outcome.kind !== 'success') return;
      await new Promise((resolve) => setImmediate(resolve)); // hold the slot across a turn of the event loop
      holding.delete(command.holder);
      const releasedAt = performance.now();
      // As the state machine's release does: it names the capacity (lib/asl/coordination.ts releaseTask).
      const { granted } = await retryingBusy(() => release(deps, { group: options.group, holder: command.holder, capacity: options.capacity }));
      for (const next of granted) {
        const grant = sfn.calls.findLast((c) => c.api === 'SendTaskSuccess' && c.output.holder === next);
        if (grant) handoffMs.push(grant.at - releasedAt);
      }
    }
  };
  await Promise.all(Array.from({ length: options.contenders }, (_, i) => contender(i)));
  const elapsedMs = performance.now() - started;
  client.destroy();

  violations.push(...checkTransitions(captured, options.capacity));
  const acquisitions = options.contenders * options.rounds;
  const successes = sfn.callsTo('SendTaskSuccess').length;
  if (successes !== acquisitions) violations.push(`${successes} grants for ${acquisitions} acquisitions`);
  return {
    acquisitions,
    elapsedMs,
    acquisitionsPerSecond: (acquisitions / elapsedMs) * 1000,
    handoffMs,
    violations,
    transitionsChecked: captured.length,
    maxHoldersSeen,
    writesPerAcquisition: counts.writes / acquisitions,
    conflictsPerAcquisition: counts.conflicts / acquisitions,
    busyRetries,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export { arn };
