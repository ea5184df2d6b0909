import type { State } from './types';

/**
 * The states of one sub-machine (the top level, a Parallel branch or a Map item processor) under
 * construction. Step Functions wants state names unique across the whole definition, so every set
 * made with `branch()` shares its parent's register of names.
 */
export class StateSet {
  readonly states: Record<string, State> = {};

  constructor(private readonly names: Set<string> = new Set()) {}

  add(name: string, state: State): string {
    if (name.length > 80) throw new Error(`state name longer than 80 characters: '${name}'`);
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
