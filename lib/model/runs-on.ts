// What a `runs-on` can evaluate to, known before the run (the validator checks each value, the
// renderer passes each one's CodeBuild environment to the state that evaluates the expression).

import { parseTemplate, type ExprNode } from '../expressions';
import { isDynamicMatrix, type Job, type Json, type Workflow } from './workflow';

/**
 * The label sets a `runs-on` expression can evaluate to, or undefined when they cannot be known before
 * the run. Only a lone `${{ matrix.<key> }}` (the key's values and include entries) or
 * `${{ inputs.<name> }}` of a choice input (its options) qualifies.
 */
export function runsOnCandidates(job: Job, workflow: Workflow): (readonly string[])[] | undefined {
  const expression = job.runsOn.expression;
  if (expression === undefined) return [job.runsOn.labels];
  let reference: { context: string; member: string } | undefined;
  try {
    const tree = parseTemplate(expression);
    reference = memberOf(tree);
  } catch {
    return undefined; // reported as expression-syntax
  }
  if (reference === undefined) return undefined;
  const { context, member } = reference;
  let values: Json[] | undefined;
  // A dynamic matrix's values are known only when the job starts.
  if (context === 'matrix' && job.strategy && !isDynamicMatrix(job.strategy.matrix)) {
    const key = member.toLowerCase();
    const { dimensions, include } = job.strategy.matrix;
    const fromDimensions = Object.entries(dimensions).flatMap(([name, list]) => (name.toLowerCase() === key ? [...list] : []));
    const fromInclude = include.flatMap((entry) => Object.entries(entry).flatMap(([name, value]) => (name.toLowerCase() === key ? [value] : [])));
    values = [...fromDimensions, ...fromInclude];
  } else if (context === 'inputs') {
    const input = workflow.on.workflowDispatch?.inputs.find((item) => item.id.toLowerCase() === member.toLowerCase());
    values = input?.type === 'choice' ? [...(input.options ?? [])] : undefined;
  }
  if (values === undefined || values.length === 0) return undefined;
  const sets: string[][] = [];
  for (const value of values) {
    if (typeof value === 'string') sets.push([value]);
    else if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) sets.push(value as string[]);
    else return undefined;
  }
  return sets;
}

/** `matrix.os` / `inputs.runner` (a template that is exactly one such expression). */
function memberOf(tree: ExprNode): { context: string; member: string } | undefined {
  if (tree.kind !== 'property' || tree.object.kind !== 'context') return undefined;
  return { context: tree.object.name.toLowerCase(), member: tree.name };
}
