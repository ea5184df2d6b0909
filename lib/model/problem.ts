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
}

/** `FILE:LINE:COL error CODE: message` — the one-line form `stepdeploy validate` prints. */
export function formatProblem(problem: Problem): string {
  const { file, line, column } = problem.location;
  return `${file}:${line}:${column} error ${problem.code}: ${problem.message}`;
}
