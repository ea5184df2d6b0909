import type { ExpressionPlace } from '../contexts';
import { hasExpression } from '../../expressions';
import { itemPath, keyPath } from '../source-index';
import { isDynamicMatrix, type Job, type Json, type Step, type Workflow } from '../workflow';
import type { CheckInput } from './check';
import type { Writable } from '../writable';

/** One field that may hold expressions, with where it is and what it may read. */
export interface ExpressionField {
  readonly path: string;
  readonly text: string;
  readonly place: ExpressionPlace;
  /** `if:` fields: `${{ }}` is optional and status functions are allowed. */
  readonly condition: boolean;
  /** `env` values and `run` scripts: the only fields a secret may reach (validate/secrets.ts). */
  readonly role?: 'env' | 'run';
  readonly job?: Job;
  readonly step?: Step;
}

// Listed once per load: the validator checks the fields, then the load reads the names they use.
const listed = new WeakMap<Workflow, { readonly stepPaths: CheckInput['stepPaths']; readonly index: CheckInput['index']; readonly fields: readonly ExpressionField[] }>();

/** Every expression-bearing field of the workflow, in file order. */
export function expressionFields(input: Pick<CheckInput, 'workflow' | 'stepPaths' | 'index'>): readonly ExpressionField[] {
  const known = listed.get(input.workflow);
  if (known !== undefined && known.stepPaths === input.stepPaths && known.index === input.index) return known.fields;
  const fields = listFields(input);
  listed.set(input.workflow, { stepPaths: input.stepPaths, index: input.index, fields });
  return fields;
}

function listFields({ workflow, stepPaths, index }: Pick<CheckInput, 'workflow' | 'stepPaths' | 'index'>): ExpressionField[] {
  const fields: ExpressionField[] = [];
  // A field without `${{ }}` holds no expression (only a condition is one as a whole): not listed, and
  // its path is never built (most fields of a big workflow are plain text).
  const add: Add = (parent, key, text, place, scope, kind) => {
    if (typeof text !== 'string' || (kind !== CONDITION && !hasExpression(text))) return;
    const path = keyPath(parent, key);
    const field: Writable<ExpressionField> = { path, text, place, condition: kind === CONDITION };
    if (kind !== undefined && kind !== CONDITION) field.role = kind;
    if (scope.job !== undefined) field.job = scope.job;
    if (scope.step !== undefined) field.step = scope.step;
    fields.push(field);
  };
  add('', 'run-name', workflow.runName, 'workflow', {});
  addEnv(add, 'env', workflow.env, 'workflow', {});
  add('', 'defaults.run.working-directory', workflow.defaults.workingDirectory, 'workflow', {});
  const addConcurrency = (path: string, owner: Workflow | Job, place: ExpressionPlace, scope: Pick<ExpressionField, 'job' | 'step'>): void => {
    if (!owner.concurrency) return;
    // The short form `concurrency: group` has the group at the concurrency key itself.
    if (index.node(path)?.kind === 'scalar') add('', path, owner.concurrency.group, place, scope);
    else add(path, 'group', owner.concurrency.group, place, scope);
    add(path, 'cancel-in-progress', owner.concurrency.cancelInProgress, place, scope);
  };
  addConcurrency('concurrency', workflow, 'workflow', {});
  for (const [name, value] of Object.entries(workflow.on.workflowCall?.outputs ?? {})) add(`on.workflow_call.outputs.${name}`, 'value', value, 'call-outputs', {});
  for (const job of workflow.jobs) {
    const jobPath = keyPath('jobs', job.id);
    const scope = { job };
    add(jobPath, 'name', job.name, 'job', scope);
    add(jobPath, 'runs-on', job.runsOn.expression, 'job', scope);
    add(jobPath, 'defaults.run.working-directory', job.defaults.workingDirectory, 'job', scope);
    add(jobPath, 'if', job.if, 'job-if', scope, CONDITION);
    const matrix = job.strategy?.matrix;
    if (matrix !== undefined && isDynamicMatrix(matrix)) addJson(add, keyPath(keyPath(jobPath, 'strategy'), 'matrix'), matrix.template, 'matrix', scope);
    add(jobPath, 'strategy.fail-fast', job.strategy?.expressions?.failFast, 'matrix', scope);
    add(jobPath, 'strategy.max-parallel', job.strategy?.expressions?.maxParallel, 'matrix', scope);
    addEnv(add, keyPath(jobPath, 'env'), job.env, 'job', scope);
    addConcurrency(keyPath(jobPath, 'concurrency'), job, 'job', scope);
    if (job.environment) {
      const environmentPath = keyPath(jobPath, 'environment');
      const short = index.node(environmentPath)?.kind === 'scalar';
      if (short) add('', environmentPath, job.environment.name, 'job', scope);
      else add(environmentPath, 'name', job.environment.name, 'job', scope);
      add(environmentPath, 'url', job.environment.url, 'job-outputs', scope);
    }
    add(jobPath, 'continue-on-error', job.continueOnError, 'job', scope);
    for (const [name, value] of Object.entries(job.outputs)) add(keyPath(jobPath, 'outputs'), name, value, 'job-outputs', scope);
    for (const [name, value] of Object.entries(job.uses?.with ?? {})) add(keyPath(jobPath, 'with'), name, typeof value === 'string' ? value : undefined, 'call-with', scope);
    for (const step of job.steps) {
      const stepPath = stepPaths.get(step);
      if (stepPath === undefined) continue;
      const stepScope = { job, step };
      add(stepPath, 'name', step.name, 'step', stepScope);
      add(stepPath, 'if', step.if, 'step', stepScope, CONDITION);
      addEnv(add, keyPath(stepPath, 'env'), step.env, 'step', stepScope);
      add(stepPath, 'continue-on-error', step.continueOnError, 'step', stepScope);
      if (step.kind === 'run') {
        add(stepPath, 'run', step.run, 'step', stepScope, 'run');
        // An inherited defaults.run.working-directory is checked where it is written.
        if (step.workingDirectory !== undefined && hasExpression(step.workingDirectory)) {
          const directoryPath = keyPath(stepPath, 'working-directory');
          if (index.node(directoryPath) !== undefined) add('', directoryPath, step.workingDirectory, 'step', stepScope);
        }
      } else if (step.kind === 'action') {
        // Inputs reach the action as environment variables: a secret may be one, as in env.
        for (const [name, value] of Object.entries(step.with)) add(keyPath(stepPath, 'with'), name, value, 'step', stepScope, 'env');
      } else if (step.kind === 'lambda') {
        const withPath = keyPath(stepPath, 'with');
        add(withPath, 'function', step.function, 'step', stepScope);
        addJson(add, keyPath(withPath, 'payload'), step.payload, 'step', stepScope);
      }
    }
  }
  return fields;
}

/** An `if:` field: an expression as a whole, `${{ }}` or not. */
const CONDITION = 'condition';

/**
 * Lists `parent.key` when `text` may hold an expression, with its job and step (`scope`) and what
 * kind of field it is: a condition, an env value or a run script (ExpressionField.role).
 */
type Add = (
  parent: string,
  key: string,
  text: string | boolean | undefined,
  place: ExpressionPlace,
  scope: Pick<ExpressionField, 'job' | 'step'>,
  kind?: typeof CONDITION | NonNullable<ExpressionField['role']>,
) => void;

function addEnv(add: Add, path: string, env: Readonly<Record<string, string>>, place: ExpressionPlace, scope: Pick<ExpressionField, 'job' | 'step'>): void {
  for (const [name, value] of Object.entries(env)) add(path, name, value, place, scope, 'env');
}

function addJson(add: Add, path: string, value: Json, place: ExpressionPlace, scope: Pick<ExpressionField, 'job' | 'step'>): void {
  if (typeof value === 'string') add('', path, value, place, scope);
  else if (Array.isArray(value)) value.forEach((item: Json, position: number) => addJson(add, itemPath(path, position), item, place, scope));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) addJson(add, keyPath(path, key), item as Json, place, scope);
  }
}
