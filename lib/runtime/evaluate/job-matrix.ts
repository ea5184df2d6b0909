// A dynamic matrix (lib/model/workflow.ts DynamicMatrix), expanded when its job starts: evaluated
// over github, inputs, vars and needs, checked for GitHub's shape, then expanded as GitHub does
// (cross product, exclude, include; lib/model/matrix.ts). Whatever cannot be expanded fails the job
// with an ExpressionFailed naming the matrix and what it evaluated to.

import { crossProductSize, expandMatrix, MAX_MATRIX_CELLS, type MatrixCell } from '../../model/matrix';
import type { Json, Matrix } from '../../model/workflow';
import { evaluateField, evaluatePayload } from './contexts';
import { EvaluationError, type CellData, type UpstreamWord } from './data';
import { decideJobRun, type CallGateData } from './job-start';
import type { Lookups, NamesRequest } from './lookups';

export interface JobMatrixEvent {
  readonly op: 'job.matrix';
  readonly job: string;
  readonly needs: readonly string[];
  readonly if?: string;
  readonly gates?: readonly CallGateData[];
  /** The matrix as written, as JSON text (a key ending in `.$` stays data). */
  readonly matrix: string;
  /** `max-parallel` as an expression (absent: the Map's own MaxConcurrency, or none). */
  readonly maxParallel?: string;
  /** `fail-fast` as written, or its expression. */
  readonly failFast: boolean | string;
  readonly vars?: NamesRequest;
  /** Fetched by the handler before evaluation (lib/runtime/evaluate/lookups.ts). */
  readonly lookups?: Lookups;
  readonly context: CellData;
}

export interface JobMatrix {
  /** False: the job is skipped as a whole (its if:, its needs) and the matrix is not evaluated. */
  readonly run: boolean;
  readonly upstream: UpstreamWord;
  readonly cells: readonly MatrixCell[];
  /** The Map's MaxConcurrencyPath value: 0 is no limit. */
  readonly maxParallel: number;
  readonly failFast: boolean;
}

// Past this many combinations before exclude, expanding only to count them is not worth the memory.
const EXPANSION_BOUND = 100_000;

export function jobMatrix(event: JobMatrixEvent): JobMatrix {
  // Evaluated between jobs: the data is the run's `{ run, needs }`, no cell's steps yet.
  const { run, upstream, contexts } = decideJobRun({ ...event, context: { ...event.context, steps: event.context.steps ?? {} } });
  if (!run) return { run, upstream, cells: [], maxParallel: 0, failFast: false };
  const strategy = `jobs.${event.job}.strategy`;
  const where = `${strategy}.matrix`;
  const ctx = { contexts, status: upstream };
  const maxParallel = event.maxParallel === undefined ? 0 : wholeNumber(evaluateField(event.maxParallel, ctx, `${strategy}.max-parallel`), `${strategy}.max-parallel`);
  const failFast = typeof event.failFast === 'boolean' ? event.failFast : bool(evaluateField(event.failFast, ctx, `${strategy}.fail-fast`), `${strategy}.fail-fast`);
  const value = evaluatePayload(JSON.parse(event.matrix) as Json, ctx, where);
  const matrix = matrixOf(value, where);
  const size = crossProductSize(matrix);
  if (size > EXPANSION_BOUND) throw tooLarge(where, `${size} combinations before exclude`);
  const cells = expandMatrix(matrix);
  if (cells.length > MAX_MATRIX_CELLS) throw tooLarge(where, `${cells.length} combinations`);
  if (cells.length === 0) throw new EvaluationError(`${where}: the matrix expands to no combinations (exclude removes every combination and include adds none)`);
  return { run, upstream, cells, maxParallel, failFast };
}

/** GitHub's `max-parallel`: a whole number from 1 (a numeric string from an output counts). */
function wholeNumber(value: unknown, where: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1) return number;
  throw new EvaluationError(`${where}: evaluated to ${describe(value)}, not a whole number from 1`);
}

/** GitHub's `fail-fast`: a boolean (the strings true and false from an output count). */
function bool(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new EvaluationError(`${where}: evaluated to ${describe(value)}, not true or false`);
}

/** GitHub's shape: a mapping of dimension → non-empty list, with include and exclude lists of mappings. */
function matrixOf(value: unknown, where: string): Matrix {
  if (!isMapping(value)) throw new EvaluationError(`${where}: evaluated to ${describe(value)}, not a mapping of dimension → list of values (with optional include and exclude)`);
  const dimensions: Record<string, readonly Json[]> = {};
  let include: Readonly<Record<string, Json>>[] = [];
  let exclude: Readonly<Record<string, Json>>[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = `${where}.${key}`;
    if (key === 'include' || key === 'exclude') {
      if (!Array.isArray(item) || !item.every(isMapping)) throw new EvaluationError(`${at}: evaluated to ${describe(item)}, not a list of mappings of dimension → value`);
      if (key === 'include') include = item as Record<string, Json>[];
      else exclude = item as Record<string, Json>[];
    } else if (!Array.isArray(item)) {
      throw new EvaluationError(`${at}: evaluated to ${describe(item)}, not a list of values`);
    } else if (item.length === 0) {
      throw new EvaluationError(`${at}: the dimension has no values (as on GitHub, each dimension needs at least one)`);
    } else dimensions[key] = item as Json[];
  }
  if (Object.keys(dimensions).length === 0 && include.length === 0) {
    throw new EvaluationError(`${where}: evaluated to ${describe(value)}, which has no dimension and no include entry`);
  }
  return { dimensions, include, exclude };
}

function isMapping(value: unknown): value is Readonly<Record<string, Json>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value in a message: JSON, cut short, with its kind when it is not a mapping. */
function describe(value: unknown): string {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  return `${kind} (${text.length > 120 ? `${text.slice(0, 117)}...` : text})`;
}

function tooLarge(where: string, count: string): EvaluationError {
  return new EvaluationError(`${where}: the matrix expands to ${count}; at most ${MAX_MATRIX_CELLS} are allowed (as in GitHub Actions)`);
}
