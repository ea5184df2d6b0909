import type { SpecEntry } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { itemPath, keyPath } from '../source-index';
import type { Job, RunDefaults, Step } from '../workflow';
import { normalizeConcurrency } from './concurrency';
import { normalizeDefaults } from './defaults';
import { normalizePermissions } from './permissions';
import { normalizeRunsOn } from './runs-on';
import { DEFAULT_JOB_TIMEOUT_MINUTES, timeoutRange } from './limits';
import { readBooleanOrExpression, readEnv, readMap, readNumberInRange, readOpenMap, readStringList, readText } from './read';
import { normalizeEnvironment } from './environment';
import { normalizeStep } from './step';
import { normalizeStrategy } from './strategy';
import { normalizeReusableCall } from './reusable-call';
import type { Writable } from '../writable';

/** One entry of `jobs:`. Returns a job even when parts are wrong, so later checks still see it. */
export function normalizeJob(entry: SpecEntry, file: string, sink: ProblemSink, stepPaths: StepPaths, workflowDefaults: RunDefaults = {}): Job | undefined {
  const path = keyPath('jobs', entry.key);
  const entries = readMap(entry.value, path, 'job', sink);
  if (!entries) return undefined;
  const value = (key: string) => entries.get(key)?.value;
  const at = (key: string): string => keyPath(path, key);

  const nameNode = value('name');
  const name = nameNode && readText(nameNode, at('name'), sink);
  const runsOnNode = value('runs-on');
  const runsOn = (runsOnNode && normalizeRunsOn(runsOnNode, at('runs-on'), sink)) ?? { labels: [] };
  const permissionsNode = value('permissions');
  const permissions = permissionsNode && normalizePermissions(permissionsNode, at('permissions'), sink);
  const defaultsNode = value('defaults');
  const defaults = defaultsNode ? normalizeDefaults(defaultsNode, at('defaults'), sink) : {};
  const workingDirectory = defaults.workingDirectory ?? workflowDefaults.workingDirectory;
  const needsNode = value('needs');
  const needs = needsNode ? [...new Set(readStringList(needsNode, at('needs'), sink))] : [];
  const ifNode = value('if');
  const condition = ifNode && readText(ifNode, at('if'), sink);
  const strategyNode = value('strategy');
  const strategy = strategyNode && normalizeStrategy(strategyNode, at('strategy'), sink);
  const concurrencyNode = value('concurrency');
  const concurrency = concurrencyNode && normalizeConcurrency(concurrencyNode, at('concurrency'), sink);
  const environmentNode = value('environment');
  const environment = environmentNode && normalizeEnvironment(environmentNode, at('environment'), sink);
  const continueNode = value('continue-on-error');
  const timeoutNode = value('timeout-minutes');
  const envNode = value('env');
  const usesEntry = entries.get('uses');
  const uses = usesEntry && normalizeReusableCall(entries, path, sink);
  const outputsNode = value('outputs');
  const outputs: Record<string, string> = {};
  for (const output of (outputsNode && readOpenMap(outputsNode, at('outputs'), sink)) ?? []) {
    const text = readText(output.value, keyPath(at('outputs'), output.key), sink);
    if (text !== undefined) outputs[output.key] = text;
  }

  // Optional keys are added after the literal, not spread into it (lib/model/writable.ts says why).
  const job: Writable<Job> = {
    id: entry.key,
    runsOn,
    defaults,
    needs,
    continueOnError: (continueNode && readBooleanOrExpression(continueNode, at('continue-on-error'), sink)) ?? false,
    timeoutMinutes: (timeoutNode && readNumberInRange(timeoutNode, at('timeout-minutes'), sink, timeoutRange)) ?? DEFAULT_JOB_TIMEOUT_MINUTES,
    env: envNode ? readEnv(envNode, at('env'), sink) : {},
    outputs,
    // A calling job has no steps (the called workflow's jobs do); its keys were checked above.
    steps: usesEntry ? [] : normalizeSteps(entries.get('steps'), entry, at('steps'), { file, sink, stepPaths, workingDirectory }),
    // Filled in by load.ts once the expressions are known to be valid.
    secrets: [],
    vars: [],
    location: { file, line: entry.keyPos.line, column: entry.keyPos.column },
  };
  if (name !== undefined) job.name = name;
  if (permissions !== undefined) job.permissions = permissions;
  if (condition !== undefined) job.if = condition;
  if (strategy !== undefined) job.strategy = strategy;
  if (concurrency !== undefined) job.concurrency = concurrency;
  if (environment !== undefined) job.environment = environment;
  if (uses !== undefined) job.uses = uses;
  return job;
}

/** Where each normalized step came from (`jobs.build.steps[2]`): a step the normalizer could not read is left out, so indexes shift. */
export type StepPaths = Map<Step, string>;

interface StepsContext {
  readonly file: string;
  readonly sink: ProblemSink;
  readonly stepPaths: StepPaths;
  readonly workingDirectory: string | undefined;
}

function normalizeSteps(stepsEntry: SpecEntry | undefined, job: SpecEntry, path: string, { file, sink, stepPaths, workingDirectory }: StepsContext): Step[] {
  if (!stepsEntry) {
    sink.report('no-steps', job.keyPos, path, `jobs.${job.key}: a job needs steps (a list with at least one step)`);
    return [];
  }
  const node = stepsEntry.value;
  if (node.kind !== 'seq' || node.items.length === 0) {
    sink.report('no-steps', node.pos, path, `${path}: expected a list with at least one step`);
    return [];
  }
  return node.items.flatMap((item, index) => {
    const stepPath = itemPath(path, index);
    const step = normalizeStep(item, stepPath, index, file, sink, workingDirectory);
    if (!step) return [];
    stepPaths.set(step, stepPath);
    return [step];
  });
}
