// `uses: ./path` steps against their action's metadata: the action exists and runs here (a
// JavaScript action), and its `with:` names what it declares. Inputs follow GitHub's runner, which
// warns about an input the action does not declare ("Unexpected input(s)") and does not enforce
// `required: true` (actions/runner#1070): both are warnings, never blocking a workflow GitHub runs.

import type { CompositeRuns } from '../actions/metadata';
import { LOCK_FILE } from '../actions/lock';
import type { ActionResolver, LocalActionLookup } from '../actions/resolver';
import type { Problem } from '../problem';
import { dockerActionsRefused } from '../normalize/action';
import { keyPath } from '../source-index';
import type { ActionStep } from '../workflow';
import type { CheckInput } from './check';

/** Composite actions nest at most this deep (a cycle of them would never end). */
export const MAX_ACTION_DEPTH = 10;

const where = (problem: Problem): string => `${problem.location.file}:${problem.location.line}:${problem.location.column}`;

export interface ResolvedAction {
  readonly hasPost: boolean;
  /** A remote action's locked commit. */
  readonly sha?: string;
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
      if (step.remote?.action.toLowerCase() === 'aws-actions/configure-aws-credentials' && role?.includes('${{')) {
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
        const nested = nestedActions(resolver, metadata.runs, [step.path]);
        for (const message of nested.problems) sink.report('invalid-action', usesPos, usesPath, `${usesPath}: '${step.uses}' cannot be used: ${message}`);
        if (nested.hasPost) markPost(step);
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
      const declared = new Map(metadata.inputs.map((input) => [input.id.toLowerCase(), input]));
      const unexpected = Object.keys(step.with).filter((name) => !declared.has(name.toLowerCase()));
      if (unexpected.length > 0) {
        const valid = metadata.inputs.map((input) => `'${input.id}'`).join(', ');
        sink.warn('unexpected-action-input', withPos, withPath, `${withPath}: Unexpected input(s) ${unexpected.map((name) => `'${name}'`).join(', ')}, valid inputs are [${valid}] (as GitHub warns: the action gets them as INPUT_ variables all the same)`);
      }
      const given = new Set(Object.keys(step.with).map((name) => name.toLowerCase()));
      for (const input of metadata.inputs) {
        if (!input.required || input.default !== undefined || given.has(input.id.toLowerCase())) continue;
        sink.warn(
          'missing-action-input',
          withPos,
          withPath,
          `${withPath}: input '${input.id}' of '${step.uses}' is required and has no default; set it under with: (GitHub does not enforce required inputs: the action reads an empty value)`,
        );
      }
    }
  }
  return resolved;
}

/**
 * The actions a composite action's steps use, checked as the step's own: found, valid, JavaScript or
 * composite (nested at most MAX_ACTION_DEPTH deep); whether any of them has a post step.
 */
function nestedActions(resolver: ActionResolver, runs: CompositeRuns, chain: readonly string[]): { problems: string[]; hasPost: boolean } {
  const problems: string[] = [];
  let hasPost = false;
  for (const step of runs.steps) {
    if (step.kind !== 'uses') continue;
    const at = `${step.path}.uses`;
    if (chain.length >= MAX_ACTION_DEPTH) {
      problems.push(`${at}: '${step.uses}' nests composite actions more than ${MAX_ACTION_DEPTH} deep (${[...chain, step.actionPath].map((path) => `./${path}`).join(' → ')})`);
      continue;
    }
    const lookup = resolver.local(step.actionPath);
    if (!lookup.found) {
      problems.push(`${at}: '${step.uses}' has no action.yml or action.yaml (looked in ${lookup.folder} of the repository)`);
      continue;
    }
    const { metadata, problems: found } = lookup.result;
    for (const problem of found) problems.push(`${at}: '${step.uses}': ${where(problem)}: ${problem.message}`);
    if (metadata === undefined) continue;
    if (metadata.runs.using === 'docker') problems.push(`${at}: '${step.uses}' is not supported: ${dockerActionsRefused}`);
    else if (metadata.runs.using === 'node') hasPost ||= metadata.runs.post !== undefined;
    else {
      const deeper = nestedActions(resolver, metadata.runs, [...chain, step.actionPath]);
      problems.push(...deeper.problems);
      hasPost ||= deeper.hasPost;
    }
  }
  return { problems, hasPost };
}
