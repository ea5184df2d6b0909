import { join } from 'node:path';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import type { State, StateMachineDefinition, SubMachine } from '../../lib/asl/types';
import { loadWorkflowFile } from '../../lib/model/load';
import type { Workflow } from '../../lib/model/workflow';
import { planWorkflow } from '../../lib/plan';

export async function loadFixture(path: string): Promise<Workflow> {
  const loaded = await loadWorkflowFile(path);
  if (loaded.workflow === undefined) throw new Error(`${path}: ${JSON.stringify(loaded.problems)}`);
  return loaded.workflow;
}

export const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', `${name}.yml`);

export async function renderFile(path: string) {
  return compileWorkflow(planWorkflow(await loadFixture(path)), placeholderRefs);
}

/** Every state of a definition, branches and item processors included, with its name. */
export function allStates(machine: StateMachineDefinition | SubMachine): [string, State][] {
  const found: [string, State][] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    found.push([name, state]);
    if (state.Type === 'Parallel') for (const branch of state.Branches) found.push(...allStates(branch));
    if (state.Type === 'Map') found.push(...allStates(state.ItemProcessor));
  }
  return found;
}

export function stateNamed(machine: StateMachineDefinition, name: string): State {
  const found = allStates(machine).find(([candidate]) => candidate === name);
  if (found === undefined) throw new Error(`no state '${name}'`);
  return found[1];
}
