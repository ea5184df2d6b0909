import type { SpecEntry, SpecMap, SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import { isLoneExpression } from '../../expressions';
import type { DynamicMatrix, Json, Matrix, Strategy } from '../workflow';
import { readBoolean, readJsonObject, readJson, readMap, readPositiveInteger } from './read';

const hasExpression = (node: SpecNode): boolean =>
  node.kind === 'scalar' && typeof node.value === 'string' && node.value.includes('${{');

/** `strategy:`; the matrix is checked here for shape, and expanded by the matrix checks. */
export function normalizeStrategy(node: SpecNode, path: string, sink: ProblemSink): Strategy | undefined {
  const entries = readMap(node, path, 'strategy', sink);
  if (!entries) return undefined;
  const expressions: { failFast?: string; maxParallel?: string } = {};
  const failFastEntry = entries.get('fail-fast');
  let failFast = true;
  if (failFastEntry && hasExpression(failFastEntry.value)) {
    if (wholeExpression(failFastEntry.value, keyPath(path, 'fail-fast'), sink)) expressions.failFast = String((failFastEntry.value as { value: unknown }).value);
  } else if (failFastEntry) failFast = readBoolean(failFastEntry.value, keyPath(path, 'fail-fast'), sink) ?? true;
  const maxParallelEntry = entries.get('max-parallel');
  let maxParallel: number | undefined;
  if (maxParallelEntry && hasExpression(maxParallelEntry.value)) {
    if (wholeExpression(maxParallelEntry.value, keyPath(path, 'max-parallel'), sink)) expressions.maxParallel = String((maxParallelEntry.value as { value: unknown }).value);
  } else if (maxParallelEntry) maxParallel = readPositiveInteger(maxParallelEntry.value, keyPath(path, 'max-parallel'), sink);
  const matrixEntry = entries.get('matrix');
  if (!matrixEntry) {
    sink.report('missing-key', node.pos, keyPath(path, 'matrix'), `${path}: matrix is required in a strategy`);
    return undefined;
  }
  const matrix = normalizeMatrix(matrixEntry, keyPath(path, 'matrix'), sink);
  if (!matrix) return undefined;
  return { matrix, failFast, ...(maxParallel !== undefined && { maxParallel }), ...(Object.keys(expressions).length > 0 && { expressions }) };
}

function normalizeMatrix(entry: SpecEntry, path: string, sink: ProblemSink): Matrix | DynamicMatrix | undefined {
  const node = entry.value;
  if (hasExpression(node)) return wholeExpression(node, path, sink) ? { kind: 'dynamic', template: readJson(node, path, sink) } : undefined;
  if (node.kind !== 'map') {
    sink.report('matrix-invalid', node.pos, path, `${path}: a matrix is a mapping of dimension → list of values (with optional include and exclude)`);
    return undefined;
  }
  const dimensions: Record<string, readonly Json[]> = {};
  let include: Readonly<Record<string, Json>>[] = [];
  let exclude: Readonly<Record<string, Json>>[] = [];
  let valid = true;
  for (const { key, value } of new Map(node.entries.map((item) => [item.key, item])).values()) {
    const at = keyPath(path, key);
    if (key.includes('${{')) {
      sink.report('matrix-invalid', value.pos, at, `${at}: a matrix key cannot be an expression; write the dimension's name`);
      valid = false;
    } else if (hasExpression(value)) {
      valid = wholeExpression(value, at, sink) && valid;
      // A dimension given as an expression: its name is known, its values only at run time.
      if (key !== 'include' && key !== 'exclude') dimensions[key] = [];
    } else if (key === 'include' || key === 'exclude') {
      const entries = readEntries(value, at, sink);
      if (!entries) valid = false;
      else if (key === 'include') include = entries;
      else exclude = entries;
    } else if (value.kind !== 'seq') {
      sink.report('matrix-invalid', value.pos, at, `${at}: a matrix dimension must be a list of values`);
      valid = false;
    } else dimensions[key] = value.items.map((item, index) => readJson(item, itemPath(at, index), sink));
  }
  if (!valid) return undefined;
  const matrix: Matrix = { dimensions, include, exclude };
  const template = readJson(node, path, sink);
  return holdsExpression(template) ? { kind: 'dynamic', template, ...knownKeys(node, matrix) } : matrix;
}

/** A matrix, dimension or include given as an expression must be one `${{ }}` alone: text around it makes a string. */
function wholeExpression(node: SpecNode, path: string, sink: ProblemSink): boolean {
  const text = node.kind === 'scalar' ? String(node.value) : '';
  if (isLoneExpression(text)) return true;
  const message = `${path}: '${text}' is a string with text around \${{ }}; a matrix (a dimension, include, exclude), fail-fast or max-parallel given as an expression must be one \${{ }} and nothing else (e.g. \${{ fromJSON(needs.setup.outputs.matrix) }})`;
  sink.report('matrix-invalid', node.pos, path, message);
  return false;
}

/** The keys a cell can have, when every one is written in the file (include and its entries literal). */
function knownKeys(node: SpecMap, matrix: Matrix): { keys?: readonly string[] } {
  const includeNode = node.entries.find((entry) => entry.key === 'include')?.value;
  if (includeNode !== undefined && (includeNode.kind !== 'seq' || includeNode.items.some((item) => item.kind !== 'map'))) return {};
  return { keys: [...new Set([...Object.keys(matrix.dimensions), ...matrix.include.flatMap((entry) => Object.keys(entry))])] };
}

function holdsExpression(value: Json): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (Array.isArray(value)) return value.some((item: Json) => holdsExpression(item));
  return value !== null && typeof value === 'object' && Object.values(value).some((item) => holdsExpression(item as Json));
}

function readEntries(node: SpecNode, path: string, sink: ProblemSink): Record<string, Json>[] | undefined {
  if (node.kind !== 'seq') {
    sink.report('matrix-invalid', node.pos, path, `${path}: must be a list of mappings`);
    return undefined;
  }
  const entries: Record<string, Json>[] = [];
  node.items.forEach((item, index) => {
    const at = itemPath(path, index);
    if (item.kind === 'map') entries.push(readJsonObject(item, at, sink));
    else if (hasExpression(item) && wholeExpression(item, at, sink)) entries.push({});
    else if (!hasExpression(item)) sink.report('matrix-invalid', item.pos, at, `${at}: each entry must be a mapping of dimension → value`);
  });
  return entries.length === node.items.length ? entries : undefined;
}

