/** Every state machine stepdeploy makes is named with this prefix; IAM, rules and the CLI match on it. */
export const STATE_MACHINE_PREFIX = 'stepdeploy-';

export function stateMachineName(workflowId: string): string {
  return `${STATE_MACHINE_PREFIX}${workflowId}`;
}
