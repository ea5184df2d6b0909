import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liftScriptExpressions } from '../../lib/asl/script-expressions';
import { lambdaServiceRetry } from '../../lib/asl/retries';
import type { MapState, ParallelState, PassState, TaskState } from '../../lib/asl/types';
import { allStates, fixture, renderFile, stateNamed } from './render-helpers';

describe('renderDefinition', () => {
  it('nests a series-parallel DAG into Parallel states: staging and qa start together after build', async () => {
    const { definition } = await renderFile(fixture('diamond'));
    const top = Object.keys(definition.States);
    expect(top.slice(0, 5)).toEqual(['Start run', 'build', 'Parallel 1: staging, qa', 'Parallel 1: staging, qa: merge', 'production']);
    const together = definition.States['Parallel 1: staging, qa'] as ParallelState;
    expect(together.Branches.map((branch) => branch.StartAt)).toEqual(['staging', 'qa']);
    // Each branch ends with its needs only; the run's data (the event) is not copied per branch.
    expect(together.ResultPath).toBe('$.branches');
    expect(together.Branches.map((branch) => (branch.States[branch.StartAt] as ParallelState).OutputPath)).toEqual(['$.needs', '$.needs']);
    expect((definition.States['Parallel 1: staging, qa: merge'] as PassState).Parameters).toEqual({
      'run.$': '$.run',
      'needs.$': 'States.JsonMerge($.branches[0], $.branches[1], false)',
    });
    expect(JSON.stringify(definition)).not.toContain('needs.wait');
  });

  it('runs a DAG that is not series-parallel as one Parallel, each job waiting for exactly its own needs', async () => {
    const { definition } = await renderFile(fixture('n-shape'));
    const jobs = definition.States['All jobs'] as ParallelState;
    expect(jobs.Branches.map((branch) => branch.StartAt)).toEqual(['a', 'b', 'c: wait for needs', 'd: wait for needs']);
    const waitC = stateNamed(definition, 'c: wait for needs') as TaskState;
    expect(waitC.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect((waitC.Parameters!.Payload as Record<string, unknown>).needs).toEqual(['a', 'b']);
    const waitD = stateNamed(definition, 'd: wait for needs') as TaskState;
    expect((waitD.Parameters!.Payload as Record<string, unknown>).needs).toEqual(['b']);
    expect(stateNamed(definition, 'b: publish')).toMatchObject({ Type: 'Task', End: true });
  });

  it('fans a matrix out over a Map with MaxConcurrency, and fail-fast fails the iteration', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const map = stateNamed(definition, 'deploy') as MapState;
    expect(map.MaxConcurrency).toBe(2);
    expect(stateNamed(definition, 'deploy: matrix')).toMatchObject({
      Type: 'Pass',
      Result: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
    });
    expect(map.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'deploy: failed fast' }]);
    // The cells about to be stopped run no stop runner state of their own: the failed cell stops their runners first.
    expect(stateNamed(definition, 'deploy: fail fast?')).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.result', StringEquals: 'failure', Next: 'deploy: stop other runners' }],
    });
    expect(stateNamed(definition, 'deploy: stop other runners')).toMatchObject({
      Type: 'Task',
      Parameters: { Payload: { op: 'runners.stop', job: 'deploy' } },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'deploy: stop other cells' }],
      Next: 'deploy: stop other cells',
    });
    expect(stateNamed(definition, 'deploy: stop other cells')).toMatchObject({ Type: 'Fail', Error: 'FailFast' });
  });

  it('expands a dynamic matrix as its job starts, then maps over the cells it returned', async () => {
    const { definition } = await renderFile(join(import.meta.dirname, '../fixtures/e2e-matrix/dynamic-matrix.yml'));
    const expansion = stateNamed(definition, 'deploy: matrix') as TaskState;
    expect(expansion.Parameters!.Payload).toEqual({
      op: 'job.matrix',
      job: 'deploy',
      needs: ['setup'],
      matrix: JSON.stringify('${{ fromJSON(needs.setup.outputs.matrix) }}'),
      failFast: true,
      'context.$': '$',
    });
    expect(expansion).toMatchObject({
      ResultPath: '$.expansion',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.matrixError', Next: 'deploy: matrix failed' }],
      Next: 'deploy: matrix?',
    });
    expect(stateNamed(definition, 'deploy: matrix?')).toMatchObject({ Choices: [{ Variable: '$.expansion.run', BooleanEquals: true, Next: 'deploy' }], Default: 'deploy: matrix skipped' });
    expect(stateNamed(definition, 'deploy: matrix skipped')).toMatchObject({ Parameters: { result: 'skipped', outputs: {}, 'upstream.$': '$.expansion.upstream' }, ResultPath: "$.needs['deploy']" });
    expect(stateNamed(definition, 'deploy: matrix failed')).toMatchObject({ Result: { result: 'failure', outputs: {}, upstream: 'failure' }, ResultPath: "$.needs['deploy']" });
    const map = stateNamed(definition, 'deploy') as MapState;
    expect(map).toMatchObject({ ItemsPath: '$.expansion.cells', MaxConcurrency: 2 });
    // fail-fast and max-parallel as expressions: evaluated with the matrix, read by the Map and each cell's end.
    const errors = (await renderFile(join(import.meta.dirname, '../fixtures/e2e-matrix/dynamic-matrix-errors.yml'))).definition;
    expect(stateNamed(errors, 'one-at-a-time')).toMatchObject({ MaxConcurrencyPath: '$.expansion.maxParallel', ItemsPath: '$.expansion.cells', ItemSelector: { 'failFast.$': '$.expansion.failFast' } });
    expect(stateNamed(errors, 'one-at-a-time: fail fast?')).toMatchObject({
      Choices: [{ And: [{ Variable: '$.result', StringEquals: 'failure' }, { Variable: '$.failFast', BooleanEquals: true }], Next: 'one-at-a-time: stop other runners' }],
    });
    expect(JSON.parse(((stateNamed(errors, 'one-at-a-time: matrix') as TaskState).Parameters!.Payload as { matrix: string }).matrix)).toEqual({ n: [1, 2, 3] });
    // A key ending in `.$` stays data: the matrix travels as JSON text.
    const perKey = (stateNamed(definition, 'per-key: matrix') as TaskState).Parameters!.Payload as Record<string, unknown>;
    expect(JSON.parse(perKey.matrix as string)).toMatchObject({ zone: '${{ fromJSON(needs.setup.outputs.regions) }}', stage: ['${{ inputs.stage }}', 'dev'] });
  });

  it('never pastes an expression into a script: values arrive as environment variables', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const run = stateNamed(definition, 'deploy.injected: run') as TaskState;
    const payload = run.Parameters!.Payload as Record<string, unknown>;
    expect(payload.script).toContain('echo "deploying ${STEPDEPLOY_EXPR_1} to ${STEPDEPLOY_EXPR_2}" && echo "${STEPDEPLOY_EXPR_1}"');
    expect(JSON.stringify(run.Parameters)).not.toContain('${{');
    expect(payload['env.$']).toBe('$.prepared.env');
    const prepare = stateNamed(definition, 'deploy.injected: prepare') as TaskState;
    expect((prepare.Parameters!.Payload as Record<string, unknown>).env).toEqual({
      STEPDEPLOY_EXPR_1: '${{ inputs.version }}',
      STEPDEPLOY_EXPR_2: '${{ matrix.region }}',
    });
  });

  it('steps out of single quotes so an expression there still arrives, as a variable', () => {
    expect(liftScriptExpressions("echo 'region: ${{ matrix.region }}' \"${{ matrix.region }}\"")).toEqual({
      script: `echo 'region: '"\${STEPDEPLOY_EXPR_1}"'' "\${STEPDEPLOY_EXPR_1}"`,
      expressions: { STEPDEPLOY_EXPR_1: '${{ matrix.region }}' },
    });
  });

  it('maps timeout-minutes to TimeoutSeconds (bounded by the job) and retry to Retry', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const injected = stateNamed(definition, 'deploy.injected: run') as TaskState;
    expect(injected.TimeoutSeconds).toBe(300);
    // The dispatch's Lambda service errors first, then the step's own retry (which also covers a dead runner);
    // the workflow has an always() step, so a cancelled step (error Cancelled) is not retried.
    expect(injected.Retry).toEqual([lambdaServiceRetry, { ErrorEquals: ['Cancelled'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 2, BackoffRate: 2 }]);
    expect((stateNamed(definition, 'deploy.plain: run') as TaskState).TimeoutSeconds).toBe(1800);
  });

  it('routes a plain step straight to the next on success, and to skip states after a failure', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const plain = stateNamed(definition, 'deploy.plain: run') as TaskState;
    expect(plain.Next).toBe('deploy.injected: prepare');
    expect(plain.Catch).toEqual([
      { ErrorEquals: ['Cancelled'], ResultPath: "$.steps['plain']", Next: 'deploy.plain: cancelled' },
      { ErrorEquals: ['States.ALL'], ResultPath: "$.steps['plain']", Next: 'deploy.plain: failed' },
    ]);
    expect(stateNamed(definition, 'deploy.plain: failed')).toMatchObject({ Result: 'failure', ResultPath: '$.job.status' });
    // The run was cancelled (its runner stopped the step): the job is cancelled, and goes on the way a failure does.
    expect(stateNamed(definition, 'deploy.plain: cancelled')).toEqual({ Type: 'Pass', Result: 'cancelled', ResultPath: '$.job.status', Next: (stateNamed(definition, 'deploy.plain: failed') as { Next: string }).Next });
  });

  it('continue-on-error records the failure and goes on as if the step succeeded', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const flaky = stateNamed(definition, 'deploy.flaky: run') as TaskState;
    expect(flaky.Catch).toEqual([
      { ErrorEquals: ['Cancelled'], ResultPath: "$.steps['flaky']", Next: 'deploy.flaky: cancelled' },
      { ErrorEquals: ['States.ALL'], ResultPath: "$.steps['flaky']", Next: 'deploy.flaky: continued' },
    ]);
    expect(stateNamed(definition, 'deploy.flaky: continued')).toEqual({
      Type: 'Pass',
      Comment: 'continue-on-error: the job goes on as if the step had succeeded.',
      Result: true,
      ResultPath: "$.steps['flaky'].continued",
      Next: flaky.Next,
    });
  });

  it('evaluates an if: with the status so far (always() runs after a failure)', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const prepare = stateNamed(definition, 'deploy.cleanup: prepare') as TaskState;
    expect((prepare.Parameters!.Payload as Record<string, unknown>).if).toBe('always()');
    expect(stateNamed(definition, 'deploy.cleanup: if')).toMatchObject({
      Choices: [{ Variable: '$.prepared.run', BooleanEquals: true, Next: 'deploy.cleanup: run' }],
      Default: 'deploy.cleanup: skipped',
    });
  });

  it('renders no cancel handling for a workflow where nothing runs on cancel (it is stopped instead)', async () => {
    const { definition } = await renderFile(fixture('diamond'));
    const text = JSON.stringify(definition);
    expect(text).not.toContain('Cancelled');
    expect(text).not.toContain('cancellable');
  });

  it('marks the run steps of a cancellable workflow that run on cancel, and lets its job starts read the cancel marker', async () => {
    const { definition } = await renderFile(fixture('steps'));
    const payloadOf = (name: string) => ((stateNamed(definition, name) as TaskState).Parameters!.Payload as Record<string, unknown>);
    expect(payloadOf('deploy.cleanup: run').runsOnCancel).toBe(true);
    expect(payloadOf('deploy.plain: run').runsOnCancel).toBeUndefined();
    expect(payloadOf('deploy: start').cancellable).toBe(true);
  });

  it('gives every state a unique name of at most 80 characters and leaves no state unreachable', async () => {
    for (const name of ['steps', 'diamond', 'n-shape']) {
      const { definition } = await renderFile(fixture(name));
      const names = allStates(definition).map(([stateName]) => stateName);
      expect(new Set(names).size).toBe(names.length);
      for (const stateName of names) expect(stateName.length).toBeLessThanOrEqual(80);
    }
  });

  it('is deterministic: the same workflow renders byte-identical JSON', async () => {
    const first = JSON.stringify((await renderFile(fixture('steps'))).definition);
    const second = JSON.stringify((await renderFile(fixture('steps'))).definition);
    expect(second).toBe(first);
  });
});
