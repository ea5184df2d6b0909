// An action's metadata file (action.yml / action.yaml) as GitHub reads it: its inputs (defaults,
// required), outputs and how it runs. Read at validate from the repository and by the runner from
// the workspace, with the same rules; every mistake is located in the metadata file.

import { parseSpec } from '../../source/parse';
import type { SpecEntry, SpecNode } from '../../source/tree';
import type { Problem } from '../problem';
import { ProblemSink } from '../problems';
import { keyPath } from '../source-index';
import { checkContexts, parseCompositeSteps, type CompositeStep } from './composite';

export const ACTION_FILES = ['action.yml', 'action.yaml'] as const;

export interface ActionInput {
  /** As written in the metadata; `with:` keys match it regardless of case (as on GitHub). */
  readonly id: string;
  readonly required: boolean;
  /** A string, which may hold expressions (`${{ github.token }}`). */
  readonly default?: string;
}

/** Node.js versions GitHub runs JavaScript actions on today; older ones run on the newest with a warning. */
export const CURRENT_NODE_VERSIONS = ['node20', 'node24'] as const;
export const OLD_NODE_VERSIONS = ['node12', 'node16'] as const;

export interface NodeRuns {
  readonly using: 'node';
  /** `runs.using` as written: node12 … node24. */
  readonly version: string;
  /** Paths relative to the action's folder. */
  readonly main: string;
  readonly pre?: string;
  readonly post?: string;
  /** Conditions as written; absent: `always()` (GitHub's default). */
  readonly preIf?: string;
  readonly postIf?: string;
}

export interface CompositeRuns {
  readonly using: 'composite';
  readonly steps: readonly CompositeStep[];
  /** `outputs.<name>.value`: expressions over the steps' outputs, evaluated when the steps end. */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface DockerRuns {
  readonly using: 'docker';
}

export interface ActionMetadata {
  readonly file: string;
  readonly name: string;
  readonly inputs: readonly ActionInput[];
  /** Output names as declared (a JavaScript action writes them to $GITHUB_OUTPUT). */
  readonly outputs: readonly string[];
  readonly runs: NodeRuns | CompositeRuns | DockerRuns;
}

export interface MetadataResult {
  readonly metadata?: ActionMetadata;
  readonly problems: readonly Problem[];
  /** Kept meanings worth a word (an old Node.js version). */
  readonly warnings: readonly Problem[];
}

const scalarText = (node: SpecNode | undefined): string | undefined =>
  node?.kind === 'scalar' && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;

/** `text` of the metadata file `file` → its metadata, or every problem found. */
export function parseActionMetadata(text: string, file: string): MetadataResult {
  const sink = new ProblemSink(file);
  const parsed = parseSpec(text);
  for (const error of parsed.errors) sink.report(error.code, error.pos, error.path, error.message);
  const root = parsed.root;
  if (parsed.errors.length > 0 || root === undefined || root.kind !== 'map') {
    if (parsed.errors.length === 0) sink.report('invalid-action', root?.pos ?? { line: 1, column: 1 }, '', 'an action metadata file is a mapping with name, inputs, outputs and runs');
    return { problems: sink.sorted(), warnings: [] };
  }
  const entry = (node: SpecNode, key: string): SpecEntry | undefined => (node.kind === 'map' ? node.entries.find((item) => item.key === key) : undefined);
  const name = scalarText(entry(root, 'name')?.value) ?? '';

  const inputs: ActionInput[] = [];
  const inputsNode = entry(root, 'inputs')?.value;
  if (inputsNode !== undefined && !(inputsNode.kind === 'scalar' && inputsNode.value === null)) {
    if (inputsNode.kind !== 'map') sink.report('invalid-action', inputsNode.pos, 'inputs', 'inputs: expected a mapping of input id → { description, required, default }');
    else {
      for (const input of inputsNode.entries) {
        const at = keyPath('inputs', input.key);
        if (input.value.kind === 'seq' || (input.value.kind === 'scalar' && input.value.value !== null)) {
          sink.report('invalid-action', input.value.pos, at, `${at}: expected a mapping with description, required and default`);
          continue;
        }
        const required = entry(input.value, 'required')?.value;
        const fallback = entry(input.value, 'default')?.value;
        const defaultText = scalarText(fallback);
        if (fallback !== undefined && fallback.kind !== 'scalar') sink.report('invalid-action', fallback.pos, keyPath(at, 'default'), `${keyPath(at, 'default')}: expected a string`);
        inputs.push({ id: input.key, required: required?.kind === 'scalar' && (required.value === true || required.value === 'true'), ...(defaultText !== undefined && { default: defaultText }) });
      }
    }
  }
  const outputsNode = entry(root, 'outputs')?.value;
  const outputs = outputsNode?.kind === 'map' ? outputsNode.entries.map((output) => output.key) : [];

  const runsEntry = entry(root, 'runs');
  if (runsEntry === undefined || runsEntry.value.kind !== 'map') {
    sink.report('invalid-action', runsEntry?.value.pos ?? root.pos, 'runs', 'runs: an action needs runs.using (node20, node24, composite or docker)');
    return { problems: sink.sorted(), warnings: [] };
  }
  const runsNode = runsEntry.value;
  const usingNode = entry(runsNode, 'using')?.value;
  const using = scalarText(usingNode)?.toLowerCase();
  let runs: ActionMetadata['runs'] | undefined;
  if (using === 'composite') {
    const values: Record<string, string> = {};
    for (const output of outputsNode?.kind === 'map' ? outputsNode.entries : []) {
      const at = keyPath(keyPath('outputs', output.key), 'value');
      const valueNode = entry(output.value, 'value')?.value;
      const value = scalarText(valueNode);
      if (value === undefined) sink.report('invalid-action', output.keyPos, at, `${at}: a composite action's output needs a value (an expression over its steps' outputs)`);
      else {
        values[output.key] = value;
        checkContexts(value, false, at, valueNode!.pos, sink);
      }
    }
    runs = { using: 'composite', steps: parseCompositeSteps(entry(runsNode, 'steps')?.value, sink), outputs: values };
  }
  else if (using === 'docker') runs = { using: 'docker' };
  else if (using !== undefined && /^node\d+$/.test(using)) {
    if (OLD_NODE_VERSIONS.includes(using as (typeof OLD_NODE_VERSIONS)[number])) {
      sink.warn('old-node-action', usingNode!.pos, 'runs.using', `runs.using: '${using}' is no longer available; the action runs on the runner's Node.js (as GitHub runs it on ${CURRENT_NODE_VERSIONS[0]} or later)`);
    } else if (!CURRENT_NODE_VERSIONS.includes(using as (typeof CURRENT_NODE_VERSIONS)[number])) {
      sink.report('invalid-action', usingNode!.pos, 'runs.using', `runs.using: '${using}' is not a Node.js version GitHub runs actions on (${[...OLD_NODE_VERSIONS, ...CURRENT_NODE_VERSIONS].join(', ')})`);
    }
    const path = (key: string): string | undefined => {
      const node = entry(runsNode, key)?.value;
      const value = scalarText(node);
      if (node !== undefined && (value === undefined || value.trim() === '')) sink.report('invalid-action', node.pos, keyPath('runs', key), `runs.${key}: expected the path of a JavaScript file in the action's folder`);
      return value;
    };
    const main = path('main');
    if (main === undefined && entry(runsNode, 'main') === undefined) sink.report('invalid-action', runsEntry.keyPos, 'runs.main', `runs.main: a ${using} action needs runs.main (its JavaScript file)`);
    const pre = path('pre');
    const post = path('post');
    const preIf = scalarText(entry(runsNode, 'pre-if')?.value);
    const postIf = scalarText(entry(runsNode, 'post-if')?.value);
    if (main !== undefined) {
      runs = {
        using: 'node',
        version: using,
        main,
        ...(pre !== undefined && { pre }),
        ...(post !== undefined && { post }),
        ...(preIf !== undefined && { preIf }),
        ...(postIf !== undefined && { postIf }),
      };
    }
  } else {
    sink.report('invalid-action', usingNode?.pos ?? runsEntry.keyPos, 'runs.using', `runs.using: expected node20, node24, composite or docker, got ${using === undefined ? 'nothing' : `'${using}'`}`);
  }
  const problems = sink.sorted();
  if (problems.length > 0 || runs === undefined) return { problems, warnings: sink.warnings() };
  return { metadata: { file, name, inputs, outputs, runs }, problems, warnings: sink.warnings() };
}

/** GitHub's environment variable for an input: `INPUT_` + the id upper-cased, spaces as `_`. */
export function inputVariable(id: string): string {
  return `INPUT_${id.replace(/ /g, '_').toUpperCase()}`;
}
