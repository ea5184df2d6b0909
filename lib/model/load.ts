import { readFile } from 'node:fs/promises';
import { parseSpec } from '../source/parse';
import { withReadNames } from './collect-names';
import { noSettings, readRulesFor, type ProjectSettings } from './environments';
import { normalizeWorkflow } from './normalize/workflow';
import { findProjectConfig } from './project-config';
import { runnerLabelTable, type RunnerLabelTable } from './runner-labels';
import type { StepPaths } from './normalize/job';
import type { Problem } from './problem';
import { ProblemSink } from './problems';
import { SourceIndex } from './source-index';
import type { CheckInput } from './validate/check';
import { checkExpressions } from './validate/expressions';
import { checkRunScripts } from './validate/run-scripts';
import { checkIds } from './validate/ids';
import { checkMatrices } from './validate/matrix';
import { checkNeeds } from './validate/needs';
import { checkRunsOn } from './validate/runs-on';
import { checkEnvironments } from './validate/environments';
import { checkActions, type ResolvedAction } from './validate/actions';
import { fileSystemResolver, repositoryRootOf, type ActionResolver } from './actions/resolver';
import type { ActionStep, Workflow } from './workflow';
import { relative, resolve } from 'node:path';
import { fileSystemWorkflows, loadCallees, type LoadCallee, type WorkflowReader } from './reusable/callees';
import { checkCall } from './reusable/check-call';
import { inlineCalls, type Callees } from './reusable/inline';
import { checkInlinedIds } from './reusable/inlined-ids';

export interface LoadResult {
  /** Present only when `problems` is empty. */
  readonly workflow?: Workflow;
  /** Every problem of the file, in file order. */
  readonly problems: Problem[];
  /** Likely mistakes that do not block (severity 'warning'), in file order. */
  readonly warnings: Problem[];
}

const semanticChecks: readonly ((input: CheckInput) => void)[] = [
  checkIds,
  checkNeeds,
  checkMatrices,
  checkExpressions,
  checkRunScripts,
  checkRunsOn,
  checkEnvironments,
];

export interface LoadOptions {
  /** The runner labels `runs-on` may name; loadWorkflowFile reads them from the closest cdk.json. Default: the built-in table. */
  readonly runnerLabels?: RunnerLabelTable;
  /** The environments.yml of the workflow's folder (lib/model/environments.ts); loadWorkflowFile reads it. Default: none. */
  readonly settings?: ProjectSettings;
  /** Where `uses: ./path` actions are read; default: the repository the file is in (lib/model/actions/resolver.ts). */
  readonly actions?: ActionResolver;
  /** Where `jobs.<id>.uses: ./.github/workflows/x.yml` is read; default: the repository the file is in. */
  readonly workflows?: WorkflowReader;
  /** The repository paths of the files calling this one, outermost first, this one last (set when loading a called workflow). */
  readonly callChain?: readonly string[];
}

/** Workflow text → a validated Workflow, or every problem found (never throws for bad input). */
export function loadWorkflowText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const sink = new ProblemSink(file);
  const parsed = parseSpec(text);
  for (const error of parsed.errors) sink.report(error.code, error.pos, error.path, error.message);
  // After a syntax error the tree is a guess: checking it would only add confusing follow-on problems.
  if (parsed.errors.some((error) => error.code === 'yaml-syntax')) return { problems: sink.sorted(), warnings: [] };
  const index = new SourceIndex(parsed.root);
  const stepPaths: StepPaths = new Map();
  const normalized = normalizeWorkflow(parsed.root, file, sink, stepPaths, options.runnerLabels ?? runnerLabelTable(), options.settings ?? noSettings);
  let resolved = new Map<ActionStep, ResolvedAction>();
  let callees: Callees = new Map();
  let workflow = normalized;
  if (normalized) {
    // A called workflow reads its files, actions and lock as its caller does: the top-level file's repository.
    const workflows = workflowReaderOf(file, options);
    const actions = options.actions ?? fileSystemResolver(repositoryRootOf(file), file);
    const loadCallee: LoadCallee = (calleeText, calleeFile, callChain) => loadWorkflowText(calleeText, calleeFile, { ...options, callChain, workflows, actions });
    callees = loadCallees(normalized, callChainOf(file, options), workflows, loadCallee, index, sink);
    workflow = withCallOutputs(normalized, callees);
    for (const check of semanticChecks) check({ workflow, index, stepPaths, sink });
    for (const job of workflow.jobs) if (job.uses !== undefined && callees.has(job.id)) checkCall(job, callees.get(job.id)!, index, sink);
    resolved = checkActions({ workflow, index, stepPaths, sink }, options.actions ?? fileSystemResolver(repositoryRootOf(file), file));
  }
  if (sink.sorted().length > 0 || !workflow) return { problems: sink.sorted(), warnings: sink.warnings() };
  const inlined = inlineCalls(withResolvedActions(withReadNames(workflow, stepPaths, index), resolved), callees, (job, reason) => {
    const at = `jobs.${job}.uses`;
    sink.report('unfollowable-call', index.valuePos(at), at, `${at}: '${workflow.jobs.find((candidate) => candidate.id === job)?.uses?.uses}' cannot be inlined: ${reason}`);
  });
  checkInlinedIds(inlined, index, sink);
  const problems = sink.sorted();
  const warnings = sink.warnings();
  return problems.length === 0 ? { workflow: inlined, problems, warnings } : { problems, warnings };
}

function workflowReaderOf(file: string, options: LoadOptions): WorkflowReader {
  return options.workflows ?? fileSystemWorkflows(repositoryRootOf(file), file);
}

/** The file's own path in its repository starts the chain of a top-level load. */
function callChainOf(file: string, options: LoadOptions): readonly string[] {
  return options.callChain ?? [relative(repositoryRootOf(file), resolve(file)).split('\\').join('/')];
}

/** A calling job declares the called workflow's outputs, so that `needs.<job>.outputs.<name>` checks against them. */
function withCallOutputs(workflow: Workflow, callees: Callees): Workflow {
  const outputsOf = (id: string): Record<string, string> => Object.fromEntries(Object.keys(callees.get(id)?.on.workflowCall?.outputs ?? {}).map((name) => [name, '']));
  return { ...workflow, jobs: workflow.jobs.map((job) => (callees.has(job.id) && job.uses !== undefined ? { ...job, outputs: outputsOf(job.id), uses: { ...job.uses, outputsKnown: true } } : job)) };
}

/**
 * As loadWorkflowText, reading the file and the runner labels of the closest cdk.json at or above it
 * (unless `options` gives them) and the environments.yml next to it; a missing or unreadable file is a `file-unreadable` problem, a
 * malformed `stepdeploy:runnerLabels` an `invalid-project-config` problem at the cdk.json, a mistake in
 * environments.yml is located there.
 */
export async function loadWorkflowFile(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const message = `cannot read workflow file '${path}': ${describeReadError(reason)}`;
    return { problems: [{ code: 'file-unreadable', location: { file: path, line: 1, column: 1 }, path: '', message }], warnings: [] };
  }
  const rules = await readRulesFor(path);
  const withRules = (loaded: LoadResult): LoadResult =>
    rules.problems.length === 0 ? loaded : { problems: [...rules.problems, ...loaded.problems], warnings: loaded.warnings };
  const settings = rules.settings ?? noSettings;
  if (options.runnerLabels !== undefined) return withRules(loadWorkflowText(text, path, { ...options, settings }));
  const project = await projectLoadOptions(path);
  return 'problem' in project ? { problems: [project.problem], warnings: [] } : withRules(loadWorkflowText(text, path, { ...project, settings }));
}

/**
 * The load options of the project a workflow file belongs to (the closest cdk.json at or above it),
 * or the `invalid-project-config` problem of that cdk.json.
 */
export async function projectLoadOptions(workflowPath: string): Promise<LoadOptions | { readonly problem: Problem }> {
  const project = await findProjectConfig(workflowPath);
  if (!('error' in project)) return { runnerLabels: project.config.runnerLabels };
  const code = 'invalid-project-config'; // a cdk.json problem, not a workflow's: covered in project-config.test.ts
  return { problem: { code, location: { file: project.file, line: project.line ?? 1, column: project.column ?? 1 }, path: '', message: project.error } };
}

/** What validate found of each action step: a post step (rendered at the job's end), a remote action's locked commit, a composite's remote actions. */
function withResolvedActions(workflow: Workflow, resolved: ReadonlyMap<ActionStep, ResolvedAction>): Workflow {
  if (resolved.size === 0) return workflow;
  const apply = (step: ActionStep, found: ResolvedAction): ActionStep => ({
    ...step,
    hasPost: found.hasPost,
    ...(step.remote !== undefined && found.sha !== undefined && { remote: { ...step.remote, sha: found.sha } }),
    ...(found.nested !== undefined && { nested: found.nested }),
    ...(found.assumedRoles !== undefined && { assumedRoles: found.assumedRoles }),
  });
  return { ...workflow, jobs: workflow.jobs.map((job) => ({ ...job, steps: job.steps.map((step) => (step.kind === 'action' && resolved.has(step) ? apply(step, resolved.get(step)!) : step)) })) };
}

function describeReadError(code: string): string {
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code;
}
