// Fault injection through the local engine: the synthesized state machines, the real coordinator
// and status-change handlers (wrapped to crash, stall or lose events on cue), dynalite, run steps as
// child processes. After each fault the runtime table holds no stale holder and the next run proceeds.
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupKey } from '../../lib/runtime/coordination/keys';
import type { HandlerDeps } from '../../lib/runtime/deps';
import { E2E_FIXTURES, Gates, RuntimeTable, eventually, historyEvent, stateEntered, wrappedHandlers, type Handler } from '../fixtures/e2e/support';
import { startLocalWorkflows, type LocalWorkflows } from './local-run';

/** What the wrapped handlers do, set per test. */
const faults = {
  /** Added to Date.now() in the coordinator and status-change handlers (lease tests). */
  clockSkewMs: 0,
  /** Executions whose status-change event is lost (never reaches the handler). */
  lostStatusChanges: new Set<string>(),
  /** Executions whose next acquire writes the group item and then crashes with this error name. */
  crashAfterWrite: new Map<string, string>(),
  /** While set, release requests wait for it before they run. */
  releaseHold: undefined as Promise<void> | undefined,
  /** Every coordinator request with what it returned or threw. */
  calls: [] as { op: string; executionArn: string; result?: unknown; error?: string }[],
};

const isGroupWrite = (command: unknown): boolean =>
  (command instanceof PutItemCommand && command.input.Item?.sk?.S === 'state') ||
  ((command instanceof UpdateItemCommand || command instanceof DeleteItemCommand) && command.input.Key?.sk?.S === 'state');

/** A DynamoDB client that, after the first group-item write succeeds, throws: the function died after its write. */
function crashingAfterWrite(client: DynamoDBClient, errorName: string): DynamoDBClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: Parameters<DynamoDBClient['send']>[0]) => {
        const output = await target.send(command as never);
        if (isGroupWrite(command)) throw Object.assign(new Error('the function crashed after its write'), { name: errorName });
        return output;
      };
    },
  });
}

const skewed = (deps: HandlerDeps): HandlerDeps => ({ ...deps, now: () => Date.now() + faults.clockSkewMs });

const handlerModules = wrappedHandlers({
  coordinator: (deps, createReal) => async (event) => {
    const request = event as { op: string; executionArn: string };
    const crash = request.op === 'acquire' ? faults.crashAfterWrite.get(request.executionArn) : undefined;
    if (crash !== undefined) faults.crashAfterWrite.delete(request.executionArn);
    if (request.op === 'release') await faults.releaseHold;
    const real: Handler = createReal(crash === undefined ? skewed(deps) : { ...skewed(deps), dynamodb: crashingAfterWrite(deps.dynamodb, crash) });
    const call: (typeof faults.calls)[number] = { op: request.op, executionArn: request.executionArn };
    faults.calls.push(call);
    try {
      call.result = await real(event);
      return call.result;
    } catch (error) {
      call.error = (error as Error).name;
      throw error;
    }
  },
  'status-change': (deps, createReal) => async (event) => {
    const arn = (event as { detail: { executionArn: string } }).detail.executionArn;
    if (faults.lostStatusChanges.has(arn)) return { lost: true };
    return createReal(skewed(deps))(event);
  },
});

const taskEvents = (history: readonly HistoryEvent[], types: readonly string[]) => history.filter((event) => types.includes(event.type ?? ''));

describe('concurrency faults on the local engine', () => {
  let local: LocalWorkflows;
  let table: RuntimeTable;
  let gates: Gates;
  const warnings: string[] = [];

  beforeAll(async () => {
    local = await startLocalWorkflows([`${E2E_FIXTURES}/held.yml`, `${E2E_FIXTURES}/cancel-gated.yml`], { handlerModules });
    local.engine.on('warning', (message) => warnings.push(message));
    table = await RuntimeTable.of(local.engine);
    gates = await Gates.create();
  });
  afterAll(() => local.close());
  afterEach(() => {
    faults.clockSkewMs = 0;
    faults.lostStatusChanges.clear();
    faults.crashAfterWrite.clear();
    faults.releaseHold = undefined;
    faults.calls.length = 0;
    expect(warnings).toEqual([]);
  });

  const members = (group: string, holders: readonly string[], queue: readonly string[]) =>
    eventually(`${group} held by ${holders.join(', ') || 'nobody'} with [${queue.join(', ')}] waiting`, async () => {
      const now = await table.members(group);
      return JSON.stringify([now.holders.sort(), now.queue]) === JSON.stringify([[...holders].sort(), queue]) ? now : undefined;
    });
  /** A run of held.yml: `<lane>-<n>` names its gate, and its lane the group `held-<lane>`. */
  const held = (gate: string) => local.start('held', { gate: gates.path(gate), lane: gate.split('-')[0] });
  /** What the table holds for a group: its state, parked tokens and execution index entries. */
  const leftovers = async (group: string) => (await table.keys()).filter((key) => key.endsWith(`lock#${groupKey(group)}`) || key.startsWith(`lock#${groupKey(group)} |`));
  const stepRunning = (arn: string) => historyEvent(local.engine, arn, stateEntered('deploy.step-1: run'));

  it('abort mid-hold: stopping the holder releases the group at once (status-change) and the waiter runs', async () => {
    const holder = held('abort-1');
    await stepRunning(holder);
    const waiter = held('abort-2');
    await members('held-abort', [holder], [waiter]);

    await local.engine.stopExecution(holder, { error: 'Cancelled', cause: 'stopped by the test' });
    // stopExecution resolves after the status-change event was handled: no polling needed.
    expect(await table.members('held-abort')).toEqual({ holders: [waiter], queue: [] });
    const stopped = await local.finish(holder);
    expect(stopped.status).toBe('ABORTED');
    expect(stopped.report.status).toBe('cancelled');

    await gates.open('abort-2');
    expect((await local.finish(waiter)).status).toBe('SUCCEEDED');
    expect(await leftovers('held-abort')).toEqual([]);
  });

  it('a coordinator that crashes after its write (Lambda.ServiceException, retried): no deadlock, no double count, the parked token is replaced', async () => {
    const first = held('crash-1');
    const second = held('crash-2');
    // Both acquires crash right after writing the group: the first after granting itself, the second after queueing.
    faults.crashAfterWrite.set(first, 'Lambda.ServiceException');
    faults.crashAfterWrite.set(second, 'Lambda.ServiceException');

    await stepRunning(first);
    await members('held-crash', [first], [second]);
    const acquires = (arn: string) => faults.calls.filter((call) => call.op === 'acquire' && call.executionArn === arn);
    const settled = (arn: string) => acquires(arn).length === 2 && acquires(arn).every((call) => (call.result ?? call.error) !== undefined);
    await eventually('both acquires retried', () => (settled(first) && settled(second) ? true : undefined));
    expect(acquires(first).map((call) => call.error ?? (call.result as { outcome: string }).outcome)).toEqual(['Lambda.ServiceException', 'held']);
    expect(acquires(second).map((call) => call.error ?? (call.result as { outcome: string }).outcome)).toEqual(['Lambda.ServiceException', 'waiting']);
    // Still one holder: the crashed grant was not counted twice, and the waiter stays parked.
    expect(await table.members('held-crash')).toEqual({ holders: [first], queue: [second] });

    await gates.open('crash-1');
    await stepRunning(second);
    await gates.open('crash-2');
    const [a, b] = await Promise.all([local.finish(first), local.finish(second)]);
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const acquireFailures = taskEvents(a.history, ['TaskFailed']).map((event) => event.taskFailedEventDetails?.error);
    expect(acquireFailures).toEqual(['Lambda.ServiceException']);
    expect(await leftovers('held-crash')).toEqual([]);
  });

  // Lambda reports a function that timed out or ran out of memory as Lambda.Unknown; the coordinator
  // tasks retry it like CoordinatorBusy, since every coordinator operation is idempotent per holder.
  it('a crash after the write reported as Lambda.Unknown (timeout, out of memory) is retried: the run succeeds, holding one slot', async () => {
    const first = held('unknown-1');
    faults.crashAfterWrite.set(first, 'Lambda.Unknown');
    await stepRunning(first);
    expect(await table.members('held-unknown')).toEqual({ holders: [first], queue: [] });
    await gates.open('unknown-1');
    const done = await local.finish(first);
    expect(done.status).toBe('SUCCEEDED');
    expect(taskEvents(done.history, ['TaskFailed']).map((event) => event.taskFailedEventDetails?.error)).toEqual(['Lambda.Unknown']);
    expect(await leftovers('held-unknown')).toEqual([]);

    const next = held('unknown-2');
    await gates.open('unknown-2');
    expect((await local.finish(next)).status).toBe('SUCCEEDED');
    expect(await leftovers('held-unknown')).toEqual([]);
  });

  it('a lost status-change event leaves a stale holder until its lease ends; the next acquire then finds its execution ended and reclaims it', async () => {
    const lost = held('lease-1');
    await stepRunning(lost);
    faults.lostStatusChanges.add(lost);
    await local.engine.stopExecution(lost);
    const stale = await table.group('held-lease');
    expect(stale?.holders.map((h) => h.holder)).toEqual([lost]);

    // Within the lease the group stays taken: a newcomer waits.
    const waiter = held('lease-2');
    await members('held-lease', [lost], [waiter]);

    // Past the lease, the next arrival asks Step Functions, learns the holder ended and reclaims the
    // slot; FIFO gives it to the waiter, not the arrival. (Nothing wakes the waiter before an arrival.)
    faults.clockSkewMs = (stale?.holders[0]?.expiresAt ?? 0) - Date.now() + 1000;
    const arrival = held('lease-3');
    await members('held-lease', [waiter], [arrival]);
    await gates.open('lease-2');
    await gates.open('lease-3');
    const results = await Promise.all([local.finish(waiter), local.finish(arrival)]);
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // No holder is left; only the lost execution's index entry remains (status-change never ran for it).
    expect(await leftovers('held-lease')).toEqual([`exec#${lost} | lock#${groupKey('held-lease')}`]);
  });

  it('a waiter stopped while parked leaves the queue at once, and the holder’s release wakes the one behind it', async () => {
    const holder = held('park-1');
    await stepRunning(holder);
    const stopped = held('park-2');
    await members('held-park', [holder], [stopped]);
    const behind = held('park-3');
    await members('held-park', [holder], [stopped, behind]);

    await local.engine.stopExecution(stopped);
    expect(await table.members('held-park')).toEqual({ holders: [holder], queue: [behind] });
    expect((await table.keys()).filter((key) => key.includes(stopped))).toEqual([]);

    await gates.open('park-1');
    await members('held-park', [behind], []);
    await gates.open('park-3');
    const results = await Promise.all([local.finish(holder), local.finish(stopped), local.finish(behind)]);
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'ABORTED', 'SUCCEEDED']);
    // The stopped run's acquire never completed: it was not woken after it left.
    const stoppedAcquire = taskEvents(results[1]!.history, ['TaskSucceeded', 'TaskFailed']);
    expect(stoppedAcquire.map((event) => event.type)).toEqual(['TaskSucceeded']); // only `Start run`
    expect(await leftovers('held-park')).toEqual([]);
  });

  it('cancel-in-progress racing a release: the newcomer that wins stops the releasing holder, and its late release frees nothing', async () => {
    const first = local.start('cancel-gated', { gate: gates.path('race-1'), lane: 'won' });
    await historyEvent(local.engine, first, stateEntered('deploy.step-1: run'));
    let letReleaseGo!: () => void;
    faults.releaseHold = new Promise((resolve) => (letReleaseGo = resolve));
    await gates.open('race-1');
    await historyEvent(local.engine, first, stateEntered('Release workflow lock'));

    const second = local.start('cancel-gated', { gate: gates.path('race-2'), lane: 'won' });
    const superseded = await local.finish(first);
    expect(superseded.status).toBe('ABORTED');
    expect(superseded.error).toBe('Superseded');
    expect(superseded.report.status).toBe('superseded');
    await members('cancel-lane-won', [second], []);

    letReleaseGo();
    const late = await eventually('the late release', () =>
      faults.calls.find((call) => call.op === 'release' && call.executionArn === first && (call.result ?? call.error) !== undefined),
    );
    expect(late.result).toEqual({ released: false, granted: [] });
    expect(await table.members('cancel-lane-won')).toEqual({ holders: [second], queue: [] });

    await gates.open('race-2');
    expect((await local.finish(second)).status).toBe('SUCCEEDED');
    expect(await leftovers('cancel-lane-won')).toEqual([]);
  });

  it('cancel-in-progress racing a release: whichever lands first, the newcomer runs and nothing stays held', async () => {
    const endings: string[] = [];
    for (let round = 0; round < 12; round++) {
      const first = local.start('cancel-gated', { gate: gates.path(`free-race-${round}-1`), lane: 'free' });
      await historyEvent(local.engine, first, stateEntered('deploy.step-1: run'));
      // The holder's step sees its gate within 20 ms (its poll), then releases. Starting the newcomer
      // 0–33 ms after the gate opens lands its acquire before, during or after that release.
      await gates.open(`free-race-${round}-1`);
      await new Promise((resolve) => setTimeout(resolve, round * 3));
      const second = local.start('cancel-gated', { gate: gates.path(`free-race-${round}-2`), lane: 'free' });
      const ended = await local.finish(first);
      const lastState = ended.history.filter((event) => event.type?.endsWith('StateEntered')).at(-1)?.stateEnteredEventDetails?.name;
      endings.push(ended.status === 'ABORTED' ? `ABORTED ${ended.error} in '${lastState}'` : ended.status);
      await members('cancel-lane-free', [second], []);
      await gates.open(`free-race-${round}-2`);
      expect((await local.finish(second)).status).toBe('SUCCEEDED');
      expect(await leftovers('cancel-lane-free')).toEqual([]);
    }
    expect(endings.every((ending) => ending === 'SUCCEEDED' || ending.startsWith('ABORTED Superseded'))).toBe(true);
    console.log(`cancel-in-progress vs release, first run's endings: ${endings.join(', ')}`);
  });
});
