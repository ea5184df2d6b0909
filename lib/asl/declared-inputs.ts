import type { WorkflowInput } from '../model/workflow';
import type { JsonValue, StateMachineDefinition } from './types';

// A workflow's state machine carries its input declarations: the first state validates the inputs
// of every start with them (lib/runtime/inputs.ts), and `stepdeploy start NAME|ARN` reads the same
// declarations from the deployed definition, so it refuses what the state machine would refuse
// before anything starts, as GitHub's API refuses such a dispatch.

/** The first state of every workflow's state machine. */
export const START_RUN_STATE = 'Start run';

/** The `workflow_dispatch` inputs a deployed definition declares; undefined when it is not a stepdeploy workflow's. */
export function declaredInputsOf(definition: StateMachineDefinition): readonly WorkflowInput[] | undefined {
  const start = definition.States[START_RUN_STATE];
  const parameters = start?.Type === 'Task' ? start.Parameters : undefined;
  const payload = parameters?.['Payload'];
  const inputs = isObject(payload) ? payload['inputs'] : undefined;
  return Array.isArray(inputs) && inputs.every(isObject) ? (inputs as unknown as WorkflowInput[]) : undefined;
}

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
