// A concurrency group on the local engine: how fast a released group reaches the next holder, and what
// an acquisition costs in state transitions and history events, with and without waiting — beside
// AWS's polling DynamoDB semaphore sample (bench/support/sample-semaphore.ts) on the same engine code
// and dynalite, in the same process, since machines are noisy.
// Run: npx tsx bench/handoff.bench.ts   (HANDOFFS=n changes the number of handoffs)
import '../lib/local/polyfills';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEngine } from '../lib/local/engine';
import { E2E_FIXTURES, Gates, RuntimeTable, eventually, historyEvent, stateEntered } from '../test/fixtures/e2e/support';
import { startLocalWorkflows } from '../test/e2e/local-run';
import { benchMode, sized } from './support/mode';
import { GIVE_BACK, HOLD, SAMPLE_MACHINE, TAKE, attemptOffsets, sampleAcquireTransitions, samplePollingCost, sampleTemplate } from './support/sample-semaphore';
import { writeSection } from './support/sections';
import { percentile, round, seededHolds } from './support/stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HANDOFFS = Number(process.env.HANDOFFS ?? sized({ tiny: 2, quick: 12, full: 40 }));
const SHORT_WAIT_MS = 200;
const LONG_WAIT_MS = sized({ tiny: 400, quick: 2000, full: 2000 });
const ACQUIRE = 'Acquire workflow lock';
const RELEASE = 'Release workflow lock';
const STEP = 'deploy.step-1: run';

const local = await startLocalWorkflows([`${E2E_FIXTURES}/held.yml`, `${E2E_FIXTURES}/unlocked.yml`]);
const table = await RuntimeTable.of(local.engine);
const gates = await Gates.create();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const at = (history: readonly HistoryEvent[], type: string, name: string): number => {
  const event = history.find(
    (e) => e.type === type && (e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name) === name,
  );
  if (event?.timestamp === undefined) throw new Error(`no ${type} of '${name}' in the history`);
  return new Date(event.timestamp).getTime();
};


async function finished(arn: string): Promise<readonly HistoryEvent[]> {
  const { status, history } = await local.finish(arn);
  if (status !== 'SUCCEEDED') throw new Error(`${arn} ended ${status}`);
  return history;
}

// ── Cost of an acquisition ───────────────────────────────────────────────────────────────────────

interface Cost {
  readonly transitions: number;
  readonly events: number;
  /** Of those, the acquire state's own (entered … exited). */
  readonly acquireTransitions: number;
  readonly acquireEvents: number;
}

function costOf(history: readonly HistoryEvent[]): Cost {
  const entered = history.findIndex((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === ACQUIRE);
  const exited = history.findIndex((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === ACQUIRE);
  // Events of other branches could interleave in general; this workflow has one job, so none do.
  const acquire = entered < 0 ? [] : history.slice(entered, exited + 1);
  const transitions = (events: readonly HistoryEvent[]) => events.filter((e) => e.type?.endsWith('StateEntered')).length;
  return { transitions: transitions(history), events: history.length, acquireTransitions: transitions(acquire), acquireEvents: acquire.length };
}

let run = 0;
const gated = (workflow: 'held' | 'unlocked', lane: string) => {
  const gate = `${lane}-${++run}`;
  return { gate, arn: local.start(workflow, { gate: gates.path(gate), lane }) };
};

async function unlockedRun(): Promise<Cost> {
  const { gate, arn } = gated('unlocked', 'cost');
  await gates.open(gate);
  return costOf(await finished(arn));
}

async function freeRun(): Promise<Cost> {
  const { gate, arn } = gated('held', 'cost');
  await gates.open(gate);
  return costOf(await finished(arn));
}

/** A run that waits `waitMs` behind a holder before it gets the group. */
async function waitingRun(waitMs: number): Promise<Cost> {
  const holder = gated('held', 'cost');
  await historyEvent(local.engine, holder.arn, stateEntered(STEP));
  const waiter = gated('held', 'cost');
  await gates.open(waiter.gate);
  await eventually('the waiter parked', async () => ((await table.members('held-cost')).queue.includes(waiter.arn) ? true : undefined));
  await pause(waitMs);
  await gates.open(holder.gate);
  await finished(holder.arn);
  return costOf(await finished(waiter.arn));
}

// ── Handoff latency ──────────────────────────────────────────────────────────────────────────────

/** Runs a queue of `count + 1` runs through the group and measures each handoff from the release. */
async function handoffs(count: number): Promise<{ fromReleaseStart: number[]; fromReleaseEnd: number[] }> {
  const first = gated('held', 'handoff');
  await historyEvent(local.engine, first.arn, stateEntered(STEP));
  const queued: string[] = [];
  for (let index = 0; index < count; index++) {
    const next = gated('held', 'handoff');
    await gates.open(next.gate); // each runs its step at once when it gets the group
    queued.push(next.arn);
    await eventually('the run parked', async () => ((await table.members('held-handoff')).queue.length === queued.length ? true : undefined));
  }
  await gates.open(first.gate);
  const histories = await Promise.all([first.arn, ...queued].map(finished));
  const fromReleaseStart: number[] = [];
  const fromReleaseEnd: number[] = [];
  for (let index = 1; index < histories.length; index++) {
    const previous = histories[index - 1]!;
    const nextStep = at(histories[index]!, 'TaskStateEntered', STEP);
    // FIFO: the next in line must start after the previous one's step.
    if (nextStep < at(previous, 'TaskStateEntered', STEP)) throw new Error(`handoff ${index} out of order`);
    fromReleaseStart.push(nextStep - at(previous, 'TaskStateEntered', RELEASE));
    fromReleaseEnd.push(nextStep - at(previous, 'TaskStateExited', RELEASE));
  }
  return { fromReleaseStart, fromReleaseEnd };
}

// ── The sample, on its own engine instance (its table and machine are not stepdeploy's) ─────────

interface SampleRun {
  readonly handoffMs: number;
  readonly waitedS: number;
  readonly transitions: number;
  readonly predicted: number;
}

/** Pairs on locks of their own, all at once: a holder holds a while, a waiter polls until it gets the slot. */
async function samplePairs(engine: LocalEngine, holds: readonly number[]): Promise<SampleRun[]> {
  const machine = engine.stateMachines.find((m) => m.name === SAMPLE_MACHINE)!;
  const start = (lock: string, holdSeconds: number) => engine.startExecution(machine.arn, JSON.stringify({ lock, limit: '1', holdSeconds })).executionArn!;
  const pairs = await Promise.all(
    holds.map(async (hold, index) => {
      const holder = start(`pair-${index}`, hold);
      await historyEvent(engine, holder, stateEntered(HOLD));
      return { holder, waiter: start(`pair-${index}`, 0) };
    }),
  );
  const time = (history: readonly HistoryEvent[], type: string, name: string) => at(history, type, name);
  return Promise.all(
    pairs.map(async ({ holder, waiter }) => {
      for (const arn of [holder, waiter]) {
        const ended = await engine.waitForExecution(arn);
        if (ended.status !== 'SUCCEEDED') throw new Error(`sample ${arn} ended ${ended.status}: ${ended.cause}`);
      }
      const held = engine.getExecutionHistory(holder);
      const waited = engine.getExecutionHistory(waiter);
      const freed = time(held, 'TaskStateExited', GIVE_BACK);
      const waitedS = (freed - time(waited, 'TaskStateEntered', TAKE)) / 1000;
      return {
        handoffMs: time(waited, 'WaitStateEntered', HOLD) - freed,
        waitedS,
        transitions: sampleAcquireTransitions(waited),
        predicted: samplePollingCost(waitedS).transitions,
      };
    }),
  );
}

try {
  await unlockedRun(); // warm-up: handlers loaded, state machines built
  if (benchMode !== 'tiny') await freeRun();
  const baseline = await unlockedRun();
  const free = await freeRun();
  const shortWait = await waitingRun(SHORT_WAIT_MS);
  const longWait = await waitingRun(LONG_WAIT_MS);
  const latency = await handoffs(HANDOFFS);

  const sampleEngine = await LocalEngine.start({ templates: [sampleTemplate], logDir: await mkdtemp(join(tmpdir(), 'stepdeploy-sample-')) });
  let sample: SampleRun[];
  try {
    // Holds spread over the first backoff cycle (1 … 63 s): where the release lands decides how late it is noticed.
    sample = await samplePairs(sampleEngine, seededHolds(sized({ tiny: 1, quick: 8, full: 24 }), sized({ tiny: 2, quick: 12, full: 60 }), attemptOffsets()));
  } finally {
    await sampleEngine.close();
  }
  const ourWaiting = [shortWait.acquireTransitions, longWait.acquireTransitions];
  const minutes = [1, 10, 60];
  const lock = {
    handoff_p50_ms: round(percentile(latency.fromReleaseEnd, 50), 1),
    handoff_p99_ms: round(percentile(latency.fromReleaseEnd, 99), 1),
    handoffs: latency.fromReleaseEnd.length,
    sample_handoff_p50_ms: round(percentile(sample.map((r) => r.handoffMs), 50), 1),
    sample_handoff_p99_ms: round(percentile(sample.map((r) => r.handoffMs), 99), 1),
    sample_handoffs: sample.length,
    // A parked task token costs the same however long it waits: measured at two waits (they must agree).
    transitions_waiting: Object.fromEntries(minutes.map((m) => [`${m}m`, Math.max(...ourWaiting)])),
    transitions_waiting_constant: ourWaiting[0] === ourWaiting[1],
    // The sample's polling, from its own retry schedule; checked against its measured runs below.
    sample_transitions_waiting: Object.fromEntries(minutes.map((m) => [`${m}m`, samplePollingCost(m * 60).transitions])),
    sample_late_s: Object.fromEntries(minutes.map((m) => [`${m}m`, round(samplePollingCost(m * 60).lateSeconds, 1)])),
    sample_model_check: { runs: sample.length, exact: sample.filter((r) => r.transitions === r.predicted).length, max_off: Math.max(...sample.map((r) => Math.abs(r.transitions - r.predicted))) },
  };
  writeSection('lock', lock);

  const row = (label: string, cost: Cost) =>
    `${label.padEnd(34)} ${String(cost.transitions).padStart(11)} ${String(cost.events).padStart(7)} ${String(cost.transitions - baseline.transitions).padStart(10)} ${String(cost.events - baseline.events).padStart(11)} ${`${cost.acquireTransitions} / ${cost.acquireEvents}`.padStart(16)}`;
  console.log('\nState transitions (*StateEntered) and history events of one run of held.yml');
  console.log(`${'run'.padEnd(34)} ${'transitions'.padStart(11)} ${'events'.padStart(7)} ${'+trans.'.padStart(10)} ${'+events'.padStart(11)} ${'acquire state'.padStart(16)}`);
  console.log(row('no concurrency group (unlocked.yml)', baseline));
  console.log(row('group free: acquired at once', free));
  console.log(row('waited 0.2 s behind a holder', shortWait));
  console.log(row(`waited ${LONG_WAIT_MS / 1000} s behind a holder`, longWait));
  console.log('(+ columns: over the run without a group, i.e. acquire + release; acquire state: transitions / events)');

  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`\nHandoff latency over ${HANDOFFS} handoffs (FIFO queue, all waiters parked at the start)`);
  console.log(`  holder's release ends     → next holder's step starts: p50 ${ms(percentile(latency.fromReleaseEnd, 50))}, p95 ${ms(percentile(latency.fromReleaseEnd, 95))}, max ${ms(Math.max(...latency.fromReleaseEnd))}`);
  console.log(`  holder's release starts   → next holder's step starts: p50 ${ms(percentile(latency.fromReleaseStart, 50))}, p95 ${ms(percentile(latency.fromReleaseStart, 95))}, max ${ms(Math.max(...latency.fromReleaseStart))}`);
  console.log('  (negative: the release wakes the next holder from inside its own task, before that task returns)');
  console.log(`\nAWS's polling sample (${benchMode}, ${sample.length} handoffs, holds 2–${sized({ tiny: 2, quick: 12, full: 60 })} s): p50 ${ms(lock.sample_handoff_p50_ms)}, p99 ${ms(lock.sample_handoff_p99_ms)}`);
  console.log(`  transitions while waiting 1 / 10 / 60 min: ours ${minutes.map((m) => lock.transitions_waiting[`${m}m`]).join(' / ')}, sample ${minutes.map((m) => lock.sample_transitions_waiting[`${m}m`]).join(' / ')}`);
  console.log(`  sample model vs measured: ${lock.sample_model_check.exact}/${lock.sample_model_check.runs} exact, at most ${lock.sample_model_check.max_off} off`);
} finally {
  await local.close();
}
