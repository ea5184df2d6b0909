// The protection-rules file next to the workflows: `environments.yml` in the workflows' folder
// (schema/environments.schema.json). It declares each deployment environment and what a job that
// deploys to it waits for: required reviewers, a wait timer, the branches and tags allowed to deploy.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseSpec } from '../source/parse';
import type { SpecNode } from '../source/tree';
import { readBoolean, readMap, readNumberInRange, readOpenMap, readStringList } from './normalize/read';
import type { Problem } from './problem';
import { ProblemSink } from './problems';
import { keyPath } from './source-index';
import type { EnvironmentRules } from './workflow';

/** The file's name; `stepdeploy` and the CDK app never read it as a workflow. */
export const RULES_FILE = 'environments.yml';

/** GitHub's ceiling for a wait timer: 30 days. */
export const MAX_WAIT_TIMER_MINUTES = 43_200;

/** Environment names become part of secret and parameter names (`…/env/<name>/<NAME>`). */
export const environmentNamePattern = /^[A-Za-z0-9._-]{1,255}$/;
export const environmentNameRule = "letters, digits, '.', '_' and '-', at most 255 characters";

export interface ProjectSettings {
  /** The rules file these came from; absent when there is none. */
  readonly file?: string;
  readonly environments: Readonly<Record<string, EnvironmentRules>>;
  readonly githubToken: boolean;
}

export const noSettings: ProjectSettings = { environments: {}, githubToken: false };

/** The rules file's text → settings, or the problems found in it (located in that file). */
export function readRulesText(text: string, file: string): { settings?: ProjectSettings; problems: Problem[] } {
  const sink = new ProblemSink(file);
  const parsed = parseSpec(text);
  for (const error of parsed.errors) sink.report(error.code, error.pos, error.path, error.message);
  if (parsed.errors.some((error) => error.code === 'yaml-syntax')) return { problems: sink.sorted() };
  const root: SpecNode = parsed.root ?? { kind: 'map', pos: { line: 1, column: 1 }, entries: [] };
  const entries = readMap(root, '', 'rulesFile', sink);
  const environments: Record<string, EnvironmentRules> = {};
  let githubToken = false;
  const tokenNode = entries?.get('github-token')?.value;
  if (tokenNode) githubToken = readBoolean(tokenNode, 'github-token', sink) ?? false;
  const environmentsNode = entries?.get('environments')?.value;
  for (const entry of (environmentsNode && readOpenMap(environmentsNode, 'environments', sink)) ?? []) {
    const path = keyPath('environments', entry.key);
    if (!environmentNamePattern.test(entry.key)) {
      sink.report('invalid-environment-name', entry.keyPos, path, `${path}: '${entry.key}' is not a valid environment name (${environmentNameRule})`);
      continue;
    }
    const rules = readRules(entry.value, path, sink);
    if (rules) environments[entry.key] = rules;
  }
  const problems = sink.sorted();
  return problems.length > 0 ? { problems } : { settings: { file, environments, githubToken }, problems };
}

function readRules(node: SpecNode, path: string, sink: ProblemSink): EnvironmentRules | undefined {
  // `production:` with nothing under it: an environment without rules (its secrets and vars still apply).
  if (node.kind === 'scalar' && node.value === null) return { requiredReviewers: [], waitTimerMinutes: 0 };
  const entries = readMap(node, path, 'environmentRules', sink);
  if (!entries) return undefined;
  const at = (key: string): string => keyPath(path, key);
  const list = (key: string): string[] | undefined => {
    const value = entries.get(key)?.value;
    return value && readStringList(value, at(key), sink);
  };
  const waitNode = entries.get('wait-timer')?.value;
  const waitTimerMinutes = waitNode
    ? readNumberInRange(waitNode, at('wait-timer'), sink, {
        min: 0,
        max: MAX_WAIT_TIMER_MINUTES,
        wholeNumber: true,
        code: 'wait-timer-out-of-range',
        rule: `a wait timer is a whole number of minutes from 0 to ${MAX_WAIT_TIMER_MINUTES.toLocaleString('en-US')} (30 days), as on GitHub`,
      })
    : 0;
  const branches = list('branches');
  const tags = list('tags');
  return {
    requiredReviewers: [...new Set(list('required-reviewers') ?? [])],
    waitTimerMinutes: waitTimerMinutes ?? 0,
    ...(branches !== undefined && { branches }),
    ...(tags !== undefined && { tags }),
  };
}

/**
 * The rules file of the folder `workflowFile` sits in; none there means no environments declared.
 * Read relative to `cwd`; problems name the file as `workflowFile` does.
 */
export async function readRulesFor(workflowFile: string, cwd = process.cwd()): Promise<{ settings?: ProjectSettings; problems: Problem[] }> {
  const file = join(dirname(workflowFile), RULES_FILE);
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: noSettings, problems: [] };
    const message = `cannot read ${RULES_FILE} '${file}': ${(error as Error).message}`;
    return { problems: [{ code: 'file-unreadable', location: { file, line: 1, column: 1 }, path: '', message }] };
  }
  return readRulesText(text, file);
}
