import type { State } from './types';

/** The states a state can hand over to: Next, a Choice's targets, and its Catch targets. */
export function successors(state: State): string[] {
  const next: string[] = [];
  if ('Next' in state && state.Next !== undefined) next.push(state.Next);
  if (state.Type === 'Choice') {
    for (const choice of state.Choices) if (choice.Next !== undefined) next.push(choice.Next);
    if (state.Default !== undefined) next.push(state.Default);
  }
  if ('Catch' in state && state.Catch !== undefined) for (const catcher of state.Catch) next.push(catcher.Next);
  return next;
}
