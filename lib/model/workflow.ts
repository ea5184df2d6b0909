// The normalized, validated workflow: what every later stage reads.
// No YAML unions survive here: `needs: a` is `needs: ['a']`, defaults are applied,
// and expressions are kept as their source text (`${{ … }}` included) for the evaluator.

import type { RunnerLabelTable } from './runner-labels';

/** Where a value came from in the workflow file (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A scalar or structure from YAML after normalization (JSON-compatible). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * A string that may contain `${{ … }}` expressions. Fields typed `Expr` are evaluated at run time
 * by lib/expressions; a plain string without `${{` is a literal.
 */
export type Expr = string;

export interface Workflow {
  /** `name:` or the file's base name without extension. */
  readonly name: string;
  /** `run-name:`: the run's display name, evaluated at run start (contexts `inputs`, `event`, `github`). */
  readonly runName?: Expr;
  /** A safe identifier derived from the file name: [A-Za-z0-9-], used for resource names. */
  readonly id: string;
  readonly file: string;
  readonly on: Triggers;
  readonly env: Readonly<Record<string, Expr>>;
  /** `permissions:` as written (documentation only: a runner's rights are its IAM role, no GitHub token is minted). */
  readonly permissions?: Permissions;
  /** `defaults.run` of the workflow; already merged into every run step's `workingDirectory`. */
  readonly defaults: RunDefaults;
  /** The runner labels this workflow was validated against (lib/model/runner-labels.ts, extended from cdk.json). */
  readonly runnerLabels: RunnerLabelTable;
  readonly concurrency?: Concurrency;
  /** Extension: at most this many steps and matrix cells run at once in one execution. */
  readonly maxParallel?: number;
  /** Jobs in file order. */
  readonly jobs: readonly Job[];
  /** `vars.<NAME>` read by the workflow's own env and concurrency (upper-case, sorted). */
  readonly vars: readonly string[];
  /** The protection rules of every environment declared next to the workflow (environments.yml). */
  readonly environments: Readonly<Record<string, EnvironmentRules>>;
  /** Whether environments.yml declares the file's folder as having a GITHUB_TOKEN secret (`github-token: true`). */
  readonly githubToken: boolean;
}

/** One environment of environments.yml: what a job that deploys to it waits for. */
export interface EnvironmentRules {
  /** Who may approve (empty: no approval needed). */
  readonly requiredReviewers: readonly string[];
  /** Minutes to wait before the job starts (0 to 43,200, as on GitHub). */
  readonly waitTimerMinutes: number;
  /** Branch patterns allowed to deploy (absent: any branch). */
  readonly branches?: readonly string[];
  /** Tag patterns allowed to deploy (absent: any tag). */
  readonly tags?: readonly string[];
}

/** `jobs.<id>.environment`: a string is the name. */
export interface JobEnvironment {
  /** May hold expressions (matrix, needs, inputs, vars). */
  readonly name: Expr;
  /** Evaluated when the job's steps end (it may read steps outputs), shown in the report. */
  readonly url?: Expr;
}

export interface Triggers {
  readonly workflowDispatch?: WorkflowDispatch;
  readonly push?: PushTrigger;
  readonly schedule: readonly ScheduleTrigger[];
  /** pull_request, pull_request_target, release, repository_dispatch, workflow_run: absent when none is used. */
  readonly activities?: readonly ActivityTrigger[];
  /** `on.workflow_call`: the workflow is reusable (another workflow's job calls it with `uses:`). */
  readonly workflowCall?: WorkflowCall;
}

/** `on.workflow_call`: what a calling job passes (`with:`, `secrets:`) and gets back (`outputs`). */
export interface WorkflowCall {
  readonly inputs: readonly CallInput[];
  readonly secrets: readonly CallSecret[];
  /** Output name → `value` (an expression over `jobs.<id>.outputs.<name>`, `inputs`, `github`, `vars`). */
  readonly outputs: Readonly<Record<string, Expr>>;
}

export type CallInputType = 'string' | 'number' | 'boolean';

export interface CallInput {
  readonly id: string;
  readonly type: CallInputType;
  readonly required: boolean;
  readonly default?: string | number | boolean;
}

export interface CallSecret {
  readonly id: string;
  readonly required: boolean;
}

/**
 * A trigger on a GitHub activity webhook. `types` are the activity types that start the workflow
 * (absent: every type; pull_request(_target) default to opened, synchronize, reopened, as on GitHub);
 * `branches`/`branchesIgnore` filter a pull request's base branch.
 */
export type ActivityTrigger =
  | {
      readonly event: 'pull_request' | 'pull_request_target';
      readonly types: readonly string[];
      readonly branches?: readonly string[];
      readonly branchesIgnore?: readonly string[];
      /** Against the pull request's changed files, fetched from GitHub's API by the router. */
      readonly paths?: readonly string[];
      readonly pathsIgnore?: readonly string[];
    }
  | { readonly event: 'release' | 'repository_dispatch'; readonly types?: readonly string[] }
  | WorkflowRunTrigger;

/**
 * `on.workflow_run`: another workflow's run was requested (it started) or completed. `workflows` are
 * workflow names (`name:`), of this stack's workflows (their executions' status changes) or of
 * GitHub Actions workflows (GitHub's workflow_run webhook); `branches` filter the run's head branch.
 */
export interface WorkflowRunTrigger {
  readonly event: 'workflow_run';
  readonly workflows: readonly string[];
  /** Absent: every type (completed, requested, in_progress), as on GitHub. */
  readonly types?: readonly string[];
  readonly branches?: readonly string[];
  readonly branchesIgnore?: readonly string[];
}

export interface WorkflowDispatch {
  readonly inputs: readonly WorkflowInput[];
}

export type InputType = 'string' | 'boolean' | 'number' | 'choice' | 'environment';

export interface WorkflowInput {
  readonly id: string;
  readonly description?: string;
  readonly type: InputType;
  readonly required: boolean;
  readonly default?: string | number | boolean;
  /** Only for `type: choice`. */
  readonly options?: readonly string[];
}

/** GitHub's push filters; a `!pattern` negation is kept in the list as written. */
export interface PushTrigger {
  readonly branches?: readonly string[];
  readonly branchesIgnore?: readonly string[];
  readonly tags?: readonly string[];
  readonly tagsIgnore?: readonly string[];
  readonly paths?: readonly string[];
  readonly pathsIgnore?: readonly string[];
}

export interface ScheduleTrigger {
  /** The five-field POSIX cron from the workflow file, in UTC, as GitHub reads it. */
  readonly cron: string;
}

export type QueueMode = 'single' | 'max';

export interface Concurrency {
  /** Group name; may contain expressions. Compared case-insensitively after evaluation. */
  readonly group: Expr;
  /** `true`/`false`, or an expression string evaluated at acquire time. */
  readonly cancelInProgress: boolean | Expr;
  readonly queue: QueueMode;
  readonly capacity: number;
}

/** GitHub's `permissions:`: `read-all`, `write-all`, or scope → `read` | `write` | `none`. */
export type Permissions = 'read-all' | 'write-all' | Readonly<Record<string, 'read' | 'write' | 'none'>>;

export interface RunDefaults {
  /** `defaults.run.working-directory`; may hold expressions. */
  readonly workingDirectory?: Expr;
}

/**
 * `runs-on`, normalized. `labels` are literal (empty: no runs-on, the default runner); a `runs-on`
 * written as one expression keeps it in `expression`, and `labels` is then every label it can
 * evaluate to (all known: the validator checked them).
 */
export interface RunsOn {
  readonly labels: readonly string[];
  readonly expression?: Expr;
}

export interface Job {
  readonly id: string;
  readonly name?: Expr;
  readonly runsOn: RunsOn;
  readonly permissions?: Permissions;
  /** `defaults.run` of the job; already merged into its run steps' `workingDirectory`. */
  readonly defaults: RunDefaults;
  readonly needs: readonly string[];
  /** Condition as written (with or without `${{ }}`); absent means `success()`. */
  readonly if?: Expr;
  readonly strategy?: Strategy;
  readonly concurrency?: Concurrency;
  readonly environment?: JobEnvironment;
  readonly continueOnError: boolean | Expr;
  readonly timeoutMinutes: number;
  readonly env: Readonly<Record<string, Expr>>;
  /** `jobs.<id>.outputs`: name → expression (usually over `steps`). */
  readonly outputs: Readonly<Record<string, Expr>>;
  readonly steps: readonly Step[];
  /**
   * `uses: ./.github/workflows/x.yml`: a job that calls a reusable workflow (no steps of its own).
   * Present until load.ts inlines the called workflow's jobs; then the job is the call's result
   * (`callResult`), and its steps stay empty.
   */
  readonly uses?: ReusableCall;
  /** A called workflow's result, computed once its jobs end (lib/model/reusable/inline.ts). */
  readonly callResult?: CallResult;
  /** A job of a called workflow: its id there, which `github.job` and `GITHUB_JOB` give (as on GitHub). */
  readonly githubJob?: string;
  /** How progress, report and timeline name a job of a called workflow: `<calling job> / <job>`, as GitHub shows it. */
  readonly label?: string;
  /** The calls a job of a called workflow runs inside, outermost first: each must run for the job to run. */
  readonly gates?: readonly CallGate[];
  /** `secrets.<NAME>` read by the job's steps (upper-case, sorted): the runner is given these, no others. */
  readonly secrets: readonly string[];
  /** `vars.<NAME>` read anywhere in the job (upper-case, sorted). */
  readonly vars: readonly string[];
  readonly location: SourceLocation;
}

/** `jobs.<id>.uses` with its `with:` and `secrets:` as written. */
export interface ReusableCall {
  /** As written. */
  readonly uses: string;
  /** The file relative to its repository's root (`.github/workflows/x.yml`). */
  readonly path: string;
  /** `owner/repo/.github/workflows/x.yml@ref`: the repository and ref (locked in stepdeploy.lock.json like an action's). */
  readonly remote?: { readonly repository: string; readonly ref: string };
  /** Input id → a YAML scalar as written (a string may hold expressions). */
  readonly with: Readonly<Record<string, string | number | boolean>>;
  /** `secrets: inherit`, or secret id → `${{ secrets.NAME }}` as written. */
  readonly secrets: 'inherit' | Readonly<Record<string, Expr>>;
  /** Set once the called workflow was read: its outputs are the job's (validate checks `needs.<job>.outputs.<name>` only then). */
  readonly outputsKnown?: true;
}

/**
 * Whether a call runs: the calling job's `if:` over its `needs`. A job of the called workflow
 * evaluates every gate it is inside before its own `if:`; its status functions see only the needs
 * of its own workflow (lib/runtime/evaluate/job-start.ts).
 */
export interface CallGate {
  readonly needs: readonly string[];
  readonly if?: Expr;
}

/**
 * The result of a call as `needs.<caller>` gives it: `result` is failure when a job of the called
 * workflow failed (then cancelled, then success), skipped when the call did not run; `outputs` are
 * the called workflow's outputs, evaluated over `needs` (its jobs, renamed).
 */
export interface CallResult {
  /** The inlined jobs (internal ids). */
  readonly jobs: readonly string[];
  /** Output name → expression over `needs.<internal id>`; one map per matrix cell of the call, the last non-empty value wins. */
  readonly outputs: readonly Readonly<Record<string, Expr>>[];
  /** One gate per matrix cell of the call (the job's needs are the calling job's): none runs → the call was skipped. */
  readonly gates: readonly CallGate[];
}

export interface Strategy {
  readonly matrix: Matrix | DynamicMatrix;
  /** The value written; true when `fail-fast` is an expression (see `expressions`). */
  readonly failFast: boolean;
  /** The value written; absent when `max-parallel` is an expression (see `expressions`). */
  readonly maxParallel?: number;
  /**
   * `strategy.max-cells` (an extension): the most cells this matrix may expand to, up to
   * MAX_OPT_IN_CELLS (one Distributed Map's child executions); absent: GitHub's 256.
   */
  readonly maxCells?: number;
  /** `fail-fast` / `max-parallel` given as one `${{ }}`: evaluated with the matrix, when the job starts. */
  readonly expressions?: { readonly failFast?: Expr; readonly maxParallel?: Expr };
}

/** A matrix written out in full: expanded when the workflow is planned. */
export interface Matrix {
  readonly kind?: 'static';
  /** Dimension name → values, in file order. */
  readonly dimensions: Readonly<Record<string, readonly Json[]>>;
  readonly include: readonly Readonly<Record<string, Json>>[];
  readonly exclude: readonly Readonly<Record<string, Json>>[];
}

/**
 * A matrix that holds expressions (`matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}`, a dimension
 * or include given as an expression, or `${{ }}` inside a value): evaluated and expanded when the job
 * starts, over `needs`, `inputs`, `vars` and `github` (lib/runtime/evaluate/job-matrix.ts).
 */
export interface DynamicMatrix {
  readonly kind: 'dynamic';
  /**
   * The matrix as written. A string that is exactly one `${{ }}` stands for its value (an object, a
   * list), any other string holding `${{ }}` is a template for a string.
   */
  readonly template: Json;
  /** Keys a cell may have, when the file names them all (no expression for the whole matrix or an include). */
  readonly keys?: readonly string[];
}

export const isDynamicMatrix = (matrix: Matrix | DynamicMatrix): matrix is DynamicMatrix => matrix.kind === 'dynamic';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
}

export interface StepBase {
  /** `id:` as written, or `step-<n>` (1-based) when absent; unique within the job. */
  readonly id: string;
  /** True when the user wrote `id:` (only those are addressable as `steps.<id>`). */
  readonly hasExplicitId: boolean;
  readonly name?: Expr;
  readonly if?: Expr;
  /** Extension: start together with the previous step. */
  readonly parallel: boolean;
  readonly continueOnError: boolean | Expr;
  /** Absent: bounded by the job's timeout only. */
  readonly timeoutMinutes?: number;
  readonly env: Readonly<Record<string, Expr>>;
  readonly retry?: RetryPolicy;
  readonly location: SourceLocation;
}

export interface RunStep extends StepBase {
  readonly kind: 'run';
  /** The script, verbatim. Expressions inside it are lifted into env vars, never pasted. */
  readonly run: string;
  /** The script as its file wrote it, when a reusable workflow's inlining rewrote `run` (the `Run …` label shows what the user wrote). */
  readonly writtenRun?: string;
  /** The step's `working-directory`, else the job's, else the workflow's `defaults.run.working-directory`; may hold expressions. */
  readonly workingDirectory?: Expr;
}

/**
 * `uses: actions/checkout@<ref>`: the runner writes the repository at the run's commit into the
 * workspace (or `path` under it), emptying it first as actions/checkout does in a folder that is not
 * its repository. Options that cannot be honoured are rejected by the normalizer.
 */
export interface CheckoutStep extends StepBase {
  readonly kind: 'checkout';
  /** `uses:` as written (`actions/checkout@v4`). */
  readonly action: string;
  /** Relative to the workspace, without `./`; '' is the workspace itself. */
  readonly path: string;
}

export interface LambdaStep extends StepBase {
  readonly kind: 'lambda';
  /** `with.function`: name or ARN. */
  readonly function: Expr;
  /** `with.payload`: any JSON; strings inside may hold expressions. */
  readonly payload: Json;
}

/**
 * `uses: ./path`: an action of the repository, run by the cell's runner from its workspace (as
 * GitHub reads local actions). Its metadata was read at validate (lib/model/actions/metadata.ts);
 * the runner reads it again from the workspace when the step runs.
 */
/** An action of another repository: `owner/repo`, the ref, and the commit stepdeploy.lock.json resolves it to (absent until locked). */
export interface RemoteActionRef {
  readonly action: string;
  readonly ref: string;
  readonly sha?: string;
}

export interface ActionStep extends StepBase {
  readonly kind: 'action';
  /** `uses:` as written (`./.github/actions/deploy`). */
  readonly uses: string;
  /** The action's folder relative to the repository root (= the workspace), or to its own repository's root for a remote action; without `./`. */
  readonly path: string;
  /** `owner/repo[/path]@ref`: the repository and ref, and the commit stepdeploy.lock.json resolves it to (absent until locked). */
  readonly remote?: RemoteActionRef;
  /** A composite's: the remote actions its steps use at any depth, sorted by `owner/repo@ref` (absent: none). */
  readonly nested?: readonly RemoteActionRef[];
  /** A composite's: the roles configure-aws-credentials steps inside it assume, as synth knows them (lib/constructs/assumed-roles.ts grants them). */
  readonly assumedRoles?: readonly string[];
  /** `with:` input id as written → value (may hold expressions); reaches the action as INPUT_<ID>. */
  readonly with: Readonly<Record<string, Expr>>;
  /** Whether the validated action has a post step: the job runs it at its end (lib/asl/post-steps.ts). */
  readonly hasPost: boolean;
}

export type Step = RunStep | LambdaStep | CheckoutStep | ActionStep;
