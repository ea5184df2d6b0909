// An action step (`uses: ./path`) on the runner. The action is read from the workspace when its step
// runs (as GitHub reads local actions); inputs not given get the metadata's defaults.
//   JavaScript (runs.using: node*): its file runs with the Node.js major it asks for when the image
//     has it (lib/runner/action-node.ts), as GitHub's runner ships node20 and node24; else with the
//     runner's own, said in a warning. A post is registered before the main starts, so it runs at
//     the job's end (lib/asl/post-steps.ts) even if the main fails, with the main's inputs and the
//     state it saved ($GITHUB_STATE → STATE_<name>).
//   composite: its steps run in order in this one step — run steps with bash, uses steps of
//     repository actions (from the workspace) or remote ones (from the bundled actions, at the
//     commit the dispatch payload's `nested` list gives: the lock as synth read it), nested up to
//     the validator's depth — with `inputs`, `steps`, `env`,
//     `github` and `job` in their expressions; `outputs.<name>.value` is evaluated at the end. The
//     posts of JavaScript actions inside run, in reverse order, in the composite step's post.

import { join, relative, resolve } from 'node:path';
import { liftScriptExpressions } from '../asl/script-expressions';
import { evaluateCondition, evaluateTemplate, ExpressionError, hasExpression, isTruthy, toDisplayString, type JobStatus } from '../expressions';
import type { CompositeRuns, NodeRuns } from '../model/actions/metadata';
import { CURRENT_NODE_VERSIONS, inputVariable, type ActionMetadata } from '../model/actions/metadata';
import { readLocalAction } from '../model/actions/resolver';
import { actionNode, type ActionNode } from './action-node';
import { formatProblem } from '../model/problem';
import type { EnvVariable, NestedActionWork, StepWork } from '../runtime/runners';
import { parseStepOutputs } from '../runtime/step-outputs';

/** A post step waiting for the job's end. */
interface RegisteredPost {
  readonly uses: string;
  readonly dir: string;
  readonly file: string;
  /** The Node.js binary of the main (the post runs on the same). */
  readonly node: string;
  /** `post-if`, default `always()`. */
  readonly condition: string;
  /** The main's env list (inputs included, secrets resolved). */
  readonly stepEnv: readonly EnvVariable[];
  state: Record<string, string>;
}

/** The posts of one cell, by the id of the workflow step whose action (or composite's action) registered them. */
export class ActionPosts {
  private readonly byStep = new Map<string, RegisteredPost[]>();
  register(step: string, post: RegisteredPost): void {
    this.byStep.set(step, [...(this.byStep.get(step) ?? []), post]);
  }
  get(step: string): readonly RegisteredPost[] {
    return this.byStep.get(step) ?? [];
  }
}

export interface ProcessPlan {
  readonly command: { readonly kind: 'script'; readonly script: string } | { readonly kind: 'node'; readonly file: string; readonly node: string };
  /** Relative to the workspace (default: the workspace); one that does not exist fails the process. */
  readonly workingDirectory?: string;
  /** The env list the process gets after the cell's exported variables. */
  readonly stepEnv: readonly EnvVariable[];
  readonly extraEnv: Readonly<Record<string, string>>;
}

/** How one process ended: its outputs and (a JavaScript action's) saved state. */
export interface Executed {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly summary: string;
  /** Why it failed, when the runner knows more than the exit status. */
  readonly message?: string;
  /** The outputs file as written, when nothing else set outputs. */
  readonly raw?: Buffer;
}

export type ActionResult =
  | { readonly kind: 'done'; readonly outputs: Record<string, string>; readonly raw?: Buffer }
  | { readonly kind: 'failed'; readonly exitCode: number | null; readonly message?: string }
  | { readonly kind: 'skipped'; readonly message: string };

export interface ActionRuntime {
  readonly workspace: string;
  /** Remote actions, `<owner>/<repo>/<sha>/…` (locally the actions cache, in AWS the bundled asset). */
  readonly actionsDir?: string;
  readonly posts: ActionPosts;
  /** The variables the runner's steps start from (`STEPDEPLOY_GITHUB` gives the `github` context). */
  readonly baseEnv: Readonly<Record<string, string>>;
  execute(plan: ProcessPlan): Promise<Executed>;
  /** A line of the runner's own in the step's log. */
  note(line: string): void;
}

const failed = (message: string, exitCode: number | null = 1): ActionResult => ({ kind: 'failed', exitCode, message: `stepdeploy: ${message}` });

/** Runs a main or a post; `stepEnv` is the step's env list with secrets resolved. */
export async function runAction(rt: ActionRuntime, work: StepWork, stepEnv: readonly EnvVariable[]): Promise<ActionResult> {
  const action = work.action!;
  if (action.stage === 'post') return runPosts(rt, work);
  const loaded = loadAction(actionRoot(rt, action), action.path, action.uses, action.repository !== undefined);
  if ('failure' in loaded) return failed(loaded.failure);
  // The inputs `with:` gave are INPUT_<ID> entries of the env list (evaluated by the prepare state).
  const given: Record<string, string> = {};
  for (const id of action.with) given[id] = stepEnv.find((variable) => variable.Name === inputVariable(id))?.Value ?? '';
  return runLoaded(rt, { owner: work.step, actionId: work.step, uses: action.uses, ...loaded, given, stepEnv, nested: action.nested ?? [] });
}

interface Invocation {
  /** The workflow step whose post runs what this registers. */
  readonly owner: string;
  /** GITHUB_ACTION: the step's id. */
  readonly actionId: string;
  readonly uses: string;
  readonly dir: string;
  readonly metadata: ActionMetadata;
  readonly given: Readonly<Record<string, string>>;
  readonly stepEnv: readonly EnvVariable[];
  /** The locked commits of the remote actions the workflow step's composites use. */
  readonly nested: readonly NestedActionWork[];
}

/** Where an action's files are: a remote action's in the runner's bundled actions, a local one's in the workspace. */
function actionRoot(rt: Pick<ActionRuntime, 'workspace' | 'actionsDir'>, work: { readonly repository?: string; readonly sha?: string; readonly uses: string }): string | { failure: string } {
  if (work.repository === undefined) return rt.workspace;
  if (work.sha === undefined) return { failure: `'${work.uses}' is not in stepdeploy.lock.json: run \`stepdeploy actions update\` and deploy again` };
  if (rt.actionsDir === undefined) return { failure: `'${work.uses}': this runner has no bundled actions (STEPDEPLOY_RUNNER_ACTIONS_DIR is not set)` };
  return join(rt.actionsDir, ...work.repository.split('/'), work.sha);
}

/** The commit the lock gave a composite's remote action at synth (by `owner/repo@ref` as written, as the lock keys it). */
function lockedCommit(nested: readonly NestedActionWork[], remote: { readonly action: string; readonly ref: string }): { sha?: string } {
  const found = nested.find((item) => item.action === remote.action && item.ref === remote.ref);
  return found === undefined ? {} : { sha: found.sha };
}

function loadAction(root: string | { failure: string }, path: string, uses: string, remote = false): { dir: string; metadata: ActionMetadata } | { failure: string } {
  if (typeof root !== 'string') return root;
  const dir = resolve(root, path);
  if (relative(root, dir).startsWith('..')) return { failure: `'${uses}' is outside the action's folder` };
  const lookup = readLocalAction(root, path, (file) => (remote ? `${uses.split('@')[0]}/${relative(dir, file)}` : `./${relative(root, file)}`));
  if (!lookup.found) {
    if (remote) return { failure: `'${uses}' has no action.yml or action.yaml in the bundled actions (${dir})` };
    return { failure: `'${uses}' has no action.yml or action.yaml in the workspace (a local action is read from the workspace: the repository's files must be there, as after actions/checkout)` };
  }
  const { metadata, problems } = lookup.result;
  if (metadata === undefined) return { failure: problems.map(formatProblem).join('\nstepdeploy: ') };
  if (metadata.runs.using === 'docker') return { failure: `'${uses}' is not supported: it is a docker action; only JavaScript (node20 / node24) and composite actions run here` };
  return { dir, metadata };
}

function runLoaded(rt: ActionRuntime, call: Invocation): Promise<ActionResult> {
  const contexts = expressionContexts(rt, call.stepEnv);
  const inputs: Record<string, string> = { ...call.given };
  const defaults: EnvVariable[] = [];
  const given = new Set(Object.keys(call.given).map((id) => id.toLowerCase()));
  for (const input of call.metadata.inputs) {
    if (given.has(input.id.toLowerCase())) continue;
    try {
      inputs[input.id] = evaluated(input.default ?? '', contexts);
    } catch (error) {
      if (error instanceof ExpressionError) return Promise.resolve(failed(`${call.metadata.file}: inputs.${input.id}.default: ${error.message} in '${input.default}'`));
      throw error;
    }
    defaults.push({ Name: inputVariable(input.id), Value: inputs[input.id]! });
  }
  const runs = call.metadata.runs;
  if (runs.using === 'composite') return runComposite(rt, call, runs, inputs);
  return runNode(rt, call, runs as NodeRuns, [...call.stepEnv, ...defaults]);
}

async function runNode(rt: ActionRuntime, call: Invocation, runs: NodeRuns, env: readonly EnvVariable[]): Promise<ActionResult> {
  const node = nodeFor(runs);
  const note = nodeNote(call.metadata, runs, node);
  if (note !== undefined) rt.note(note);
  let registered: RegisteredPost | undefined;
  if (runs.post !== undefined) {
    registered = { uses: call.uses, dir: call.dir, file: join(call.dir, runs.post), node: node.path, condition: runs.postIf ?? 'always()', stepEnv: env, state: {} };
    rt.posts.register(call.owner, registered);
  }
  const executed = await rt.execute({ command: { kind: 'node', file: join(call.dir, runs.main), node: node.path }, stepEnv: env, extraEnv: actionVariables(call.actionId, call.dir) });
  if (registered !== undefined) registered.state = executed.state;
  if (!executed.ok) return { kind: 'failed', exitCode: executed.exitCode, ...(executed.message !== undefined && { message: executed.message }) };
  return { kind: 'done', outputs: executed.outputs, ...(executed.raw !== undefined && { raw: executed.raw }) };
}

interface NestedRecord {
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
}

async function runComposite(rt: ActionRuntime, call: Invocation, runs: CompositeRuns, inputs: Record<string, string>): Promise<ActionResult> {
  // The composite step's own env reaches its steps; its INPUT_ variables do not (they read `inputs`).
  const baseEnv = call.stepEnv.filter((variable) => !variable.Name.startsWith('INPUT_'));
  const steps: Record<string, NestedRecord> = {};
  let firstFailure: ActionResult | undefined;
  for (const [index, step] of runs.steps.entries()) {
    const where = `${call.metadata.file}: ${step.path}`;
    const status: JobStatus = firstFailure === undefined ? 'success' : 'failure';
    const contexts = { ...expressionContexts(rt, baseEnv), inputs, steps, job: { status } };
    let outcome: ActionResult;
    try {
      if (!evaluateCondition(step.if ?? 'success()', { contexts, status })) {
        if (step.id !== undefined) steps[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
        continue;
      }
      const env: EnvVariable[] = [...baseEnv];
      const envValues: Record<string, string> = Object.fromEntries(baseEnv.map((variable) => [variable.Name, variable.Value]));
      for (const [name, template] of Object.entries(step.env)) {
        envValues[name] = evaluated(template, { ...contexts, env: envValues });
        env.push({ Name: name, Value: envValues[name]! });
      }
      const stepContexts = { ...contexts, env: envValues };
      if (step.kind === 'run') {
        const lifted = liftScriptExpressions(step.run);
        for (const [name, template] of Object.entries(lifted.expressions)) env.push({ Name: name, Value: evaluated(template, stepContexts) });
        const directory = step.workingDirectory === undefined ? undefined : evaluated(step.workingDirectory, stepContexts);
        const executed = await rt.execute({ command: { kind: 'script', script: lifted.script }, ...(directory !== undefined && { workingDirectory: directory }), stepEnv: env, extraEnv: {} });
        outcome = executed.ok ? { kind: 'done', outputs: executed.outputs } : { kind: 'failed', exitCode: executed.exitCode, ...(executed.message !== undefined && { message: executed.message }) };
      } else {
        const remote = step.remote;
        const root = remote === undefined ? rt.workspace : actionRoot(rt, { repository: remote.action, uses: step.uses, ...lockedCommit(call.nested, remote) });
        const loaded = loadAction(root, step.actionPath, step.uses, remote !== undefined);
        if ('failure' in loaded) outcome = failed(`${where}: ${loaded.failure}`);
        else {
          const given = Object.fromEntries(Object.entries(step.with).map(([id, template]) => [id, evaluated(template, stepContexts)]));
          const nestedEnv = [...env, ...Object.entries(given).map(([id, value]) => ({ Name: inputVariable(id), Value: value }))];
          outcome = await runLoaded(rt, { owner: call.owner, actionId: step.id ?? `__${call.actionId}_${index + 1}`, uses: step.uses, ...loaded, given, stepEnv: nestedEnv, nested: call.nested });
        }
      }
      if (outcome.kind === 'failed') {
        const goOn = typeof step.continueOnError === 'string' ? isTruthy(evaluateTemplate(step.continueOnError, { contexts: stepContexts, status })) : step.continueOnError;
        if (outcome.message !== undefined) rt.note(outcome.message);
        if (step.id !== undefined) steps[step.id] = { outcome: 'failure', conclusion: goOn ? 'success' : 'failure', outputs: {} };
        if (!goOn) firstFailure ??= outcome;
        continue;
      }
      if (step.id !== undefined) steps[step.id] = { outcome: 'success', conclusion: 'success', outputs: outcome.kind === 'done' ? outcome.outputs : {} };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      rt.note(`stepdeploy: ${where}: ${error.message}`);
      if (step.id !== undefined) steps[step.id] = { outcome: 'failure', conclusion: 'failure', outputs: {} };
      firstFailure ??= { kind: 'failed', exitCode: 1 };
    }
  }
  if (firstFailure !== undefined) return firstFailure.kind === 'failed' ? { kind: 'failed', exitCode: firstFailure.exitCode } : firstFailure;
  const outputs: Record<string, string> = {};
  const contexts = { ...expressionContexts(rt, baseEnv), inputs, steps, job: { status: 'success' } };
  for (const [name, template] of Object.entries(runs.outputs)) {
    try {
      outputs[name] = evaluated(template, contexts);
    } catch (error) {
      if (error instanceof ExpressionError) return failed(`${call.metadata.file}: outputs.${name}.value: ${error.message}`);
      throw error;
    }
  }
  return { kind: 'done', outputs };
}

/** The posts a main (or a composite's actions) registered, last first; each with its own post-if. */
async function runPosts(rt: ActionRuntime, work: StepWork): Promise<ActionResult> {
  const action = work.action!;
  const posts = rt.posts.get(action.main ?? '');
  if (posts.length === 0) return { kind: 'skipped', message: `stepdeploy: the main step of '${action.uses}' did not run, so its post does not either` };
  const status = (['success', 'failure', 'cancelled'].includes(work.jobStatus ?? '') ? work.jobStatus : 'success') as JobStatus;
  let result: ActionResult | undefined;
  for (const post of [...posts].reverse()) {
    let runs: boolean;
    try {
      runs = evaluateCondition(post.condition, { contexts: expressionContexts(rt, post.stepEnv), status });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      result ??= failed(`'${post.uses}': runs.post-if: ${error.message} in '${post.condition}'`);
      continue;
    }
    if (!runs) {
      rt.note(`stepdeploy: post-if '${post.condition}' of '${post.uses}' is false (the job's status is ${status})`);
      continue;
    }
    const state = Object.fromEntries(Object.entries(post.state).map(([name, value]) => [`STATE_${name}`, value]));
    const executed = await rt.execute({ command: { kind: 'node', file: post.file, node: post.node }, stepEnv: post.stepEnv, extraEnv: { ...actionVariables(action.main ?? work.step, post.dir), ...state } });
    if (!executed.ok) result ??= { kind: 'failed', exitCode: executed.exitCode, ...(executed.message !== undefined && { message: executed.message }) };
  }
  return result ?? { kind: 'done', outputs: {} };
}

/** GitHub's variables of an action's process. */
function actionVariables(actionId: string, dir: string): Record<string, string> {
  return { GITHUB_ACTION: actionId, GITHUB_ACTION_PATH: dir };
}

/** The node a `runs.using` runs on: its major when installed; an old version GitHub no longer has runs on the newest GitHub has. */
function nodeFor(runs: NodeRuns): ActionNode {
  const current = CURRENT_NODE_VERSIONS.includes(runs.version as (typeof CURRENT_NODE_VERSIONS)[number]);
  const newest = CURRENT_NODE_VERSIONS[CURRENT_NODE_VERSIONS.length - 1]!;
  return actionNode(Number((current ? runs.version : newest).slice('node'.length)));
}

/** Said once when the action does not run on the node it asks for. */
function nodeNote(metadata: ActionMetadata, runs: NodeRuns, node: ActionNode): string | undefined {
  if (!CURRENT_NODE_VERSIONS.includes(runs.version as (typeof CURRENT_NODE_VERSIONS)[number])) {
    return `##[warning]Warning: ${metadata.file}: runs.using '${runs.version}' is no longer available; the action runs on Node.js v${node.version}`;
  }
  if (node.exact) return undefined;
  return `##[warning]Warning: ${metadata.file}: runs.using '${runs.version}' asks for Node.js ${runs.version.slice('node'.length)}, which this image does not have; the action runs on the runner's Node.js v${node.version}`;
}

function expressionContexts(rt: Pick<ActionRuntime, 'baseEnv'>, stepEnv: readonly EnvVariable[]): Record<string, unknown> {
  const env: Record<string, string> = {};
  for (const { Name, Value } of stepEnv) env[Name] = Value;
  const github = rt.baseEnv.STEPDEPLOY_GITHUB;
  return { env, ...(github !== undefined && { github: parseGithub(github) }) };
}

function parseGithub(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function evaluated(text: string, contexts: Record<string, unknown>): string {
  return hasExpression(text) ? toDisplayString(evaluateTemplate(text, { contexts })) : text;
}

/** The state file's `NAME=value` lines after what `::save-state::` gave (GitHub's order). */
export function savedState(fromCommands: readonly [string, string][], fileText: string): Record<string, string> {
  return { ...Object.fromEntries(fromCommands), ...parseStepOutputs(fileText) };
}
