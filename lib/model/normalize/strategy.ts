import type { SpecEntry, SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import type { Json, Matrix, Strategy } from '../workflow';
import { readBoolean, readJsonObject, readJson, readMap, readPositiveInteger } from './read';

const hasExpression = (node: SpecNode): boolean =>
  node.kind === 'scalar' && typeof node.value === 'string' && node.value.includes('${{');

/** `strategy:`; the matrix is checked here for shape, and expanded by the matrix checks. */
export function normalizeStrategy(node: SpecNode, path: string, sink: ProblemSink): Strategy | undefined {
  const entries = readMap(node, path, 'strategy', sink);
  if (!entries) return undefined;
  const failFastEntry = entries.get('fail-fast');
  const failFast = (failFastEntry && readBoolean(failFastEntry.value, keyPath(path, 'fail-fast'), sink)) ?? true;
  const maxParallelEntry = entries.get('max-parallel');
  const maxParallel = maxParallelEntry && readPositiveInteger(maxParallelEntry.value, keyPath(path, 'max-parallel'), sink);
  const matrixEntry = entries.get('matrix');
  if (!matrixEntry) {
    sink.report('missing-key', node.pos, keyPath(path, 'matrix'), `${path}: matrix is required in a strategy`);
    return undefined;
  }
  const matrix = normalizeMatrix(matrixEntry, keyPath(path, 'matrix'), sink);
  if (!matrix) return undefined;
  return { matrix, failFast, ...(maxParallel !== undefined && { maxParallel }) };
}

function normalizeMatrix(entry: SpecEntry, path: string, sink: ProblemSink): Matrix | undefined {
  const node = entry.value;
  if (hasExpression(node)) return reportExpression(sink, node, path);
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
    if (hasExpression(value)) {
      reportExpression(sink, value, at);
      valid = false;
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
  return valid ? { dimensions, include, exclude } : undefined;
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
    else sink.report('matrix-invalid', item.pos, at, `${at}: each entry must be a mapping of dimension → value`);
  });
  return entries.length === node.items.length ? entries : undefined;
}

function reportExpression(sink: ProblemSink, node: SpecNode, path: string): undefined {
  const message = `${path}: a matrix given as an expression is not supported: stepdeploy expands the matrix when it synthesizes the state machine, before any input or output exists; list the values`;
  sink.report('matrix-expression', node.pos, path, message);
  return undefined;
}
