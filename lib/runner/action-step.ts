// What the runner starts for an action step (`uses: ./path`): the action's JavaScript with the
// runner's own Node.js, as GitHub's runner starts it with the node it ships. The action is read from
// the workspace when its step runs (as GitHub reads local actions); inputs not given get the
// metadata's defaults; a post step is registered before the main runs, so it runs at the job's end
// (lib/asl/post-steps.ts) even if the main fails, with the main's inputs and the state it saved.

import { join, relative, resolve } from 'node:path';
import { evaluateCondition, evaluateTemplate, ExpressionError, hasExpression, toDisplayString, type JobStatus } from '../expressions';
import { CURRENT_NODE_VERSIONS, inputVariable, type ActionMetadata, type NodeRuns } from '../model/actions/metadata';
import { readLocalAction } from '../model/actions/resolver';
import { formatProblem } from '../model/problem';
import type { EnvVariable, StepWork } from '../runtime/runners';
import { parseStepOutputs } from '../runtime/step-outputs';

/** A post step waiting for the job's end. */
interface RegisteredPost {
  readonly uses: string;
  readonly dir: string;
  readonly file: string;
  /** `post-if`, default `always()`. */
  readonly condition: string;
  /** The main's env list (inputs included, secrets resolved). */
  readonly stepEnv: readonly EnvVariable[];
  state: Record<string, string>;
}

/** The posts of one cell, by the id of their main step. */
export class ActionPosts {
  private readonly byStep = new Map<string, RegisteredPost>();
  register(step: string, post: RegisteredPost): void {
    this.byStep.set(step, post);
  }
  get(step: string): RegisteredPost | undefined {
    return this.byStep.get(step);
  }
}

export interface ProcessPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The step's env list as the process gets it (after the cell's exported variables). */
  readonly stepEnv: readonly EnvVariable[];
  readonly extraEnv: Readonly<Record<string, string>>;
  /** Lines to show before the process starts. */
  readonly notes: readonly string[];
  /** After the process ended: the state it saved ($GITHUB_STATE, `::save-state::`). */
  readonly saved?: (state: Record<string, string>) => void;
}

export type ActionPlan = { readonly plan: ProcessPlan } | { readonly failure: string } | { readonly skipped: string };

export interface ActionContext {
  readonly workspace: string;
  readonly posts: ActionPosts;
  /** The variables the runner's steps start from (for `github` and `env` in defaults and post-if). */
  readonly baseEnv: Readonly<Record<string, string>>;
}

const fail = (message: string): ActionPlan => ({ failure: `stepdeploy: ${message}` });

/** `stepEnv`: the step's env list with secrets resolved. */
export function planActionStep(ctx: ActionContext, work: StepWork, stepEnv: readonly EnvVariable[], stateFile: string): ActionPlan {
  const action = work.action!;
  if (action.stage === 'post') return planPost(ctx, work, stateFile);
  const dir = resolve(ctx.workspace, action.path);
  if (relative(ctx.workspace, dir).startsWith('..')) return fail(`'${action.uses}' is outside the workspace`);
  const lookup = readLocalAction(ctx.workspace, action.path, (file) => `./${relative(ctx.workspace, file)}`);
  if (!lookup.found) {
    return fail(`'${action.uses}' has no action.yml or action.yaml in the workspace (a local action is read from the workspace: the repository's files must be there, as after actions/checkout)`);
  }
  const { metadata, problems } = lookup.result;
  if (metadata === undefined) return { failure: problems.map((problem) => `stepdeploy: ${formatProblem(problem)}`).join('\n') };
  if (metadata.runs.using !== 'node') return fail(`'${action.uses}' is not supported: it is a ${metadata.runs.using} action; only JavaScript actions (runs.using: node20 / node24) run here`);
  const runs = metadata.runs;
  const contexts = expressionContexts(ctx, stepEnv);
  const defaults: EnvVariable[] = [];
  const given = new Set(action.with.map((id) => id.toLowerCase()));
  for (const input of metadata.inputs) {
    if (given.has(input.id.toLowerCase())) continue;
    try {
      defaults.push({ Name: inputVariable(input.id), Value: defaultValue(input.default ?? '', contexts) });
    } catch (error) {
      if (error instanceof ExpressionError) return fail(`${metadata.file}: inputs.${input.id}.default: ${error.message} in '${input.default}'`);
      throw error;
    }
  }
  const env = [...stepEnv, ...defaults];
  let registered: RegisteredPost | undefined;
  if (runs.post !== undefined) {
    registered = { uses: action.uses, dir, file: join(dir, runs.post), condition: runs.postIf ?? 'always()', stepEnv: env, state: {} };
    ctx.posts.register(work.step, registered);
  }
  return {
    plan: {
      file: process.execPath,
      args: [join(dir, runs.main)],
      cwd: ctx.workspace,
      stepEnv: env,
      extraEnv: actionVariables(work, dir, stateFile),
      notes: nodeNotes(metadata, runs),
      ...(registered !== undefined && { saved: (state: Record<string, string>) => (registered.state = state) }),
    },
  };
}

function planPost(ctx: ActionContext, work: StepWork, stateFile: string): ActionPlan {
  const action = work.action!;
  const registered = ctx.posts.get(action.main ?? '');
  if (registered === undefined) return { skipped: `stepdeploy: the main step of '${action.uses}' did not run, so its post does not either` };
  const status = (['success', 'failure', 'cancelled'].includes(work.jobStatus ?? '') ? work.jobStatus : 'success') as JobStatus;
  let runs: boolean;
  try {
    runs = evaluateCondition(registered.condition, { contexts: expressionContexts(ctx, registered.stepEnv), status });
  } catch (error) {
    if (error instanceof ExpressionError) return fail(`'${action.uses}': runs.post-if: ${error.message} in '${registered.condition}'`);
    throw error;
  }
  if (!runs) return { skipped: `stepdeploy: post-if '${registered.condition}' of '${action.uses}' is false (the job's status is ${status})` };
  const state = Object.fromEntries(Object.entries(registered.state).map(([name, value]) => [`STATE_${name}`, value]));
  return {
    plan: {
      file: process.execPath,
      args: [registered.file],
      cwd: ctx.workspace,
      stepEnv: registered.stepEnv,
      extraEnv: { ...actionVariables(work, registered.dir, stateFile), ...state },
      notes: [],
    },
  };
}

/** GitHub's variables of an action's process. */
function actionVariables(work: StepWork, dir: string, stateFile: string): Record<string, string> {
  return { GITHUB_ACTION: work.action?.main ?? work.step, GITHUB_ACTION_PATH: dir, GITHUB_STATE: stateFile };
}

/** A node older than the action asks for (or an old version GitHub no longer has) runs it all the same, said once. */
function nodeNotes(metadata: ActionMetadata, runs: NodeRuns): string[] {
  const wanted = Number(runs.version.slice('node'.length));
  const have = Number(process.versions.node.split('.')[0]);
  if (!CURRENT_NODE_VERSIONS.includes(runs.version as (typeof CURRENT_NODE_VERSIONS)[number])) {
    return [`##[warning]Warning: ${metadata.file}: runs.using '${runs.version}' is no longer available; the action runs on the runner's Node.js ${process.version}`];
  }
  return wanted > have ? [`##[warning]Warning: ${metadata.file}: runs.using '${runs.version}' asks for Node.js ${wanted}; the runner's is ${process.version}`] : [];
}

function expressionContexts(ctx: ActionContext, stepEnv: readonly EnvVariable[]): Record<string, unknown> {
  const env: Record<string, string> = {};
  for (const { Name, Value } of stepEnv) env[Name] = Value;
  const github = ctx.baseEnv.STEPDEPLOY_GITHUB;
  return { env, ...(github !== undefined && { github: parseGithub(github) }) };
}

function parseGithub(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function defaultValue(text: string, contexts: Record<string, unknown>): string {
  return hasExpression(text) ? toDisplayString(evaluateTemplate(text, { contexts })) : text;
}

/** The state file's `NAME=value` lines after what `::save-state::` gave (GitHub's order). */
export function savedState(fromCommands: readonly [string, string][], fileText: string): Record<string, string> {
  return { ...Object.fromEntries(fromCommands), ...parseStepOutputs(fileText) };
}
