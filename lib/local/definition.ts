// The state machine definition as the local engine sees it: every Task state by name (the library
// binds handlers by name), the features the library would silently ignore, and the timeouts it needs.

import type { State, StateMachineDefinition, SubMachine, TaskState } from '../asl/types';
import { TemplateError } from './intrinsics';

/** setTimeout's ceiling (~24.8 days); longer delays fire at once. */
export const MAX_TIMER_SECONDS = 2_147_483;

/** Calls `visit` for every state, nested branches and item processors included. */
export function forEachState(machine: SubMachine | StateMachineDefinition, visit: (name: string, state: State) => void): void {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state);
    if (state.Type === 'Parallel') state.Branches.forEach((branch) => forEachState(branch, visit));
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? (state as { Iterator?: SubMachine }).Iterator;
      if (processor) forEachState(processor, visit);
    }
  }
}

/** Task name → the names of the Parallel and Map states around it (outermost first). */
export function taskContainers(definition: StateMachineDefinition): Map<string, Set<string>> {
  const containers = new Map<string, Set<string>>();
  const walk = (machine: SubMachine | StateMachineDefinition, around: readonly string[]): void => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === 'Task') containers.set(name, new Set(around));
      if (state.Type === 'Parallel') state.Branches.forEach((branch) => walk(branch, [...around, name]));
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? (state as { Iterator?: SubMachine }).Iterator;
        if (processor) walk(processor, [...around, name]);
      }
    }
  };
  walk(definition, []);
  return containers;
}

/** Task states by name; the same name twice with different definitions cannot be bound locally. */
export function taskStatesByName(definition: StateMachineDefinition, machine: string): Map<string, TaskState> {
  const tasks = new Map<string, TaskState>();
  forEachState(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const seen = tasks.get(name);
    if (seen && JSON.stringify(seen) !== JSON.stringify(state)) {
      throw new TemplateError(`State machine '${machine}': two different Task states are named '${name}'; the local engine binds tasks by name`);
    }
    tasks.set(name, state);
  });
  return tasks;
}

// Keys the library ignores without a word; running on would give different results than AWS.
// (HeartbeatSeconds the library ignores too, but the engine keeps the heartbeat clock itself.)
const unsupportedKeys = ['QueryLanguage', 'Assign', 'Arguments', 'Output', 'HeartbeatSecondsPath', 'ItemReader', 'ResultWriter', 'Credentials'];

/** Rejects what the local engine cannot run faithfully, naming the state and the key. */
export function checkLocallySupported(definition: StateMachineDefinition, machine: string): void {
  if ('QueryLanguage' in definition) {
    throw new TemplateError(`State machine '${machine}': QueryLanguage is not supported by the local engine (JSONPath only)`);
  }
  forEachState(definition, (name, state) => {
    const key = unsupportedKeys.find((candidate) => candidate in state);
    if (key) throw new TemplateError(`State machine '${machine}', state '${name}': ${key} is not supported by the local engine`);
    if (state.Type === 'Task' && state.HeartbeatSeconds !== undefined && !state.Resource.endsWith('.waitForTaskToken')) {
      throw new TemplateError(`State machine '${machine}', state '${name}': HeartbeatSeconds is kept locally only for .waitForTaskToken tasks`);
    }
    // The engine reads the path itself to stop a timed-out task's work: a plain `$.a.b` only.
    if (state.Type === 'Task' && state.TimeoutSecondsPath !== undefined && !/^\$(\.[A-Za-z0-9_-]+)*$/.test(state.TimeoutSecondsPath)) {
      throw new TemplateError(`State machine '${machine}', state '${name}': TimeoutSecondsPath '${state.TimeoutSecondsPath}' must be a plain path like $.a.b locally`);
    }
  });
}

/**
 * A copy for the library: a Task without a timeout gets the longest one a timer allows (the library
 * would stop it after 60 s; AWS lets it run), and no timeout exceeds what a timer can hold.
 */
export function withLocalTaskTimeouts(definition: StateMachineDefinition): StateMachineDefinition {
  const copy = structuredClone(definition);
  forEachState(copy, (_name, state) => {
    if (state.Type !== 'Task' || state.TimeoutSecondsPath !== undefined) return;
    state.TimeoutSeconds = Math.min(state.TimeoutSeconds ?? MAX_TIMER_SECONDS, MAX_TIMER_SECONDS);
  });
  if (copy.TimeoutSeconds !== undefined) copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds, MAX_TIMER_SECONDS);
  return copy;
}
