// `uses: ./path` steps against their action's metadata: the action exists and runs here (a
// JavaScript action), and its `with:` names what it declares. Inputs follow GitHub's runner, which
// warns about an input the action does not declare ("Unexpected input(s)") and does not enforce
// `required: true` (actions/runner#1070): both are warnings, never blocking a workflow GitHub runs.

import type { ActionMetadata, CompositeRuns } from '../actions/metadata';
import { LOCK_FILE } from '../actions/lock';
import type { ActionResolver, LocalActionLookup } from '../actions/resolver';
import type { Problem } from '../problem';
import { dockerActionsRefused } from '../normalize/action';
import { configureAwsCredentialsAction } from '../keys';
import { keyPath } from '../source-index';
import type { ActionStep, RemoteActionRef } from '../workflow';
import type { CheckInput } from './check';

/** Composite actions nest at most this deep (a cycle of them would never end). */
export const MAX_ACTION_DEPTH = 10;

const where = (problem: Problem): string => `${problem.location.file}:${problem.location.line}:${problem.location.column}`;

export interface ResolvedAction {
  readonly hasPost: boolean;
  /** A remote action's locked commit. */
  readonly sha?: string;
  /** The remote actions its composite steps use, at any depth (sorted by `owner/repo@ref`). */
  readonly nested?: readonly RemoteActionRef[];
  /** The roles configure-aws-credentials steps inside its composite assume (known at synth), sorted. */
  readonly assumedRoles?: readonly string[];
}

/** Checks every action step; returns what the render needs of those it could resolve. */
export function checkActions({ workflow, index, stepPaths, sink }: CheckInput, resolver: ActionResolver): Map<ActionStep, ResolvedAction> {
  const resolved = new Map<ActionStep, ResolvedAction>();
  const markPost = (step: ActionStep): void => void resolved.set(step, { ...resolved.get(step), hasPost: true });
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (step.kind !== 'action' || stepPath === undefined) continue;
      const usesPath = keyPath(stepPath, 'uses');
      const usesPos = index.valuePos(usesPath);
      let lookup: LocalActionLookup;
      const role = Object.entries(step.with).find(([id]) => id.toLowerCase() === 'role-to-assume')?.[1];
      if (step.remote?.action.toLowerCase() === configureAwsCredentialsAction && role?.includes('${{')) {
        const rolePath = keyPath(keyPath(stepPath, 'with'), 'role-to-assume');
        sink.warn(
          'assumed-role-expression',
          index.valuePos(rolePath),
          rolePath,
          `${rolePath}: the runner assumes this role with its own credentials and may assume only roles named literally in the workflows or listed in cdk.json's stepdeploy:runnerAssumableRoles: list every role this expression can give there`,
        );
      }
      if (step.remote !== undefined) {
        const found = resolver.remote(step.remote.action, step.remote.ref, step.path);
        if (!found.locked || !found.cached) {
          const why = found.locked ? `is locked (${found.sha}) but not fetched into the actions cache yet` : `is not in ${LOCK_FILE} yet`;
          sink.warn(found.locked ? 'action-not-fetched' : 'action-not-locked', usesPos, usesPath, `${usesPath}: '${step.uses}' ${why}, so its inputs are not checked; \`stepdeploy actions update\` (or the next \`stepdeploy run\` or \`cdk synth\`) fetches and locks it`);
          if (found.locked) resolved.set(step, { hasPost: false, sha: found.sha });
          continue;
        }
        resolved.set(step, { hasPost: false, sha: found.sha });
        lookup = found.lookup;
      } else lookup = resolver.local(step.path);
      if (!lookup.found) {
        sink.report('action-not-found', usesPos, usesPath, `${usesPath}: '${step.uses}' has no action.yml or action.yaml (looked in ${lookup.folder} of the repository)`);
        continue;
      }
      const { metadata, problems, warnings } = lookup.result;
      // Located in the metadata file, reported at the step that uses it (the file being validated).
      for (const problem of problems) sink.report('invalid-action', usesPos, usesPath, `${usesPath}: '${step.uses}' cannot be used: ${where(problem)}: ${problem.message}`);
      for (const warning of warnings) sink.warn(warning.code, usesPos, usesPath, `${usesPath}: '${step.uses}': ${where(warning)}: ${warning.message}`);
      if (metadata === undefined) continue;
      if (metadata.runs.using === 'docker') {
        sink.report('unsupported-key', index.keyPos(usesPath), usesPath, `${usesPath}: '${step.uses}' is not supported: ${dockerActionsRefused}; remove uses`);
        continue;
      }
      if (metadata.runs.using === 'composite') {
        const local = step.remote === undefined;
        // The workflow step's literal with: values are known (an expression is not, at synth).
        const inputs = knownInputs(metadata, lowerKeys(step.with, (value) => (value.includes('${{') ? undefined : value)), local);
        const nested = nestedActions(resolver, { metadata: metadata as ActionMetadata & { runs: CompositeRuns }, local, inputs }, [local ? `./${step.path}` : step.uses]);
        for (const message of nested.problems) sink.report('invalid-action', usesPos, usesPath, `${usesPath}: '${step.uses}' cannot be used: ${message}`);
        for (const warning of nested.warnings) sink.warn(warning.code, usesPos, usesPath, `${usesPath}: '${step.uses}': ${warning.message}`);
        if (nested.hasPost) markPost(step);
        if (nested.remotes.size > 0) resolved.set(step, { hasPost: false, ...resolved.get(step), nested: [...nested.remotes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, remote]) => remote) });
        if (nested.roles.size > 0) resolved.set(step, { hasPost: false, ...resolved.get(step), assumedRoles: [...nested.roles].sort() });
      }
      if (metadata.runs.using === 'node' && metadata.runs.pre !== undefined && step.remote !== undefined) {
        sink.report('unsupported-key', index.keyPos(usesPath), usesPath, `${usesPath}: '${step.uses}' is not supported yet: its runs.pre (run at the job's start on GitHub) is not run by stepdeploy yet; remove uses`);
        continue;
      }
      if (metadata.runs.using === 'node' && metadata.runs.pre !== undefined) {
        // GitHub's runner: a local action is read from the workspace when its step runs, after the job's pre steps.
        sink.warn('local-action-pre', usesPos, usesPath, `${usesPath}: 'pre' execution is not supported for local action from '${step.uses}' (as on GitHub: runs.pre of a local action never runs)`);
      }
      if (metadata.runs.using === 'node' && metadata.runs.post !== undefined) markPost(step);
      const withPath = keyPath(stepPath, 'with');
      const withPos = index.node(withPath) === undefined ? usesPos : index.keyPos(withPath);
      for (const warning of inputWarnings(metadata, step.with, withPath, step.uses)) sink.warn(warning.code, withPos, withPath, warning.message);
    }
  }
  return resolved;
}

/** A warning found away from the step (in an action's metadata), reported at the step's `uses:`. */
interface NestedWarning {
  readonly code: string;
  readonly message: string;
}

const warning = (code: string, message: string): NestedWarning => ({ code, message });

/**
 * What GitHub's runner says of a step's inputs: one the action does not declare ("Unexpected
 * input(s)"), a required one without default that is not given. `withPath` starts each message.
 */
function inputWarnings(metadata: ActionMetadata, given: Readonly<Record<string, string>>, withPath: string, uses: string): NestedWarning[] {
  const warnings: NestedWarning[] = [];
  const declared = new Set(metadata.inputs.map((input) => input.id.toLowerCase()));
  const unexpected = Object.keys(given).filter((name) => !declared.has(name.toLowerCase()));
  if (unexpected.length > 0) {
    const valid = metadata.inputs.map((input) => `'${input.id}'`).join(', ');
    warnings.push(
      warning('unexpected-action-input', `${withPath}: Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')}, valid inputs are [${valid}] (as GitHub warns: the action gets them as INPUT_ variables all the same)`),
    );
  }
  const names = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  for (const input of metadata.inputs) {
    if (!input.required || input.default !== undefined || names.has(input.id.toLowerCase())) continue;
    warnings.push(
      warning('missing-action-input', `${withPath}: input '${input.id}' of '${uses}' is required and has no default; set it under with: (GitHub does not enforce required inputs: the action reads an empty value)`),
    );
  }
  return warnings;
}

interface NestedFindings {
  readonly problems: string[];
  readonly warnings: NestedWarning[];
  hasPost: boolean;
  /** By lock key (`owner/repo@ref`). */
  readonly remotes: Map<string, RemoteActionRef>;
  /** The roles configure-aws-credentials steps inside assume, as far as they are known at synth. */
  readonly roles: Set<string>;
}

/** The composite being checked: its metadata, whether it is of the repository, the values of its inputs known at synth (by lower-cased id). */
interface CompositeScope {
  readonly metadata: ActionMetadata & { runs: CompositeRuns };
  readonly local: boolean;
  readonly inputs: ReadonlyMap<string, string>;
}

const exactInput = /^\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;

/**
 * A composite step's `with:` value as synth knows it: exactly `${{ inputs.<id> }}` of a known input,
 * or a literal of a composite of the repository (one of another repository names no role the runner is granted).
 */
function knownValue(template: string, scope: CompositeScope): string | undefined {
  const input = exactInput.exec(template.trim());
  if (input) return scope.inputs.get(input[1]!.toLowerCase());
  return scope.local && !template.includes('${{') ? template : undefined;
}

/** The inputs of an action whose values synth knows: given (already resolved), else a literal default of an action of the repository. */
function knownInputs(metadata: ActionMetadata, given: ReadonlyMap<string, string | undefined>, local: boolean): Map<string, string> {
  const known = new Map<string, string>();
  for (const input of metadata.inputs) {
    const id = input.id.toLowerCase();
    const value = given.has(id) ? given.get(id) : local && input.default !== undefined && !input.default.includes('${{') ? input.default : undefined;
    if (value !== undefined) known.set(id, value);
  }
  return known;
}

const lowerKeys = (values: Readonly<Record<string, string>>, known: (value: string) => string | undefined): Map<string, string | undefined> =>
  new Map(Object.entries(values).map(([id, value]) => [id.toLowerCase(), known(value)]));

/**
 * The actions a composite action's steps use, checked as the step's own: found, valid, JavaScript or
 * composite (nested at most MAX_ACTION_DEPTH deep), a remote one as the lock and the actions cache
 * know it (not there yet: a warning, its inputs unchecked); whether any of them has a post step.
 * `chain` names the composites on the way (`./path` or `owner/repo[/path]@ref`), the step's first.
 */
function nestedActions(resolver: ActionResolver, scope: CompositeScope, chain: readonly string[], found: NestedFindings = { problems: [], warnings: [], hasPost: false, remotes: new Map(), roles: new Set() }): NestedFindings {
  const { metadata } = scope;
  for (const step of metadata.runs.steps) {
    if (step.kind !== 'uses') continue;
    const at = chain.length === 1 ? `${step.path}.uses` : `${metadata.file}: ${step.path}.uses`;
    const name = step.remote === undefined ? `./${step.actionPath}` : step.uses;
    if (chain.length >= MAX_ACTION_DEPTH) {
      found.problems.push(`${at}: '${step.uses}' nests composite actions more than ${MAX_ACTION_DEPTH} deep (${[...chain, name].join(' → ')})`);
      continue;
    }
    let lookup: LocalActionLookup;
    if (step.remote !== undefined) {
      const remote = resolver.remote(step.remote.action, step.remote.ref, step.actionPath);
      const key = `${step.remote.action}@${step.remote.ref}`;
      found.remotes.set(key, { ...step.remote, ...(remote.locked && { sha: remote.sha }) });
      if (!remote.locked || !remote.cached) {
        const why = remote.locked ? `is locked (${remote.sha}) but not fetched into the actions cache yet` : `is not in ${LOCK_FILE} yet`;
        const message = `${metadata.file}: ${step.path}.uses: '${step.uses}' ${why}, so its inputs are not checked; \`stepdeploy actions update\` (or the next \`stepdeploy run\` or \`cdk synth\`) fetches and locks it`;
        found.warnings.push(warning(remote.locked ? 'action-not-fetched' : 'action-not-locked', message));
        continue;
      }
      lookup = remote.lookup;
    } else lookup = resolver.local(step.actionPath);
    if (!lookup.found) {
      found.problems.push(`${at}: '${step.uses}' has no action.yml or action.yaml (looked in ${lookup.folder}${step.remote === undefined ? ' of the repository' : ''})`);
      continue;
    }
    const { metadata: nested, problems } = lookup.result;
    for (const problem of problems) found.problems.push(`${at}: '${step.uses}': ${where(problem)}: ${problem.message}`);
    if (nested === undefined) continue;
    if (nested.runs.using === 'docker') {
      found.problems.push(`${at}: '${step.uses}' is not supported: ${dockerActionsRefused}`);
      continue;
    }
    if (step.remote !== undefined && nested.runs.using === 'node' && nested.runs.pre !== undefined) {
      found.problems.push(`${at}: '${step.uses}' is not supported yet: its runs.pre (run at the job's start on GitHub) is not run by stepdeploy yet`);
      continue;
    }
    found.warnings.push(...inputWarnings(nested, step.with, `${metadata.file}: ${step.path}.with`, step.uses));
    const role = Object.keys(step.with).find((id) => id.toLowerCase() === 'role-to-assume');
    if (step.remote?.action.toLowerCase() === configureAwsCredentialsAction && role !== undefined) {
      const value = knownValue(step.with[role]!, scope)?.trim();
      if (value !== undefined && value !== '' && !value.includes('${{')) found.roles.add(value);
      else {
        found.warnings.push(
          warning(
            'assumed-role-expression',
            `${metadata.file}: ${step.path}.with.${role}: the runner assumes this role with its own credentials and may assume only roles named literally (in a workflow step's with:, or in a composite action of the repository as its with: or its input's default) or listed in cdk.json's stepdeploy:runnerAssumableRoles: list every role this can give there`,
          ),
        );
      }
    }
    if (nested.runs.using === 'node') found.hasPost ||= nested.runs.post !== undefined;
    else {
      const local = step.remote === undefined;
      const inputs = knownInputs(nested, lowerKeys(step.with, (value) => knownValue(value, scope)), local);
      nestedActions(resolver, { metadata: nested as ActionMetadata & { runs: CompositeRuns }, local, inputs }, [...chain, name], found);
    }
  }
  return found;
}
