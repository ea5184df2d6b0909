import type { SourceLocation } from './workflow';

/**
 * One mistake in a workflow file. `code` is stable (tests and users match on it); `path` is the
 * key path in the file (`jobs.deploy.needs[0]`); `message` names the value and the rule.
 */
export interface Problem {
  readonly code: string;
  readonly location: SourceLocation;
  readonly path: string;
  readonly message: string;
  /** A warning keeps GitHub's meaning but points at a likely mistake; it never blocks a deploy. */
  readonly severity?: 'warning';
}

/** `FILE:LINE:COL error CODE: message` (or `warning`) — the one-line form `stepdeploy validate` prints. */
export function formatProblem(problem: Problem): string {
  const { file, line, column } = problem.location;
  return `${file}:${line}:${column} ${problem.severity ?? 'error'} ${problem.code}: ${problem.message}`;
}
