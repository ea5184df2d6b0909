import type { DynamicMatrix, Job, Step, Workflow } from '../model/workflow';
import type { MatrixCell } from '../model/matrix';

/** What the renderers and the CLI read: the workflow, its jobs in start order, and the DAG's shape. */
export interface Plan {
  readonly workflow: Workflow;
  /** Topological order; ties broken by file order. */
  readonly jobs: readonly PlannedJob[];
  readonly shape: DagShape;
}

export interface PlannedJob {
  readonly job: Job;
  /** The expanded matrix; absent when the job has no matrix or a dynamic one. */
  readonly cells?: readonly MatrixCell[];
  /** A matrix expanded when the job starts; its cells are unknown before the run. */
  readonly dynamicMatrix?: DynamicCells;
  /** `strategy.max-parallel`; absent means no limit of the job's own (or one given as an expression). */
  readonly maxParallel?: number;
  readonly failFast: boolean;
  /** `fail-fast` / `max-parallel` as expressions: evaluated when the job starts, with the matrix. */
  readonly strategyExpressions?: { readonly failFast?: string; readonly maxParallel?: string };
  /** Steps that start together; a `parallel: true` step joins the previous step's group. */
  readonly stepGroups: readonly (readonly Step[])[];
  /** Ids of the jobs that list this one in `needs`, in file order. */
  readonly dependents: readonly string[];
}

/** A series-parallel decomposition of the job order. */
export type SpNode =
  | { kind: 'job'; id: string }
  | { kind: 'series'; children: SpNode[] }
  | { kind: 'parallel'; children: SpNode[] };

export type DagShape = { kind: 'series-parallel'; tree: SpNode } | { kind: 'general'; reason: string };

/** A dynamic matrix as planned: what the job start evaluates, and how many cells it may give. */
export interface DynamicCells {
  readonly matrix: DynamicMatrix;
  /** The most cells it can expand to (GitHub's limit): what the history budget counts. */
  readonly bound: number;
}
