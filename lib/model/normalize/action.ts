// `uses:` naming an action (not aws/lambda, not actions/checkout): an action of the repository
// (`./path`) or of another one (`owner/repo[/path]@ref`, locked in stepdeploy.lock.json) is a step of
// its own kind; a Docker action is refused with the reason.

import type { SpecEntry } from '../../source/tree';
import { parseActionReference } from '../actions/reference';
import type { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import type { Expr } from '../workflow';
import { invalidType, readOpenMap, reportUnsupported } from './read';

export const dockerActionsRefused =
  'Docker container actions do not run in stepdeploy: the runner is a CodeBuild build without privileged mode (and a plain process locally), so it has no Docker daemon to start the container; write the commands in a run step';

export interface ActionUses {
  readonly uses: string;
  readonly path: string;
  readonly with: Readonly<Record<string, Expr>>;
  readonly hasPost: false;
  readonly remote?: { readonly action: string; readonly ref: string };
}

/** `path` is the step's key path; problems are reported, undefined returned for a refused step. */
export function normalizeActionUses(action: string, uses: SpecEntry, withEntry: SpecEntry | undefined, path: string, sink: ProblemSink): ActionUses | undefined {
  const at = keyPath(path, 'uses');
  const reference = parseActionReference(action);
  if ('problem' in reference) {
    sink.report('invalid-step', uses.value.pos, at, `${at}: '${action}' is not an action: ${reference.problem}`);
    return undefined;
  }
  if (reference.kind === 'docker') {
    reportUnsupported(sink, uses, at, dockerActionsRefused);
    return undefined;
  }
  const inputs: Record<string, Expr> = {};
  const withPath = keyPath(path, 'with');
  for (const entry of (withEntry && readOpenMap(withEntry.value, withPath, sink)) ?? []) {
    const value = entry.value;
    // As on GitHub, every input is a string: `5` and `true` arrive as '5' and 'true', nothing as ''.
    if (value.kind !== 'scalar') invalidType(sink, value, keyPath(withPath, entry.key), 'a string (an action input)');
    else inputs[entry.key] = value.value === null ? '' : String(value.value);
  }
  const remote = reference.kind === 'remote' ? { remote: { action: `${reference.owner}/${reference.repo}`, ref: reference.ref } } : {};
  return { uses: action, path: reference.path, with: inputs, hasPost: false, ...remote };
}
