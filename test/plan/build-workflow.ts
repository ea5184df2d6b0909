// Workflow literals for planner tests, so that they do not depend on the YAML loader.
import { runnerLabelTable } from '../../lib/model/runner-labels';
import type { Job, Matrix, RunStep, Strategy, Workflow } from '../../lib/model/workflow';

const at = { file: 'test.yml', line: 1, column: 1 };

export function step(id: string, options: { parallel?: boolean } = {}): RunStep {
  return {
    kind: 'run',
    id,
    hasExplicitId: true,
    parallel: options.parallel ?? false,
    continueOnError: false,
    env: {},
    location: at,
    run: `echo ${id}`,
  };
}

export interface JobOptions {
  readonly needs?: readonly string[];
  /** Step ids; a leading '+' marks `parallel: true`. Default: one step. */
  readonly steps?: readonly string[];
  readonly matrix?: Partial<Matrix>;
  readonly maxParallel?: number;
  readonly failFast?: boolean;
}

export function job(id: string, options: JobOptions = {}): Job {
  const strategy: Strategy | undefined =
    options.matrix === undefined
      ? undefined
      : {
          matrix: { dimensions: {}, include: [], exclude: [], ...options.matrix },
          failFast: options.failFast ?? true,
          ...(options.maxParallel !== undefined && { maxParallel: options.maxParallel }),
        };
  return {
    id,
    runsOn: { labels: [] },
    defaults: {},
    needs: options.needs ?? [],
    ...(strategy && { strategy }),
    continueOnError: false,
    timeoutMinutes: 360,
    env: {},
    outputs: {},
    steps: (options.steps ?? ['run']).map((name) =>
      name.startsWith('+') ? step(name.slice(1), { parallel: true }) : step(name),
    ),
    secrets: [],
    vars: [],
    location: at,
  };
}

/** A workflow from `{ id: needs }` (file order = key order), or from full jobs. */
export function workflow(jobs: Readonly<Record<string, readonly string[]>> | readonly Job[], extra: Partial<Workflow> = {}): Workflow {
  const list = Array.isArray(jobs)
    ? (jobs as readonly Job[])
    : Object.entries(jobs as Record<string, readonly string[]>).map(([id, needs]) => job(id, { needs }));
  return { name: 'test', id: 'test', file: 'test.yml', on: { schedule: [] }, env: {}, defaults: {}, runnerLabels: runnerLabelTable(), jobs: list, vars: [], environments: {}, githubToken: false, ...extra };
}
