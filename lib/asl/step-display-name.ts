import type { Step } from '../model/workflow';

/**
 * What a person calls a step, as GitHub shows it: its `name:`, else `Run <first line of the script>`
 * for a run step and `Invoke <function>` for a Lambda step. Kept in the run state's Comment, so a
 * report rebuilt from the deployed definition can show it.
 */
export function stepDisplayName(step: Step): string {
  if (step.name !== undefined) return step.name;
  if (step.kind === 'lambda') return `Invoke ${step.function}`;
  if (step.kind === 'checkout') return `Run ${step.action}`;
  if (step.kind === 'action') return `Run ${step.uses}`;
  const first = (step.writtenRun ?? step.run).split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  return `Run ${first.length > 60 ? `${first.slice(0, 57)}...` : first}`;
}
