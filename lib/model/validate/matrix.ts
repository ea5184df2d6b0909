import { crossProductSize, expandMatrix, MAX_MATRIX_CELLS, unmatchedExcludes } from '../matrix';
import { itemPath, keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import type { Json } from '../workflow';
import type { CheckInput } from './check';

// Past this many cross-product cells, expanding just to count them is not worth the memory.
const EXPANSION_BOUND = 100_000;

/** Each job's matrix expands to 1..256 cells, and every exclude entry names dimensions and matches. */
export function checkMatrices({ workflow, index, sink }: CheckInput): void {
  for (const job of workflow.jobs) {
    const matrix = job.strategy?.matrix;
    if (!matrix) continue;
    const path = keyPath(keyPath(keyPath('jobs', job.id), 'strategy'), 'matrix');
    const reportExpression = (at: string): void => {
      const message = `${at}: an expression inside a matrix value is not supported: stepdeploy expands the matrix when it synthesizes the state machine, so the text would reach the steps unevaluated; write the value`;
      sink.report('matrix-expression', index.valuePos(at), at, message);
    };
    for (const [key, values] of Object.entries(matrix.dimensions)) findExpressions(values, keyPath(path, key), reportExpression);
    findExpressions(matrix.include, keyPath(path, 'include'), reportExpression);
    findExpressions(matrix.exclude, keyPath(path, 'exclude'), reportExpression);
    const dimensions = Object.keys(matrix.dimensions);
    let excludesNameDimensions = true;
    matrix.exclude.forEach((entry, position) => {
      for (const key of Object.keys(entry)) {
        if (dimensions.includes(key)) continue;
        excludesNameDimensions = false;
        const at = keyPath(itemPath(keyPath(path, 'exclude'), position), key);
        const known = dimensions.length === 0 ? 'the matrix has no dimensions' : `dimensions: ${dimensions.join(', ')}`;
        const hint = didYouMean(key, dimensions) || ` (${known})`;
        sink.report('matrix-exclude-unknown-key', index.keyPos(at), at, `${at}: '${key}' is not a dimension of this matrix${hint}`);
      }
    });
    const size = crossProductSize(matrix);
    if (size > EXPANSION_BOUND) {
      reportTooLarge(index.valuePos(path), path, `${size} combinations before exclude`);
      continue;
    }
    if (excludesNameDimensions) {
      for (const position of unmatchedExcludes(matrix)) {
        const at = itemPath(keyPath(path, 'exclude'), position);
        const entry = matrix.exclude[position] ?? {};
        const message = `${at}: exclude entry (${describeEntry(entry)}) matches no combination of the matrix`;
        sink.report('matrix-exclude-unmatched', index.valuePos(at), at, message);
      }
    }
    const cells = expandMatrix(matrix).length;
    if (cells > MAX_MATRIX_CELLS) reportTooLarge(index.valuePos(path), path, `${cells} combinations`);
    if (cells === 0) {
      const message = `${path}: the matrix expands to no combinations (an empty dimension, or exclude removes every combination and include adds none)`;
      sink.report('matrix-empty', index.valuePos(path), path, message);
    }
  }

  function reportTooLarge(pos: { line: number; column: number }, path: string, count: string): void {
    const message = `${path}: the matrix expands to ${count}; at most ${MAX_MATRIX_CELLS} are allowed (as in GitHub Actions)`;
    sink.report('matrix-too-large', pos, path, message);
  }
}

/** Every string holding `${{` in a matrix value, by its key path. */
function findExpressions(value: Json | readonly Json[], path: string, found: (path: string) => void): void {
  if (typeof value === 'string') {
    if (value.includes('${{')) found(path);
  } else if (Array.isArray(value)) value.forEach((item: Json, position: number) => findExpressions(item, itemPath(path, position), found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) findExpressions(item as Json, keyPath(path, key), found);
  }
}

function describeEntry(entry: Readonly<Record<string, Json>>): string {
  return Object.entries(entry)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(', ');
}
