import { createHash } from 'node:crypto';
import type { State } from './types';

/** Step Functions' limit on a state name's length. */
export const MAX_STATE_NAME_LENGTH = 80;

/**
 * A name within MAX_STATE_NAME_LENGTH: a longer one keeps its start (readable in the console) and
 * ends in a hash of the whole name, so that the same workflow always gets the same names and two
 * long names that share their start still differ. Role names (lib/asl/names.ts) never get here long:
 * the validator caps ids so that they fit.
 */
export function fitStateName(name: string): string {
  if (name.length <= MAX_STATE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_STATE_NAME_LENGTH - hash.length - 1)}~${hash}`;
}

/**
 * The states of one sub-machine (the top level, a Parallel branch or a Map item processor) under
 * construction. Step Functions wants state names unique across the whole definition, so every set
 * made with `branch()` shares its parent's register of names.
 */
export class StateSet {
  readonly states: Record<string, State> = {};

  constructor(private readonly names: Set<string> = new Set()) {}

  /** Adds a state and returns its name as added (shortened by fitStateName when too long). */
  add(wanted: string, state: State): string {
    const name = fitStateName(wanted);
    if (this.names.has(name)) throw new Error(`duplicate state name '${name}'`);
    this.names.add(name);
    this.states[name] = state;
    return name;
  }

  /** A set for a Parallel branch or a Map item processor. */
  branch(): StateSet {
    return new StateSet(this.names);
  }
}
