// A job's deployment environment at job start: its name evaluated and checked, and the protection
// rules of environments.yml that apply to this run (who approves, how long to wait, which refs may deploy).

import { toDisplayString } from '../../expressions';
import { environmentNamePattern, environmentNameRule, RULES_FILE } from '../../model/environments';
import type { EnvironmentRules } from '../../model/workflow';
import { matchesPatternList } from '../push-filter';
import { evaluateField } from './contexts';
import { EvaluationError } from './data';

export interface EnvironmentSpec {
  /** As written (may hold expressions). */
  readonly name: string;
  /** Every environment environments.yml declares (empty: any name is fine). */
  readonly declared: readonly string[];
  /** The rules of the environments this job can reach. */
  readonly rules: Readonly<Record<string, EnvironmentRules>>;
}

export interface EnvironmentData {
  readonly name: string;
  readonly reviewers: readonly string[];
  /** Whether the job waits for an approval (it has required reviewers). */
  readonly approval: boolean;
  /** The wait timer in seconds (0: none). */
  readonly waitSeconds: number;
}

/** The environment name as a job start evaluates it (undefined when it cannot be evaluated yet). */
export function environmentName(spec: EnvironmentSpec, contexts: Record<string, unknown>, where: string): string {
  const name = toDisplayString(evaluateField(spec.name, { contexts }, `${where}.environment`));
  if (!environmentNamePattern.test(name)) {
    throw new EvaluationError(`${where}.environment: '${spec.name}' evaluated to '${name}', which is not a valid environment name (${environmentNameRule})`);
  }
  if (spec.declared.length > 0 && !spec.declared.includes(name)) {
    throw new EvaluationError(`${where}.environment: '${name}' is not declared in ${RULES_FILE} (declared: ${spec.declared.join(', ')})`);
  }
  return name;
}

/** The environment's rules for this run; a ref the rules do not allow fails the job. */
export function resolveEnvironment(spec: EnvironmentSpec, name: string, ref: string | undefined, where: string): EnvironmentData {
  const rules = spec.rules[name] ?? { requiredReviewers: [], waitTimerMinutes: 0 };
  checkRef(rules, name, ref, where);
  return {
    name,
    reviewers: rules.requiredReviewers,
    approval: rules.requiredReviewers.length > 0,
    waitSeconds: rules.waitTimerMinutes * 60,
  };
}

/** GitHub's deployment branch and tag policy: with either list set, the run's ref must match one of them. */
function checkRef(rules: EnvironmentRules, name: string, ref: string | undefined, where: string): void {
  if (rules.branches === undefined && rules.tags === undefined) return;
  const allowed = [...(rules.branches ?? []).map((pattern) => `branch ${pattern}`), ...(rules.tags ?? []).map((pattern) => `tag ${pattern}`)].join(', ');
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const tag = ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  if (branch !== undefined && rules.branches !== undefined && matchesPatternList(rules.branches, branch)) return;
  if (tag !== undefined && rules.tags !== undefined && matchesPatternList(rules.tags, tag)) return;
  const what = ref === undefined ? 'this run has no git ref (event.ref)' : `'${ref}' may not deploy there`;
  throw new EvaluationError(`${where}.environment: environment '${name}' allows only ${allowed}: ${what}`);
}
