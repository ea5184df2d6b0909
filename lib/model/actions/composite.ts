// A composite action's `runs.steps`, as GitHub reads them: `run` steps (with the `shell` GitHub
// requires there; bash is the one shell here) and `uses:` steps naming an action of the repository
// (`./path`, from the workspace's root, as on GitHub) or of another one (`owner/repo[/path]@ref`,
// locked in stepdeploy.lock.json like a workflow's), each with id, name, if, env,
// working-directory, continue-on-error and with. The runner evaluates
// their expressions, so only the contexts it holds may appear: inputs, steps, env, github, job.

import { ExpressionError, parseCondition, parseExpression, referencedContexts, scanTemplate, type ExprNode } from '../../expressions';
import type { SpecEntry, SpecNode } from '../../source/tree';
import type { ProblemSink } from '../problems';
import { placeScriptExpressions } from '../shell-quoting';
import { itemPath, keyPath } from '../source-index';
import { checkoutAction, lambdaAction } from '../keys';
import { parseActionReference, type ActionReference } from './reference';

interface CompositeStepBase {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly continueOnError: boolean | string;
  /** `runs.steps[<n>]` in the metadata file. */
  readonly path: string;
}

export interface CompositeRunStep extends CompositeStepBase {
  readonly kind: 'run';
  readonly run: string;
  readonly workingDirectory?: string;
}

export interface CompositeUsesStep extends CompositeStepBase {
  readonly kind: 'uses';
  readonly uses: string;
  /** The action's folder relative to the repository root (a remote action's: to its own repository's root). */
  readonly actionPath: string;
  /** `owner/repo[/path]@ref`: the repository (`owner/repo`) and the ref, looked up in the lock. */
  readonly remote?: { readonly action: string; readonly ref: string };
  readonly with: Readonly<Record<string, string>>;
}

export type CompositeStep = CompositeRunStep | CompositeUsesStep;

/** The contexts the runner fills for a composite action's expressions. */
export const COMPOSITE_CONTEXTS = ['inputs', 'steps', 'env', 'github', 'job'] as const;

const stepKeys = ['id', 'name', 'if', 'run', 'shell', 'uses', 'with', 'env', 'working-directory', 'continue-on-error'];

const scalar = (node: SpecNode | undefined): string | undefined => (node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined);

/** `runs.steps` → the steps, every mistake reported into `sink` (located in the metadata file). */
export function parseCompositeSteps(node: SpecNode | undefined, sink: ProblemSink): CompositeStep[] {
  if (node === undefined || node.kind !== 'seq') {
    sink.report('invalid-action', node?.pos ?? { line: 1, column: 1 }, 'runs.steps', 'runs.steps: a composite action needs a list of steps');
    return [];
  }
  const steps: CompositeStep[] = [];
  node.items.forEach((item, index) => {
    const path = itemPath('runs.steps', index);
    if (item.kind !== 'map') {
      sink.report('invalid-action', item.pos, path, `${path}: expected a step (a mapping with run or uses)`);
      return;
    }
    const entries = new Map<string, SpecEntry>(item.entries.map((entry) => [entry.key, entry]));
    for (const entry of item.entries) {
      if (!stepKeys.includes(entry.key)) sink.report('invalid-action', entry.keyPos, keyPath(path, entry.key), `${keyPath(path, entry.key)}: unknown key '${entry.key}'; a composite step has ${stepKeys.join(', ')}`);
    }
    const text = (key: string): string | undefined => scalar(entries.get(key)?.value);
    const env: Record<string, string> = {};
    const envNode = entries.get('env')?.value;
    if (envNode?.kind === 'map') for (const entry of envNode.entries) env[entry.key] = scalar(entry.value) ?? '';
    const continueNode = entries.get('continue-on-error')?.value;
    const base = {
      ...(text('id') !== undefined && { id: text('id') }),
      ...(text('name') !== undefined && { name: text('name') }),
      ...(text('if') !== undefined && { if: text('if') }),
      env,
      continueOnError: continueNode?.kind === 'scalar' && typeof continueNode.value === 'boolean' ? continueNode.value : (scalar(continueNode) ?? false),
      path,
    };
    const run = text('run');
    const uses = text('uses');
    if ((run === undefined) === (uses === undefined)) {
      sink.report('invalid-action', item.pos, path, `${path}: a composite step has either run or uses`);
      return;
    }
    for (const [key, value] of Object.entries({ name: base.name, if: base.if, 'continue-on-error': typeof base.continueOnError === 'string' ? base.continueOnError : undefined, ...prefixed('env', env) })) {
      if (value !== undefined) checkContexts(value, key === 'if', keyPath(path, key), entries.get(key)?.value.pos ?? item.pos, sink);
    }
    if (run !== undefined) {
      const shell = entries.get('shell');
      if (shell === undefined) sink.report('invalid-action', entries.get('run')!.keyPos, keyPath(path, 'shell'), `${keyPath(path, 'shell')}: a composite action's run step needs shell: bash (GitHub requires shell here)`);
      else if (scalar(shell.value) !== 'bash') sink.report('invalid-action', shell.value.pos, keyPath(path, 'shell'), `${keyPath(path, 'shell')}: only shell: bash runs here, got '${scalar(shell.value) ?? ''}'`);
      checkScript(run, keyPath(path, 'run'), entries.get('run')!.value.pos, sink);
      const directory = text('working-directory');
      if (directory !== undefined) checkContexts(directory, false, keyPath(path, 'working-directory'), entries.get('working-directory')!.value.pos, sink);
      steps.push({ ...base, kind: 'run', run, ...(directory !== undefined && { workingDirectory: directory }) });
      return;
    }
    const reference = parseActionReference(uses!);
    const usesPos = entries.get('uses')!.value.pos;
    const why = refusedInComposite(uses!, reference);
    if (why !== undefined || 'problem' in reference || reference.kind === 'docker') {
      sink.report('invalid-action', usesPos, keyPath(path, 'uses'), `${keyPath(path, 'uses')}: '${uses}' is not supported: ${why}`);
      return;
    }
    const inputs: Record<string, string> = {};
    const withNode = entries.get('with')?.value;
    if (withNode?.kind === 'map') {
      for (const entry of withNode.entries) {
        inputs[entry.key] = scalar(entry.value) ?? '';
        checkContexts(inputs[entry.key]!, false, keyPath(keyPath(path, 'with'), entry.key), entry.value.pos, sink);
      }
    }
    const remote = reference.kind === 'remote' ? { remote: { action: `${reference.owner}/${reference.repo}`, ref: reference.ref } } : {};
    steps.push({ ...base, kind: 'uses', uses: uses!, actionPath: reference.path, ...remote, with: inputs });
  });
  return steps;
}

/** Why a reference cannot be a composite action's step here, if it cannot. */
function refusedInComposite(uses: string, reference: ActionReference | { readonly problem: string }): string | undefined {
  if (uses === lambdaAction) return `${lambdaAction} is a step of stepdeploy's own (a Lambda invocation by the state machine), not an action the runner runs; call it from the workflow`;
  if ('problem' in reference) return reference.problem;
  if (reference.kind === 'docker') return 'a Docker image action: the runner has no Docker daemon to start the container';
  if (reference.kind === 'local') return undefined;
  const action = `${reference.owner}/${reference.repo}`.toLowerCase();
  if (action === checkoutAction) return `stepdeploy's checkout is a step of its own, not an action it runs; check out in the workflow before the step that uses this composite action`;
  return undefined;
}

const prefixed = (prefix: string, values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}.${key}`, value]));

/** The expressions of a text, or of a condition (`${{ }}` optional). */
function expressionsOf(text: string, condition: boolean): ExprNode[] {
  if (condition) return [parseCondition(text)];
  return scanTemplate(text).flatMap((part) => (part.kind === 'expr' ? [parseExpression(part.source)] : []));
}

/** `pos` is where the value is (the message names the path). */
export function checkContexts(text: string, condition: boolean, path: string, pos: { line: number; column: number }, sink: ProblemSink): void {
  if (!condition && !text.includes('${{')) return;
  let nodes: ExprNode[];
  try {
    nodes = expressionsOf(text, condition);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    sink.report('invalid-action', pos, path, `${path}: ${error.message}`);
    return;
  }
  for (const node of nodes) {
    for (const context of referencedContexts(node).contexts) {
      if ((COMPOSITE_CONTEXTS as readonly string[]).includes(context)) continue;
      sink.report('invalid-action', pos, path, `${path}: the context '${context}' is not available in a composite action here (the runner evaluates it: ${COMPOSITE_CONTEXTS.join(', ')})`);
    }
  }
}

/** A script's expressions reach it as environment variables, as in a workflow's run step. */
function checkScript(script: string, path: string, pos: { line: number; column: number }, sink: ProblemSink): void {
  checkContexts(script, false, path, pos, sink);
  let placed;
  try {
    placed = placeScriptExpressions(script);
  } catch (error) {
    if (error instanceof ExpressionError) return; // reported above
    throw error;
  }
  for (const expression of placed) {
    if (expression.context === 'quoted-heredoc') {
      sink.report('invalid-action', pos, path, `${path}: \${{ ${expression.source.trim()} }} is inside a heredoc whose delimiter is quoted, where bash expands nothing; unquote the delimiter or pass the value through env:`);
    } else if (expression.arithmetic !== undefined) {
      sink.report('invalid-action', pos, path, `${path}: \${{ ${expression.source.trim()} }} is used in bash arithmetic (${expression.arithmetic}), where bash evaluates the value as code; set it through env: and check it is a number first`);
    }
  }
}
