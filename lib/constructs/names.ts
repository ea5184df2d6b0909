// Physical names of what a stack makes that must have one (state machines and their log groups):
// `<stack>_<workflow id>`. Stack names and workflow ids are both [A-Za-z0-9-], so `_` splits them
// unambiguously, and `<stack>_` is a prefix that matches the state machines of that stack alone:
// IAM policies, the status-change rule and the CLI match on it, and two stacks of the app in one
// account and region never collide.
import { createHash } from 'node:crypto';

/** State machine names are at most 80 characters; each part gets a share, so the id part is stack-free. */
const STACK_PART = 40;
const ID_PART = 39;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** The text itself when it fits, else its start and a hash of the whole (still unique, still readable). */
function fitted(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 9)}-${shortHash(text)}`;
}

/** What every state machine name of this stack starts with. */
export function stateMachinePrefix(stackName: string): string {
  return `${fitted(stackName, STACK_PART)}_`;
}

/** What a state machine name of this workflow ends with, in any stack. */
export function workflowSuffix(workflowId: string): string {
  return `_${fitted(workflowId, ID_PART)}`;
}

export function stateMachineName(stackName: string, workflowId: string): string {
  return `${fitted(stackName, STACK_PART)}${workflowSuffix(workflowId)}`;
}
