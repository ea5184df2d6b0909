// Small phrases shared by the renderers, so that text, Mermaid and DOT say the same thing.
import type { MatrixCell } from '../../model/matrix';
import type { Json, Step } from '../../model/workflow';
import type { PlannedJob, SpNode } from '../../plan';

/** `region=us-east-1, stage=prod`: strings as written, anything else as JSON. */
export function describeCell(cell: MatrixCell): string {
  return Object.entries(cell)
    .map(([key, value]) => `${key}=${describeValue(value)}`)
    .join(', ');
}

export function describeValue(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `6 cells, max-parallel 2`, or undefined for a job without a matrix. */
export function describeMatrix(planned: PlannedJob): string | undefined {
  const dynamic = planned.dynamicMatrix;
  if (planned.cells === undefined && dynamic === undefined) return undefined;
  const count = planned.cells?.length ?? 0;
  const cells = dynamic === undefined ? `${count} ${count === 1 ? 'cell' : 'cells'}` : `cells known when the job starts (at most ${dynamic.bound})`;
  const expression = planned.strategyExpressions?.maxParallel;
  const limit = expression !== undefined ? `max-parallel ${expression}` : planned.maxParallel === undefined ? 'no max-parallel' : `max-parallel ${planned.maxParallel}`;
  return `${cells}, ${limit}`;
}

/** A dynamic matrix as written: its one expression, or the mapping as JSON. */
export function describeDynamicMatrix(planned: PlannedJob): string | undefined {
  const template = planned.dynamicMatrix?.matrix.template;
  return template === undefined ? undefined : describeValue(template);
}

/** Series with ' -> ', parallel in parentheses with ' | ': `build -> (test | lint) -> deploy`. */
export function describeTree(node: SpNode): string {
  // A series never directly holds a series, nor a parallel a parallel: wrapping every nested node is enough.
  const nested = (child: SpNode): string => (child.kind === 'job' ? child.id : `(${describeTree(child)})`);
  switch (node.kind) {
    case 'job':
      return node.id;
    case 'series':
      return node.children.map(nested).join(' -> ');
    case 'parallel':
      return node.children.map(nested).join(' | ');
  }
}

/** The step groups in the same notation: `checkout -> (unit | lint) -> report`. */
export function describeStepGroups(groups: readonly (readonly Step[])[]): string {
  if (groups.length === 0) return '(none)';
  return groups
    .map((group) => (group.length === 1 ? (group[0]?.id ?? '') : `(${group.map((step) => step.id).join(' | ')})`))
    .join(' -> ');
}

/** `6 min`, or `7.5 min` when the seconds are not whole minutes. */
export function describeMinutes(seconds: number): string {
  const minutes = seconds / 60;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}
