import type { State, StateMachineDefinition, SubMachine } from './types';

/** The order a person writes a state's fields in: what it is, what it does, what it keeps, where next. */
const FIELD_ORDER = [
  'Type', 'Comment', 'Resource', 'InputPath', 'Parameters', 'ItemsPath', 'ItemSelector', 'MaxConcurrency',
  'ItemProcessor', 'Branches', 'Choices', 'Default', 'Result', 'ResultSelector', 'ResultPath', 'OutputPath',
  'TimeoutSeconds', 'HeartbeatSeconds', 'Retry', 'Catch', 'Error', 'Cause', 'ErrorPath', 'CausePath', 'Next', 'End',
];
const rank = new Map(FIELD_ORDER.map((field, index) => [field, index]));

/** Rewrites every state with its fields in FIELD_ORDER, so generated ASL reads like hand-written ASL. */
export function orderFields<T extends StateMachineDefinition | SubMachine>(machine: T): T {
  const states: Record<string, State> = {};
  for (const [name, state] of Object.entries(machine.States)) states[name] = orderState(state);
  return { ...machine, States: states };
}

function orderState(state: State): State {
  const ordered = Object.fromEntries(
    Object.entries(state).sort(([a], [b]) => (rank.get(a) ?? FIELD_ORDER.length) - (rank.get(b) ?? FIELD_ORDER.length)),
  ) as State;
  if (ordered.Type === 'Parallel') return { ...ordered, Branches: ordered.Branches.map((branch) => orderFields(branch)) };
  if (ordered.Type === 'Map') return { ...ordered, ItemProcessor: orderFields(ordered.ItemProcessor) };
  return ordered;
}
