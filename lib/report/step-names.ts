import { evaluateTemplate, parseTemplate, referencedContexts, toDisplayString } from '../expressions';
import { jobIdOfStartComment, parseStateName } from '../asl/names';
import type { StateMachineDefinition, SubMachine } from '../asl/types';
import type { Json } from '../model/workflow';

/**
 * `job.step` → the step's display name, from the run states' Comments (lib/asl/step-display-name.ts);
 * and `job` (no dot) → the full job id, where state names shorten a long id to a label.
 */
export type StepNames = Readonly<Record<string, string>>;

export function stepNamesOf(definition: StateMachineDefinition | SubMachine): StepNames {
  const names: Record<string, string> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    const role = parseStateName(name);
    if (role?.role === 'step-run' && state.Comment !== undefined) names[`${role.job}.${role.step}`] = state.Comment;
    const fullId = role?.role === 'job-start' ? jobIdOfStartComment(state.Comment) : undefined;
    if (role?.role === 'job-start' && fullId !== undefined) names[role.job] = fullId;
    if (state.Type === 'Parallel') for (const branch of state.Branches) Object.assign(names, stepNamesOf(branch));
    if (state.Type === 'Map') Object.assign(names, stepNamesOf(state.ItemProcessor));
  }
  return names;
}

/**
 * A step's name in a report: its display name, with `matrix` expressions filled in from the cell
 * (`Deploy to ${{ matrix.region }}` → `Deploy to eu-west-1`). Names that read other contexts are shown
 * as written; without a name the step id stands.
 */
/** The job id a report shows for a job named `label` in state names. */
export function reportJobId(names: StepNames | undefined, label: string): string {
  return names?.[label] ?? label;
}

export function reportStepName(names: StepNames | undefined, job: string, step: string, matrix: Readonly<Record<string, Json>> | undefined): string {
  const name = names?.[`${job}.${step}`];
  if (name === undefined) return step;
  try {
    const { contexts } = referencedContexts(parseTemplate(name));
    if ([...contexts].some((context) => context !== 'matrix')) return name;
    return toDisplayString(evaluateTemplate(name, { contexts: { matrix: matrix ?? {} } }));
  } catch {
    return name;
  }
}
