import { describe, expect, it } from 'vitest';
import { evaluateOp } from '../../../lib/runtime/evaluate';
import { withLookups } from '../../../lib/runtime/evaluate/with-lookups';
import type { CellData, RunData } from '../../../lib/runtime/evaluate/data';
import type { WorkflowInput } from '../../../lib/model/workflow';

const execution = { Id: 'arn:aws:states:us-east-1:000000000000:execution:stepdeploy-demo:run-1', Name: 'run-1', StartTime: '2026-11-21T10:00:00.000Z' };
const declared: WorkflowInput[] = [
  { id: 'version', type: 'string', required: true },
  { id: 'region', type: 'choice', required: false, default: 'us-east-1', options: ['us-east-1', 'eu-west-1'] },
];

function start(input: unknown, extra: Record<string, unknown> = {}) {
  return evaluateOp({ op: 'run.start', workflow: { id: 'demo', name: 'demo' }, inputs: declared, env: { TARGET: 'app-${{ inputs.version }}' }, input, execution, ...extra } as never) as {
    run: RunData;
    needs: Record<string, unknown>;
  };
}

const noStores = { parameters: async () => ({}), secretExists: async () => false } as never;
const b64 = (text: string) => Buffer.from(text).toString('base64');

function cell(overrides: Partial<CellData> = {}): CellData {
  const { run } = start({ inputs: { version: '1.2.3' } });
  return { run, needs: {}, steps: {}, ...overrides };
}

describe('run.start', () => {
  it('applies defaults, evaluates env and exposes the execution', () => {
    const { run, needs } = start({ inputs: { version: '1.2.3' }, event: { trigger: 'api' } });
    expect(run.inputs).toEqual({ version: '1.2.3', region: 'us-east-1' });
    expect(run.env).toEqual({ TARGET: 'app-1.2.3' });
    expect(run.execution).toEqual({ id: execution.Id, name: 'run-1', startTime: execution.StartTime });
    expect(run.event).toEqual({ trigger: 'api' });
    expect(needs).toEqual({});
  });

  it('rejects input the console let through, naming every mistake', () => {
    expect(() => start({ inputs: { region: 'mars', verison: '1' } })).toThrowError(
      expect.objectContaining({ name: 'InvalidInput', message: expect.stringContaining("input 'version' is required") }),
    );
    expect(() => start({ inputs: { version: '1' }, extra: 1 })).toThrowError(
      "execution input: unknown key 'extra' (expected { \"inputs\": {…}, \"event\": {…}, \"source\": {…} })",
    );
    expect(() => start({ inputs: { version: '1' }, source: { sha: 'main' } })).toThrowError("execution input: source.sha: 'main' is not a commit SHA");
    expect(() => start({ inputs: { version: '1' }, source: { ref: 'main' } })).toThrowError(
      "execution input: source.ref: 'main' is not a full ref (refs/heads/<branch>, refs/tags/<tag>)",
    );
    expect(() => start({ inputs: { version: '1' }, source: { branch: 'x' } })).toThrowError("execution input: source: unknown key 'branch' (expected sha, ref, repository, actor, snapshot)");
  });

  it('fills the github context of an API start from the source it gives, event_name workflow_dispatch', () => {
    const sha = 'a'.repeat(40);
    const { run } = start(
      { inputs: { version: '1' }, source: { sha, ref: 'refs/heads/main', repository: 'acme/app', actor: 'ada' } },
      { runName: 'Deploy ${{ inputs.version }} of ${{ github.ref_name }} by ${{ github.actor }}' },
    );
    expect(run.runName).toBe('Deploy 1 of main by ada');
    expect(run.github).toEqual({
      sha,
      ref: 'refs/heads/main',
      ref_name: 'main',
      ref_type: 'branch',
      ref_protected: false,
      repository: 'acme/app',
      repository_owner: 'acme',
      actor: 'ada',
      triggering_actor: 'ada',
      event_name: 'workflow_dispatch',
      run_id: 'run-1',
      run_number: 1,
      run_attempt: 1,
      workflow: 'demo',
      workflow_sha: sha,
      server_url: 'https://github.com',
      api_url: 'https://api.github.com',
      graphql_url: 'https://api.github.com/graphql',
      head_ref: '',
      base_ref: '',
      retention_days: 90,
    });
    expect(start({ inputs: { version: '1' } }).run.runName).toBe('demo');
  });

  it('fills it from the push of a webhook start, over any source, and a tag push is ref_type tag', () => {
    const push = { trigger: 'push', delivery: 'd-1', ref: 'refs/tags/v2', before: '0'.repeat(40), after: 'b'.repeat(40), repository: 'acme/app', pusher: { name: 'grace' }, headCommit: null };
    const { run } = start({ inputs: { version: '1' }, event: push }, { env: { WHO: '${{ github.actor }}@${{ github.sha }}', HEAD: '${{ github.event.after }}' } });
    expect(run.github).toMatchObject({ event_name: 'push', sha: 'b'.repeat(40), ref: 'refs/tags/v2', ref_name: 'v2', ref_type: 'tag', actor: 'grace' });
    expect(run.env).toEqual({ WHO: `grace@${'b'.repeat(40)}`, HEAD: 'b'.repeat(40) });
    expect(start({ inputs: { version: '1' }, event: { trigger: 'schedule', schedule: '0 4 * * *' } }).run.github.event_name).toBe('schedule');
  });

  it('says where the runners’ workspaces come from: stepdeploy run’s working tree, else the pushed commit, a snapshot, sha or ref', () => {
    const sha = 'c'.repeat(40);
    const checkout = (input: Record<string, unknown>) => start({ inputs: { version: '1' }, ...input }).run.checkout;
    const push = { trigger: 'push', delivery: 'd', ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, repository: 'a/b', pusher: { name: 'p' }, headCommit: null };
    expect(checkout({ event: push })).toEqual({ kind: 'commit', version: sha });
    expect(checkout({ event: push, source: { snapshot: 's3://my-bucket/snapshots/x.zip#v1' } })).toEqual({ kind: 'commit', version: sha });
    expect(checkout({ event: push, source: { snapshot: 'working-tree' } })).toEqual({ kind: 'working-tree' });
    expect(checkout({ source: { sha, snapshot: 'working-tree' } })).toEqual({ kind: 'working-tree' });
    expect(checkout({ source: { snapshot: 's3://my-bucket/snapshots/x.zip#v123' } })).toEqual({ kind: 'snapshot', bucket: 'my-bucket', key: 'snapshots/x.zip', versionId: 'v123' });
    expect(checkout({ source: { ref: 'refs/tags/v1' } })).toEqual({ kind: 'commit', version: 'refs/tags/v1' });
    expect(checkout({})).toEqual({ kind: 'default' });
    expect(() => checkout({ source: { snapshot: '/tmp/x.zip' } })).toThrowError(
      "execution input: source.snapshot: '/tmp/x.zip' is neither working-tree nor s3://<bucket>/<key>#<version id>",
    );
  });

  it('evaluates the workflow concurrency group and refuses an empty one', () => {
    const { run } = start({ inputs: { version: '1' } }, { concurrency: { group: 'deploy-${{ inputs.region }}', cancelInProgress: "${{ inputs.region == 'us-east-1' }}" } });
    expect(run.lock).toEqual({ group: 'deploy-us-east-1', cancelInProgress: true });
    expect(() => start({ inputs: { version: '1' } }, { concurrency: { group: '${{ inputs.nothing }}', cancelInProgress: false } })).toThrowError(
      "concurrency.group: '${{ inputs.nothing }}' evaluated to an empty group name",
    );
  });
});

describe('job.start', () => {
  const jobStart = (context: CellData, extra: Record<string, unknown> = {}) =>
    evaluateOp({ op: 'job.start', job: 'deploy', needs: ['build'], env: {}, context, ...extra } as never) as { run: boolean; envList: unknown[]; lock: unknown };

  it('runs when every need succeeded, and skips (as GitHub does) when one failed or was skipped', () => {
    expect(jobStart(cell({ needs: { build: { result: 'success', outputs: {} } } })).run).toBe(true);
    expect(jobStart(cell({ needs: { build: { result: 'failure', outputs: {} } } })).run).toBe(false);
    expect(jobStart(cell({ needs: { build: { result: 'skipped', outputs: {} } } })).run).toBe(false);
  });

  it('an if: without a status function still needs successful needs; always() and failure() do not', () => {
    const skipped = cell({ needs: { build: { result: 'skipped', outputs: {} } } });
    expect(jobStart(skipped, { if: "inputs.version == '1.2.3'" }).run).toBe(false);
    expect(jobStart(skipped, { if: 'always()' }).run).toBe(true);
    const failed = cell({ needs: { build: { result: 'failure', outputs: {} } } });
    expect(jobStart(failed, { if: 'failure()' }).run).toBe(true);
    expect(jobStart(cell({ needs: { build: { result: 'success', outputs: {} } } }), { if: 'failure()' }).run).toBe(false);
  });

  it('failure() sees a failed ancestor through its need’s upstream (a chain: build fails, deploy skipped, notify)', () => {
    const notify = (deploy: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      evaluateOp({ op: 'job.start', job: 'notify', needs: ['deploy'], env: {}, context: cell({ needs: { deploy } as never }), ...extra } as never) as {
        run: boolean;
        upstream: string;
      };
    const afterFailure = { result: 'skipped', outputs: {}, upstream: 'failure' };
    expect(notify(afterFailure, { if: 'failure()' }).run).toBe(true);
    expect(notify(afterFailure, { if: 'failure()' }).upstream).toBe('failure');
    expect(notify({ result: 'skipped', outputs: {}, upstream: 'success' }, { if: 'failure()' }).run).toBe(false);
    expect(notify(afterFailure).run).toBe(false);
    // cancelled() likewise; failure outweighs cancelled.
    expect(notify({ result: 'skipped', outputs: {}, upstream: 'cancelled' }, { if: 'cancelled()' }).upstream).toBe('cancelled');
    expect(notify({ result: 'cancelled', outputs: {}, upstream: 'failure' }).upstream).toBe('failure');
  });

  it('in a cancelled run only a job whose if: calls always() or cancelled() starts, as on GitHub', () => {
    const built = cell({ needs: { build: { result: 'success', outputs: {} } } });
    const cancelled = (extra: Record<string, unknown>) => jobStart(built, { cancelRequested: true, ...extra }) as unknown as { run: boolean; upstream: string; cancelSeen?: boolean };
    expect(cancelled({})).toMatchObject({ run: false, upstream: 'cancelled', cancelSeen: true });
    expect(cancelled({ if: 'success()' }).run).toBe(false);
    expect(cancelled({ if: 'failure()' }).run).toBe(false);
    expect(cancelled({ if: 'always()' })).toMatchObject({ run: true, cancelSeen: true });
    expect(cancelled({ if: 'cancelled()' }).run).toBe(true);
    expect(jobStart(built, { cancelRequested: false })).toMatchObject({ run: true, cancelSeen: false });
  });

  it('reads the cancel marker for a cancellable workflow’s job start, and says so when it cannot', async () => {
    const event = { op: 'job.start', job: 'deploy', needs: [], env: {}, cancellable: true, context: cell() } as never;
    const asked: string[] = [];
    const probe = async (arn: string) => (asked.push(arn), true);
    expect(((await withLookups(event, noStores, probe)) as { cancelRequested?: boolean }).cancelRequested).toBe(true);
    expect(asked).toEqual([cell().run.execution.id]);
    await expect(withLookups(event, noStores)).rejects.toThrow('job.start: the workflow can be cancelled, but the evaluate function has no TABLE_NAME to read the cancel marker from');
  });

  it('does not evaluate a skipped job’s env (an expression there cannot fail it)', () => {
    const skipped = jobStart(cell({ needs: { build: { result: 'success', outputs: {} } } }), {
      if: 'false',
      env: { REGION: '${{ fromJSON(inputs.version).region }}' },
    });
    expect(skipped).toEqual({ run: false, status: 'success', env: {}, envList: [], lock: null, upstream: 'success' });
  });

  it('evaluates a job-level group per matrix cell and lists env for CodeBuild', () => {
    const context = cell({ needs: { build: { result: 'success', outputs: {} } }, matrix: { region: 'eu-west-1' }, cell: 1 });
    const started = jobStart(context, { env: { REGION: '${{ matrix.region }}' }, concurrency: { group: 'deploy-${{ matrix.region }}', cancelInProgress: false } });
    expect(started.lock).toEqual({ group: 'deploy-eu-west-1', cancelInProgress: false });
    expect(started.envList).toEqual([
      { Name: 'STEPDEPLOY_JOB', Value: 'deploy', Type: 'PLAINTEXT' },
      { Name: 'STEPDEPLOY_EXECUTION', Value: 'run-1', Type: 'PLAINTEXT' },
      { Name: 'TARGET', Value: 'app-1.2.3', Type: 'PLAINTEXT' },
      { Name: 'REGION', Value: 'eu-west-1', Type: 'PLAINTEXT' },
    ]);
  });
});

describe('step.prepare', () => {
  const job = { run: true, status: 'success' as const, env: { TARGET: 'app-1.2.3' }, envList: [], lock: null, upstream: 'success' as const };
  const prepare = (context: CellData, extra: Record<string, unknown>) =>
    evaluateOp({ op: 'step.prepare', job: 'deploy', step: 'ship', kind: 'run', env: {}, context, ...extra } as never) as { run: boolean; env: { Name: string; Value: string }[] };

  it('passes an injected-looking input as a plain environment value', () => {
    const context = cell({ job, run: { ...cell().run, inputs: { version: '"; rm -rf / #' } } });
    const prepared = prepare(context, { env: { STEPDEPLOY_EXPR_1: '${{ inputs.version }}' } });
    expect(prepared.env).toContainEqual({ Name: 'STEPDEPLOY_EXPR_1', Value: '"; rm -rf / #', Type: 'PLAINTEXT' });
  });

  it('gives github.job the job id, and evaluates a working-directory with expressions into its variable', () => {
    const prepared = prepare(cell({ job }), { env: { STEPDEPLOY_EXPR_1: '${{ github.job }}', STEPDEPLOY_WORKING_DIRECTORY: 'svc/${{ github.job }}' } });
    expect(prepared.env).toContainEqual({ Name: 'STEPDEPLOY_EXPR_1', Value: 'deploy', Type: 'PLAINTEXT' });
    expect(prepared.env).toContainEqual({ Name: 'STEPDEPLOY_WORKING_DIRECTORY', Value: 'svc/deploy', Type: 'PLAINTEXT' });
  });

  it('picks the runner environment a runs-on expression names, and fails the step on a label set it was not given', () => {
    const small = { image: 'i', computeType: 'BUILD_GENERAL1_SMALL', environmentType: 'LINUX_CONTAINER' };
    const large = { image: 'i', computeType: 'BUILD_GENERAL1_LARGE', environmentType: 'LINUX_CONTAINER' };
    const runner = { expression: '${{ matrix.size }}', environments: { '["stepdeploy-small"]': small, '["ubuntu-latest","stepdeploy-large"]': large } };
    expect((prepare(cell({ job, matrix: { size: 'Stepdeploy-Small' } }), { runner }) as unknown as { runner: unknown }).runner).toEqual(small);
    expect((prepare(cell({ job, matrix: { size: ['ubuntu-latest', 'stepdeploy-large'] } }), { runner }) as unknown as { runner: unknown }).runner).toEqual(large);
    expect(() => prepare(cell({ job, matrix: { size: 'huge' } }), { runner })).toThrowError(
      'jobs.deploy.runs-on: \'${{ matrix.size }}\' evaluated to ["huge"], not a label set known when the workflow was deployed',
    );
  });

  it('reads earlier steps’ outputs from their $STEPDEPLOY_OUTPUT file', () => {
    const context = cell({ job, steps: { build: { outcome: 'success', outputFileBase64: b64('artifact=app.zip\nnotes<<EOF\nline 1\nline 2\nEOF\n') } } });
    const prepared = prepare(context, { env: { A: '${{ steps.build.outputs.artifact }}', N: '${{ steps.build.outputs.notes }}' } });
    expect(prepared.env.filter((variable) => ['A', 'N'].includes(variable.Name))).toEqual([
      { Name: 'A', Value: 'app.zip', Type: 'PLAINTEXT' },
      { Name: 'N', Value: 'line 1\nline 2', Type: 'PLAINTEXT' },
    ]);
  });

  it('decides an if: with the job status so far', () => {
    const failing = cell({ job: { ...job, status: 'failure' } });
    expect(prepare(failing, { if: 'always()' }).run).toBe(true);
    expect(prepare(failing, { if: "inputs.version != ''" }).run).toBe(false);
    expect(prepare(cell({ job }), { if: 'failure()' }).run).toBe(false);
  });

  it('names the field when an expression fails at run time', () => {
    expect(() => prepare(cell({ job }), { env: { X: '${{ fromJSON(inputs.version) }}' } })).toThrowError(
      expect.objectContaining({ name: 'ExpressionFailed', message: expect.stringMatching(/^jobs\.deploy\.steps\.ship\.env\.X: /) }),
    );
  });
});

describe('job.finish, job.aggregate, run.finish', () => {
  it('turns a failure into success under continue-on-error and evaluates outputs', () => {
    const context = cell({
      job: { run: true, status: 'failure', env: {}, envList: [], lock: null, upstream: 'success' },
      steps: { build: { outcome: 'success', outputFileBase64: b64('artifact=app.zip\n') } },
    });
    expect(evaluateOp({ op: 'job.finish', job: 'build', outputs: { artifact: '${{ steps.build.outputs.artifact }}' }, continueOnError: true, context })).toEqual({
      result: 'success',
      outputs: { artifact: 'app.zip' },
    });
    expect(evaluateOp({ op: 'job.finish', job: 'build', outputs: {}, continueOnError: false, context })).toEqual({ result: 'failure', outputs: {} });
  });

  it('evaluates environment.url after the steps, from their outputs; a skipped job has none', () => {
    const ran = cell({
      job: { run: true, status: 'success', env: {}, envList: [], lock: null, upstream: 'success' },
      steps: { ship: { outcome: 'success', outputFileBase64: b64('host=eu.example.com\n') } },
    });
    const finish = (context: typeof ran) => evaluateOp({ op: 'job.finish', job: 'ship', outputs: {}, continueOnError: false, environmentUrl: 'https://${{ steps.ship.outputs.host }}/', context });
    expect(finish(ran)).toEqual({ result: 'success', outputs: {}, environmentUrl: 'https://eu.example.com/' });
    const skipped = cell({ job: { run: false, status: 'skipped', env: {}, envList: [], lock: null, upstream: 'success' }, steps: {} });
    expect(finish(skipped)).toEqual({ result: 'skipped', outputs: {}, environmentUrl: '' });
  });

  it('a matrix job fails when any cell failed', () => {
    const cells = [
      { result: 'success', outputs: { a: '1' } },
      { result: 'failure', outputs: {} },
    ] as const;
    expect(evaluateOp({ op: 'job.aggregate', job: 'deploy', cells: [...cells] })).toEqual({ result: 'failure', outputs: { a: '1' }, upstream: 'success' });
    expect(evaluateOp({ op: 'job.aggregate', job: 'deploy', cells: [cells[0]] })).toEqual({ result: 'success', outputs: { a: '1' }, upstream: 'success' });
  });

  it('the run fails when a job failed or was cancelled, not when one was skipped', () => {
    const needs = { a: { result: 'success', outputs: {} }, b: { result: 'skipped', outputs: {} } } as const;
    expect(evaluateOp({ op: 'run.finish', jobs: ['a', 'b'], needs })).toEqual({ conclusion: 'success', cause: '' });
    expect(evaluateOp({ op: 'run.finish', jobs: ['a', 'b', 'c'], needs: { ...needs, c: { result: 'failure', outputs: {} } } })).toEqual({
      conclusion: 'failure',
      cause: 'jobs that did not succeed: c (failure)',
    });
  });
});
