import { successors } from './successors';
import type { State, StateMachineDefinition, SubMachine } from './types';

/**
 * Drops states no path reaches. The renderers build every way through a job (a skip state per step,
 * a status gate per step) and let this pass remove the ones a given workflow never takes: Step
 * Functions rejects definitions with unreachable states.
 */
export function pruneUnreachable<T extends StateMachineDefinition | SubMachine>(machine: T): T {
  // Depth-first from StartAt, following Next before branches and catches, so that the states read
  // in the order a successful run takes them.
  const order: string[] = [];
  const reached = new Set<string>();
  const pending = [machine.StartAt];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name)) continue;
    const state = machine.States[name];
    if (state === undefined) throw new Error(`state '${name}' is referenced but not defined`);
    reached.add(name);
    order.push(name);
    pending.push(...successors(state).reverse());
  }
  const states: Record<string, State> = {};
  for (const name of order) states[name] = pruneInside(machine.States[name]!);
  return { ...machine, States: states };
}

function pruneInside(state: State): State {
  if (state.Type === 'Parallel') return { ...state, Branches: state.Branches.map((branch) => pruneUnreachable(branch)) };
  if (state.Type === 'Map') return { ...state, ItemProcessor: pruneUnreachable(state.ItemProcessor) };
  return state;
}
