// A seeded fault run: many short executions acquire and release concurrency groups on a real dynalite,
// through the local engine's Step Functions API (its HTTP server and its task tokens), while random
// faults race them: a stop 0–15 ms after the start (while the acquire is in flight), a stop after the
// grant, a crash (the run ends and its status-change event is lost: only the lease sweep frees it),
// and a coordinator that dies in the middle of its acquire (the run then fails and is cleaned up).
//
// What it finds:
//  - ghosts: entries of executions whose cleanup has completed, seen in a group while nothing is in flight;
//  - stuck runs: live runs that wait for a grant while nothing else is going on and a sweep frees nothing;
//  - overlaps: more holders of a group at once (grant seen → release called) than its capacity.
// Used by test/runtime/coordination/faults.test.ts.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { acquire, release, releaseExecution, sweepExpiredLeases } from '../../../../lib/runtime/coordination';
import { fromItem } from '../../../../lib/runtime/coordination/group-item';
import { LIVENESS_EXTENSION_SECONDS } from '../../../../lib/runtime/coordination/liveness';
import type { HandlerDeps } from '../../../../lib/runtime/deps';
import { SfnApiError } from '../../../../lib/local/api-errors';
import { startSfnApiServer, type StepFunctionsBackend } from '../../../../lib/local/sfn-api-server';
import { TaskTokens } from '../../../../lib/local/task-tokens';
import { prng } from '../../../fixtures/prng';
import { retryBusy } from './contenders';
import { clientFor, testCredentials, type TestTable } from './dynalite-table';

export type Fault = 'none' | 'stop-while-acquiring' | 'stop-after-grant' | 'crash' | 'coordinator-crash';

export interface RaceOptions {
  readonly seed: number;
  readonly runs: number;
  /** Runs in flight at once. */
  readonly concurrency: number;
  readonly groups: readonly { readonly name: string; readonly capacity: number }[];
}

export interface RaceReport {
  readonly runs: number;
  readonly faults: Readonly<Record<Fault, number>>;
  readonly grants: number;
  readonly ghosts: readonly string[];
  readonly stuck: readonly string[];
  readonly overlaps: readonly string[];
  /** Items other than ended markers left in the table once every run has ended. */
  readonly leftovers: readonly string[];
  /** Index items of runs whose status-change event was lost (crashes): nobody ever cleans them up but the TTL-less garbage they are. */
  readonly crashedIndexItems: number;
  readonly sweeps: number;
  readonly elapsedMs: number;
}


type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** The executions and task tokens of the local engine, without state machines: the races drive them by hand. */
class RaceBackend implements StepFunctionsBackend {
  readonly tokens = new TaskTokens();
  readonly executions = new Map<string, { status: Status; readonly controller: AbortController }>();

  start(arn: string): AbortSignal {
    const controller = new AbortController();
    this.executions.set(arn, { status: 'RUNNING', controller });
    return controller.signal;
  }

  end(arn: string, status: Exclude<Status, 'RUNNING'>): void {
    const execution = this.executions.get(arn);
    if (!execution || execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.controller.abort(); // its parked tokens are dropped: late callbacks are refused
  }

  describeExecution(executionArn: string) {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return { executionArn, status: execution.status, stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:races', startDate: new Date() };
  }
  sendTaskSuccess(taskToken: unknown, output: unknown): void {
    this.tokens.succeed(taskToken, JSON.parse(String(output)));
  }
  sendTaskFailure(taskToken: unknown, error?: string, cause?: string): void {
    this.tokens.fail(taskToken, error ?? '', cause ?? '');
  }
  sendTaskHeartbeat(taskToken: unknown): void {
    this.tokens.heartbeat(taskToken);
  }
  async stopExecution(executionArn: string) {
    this.end(executionArn, 'ABORTED');
    return { stopDate: new Date() };
  }
  startExecution(): never {
    throw new SfnApiError('UnknownOperationException', 'not used by the races');
  }
  listExecutions(): never {
    throw new SfnApiError('UnknownOperationException', 'not used by the races');
  }
  listStateMachines(): never {
    throw new SfnApiError('UnknownOperationException', 'not used by the races');
  }
  describeStateMachine(): never {
    throw new SfnApiError('UnknownOperationException', 'not used by the races');
  }
  getExecutionHistory(): never {
    throw new SfnApiError('UnknownOperationException', 'not used by the races');
  }
}

const LEASE_SECONDS = 30;
/** Each sweep scans the table (as the scheduled one does): often enough to free crashed holders, no more. */
const SWEEP_EVERY_MS = 400;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runRaces(table: TestTable, options: RaceOptions): Promise<RaceReport> {
  const started = performance.now();
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const backend = new RaceBackend();
  const api = await startSfnApiServer(backend, { host: '127.0.0.1', port: 0 });
  const sfn = new SFNClient({ endpoint: api.endpoint, region: 'us-east-1', credentials: testCredentials });
  // Crashed holders keep their slot until their lease runs out: the clock jumps past leases at each sweep.
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const shared = clientFor(table.endpoint);
  const depsWith = (dynamodb = shared): HandlerDeps => ({ env: { TABLE_NAME: table.tableName }, dynamodb, sfn, now });

  const crashed = new Set<string>();
  const faults: Record<Fault, number> = { none: 0, 'stop-while-acquiring': 0, 'stop-after-grant': 0, crash: 0, 'coordinator-crash': 0 };
  const overlaps: string[] = [];
  const stuck: string[] = [];
  const holding = new Map<string, Set<string>>();
  let grants = 0;
  let progress = 0;
  let inFlight = 0;
  const waiting = new Map<string, () => void>();
  const track = async <T>(run: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await run();
    } finally {
      inFlight--;
      progress++;
    }
  };
  const retryingBusy = retryBusy;
  // Executions whose status-change cleanup has completed: none of them may appear in a group again.
  const cleaned = new Set<string>();
  const statusChange = async (arn: string) => {
    await track(() => retryingBusy(() => releaseExecution(depsWith(), arn)));
    cleaned.add(arn);
  };
  const ghosts = new Set<string>();
  /** Looks for entries of cleaned-up executions; only meaningful while no operation is in flight. */
  const findGhosts = async () => {
    for (const item of await scanAll(table)) {
      if (!(item.pk?.S ?? '').startsWith('lock#') || item.sk?.S !== 'state') continue;
      const { state } = fromItem(item);
      for (const entry of [...state.holders, ...state.queue]) if (cleaned.has(entry.executionArn)) ghosts.add(`${entry.holder} in '${state.name}'`);
    }
  };

  const scenario = async (index: number): Promise<void> => {
    const arn = `arn:aws:states:us-east-1:000000000000:execution:races:run-${options.seed}-${index}`;
    const group = pick(options.groups);
    const roll = random();
    const fault: Fault = roll < 0.45 ? 'none' : roll < 0.65 ? 'stop-while-acquiring' : roll < 0.8 ? 'stop-after-grant' : roll < 0.9 ? 'crash' : 'coordinator-crash';
    faults[fault]++;
    const stopDelayMs = Math.floor(random() * 15);
    const crashAfterCalls = 1 + Math.floor(random() * 5);
    const signal = backend.start(arn);
    const token = backend.tokens.mint();
    const granted = backend.tokens.wait(token, signal).then(
      () => true,
      () => false,
    );
    let dynamodb = shared;
    if (fault === 'coordinator-crash') {
      // The coordinator's process dies after a few DynamoDB calls of its acquire.
      dynamodb = clientFor(table.endpoint);
      let calls = 0;
      dynamodb.middlewareStack.add(
        (next) => async (args) => {
          if (++calls > crashAfterCalls) throw Object.assign(new Error('the coordinator was killed'), { name: 'Crashed' });
          return next(args);
        },
        { step: 'initialize', name: 'crashAfter' },
      );
    }
    const command = { group: group.name, holder: arn, executionArn: arn, capacity: group.capacity, queue: 'max' as const, cancelInProgress: false, taskToken: token, leaseSeconds: LEASE_SECONDS };
    const acquiring = track(() => retryingBusy(() => acquire(depsWith(dynamodb), command))).then(
      () => 'ok' as const,
      (error: Error) => {
        if (error.name !== 'Crashed') throw error;
        return 'crashed' as const;
      },
    );

    if (fault === 'stop-while-acquiring') {
      await pause(stopDelayMs);
      backend.end(arn, 'ABORTED');
      await statusChange(arn);
      await acquiring;
      return;
    }
    if (fault === 'coordinator-crash') {
      if ((await acquiring) === 'crashed') {
        dynamodb.destroy();
        backend.end(arn, 'FAILED');
        await statusChange(arn);
        return;
      }
      dynamodb.destroy();
    } else {
      await acquiring;
    }
    if (fault === 'crash' && random() < 0.5) {
      backend.end(arn, 'FAILED'); // ends while waiting; nobody tells the coordinator
      crashed.add(arn);
      return;
    }
    // Wait for the grant; a watchdog declares the run stuck when nothing else can free it.
    const gotIt = await Promise.race([granted, new Promise<'stuck'>((resolve) => waiting.set(arn, () => resolve('stuck')))]);
    waiting.delete(arn);
    if (gotIt === 'stuck') {
      stuck.push(`${arn} in '${group.name}'`);
      backend.end(arn, 'ABORTED');
      await statusChange(arn);
      return;
    }
    if (!gotIt) return;
    grants++;
    progress++;
    const holders = holding.get(group.name) ?? new Set<string>();
    holding.set(group.name, holders);
    holders.add(arn);
    if (holders.size > group.capacity) overlaps.push(`${holders.size} holders of '${group.name}' (capacity ${group.capacity}): ${[...holders].join(', ')}`);
    await new Promise((resolve) => setImmediate(resolve));
    holders.delete(arn);
    if (fault === 'crash') {
      backend.end(arn, 'FAILED'); // ends holding; nobody tells the coordinator
      crashed.add(arn);
      return;
    }
    if (fault === 'stop-after-grant') {
      backend.end(arn, 'ABORTED');
      await statusChange(arn);
      return;
    }
    await track(() => retryingBusy(() => release(depsWith(), { group: group.name, holder: arn, capacity: group.capacity })));
    backend.end(arn, 'SUCCEEDED');
    await statusChange(arn);
  };

  // A sweep (the schedule's job) every tick, past the leases. When nothing is in flight and nobody
  // made progress, time jumps past the longest lease (a live holder's extension) and sweeps again;
  // the runs still waiting after that are stuck: nothing will ever wake them.
  let sweeps = 0;
  let running = true;
  const sweep = async (jumpSeconds: number) => {
    clockOffset += jumpSeconds * 1000;
    sweeps++;
    return (await track(() => retryingBusy(() => sweepExpiredLeases(depsWith())))).granted.length;
  };
  const quiet = async (): Promise<boolean> => {
    const before = progress;
    await pause(25);
    return inFlight === 0 && progress === before && waiting.size > 0;
  };
  const sweeper = (async () => {
    while (running) {
      await pause(SWEEP_EVERY_MS);
      if ((await sweep(LEASE_SECONDS + 1)) > 0 || !(await quiet())) continue;
      await findGhosts();
      if ((await sweep(LIVENESS_EXTENSION_SECONDS + LEASE_SECONDS + 1)) > 0 || !(await quiet())) continue;
      if (process.env.RACE_DEBUG) for (const item of await scanAll(table)) if (item.sk?.S === 'state') console.log(JSON.stringify(fromItem(item).state));
      for (const declare of waiting.values()) declare();
    }
  })();

  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.runs) await scenario(next++);
    }),
  );
  running = false;
  await sweeper;
  await findGhosts();
  clockOffset += (LIVENESS_EXTENSION_SECONDS + LEASE_SECONDS + 1) * 1000;
  await sweepExpiredLeases(depsWith());

  const items = await scanAll(table);
  const leftovers: string[] = [];
  let crashedIndexItems = 0;
  for (const item of items) {
    const pk = item.pk?.S ?? '';
    const sk = item.sk?.S ?? '';
    if (pk.startsWith('exec#') && sk === 'ended') continue;
    if (pk.startsWith('exec#') && crashed.has(pk.slice('exec#'.length))) {
      crashedIndexItems++;
      continue;
    }
    leftovers.push(`${pk} ${sk}`);
  }
  sfn.destroy();
  shared.destroy();
  await api.close();
  return { runs: options.runs, faults, grants, ghosts: [...ghosts], stuck, overlaps, leftovers, crashedIndexItems, sweeps, elapsedMs: performance.now() - started };
}

async function scanAll(table: TestTable): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await table.client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
