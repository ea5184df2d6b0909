// How a job, a matrix cell and a step are named to people (progress lines, timeline rows, log keys).
import type { Json } from '../model/workflow';
import type { Matrix } from './report';

/** `region=eu-west-1, os=linux` in the matrix's own key order; '' for no matrix. */
export function matrixLabel(matrix: Matrix | undefined): string {
  if (!matrix) return '';
  return Object.entries(matrix)
    .map(([key, value]) => `${key}=${displayValue(value)}`)
    .join(', ');
}

/** `deploy` or `deploy (region=eu-west-1)`. */
export function cellLabel(job: string, matrix?: Matrix): string {
  const label = matrixLabel(matrix);
  return label === '' ? job : `${job} (${label})`;
}

/**
 * The key of a step in a run, as failure summaries name it: `deploy › migrate` or
 * `deploy › migrate (region=eu-west-1)`. Steps are shown by their display names, which may hold dots.
 */
export function stepKey(job: string, step: string, matrix?: Matrix): string {
  const label = matrixLabel(matrix);
  return label === '' ? `${job} › ${step}` : `${job} › ${step} (${label})`;
}

function displayValue(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
