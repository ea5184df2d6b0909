// `uses: ./path` steps against their action's metadata: the action exists and runs here (a
// JavaScript action), and its `with:` names what it declares. Inputs follow GitHub's runner, which
// warns about an input the action does not declare ("Unexpected input(s)") and does not enforce
// `required: true` (actions/runner#1070): both are warnings, never blocking a workflow GitHub runs.

import type { ActionResolver } from '../actions/resolver';
import type { Problem } from '../problem';
import { dockerActionsRefused } from '../normalize/action';
import { keyPath } from '../source-index';
import type { ActionStep } from '../workflow';
import type { CheckInput } from './check';

export const compositeActionsRefused = 'composite actions (runs.using: composite) do not run in stepdeploy yet; write their steps in the workflow';

const where = (problem: Problem): string => `${problem.location.file}:${problem.location.line}:${problem.location.column}`;

/** Checks every action step; returns the steps whose action has a post step. */
export function checkActions({ workflow, index, stepPaths, sink }: CheckInput, resolver: ActionResolver): Set<ActionStep> {
  const withPost = new Set<ActionStep>();
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (step.kind !== 'action' || stepPath === undefined) continue;
      const usesPath = keyPath(stepPath, 'uses');
      const usesPos = index.valuePos(usesPath);
      const lookup = resolver.local(step.path);
      if (!lookup.found) {
        sink.report('action-not-found', usesPos, usesPath, `${usesPath}: '${step.uses}' has no action.yml or action.yaml (looked in ${lookup.folder} of the repository)`);
        continue;
      }
      const { metadata, problems, warnings } = lookup.result;
      // Located in the metadata file, reported at the step that uses it (the file being validated).
      for (const problem of problems) sink.report('invalid-action', usesPos, usesPath, `${usesPath}: '${step.uses}' cannot be used: ${where(problem)}: ${problem.message}`);
      for (const warning of warnings) sink.warn(warning.code, usesPos, usesPath, `${usesPath}: '${step.uses}': ${where(warning)}: ${warning.message}`);
      if (metadata === undefined) continue;
      const refused = metadata.runs.using === 'docker' ? dockerActionsRefused : metadata.runs.using === 'composite' ? compositeActionsRefused : undefined;
      if (refused !== undefined) {
        sink.report('unsupported-key', index.keyPos(usesPath), usesPath, `${usesPath}: '${step.uses}' is not supported: ${refused}; remove uses`);
        continue;
      }
      if (metadata.runs.using !== 'node') continue;
      if (metadata.runs.pre !== undefined) {
        // GitHub's runner: a local action is read from the workspace when its step runs, after the job's pre steps.
        sink.warn('local-action-pre', usesPos, usesPath, `${usesPath}: 'pre' execution is not supported for local action from '${step.uses}' (as on GitHub: runs.pre of a local action never runs)`);
      }
      if (metadata.runs.post !== undefined) withPost.add(step);
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
  return withPost;
}
