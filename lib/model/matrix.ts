import type { Json, Matrix } from './workflow';

/** One combination of a matrix: dimension (or included key) → value. */
export type MatrixCell = Readonly<Record<string, Json>>;

/** GitHub's limit on the cells of one matrix. */
export const MAX_MATRIX_CELLS = 256;

/** The most a matrix may opt into with `strategy.max-cells`: the child executions of one Distributed Map. */
export const MAX_OPT_IN_CELLS = 10_000;

/**
 * GitHub's expansion ("Using a matrix for your jobs"): the cross product of the dimensions in key
 * order, minus every cell an `exclude` entry matches (partially), then each `include` entry in turn
 * is merged into every original cell where it would not overwrite an original dimension value
 * (values it added earlier may be overwritten); an entry merged into no cell becomes a new cell.
 */
export function expandMatrix(matrix: Matrix): MatrixCell[] {
  const dimensions = Object.keys(matrix.dimensions);
  const original = crossProduct(matrix).filter((cell) => !matrix.exclude.some((entry) => matches(entry, cell)));
  const cells = [...original];
  const added: MatrixCell[] = [];
  for (const entry of matrix.include) {
    let merged = false;
    cells.forEach((cell, index) => {
      const overwritesOriginal = Object.entries(entry).some(
        ([key, value]) => dimensions.includes(key) && !deepEqual(cell[key] ?? null, value),
      );
      if (overwritesOriginal) return;
      cells[index] = { ...cell, ...entry };
      merged = true;
    });
    if (!merged) added.push({ ...entry });
  }
  return [...cells, ...added];
}

/** The number of cells before exclude and include: lets callers refuse huge matrices before expanding. */
export function crossProductSize(matrix: Matrix): number {
  const sizes = Object.values(matrix.dimensions).map((values) => values.length);
  return sizes.length === 0 ? 0 : sizes.reduce((product, size) => product * size, 1);
}

/** Indexes of `exclude` entries that match no cell of the cross product. */
export function unmatchedExcludes(matrix: Matrix): number[] {
  const product = crossProduct(matrix);
  return matrix.exclude.flatMap((entry, index) => (product.some((cell) => matches(entry, cell)) ? [] : [index]));
}

function crossProduct(matrix: Matrix): MatrixCell[] {
  const dimensions = Object.entries(matrix.dimensions);
  if (dimensions.length === 0) return [];
  let cells: MatrixCell[] = [{}];
  for (const [key, values] of dimensions) {
    cells = cells.flatMap((cell) => values.map((value) => ({ ...cell, [key]: value })));
  }
  return cells;
}

/** An entry matches a cell when every key of the entry is in the cell with a deeply equal value. */
function matches(entry: MatrixCell, cell: MatrixCell): boolean {
  return Object.entries(entry).every(([key, value]) => key in cell && deepEqual(cell[key] ?? null, value));
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index] ?? null));
  }
  const objectA = a as { readonly [key: string]: Json };
  const objectB = b as { readonly [key: string]: Json };
  const keysA = Object.keys(objectA);
  if (keysA.length !== Object.keys(objectB).length) return false;
  return keysA.every((key) => key in objectB && deepEqual(objectA[key] ?? null, objectB[key] ?? null));
}
