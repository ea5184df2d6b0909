// A concurrency group on the local engine: how fast a released group reaches the next holder, and what
// an acquisition costs in state transitions and history events, with and without waiting. Everything
// runs side by side in one process (the same engine, the same fixtures), since machines are noisy.
// Run: npx tsx bench/handoff.bench.ts   (HANDOFFS=n changes the number of handoffs, default 40)
import '../lib/local/polyfills';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { E2E_FIXTURES, Gates, RuntimeTable, eventually, historyEvent, stateEntered } from '../test/fixtures/e2e/support';
import { startLocalWorkflows } from '../test/e2e/local-run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HANDOFFS = Number(process.env.HANDOFFS ?? 40);
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

/** Nearest-rank percentile. */
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
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

try {
  await unlockedRun(); // warm-up: handlers loaded, state machines built
  await freeRun();
  const baseline = await unlockedRun();
  const free = await freeRun();
  const shortWait = await waitingRun(200);
  const longWait = await waitingRun(2000);
  const latency = await handoffs(HANDOFFS);

  const row = (label: string, cost: Cost) =>
    `${label.padEnd(34)} ${String(cost.transitions).padStart(11)} ${String(cost.events).padStart(7)} ${String(cost.transitions - baseline.transitions).padStart(10)} ${String(cost.events - baseline.events).padStart(11)} ${`${cost.acquireTransitions} / ${cost.acquireEvents}`.padStart(16)}`;
  console.log('\nState transitions (*StateEntered) and history events of one run of held.yml');
  console.log(`${'run'.padEnd(34)} ${'transitions'.padStart(11)} ${'events'.padStart(7)} ${'+trans.'.padStart(10)} ${'+events'.padStart(11)} ${'acquire state'.padStart(16)}`);
  console.log(row('no concurrency group (unlocked.yml)', baseline));
  console.log(row('group free: acquired at once', free));
  console.log(row('waited 0.2 s behind a holder', shortWait));
  console.log(row('waited 2 s behind a holder', longWait));
  console.log('(+ columns: over the run without a group, i.e. acquire + release; acquire state: transitions / events)');

  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`\nHandoff latency over ${HANDOFFS} handoffs (FIFO queue, all waiters parked at the start)`);
  console.log(`  holder's release ends     → next holder's step starts: p50 ${ms(percentile(latency.fromReleaseEnd, 50))}, p95 ${ms(percentile(latency.fromReleaseEnd, 95))}, max ${ms(Math.max(...latency.fromReleaseEnd))}`);
  console.log(`  holder's release starts   → next holder's step starts: p50 ${ms(percentile(latency.fromReleaseStart, 50))}, p95 ${ms(percentile(latency.fromReleaseStart, 95))}, max ${ms(Math.max(...latency.fromReleaseStart))}`);
  console.log('  (negative: the release wakes the next holder from inside its own task, before that task returns)');
} finally {
  await local.close();
}
