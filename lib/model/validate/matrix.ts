import { crossProductSize, expandMatrix, MAX_MATRIX_CELLS, unmatchedExcludes } from '../matrix';
import { itemPath, keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import { isDynamicMatrix, type Json } from '../workflow';
import type { CheckInput } from './check';

// Past this many cross-product cells, expanding just to count them is not worth the memory.
const EXPANSION_BOUND = 100_000;

/**
 * Each job's matrix expands to 1..256 cells, and every exclude entry names dimensions and matches.
 * A dynamic matrix is expanded when its job starts: only what the file fixes is checked here.
 */
export function checkMatrices({ workflow, index, sink }: CheckInput): void {
  for (const job of workflow.jobs) {
    const matrix = job.strategy?.matrix;
    if (!matrix) continue;
    const path = keyPath(keyPath(keyPath('jobs', job.id), 'strategy'), 'matrix');
    if (isDynamicMatrix(matrix)) {
      const written = writtenParts(matrix.template);
      if (written !== undefined) checkExcludeKeys(written.dimensions, written.exclude, path);
      continue;
    }
    const excludesNameDimensions = checkExcludeKeys(Object.keys(matrix.dimensions), matrix.exclude, path);
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

  /** Reports exclude keys that are not dimensions; true when there are none. */
  function checkExcludeKeys(dimensions: readonly string[], exclude: readonly Json[], path: string): boolean {
    let excludesNameDimensions = true;
    exclude.forEach((entry, position) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return;
      for (const key of Object.keys(entry)) {
        if (dimensions.includes(key)) continue;
        excludesNameDimensions = false;
        const at = keyPath(itemPath(keyPath(path, 'exclude'), position), key);
        const known = dimensions.length === 0 ? 'the matrix has no dimensions' : `dimensions: ${dimensions.join(', ')}`;
        const hint = didYouMean(key, dimensions) || ` (${known})`;
        sink.report('matrix-exclude-unknown-key', index.keyPos(at), at, `${at}: '${key}' is not a dimension of this matrix${hint}`);
      }
    });
    return excludesNameDimensions;
  }

  function reportTooLarge(pos: { line: number; column: number }, path: string, count: string): void {
    const message = `${path}: the matrix expands to ${count}; at most ${MAX_MATRIX_CELLS} are allowed (as in GitHub Actions)`;
    sink.report('matrix-too-large', pos, path, message);
  }
}

/** A dynamic matrix's dimension names and its exclude entries, when the file writes them (not one expression for all). */
function writtenParts(template: Json): { dimensions: string[]; exclude: readonly Json[] } | undefined {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) return undefined;
  const entries = template as Readonly<Record<string, Json>>;
  const exclude = entries['exclude'];
  return {
    dimensions: Object.keys(entries).filter((key) => key !== 'include' && key !== 'exclude'),
    exclude: Array.isArray(exclude) ? exclude : [],
  };
}

function describeEntry(entry: Readonly<Record<string, Json>>): string {
  return Object.entries(entry)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join(', ');
}
