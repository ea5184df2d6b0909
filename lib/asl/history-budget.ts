// The history budget. A Standard execution fails at 25,000 history events, so stepdeploy estimates
// the worst case of every definition and, above BUDGET, runs the biggest matrices as Distributed
// Maps: each cell is then a child execution with a history of its own, and the parent records a
// handful of map-run events instead of every cell's states.
//
// Events per state, as Step Functions records them:
//   Pass, Choice, Succeed:               2 (…StateEntered, …StateExited)
//   Fail:                                2 (FailStateEntered, ExecutionFailed)
//   Task, request-response:              5 (Entered, Scheduled, Started, Succeeded, Exited)
//   Task, .sync / .waitForTaskToken:     6 (… plus TaskSubmitted)
//   each retry attempt:                  3 (Scheduled, Started, Failed); the attempts of all retriers add up
//   a retried Parallel or Map:           its whole cost again per attempt
//   Parallel:                            4 + its branches
//   Map, inline:                         4 + per cell 2 (IterationStarted, IterationSucceeded) + the cell's states
//   Map, distributed:                    6 (… MapRunStarted, MapRunSucceeded); cells live in child executions
// The estimate follows the costliest path through each sub-machine (our definitions have no loops),
// so it is an upper bound on any one execution's history.

import { cellBound, hasMatrix } from '../plan/cells';
import type { Plan } from '../plan/types';
import { jobLabel } from './names';
import { successors } from './successors';
import type { Retrier, State, StateMachineDefinition, SubMachine } from './types';

export const HISTORY_LIMIT = 25_000;
/** Headroom under the hard limit for what the estimate does not see (heartbeats, redrives). */
export const HISTORY_BUDGET = 20_000;

export interface HistoryEstimate {
  /** Worst-case events of the top-level execution. */
  readonly events: number;
  /** Worst-case events of one child execution per distributed matrix job (job label, lib/asl/names.ts → events). */
  readonly children: Readonly<Record<string, number>>;
}

/** Cells per Map state (Map states are named by their job label, lib/asl/names.ts). */
export type MapItemCounts = Readonly<Record<string, number>>;

export function mapItemCounts(plan: Plan): MapItemCounts {
  const counts: Record<string, number> = {};
  // A dynamic matrix counts as its bound: the most cells it may expand to.
  for (const planned of plan.jobs) if (hasMatrix(planned)) counts[jobLabel(planned.job.id)] = cellBound(planned);
  return counts;
}

export function estimateHistory(definition: StateMachineDefinition, items: MapItemCounts): HistoryEstimate {
  const children: Record<string, number> = {};
  const events = 2 + machineCost(definition, items, children);
  return { events, children };
}

function machineCost(machine: SubMachine | StateMachineDefinition, items: MapItemCounts, children: Record<string, number>): number {
  // The costliest path from each state, computed after all of its successors (an explicit stack, not
  // recursion: a chain of thousands of steps or jobs must not overflow the call stack).
  const memo = new Map<string, number>();
  const stack: { readonly name: string; readonly expanded: boolean }[] = [{ name: machine.StartAt, expanded: false }];
  while (stack.length > 0) {
    const { name, expanded } = stack.pop()!;
    if (memo.has(name)) continue;
    const state = machine.States[name]!;
    const next = successors(state);
    if (!expanded) {
      stack.push({ name, expanded: true });
      for (const successor of next) if (!memo.has(successor)) stack.push({ name: successor, expanded: false });
      continue;
    }
    const after = next.reduce((worst, successor) => Math.max(worst, memo.get(successor) ?? 0), 0);
    memo.set(name, stateCost(name, state, items, children) + after);
  }
  return memo.get(machine.StartAt) ?? 0;
}

/**
 * The most retries a state can make: each retrier counts its own attempts (a state throttled six times
 * can still be refused for its quota eight times), so the worst case is their sum, not the largest.
 */
export function retryAttempts(retriers: readonly Retrier[] | undefined): number {
  return (retriers ?? []).reduce((sum, retrier) => sum + Math.max(0, retrier.MaxAttempts ?? 3), 0);
}

/** Worst-case events of one state, its branches or cells included. */
export function stateCost(name: string, state: State, items: MapItemCounts, children: Record<string, number>): number {
  switch (state.Type) {
    case 'Task': {
      const waits = state.Resource.endsWith('.sync') || state.Resource.endsWith('.sync:2') || state.Resource.endsWith('.waitForTaskToken');
      return (waits ? 6 : 5) + 3 * retryAttempts(state.Retry);
    }
    case 'Parallel':
      return (1 + retryAttempts(state.Retry)) * (4 + state.Branches.reduce((sum, branch) => sum + machineCost(branch, items, children), 0));
    case 'Map': {
      const cell = machineCost(state.ItemProcessor, items, children);
      if (state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED') {
        children[name] = 2 + cell;
        return 6;
      }
      return (1 + retryAttempts(state.Retry)) * (4 + (items[name] ?? 1) * (2 + cell));
    }
    default:
      return 2;
  }
}
