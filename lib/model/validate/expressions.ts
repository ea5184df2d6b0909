import { ExpressionError, hasExpression, isStringCondition, parseCondition, parseExpression, scanTemplate, type CallNode, type ExprNode, type PropertyNode, referencedContexts } from '../../expressions';
import type { Position } from '../../source/tree';
import { positionInScalar } from '../../source/positions';
import { allowedContexts, placeNames, statusFunctions } from '../contexts';
import { githubFields, runnerFields, unsupportedGithubFields } from '../github-context';
import { runnerOnlyReads, runnerSideContexts } from '../runner-side';
import { keyPath } from '../source-index';
import { didYouMean } from '../suggest';
import { isDynamicMatrix, type DynamicMatrix, type Job, type Matrix, type Step } from '../workflow';
import type { CheckInput } from './check';
import { expressionFields, type ExpressionField } from './expression-fields';
import { fieldExpressions } from './field-expressions';
import { checkNamedContexts } from './secrets';

const knownContexts = ['inputs', 'event', 'execution', 'github', 'runner', 'env', 'matrix', 'needs', 'steps', 'job', 'jobs', 'vars', 'secrets'];

/** GitHub contexts that do not exist here, with what to use instead. */
const githubOnlyContexts: Readonly<Record<string, string>> = {
  strategy: 'use matrix for the values of a cell',
};

type Report = (code: string, offset: number, message: string) => void;

/** Every `${{ }}`: syntax, contexts allowed at its place, and the inputs, steps, needs and matrix keys it names. */
export function checkExpressions(input: CheckInput): void {
  for (const field of expressionFields(input)) checkField(field, input);
}

function checkField(field: ExpressionField, input: CheckInput): void {
  const { index, sink } = input;
  // Looked up only for a problem: most fields have none.
  const positionOf = (offset: number): Position => {
    const scalar = index.node(field.path);
    return scalar?.kind === 'scalar' ? positionInScalar(scalar, offset) : index.valuePos(field.path);
  };
  const reported = new Set<string>();
  const report: Report = (code, offset, message) => {
    if (reported.has(code + message)) return;
    reported.add(code + message);
    sink.report(code, positionOf(offset), field.path, `${field.path}: ${message}`);
  };

  if (field.condition && isStringConditionSafe(field.text)) {
    const message = `${field.path}: text around \${{ }} (even a space or a block scalar's newline) makes this condition a string, which is always true (as on GitHub); put the whole condition inside one \${{ }} with nothing around it`;
    sink.warn('if-always-true', positionOf(0), field.path, message);
  }
  for (const { ast, base } of parseField(field, report)) {
    const at: Report = (code, offset, message) => report(code, base + offset, message);
    walk(ast, (node) => checkNode(node, field, input, at));
    checkNamedContexts(ast, field, input, at);
    checkRunnerSide(ast, field, at);
  }
}

/**
 * An expression reading a field only the runner knows is evaluated by the runner
 * (lib/model/runner-side.ts): only where the runner gets the value (a run step's run, env and
 * working-directory), and reading only what the runner has (github without event, runner).
 */
function checkRunnerSide(ast: ExprNode, field: ExpressionField, report: Report): void {
  const reads = runnerOnlyReads(ast);
  const first = reads[0];
  if (first === undefined) return;
  const name = (read: (typeof reads)[number]): string => (read.member === undefined ? read.context : `${read.context}.${read.member}`);
  // Run steps' run, env and working-directory; an action's env and with (its inputs are env variables).
  const kind = field.step?.kind;
  const onRunner = (kind === 'run' || kind === 'action') && field.place === 'step' && (field.role !== undefined || field.path.endsWith('.working-directory'));
  if (!onRunner) {
    for (const read of reads) {
      report(
        'runner-only-field',
        read.start,
        `${name(read)} is known only on the job cell's runner: read it in a run step's run, env or working-directory, or an action's with (or in the script as $RUNNER_TEMP, $RUNNER_TOOL_CACHE, $RUNNER_ARCH, $RUNNER_NAME, $GITHUB_WORKSPACE), not here`,
      );
    }
    return;
  }
  const others = [...referencedContexts(ast).contexts].filter((context) => !runnerSideContexts.includes(context)).sort();
  let event: number | undefined;
  walk(ast, (node) => {
    if (node.kind === 'property' && node.name.toLowerCase() === 'event' && node.object.kind === 'context' && node.object.name.toLowerCase() === 'github') event ??= node.start;
  });
  if (others.length > 0 || event !== undefined) {
    const read = others.length > 0 ? `it reads ${others.map((context) => `'${context}'`).join(', ')}` : 'it reads github.event';
    report(
      'runner-side-expression',
      event ?? first.start,
      `an expression that reads ${name(first)} is evaluated on the job cell's runner, which has only the github (without event) and runner contexts, and ${read}: write them as separate \${{ }}, e.g. \${{ runner.temp }}/\${{ matrix.region }}`,
    );
  }
}

/** The expressions of a field that parse; each one that does not is reported. */
function parseField(field: ExpressionField, report: Report): readonly { ast: ExprNode; base: number }[] {
  const { parsed, errors } = fieldExpressions(field);
  for (const { error, base } of errors) {
    if (error.reason.startsWith('hashFiles()')) report('unsupported-key', base + error.offset, `${error.reason}; remove hashFiles`);
    else report('expression-syntax', base + error.offset, `invalid expression: ${error.reason}`);
  }
  return parsed;
}

function isStringConditionSafe(text: string): boolean {
  try {
    return isStringCondition(text);
  } catch (error) {
    if (error instanceof ExpressionError) return false; // reported as expression-syntax
    throw error;
  }
}

function checkNode(node: ExprNode, field: ExpressionField, input: CheckInput, report: Report): void {
  if (node.kind === 'call' && !field.condition && (statusFunctions as readonly string[]).includes(node.name)) {
    report('status-function-outside-if', node.start, `${node.name}() can only be used in an if condition`);
  } else if (node.kind === 'call' && node.args.length > 0 && (node.name === 'success' || node.name === 'failure')) {
    checkStatusArguments(node, field, report);
  }
  if (node.kind === 'context') checkContext(node.name, node.start, field, input, report);
  if (node.kind === 'property') checkNeedOutput(node, field, input, report);
  if ((node.kind === 'property' || node.kind === 'index') && node.object.kind === 'context') {
    const member = node.kind === 'property' ? node.name : literalString(node.index);
    if (member !== undefined) checkMember(node.object.name.toLowerCase(), member, node.start, field, input, report);
  }
}

/** `needs.<job>.outputs.<name>`: the job must declare that output (an undeclared one is always empty, as on GitHub). */
function checkNeedOutput(node: PropertyNode, field: ExpressionField, input: CheckInput, report: Report): void {
  const outputs = node.object;
  if (outputs.kind !== 'property' || outputs.name.toLowerCase() !== 'outputs') return;
  const need = outputs.object;
  const id = need.kind === 'property' ? need.name : need.kind === 'index' ? literalString(need.index) : undefined;
  if (id === undefined || (need.kind !== 'property' && need.kind !== 'index') || need.object.kind !== 'context' || need.object.name.toLowerCase() !== 'needs') return;
  if (!field.job?.needs.some((name) => name.toLowerCase() === id.toLowerCase())) return; // reported as unknown-need-context
  const job = input.workflow.jobs.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
  // A called workflow that could not be read has its own problem: its outputs are unknown.
  if (job === undefined || (job.uses !== undefined && job.uses.outputsKnown !== true)) return;
  const declared = Object.keys(job.outputs);
  if (declared.some((name) => name.toLowerCase() === node.name.toLowerCase())) return;
  const hint = didYouMean(node.name, declared) || (declared.length === 0 ? ` (job '${job.id}' declares no outputs)` : ` (outputs: ${declared.join(', ')})`);
  report('unknown-need-output', node.start, `needs.${id}.outputs.${node.name}: job '${job.id}' declares no output '${node.name}' under jobs.${job.id}.outputs${hint}`);
}

/** `success('build')`, `failure('build')`: only a job's if names needs, as on GitHub; each must be a need. */
function checkStatusArguments(node: CallNode, field: ExpressionField, report: Report): void {
  const job = field.job;
  if (field.place !== 'job-if' || !job) {
    report('status-function-arguments', node.start, `${node.name}() takes no arguments here; only a job's if names needs, as in ${node.name}('build')`);
    return;
  }
  for (const arg of node.args) {
    const id = literalString(arg);
    if (id === undefined || job.needs.some((need) => need.toLowerCase() === id.toLowerCase())) continue;
    const hint = didYouMean(id, job.needs) || (job.needs.length === 0 ? ` (job '${job.id}' has no needs)` : ` (needs: ${job.needs.join(', ')})`);
    report('unknown-need-context', arg.start, `${node.name}('${id}'): job '${id}' is not in jobs.${job.id}.needs${hint}`);
  }
}

function checkContext(written: string, offset: number, field: ExpressionField, input: CheckInput, report: Report): void {
  const name = written.toLowerCase();
  if (!knownContexts.includes(name)) {
    const hint = githubOnlyContexts[name] ?? (didYouMean(name, knownContexts) || `contexts are ${knownContexts.join(', ')}`);
    report('unknown-context', offset, `unknown context '${written}': ${hint.replace(/^ — /, '')}`);
    return;
  }
  // Where a secret may go is its own rule (validate/secrets.ts).
  if (name === 'secrets') return;
  const allowed = allowedContexts[field.place];
  if (!allowed.includes(name)) {
    report('unknown-context', offset, `context '${name}' is not available in ${placeNames[field.place]} (available there: ${allowed.join(', ')})`);
    return;
  }
  const job = field.job;
  if (!job) return;
  const jobHasMatrix = (): boolean => job.strategy !== undefined || input.index.node(keyPath(keyPath('jobs', job.id), 'strategy')) !== undefined;
  if (name === 'matrix' && !jobHasMatrix()) {
    report('unknown-context', offset, `context 'matrix' is not available: job '${job.id}' has no strategy.matrix`);
  }
  if (name === 'needs' && job.needs.length === 0) {
    report('unknown-context', offset, `context 'needs' is not available: job '${job.id}' has no needs`);
  }
}

function checkMember(context: string, member: string, offset: number, field: ExpressionField, input: CheckInput, report: Report): void {
  const job = field.job;
  const lower = member.toLowerCase();
  const find = (names: readonly string[]): string | undefined => names.find((name) => name.toLowerCase() === lower);
  if (context === 'inputs') {
    const { on } = input.workflow;
    const declared = [...(on.workflowDispatch?.inputs ?? []), ...(on.workflowCall?.inputs ?? [])].map((item) => item.id);
    if (find(declared) === undefined) {
      const hint = didYouMean(member, declared) || (declared.length === 0 ? ' (no inputs are declared)' : ` (inputs: ${declared.join(', ')})`);
      const under = on.workflowCall === undefined ? 'on.workflow_dispatch.inputs' : on.workflowDispatch === undefined ? 'on.workflow_call.inputs' : 'on.workflow_dispatch.inputs or on.workflow_call.inputs';
      report('unknown-input', offset, `inputs.${member}: no input '${member}' is declared under ${under}${hint}`);
    }
  } else if (context === 'jobs' && field.place === 'call-outputs') {
    const ids = input.workflow.jobs.map((item) => item.id);
    if (find(ids) === undefined) report('unknown-job', offset, `jobs.${member}: no job '${member}' in this workflow${didYouMean(member, ids) || ` (jobs: ${ids.join(', ')})`}`);
  } else if (context === 'needs' && job && job.needs.length > 0 && allowedContexts[field.place].includes('needs')) {
    if (find(job.needs) === undefined) {
      const hint = didYouMean(member, job.needs) || ` (needs: ${job.needs.join(', ')})`;
      report('unknown-need-context', offset, `needs.${member}: job '${member}' is not in jobs.${job.id}.needs${hint}`);
    }
  } else if (context === 'matrix' && job?.strategy && allowedContexts[field.place].includes('matrix')) {
    const keys = matrixKeys(job.strategy.matrix);
    if (keys !== undefined && find(keys) === undefined) {
      const hint = didYouMean(member, keys) || ` (matrix keys: ${keys.join(', ')})`;
      report('unknown-matrix-key', offset, `matrix.${member}: '${member}' is not a key of the matrix of job '${job.id}'${hint}`);
    }
  } else if ((context === 'github' || context === 'runner') && allowedContexts[field.place].includes(context)) {
    const problem = contextFieldProblem(context, member);
    if (problem !== undefined) report('unknown-context', offset, problem);
  } else if (context === 'steps' && job && allowedContexts[field.place].includes('steps')) {
    const problem = stepReferenceProblem(job, field.step, member);
    if (problem !== undefined) report('unknown-step', offset, `steps.${member}: ${problem}`);
  }
}

/** The keys a cell of the matrix has; undefined when an expression decides them (any key may exist then). */
function matrixKeys(matrix: Matrix | DynamicMatrix): readonly string[] | undefined {
  if (isDynamicMatrix(matrix)) return matrix.keys;
  return [...new Set([...Object.keys(matrix.dimensions), ...matrix.include.flatMap((entry) => Object.keys(entry))])];
}

/** Why `github.<field>` / `runner.<field>` has no value here (GitHub's names are case-insensitive). */
function contextFieldProblem(context: 'github' | 'runner', member: string): string | undefined {
  const lower = member.toLowerCase();
  const fields = Object.keys(context === 'github' ? githubFields : runnerFields);
  const field = fields.find((name) => name.toLowerCase() === lower);
  if (field !== undefined) return undefined;
  const reason = context === 'github' ? Object.entries(unsupportedGithubFields).find(([field]) => field.toLowerCase() === lower)?.[1] : undefined;
  if (reason !== undefined) return `${context}.${member} is not available: ${reason}`;
  const hint = didYouMean(member, fields) || ` (fields: ${fields.join(', ')})`;
  return `${context}.${member}: no such field of the ${context} context${hint}`;
}

/** Why `steps.<id>` cannot be read from `step` (or from the job's outputs when `step` is undefined). */
function stepReferenceProblem(job: Job, step: Step | undefined, member: string): string | undefined {
  const lower = member.toLowerCase();
  const position = step ? job.steps.indexOf(step) : job.steps.length;
  const groups = parallelGroups(job.steps);
  const available: string[] = [];
  let reason: string | undefined;
  job.steps.forEach((candidate, index) => {
    if (!candidate.hasExplicitId) return;
    let unavailable: string | undefined;
    if (index === position) unavailable = 'that is this step itself';
    else if (index > position) unavailable = `step '${candidate.id}' runs after this step`;
    else if (step && groups[index] === groups[position]) unavailable = `step '${candidate.id}' runs in parallel with this step (parallel: true)`;
    if (unavailable === undefined) available.push(candidate.id);
    if (candidate.id.toLowerCase() === lower) reason = unavailable ?? '';
  });
  if (reason === '') return undefined;
  if (reason !== undefined) return `not available: ${reason}`;
  const hint = didYouMean(member, available) || (available.length === 0 ? '' : ` (available: ${available.join(', ')})`);
  return step
    ? `no step with id '${member}' runs before this step in job '${job.id}'${hint}`
    : `no step in job '${job.id}' has id '${member}'${hint}`;
}

/** Group number of each step: a `parallel: true` step shares the group of the step before it. */
function parallelGroups(steps: readonly Step[]): number[] {
  let group = 0;
  return steps.map((step, index) => (index > 0 && !step.parallel ? ++group : group));
}

function literalString(node: ExprNode): string | undefined {
  return node.kind === 'literal' && typeof node.value === 'string' ? node.value : undefined;
}

function walk(node: ExprNode, visit: (node: ExprNode) => void): void {
  visit(node);
  switch (node.kind) {
    case 'property':
    case 'filter':
      return walk(node.object, visit);
    case 'index':
      walk(node.object, visit);
      return walk(node.index, visit);
    case 'not':
      return walk(node.operand, visit);
    case 'comparison':
      walk(node.left, visit);
      return walk(node.right, visit);
    case 'logical':
      return node.operands.forEach((operand) => walk(operand, visit));
    case 'call':
      return node.args.forEach((arg) => walk(arg, visit));
    default:
      return;
  }
}
