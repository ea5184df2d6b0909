import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import type { RunnerSeams } from '../../lib/asl/runner-seams';
import type { TaskState } from '../../lib/asl/types';
import { planWorkflow } from '../../lib/plan';
import { allStates, loadFixture, stateNamed } from './render-helpers';

async function workflowFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'stepdeploy-runner-asl-')), 'w.yml');
  await writeFile(file, text);
  return file;
}

const mixed = `on: workflow_dispatch
jobs:
  notify:
    steps:
      - uses: aws/lambda
        with: { function: notify-team }
  deploy:
    concurrency: { group: prod }
    steps:
      - run: ./deploy.sh
        working-directory: infra
      - run: ./verify.sh
`;

describe('a job cell’s runner in the definition', () => {
  it('starts one runner for a cell with run steps, after its lock, and stops it before the unlock; a Lambda-only cell has none', async () => {
    const { definition } = compileWorkflow(planWorkflow(await loadFixture(await workflowFile(mixed))), placeholderRefs);
    const names = allStates(definition).map(([name]) => name);
    expect(names.filter((name) => name.endsWith(': start runner'))).toEqual(['deploy: start runner']);
    expect(names.filter((name) => name.endsWith(': stop runner'))).toEqual(['deploy: stop runner']);
    expect((stateNamed(definition, 'deploy: lock') as TaskState).Next).toBe('deploy: start runner');
    expect((stateNamed(definition, 'deploy: stop runner') as TaskState).Next).toBe('deploy: unlock');
    const step = stateNamed(definition, 'deploy.step-1: run') as TaskState;
    expect(step.Parameters).toEqual({
      FunctionName: '${RunnerDispatchFunctionArn}',
      Payload: {
        op: 'step',
        'runner.$': "States.Format('{}#deploy', $.run.execution.id)",
        seq: 0,
        step: 'step-1',
        script: './deploy.sh',
        shell: 'bash',
        workingDirectory: 'infra',
        'env.$': '$.job.envList',
        heartbeatSeconds: 60,
        'taskToken.$': '$$.Task.Token',
      },
    });
    expect(stateNamed(definition, 'deploy: stop runner')).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: '${TableName}', Item: { pk: { 'S.$': "States.Format('runner#{}#deploy', $.run.execution.id)" }, sk: { S: 'stop' } } },
    });
  });

  it('keeps the heartbeat under a short step timeout, as Step Functions requires', async () => {
    const file = await workflowFile('on: workflow_dispatch\njobs:\n  quick:\n    timeout-minutes: 1\n    steps:\n      - run: echo hi\n');
    const { definition } = compileWorkflow(planWorkflow(await loadFixture(file)), placeholderRefs, { heartbeatSeconds: 120 });
    expect(stateNamed(definition, 'quick.step-1: run')).toMatchObject({ TimeoutSeconds: 60, HeartbeatSeconds: 59 });
  });

  it('adds what the seams give to the start runner state: runs-on environment, variables, and one start per source', async () => {
    const seams: RunnerSeams = {
      sources: () => [{ kind: 'commit', parameters: { 'SourceVersion.$': '$.run.checkout.version' } }],
      environment: () => ({ image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0', computeType: 'BUILD_GENERAL1_MEDIUM', environmentType: 'LINUX_CONTAINER' }),
      variables: (job) => [{ Name: 'GITHUB_JOB', Value: job.id, Type: 'PLAINTEXT' }],
    };
    const { definition } = compileWorkflow(planWorkflow(await loadFixture(await workflowFile(mixed))), placeholderRefs, { runner: seams });
    expect(stateNamed(definition, 'deploy: source?')).toEqual({
      Type: 'Choice',
      Comment: "Where the runner's source comes from: $.run.checkout.",
      Choices: [{ Variable: '$.run.checkout.kind', StringEquals: 'commit', Next: 'deploy: start runner (commit)' }],
      Default: 'deploy: start runner',
    });
    const start = stateNamed(definition, 'deploy: start runner') as TaskState;
    expect(start.Parameters!['SourceVersion.$']).toBeUndefined();
    const commit = stateNamed(definition, 'deploy: start runner (commit)') as TaskState;
    expect(commit).toEqual({ ...start, Parameters: { ...start.Parameters, 'SourceVersion.$': '$.run.checkout.version' } });
    expect(start.Parameters).toMatchObject({
      ImageOverride: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      ComputeTypeOverride: 'BUILD_GENERAL1_MEDIUM',
      EnvironmentTypeOverride: 'LINUX_CONTAINER',
    });
    expect((start.Parameters!.EnvironmentVariablesOverride as unknown[]).at(-1)).toEqual({ Name: 'GITHUB_JOB', Value: 'deploy', Type: 'PLAINTEXT' });
  });

  it('hands a checkout to the runner as a step, and the templates reading runner-only fields to the runner to evaluate', async () => {
    const text = `on: workflow_dispatch
jobs:
  deploy:
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ runner.temp }} \${{ github.sha }}"
        env: { OUT: "\${{ github.workspace }}/out", REF: "\${{ github.ref }}" }
        working-directory: \${{ github.workspace }}/infra
      - uses: actions/checkout@v4
        with: { path: infra }
`;
    const { definition } = compileWorkflow(planWorkflow(await loadFixture(await workflowFile(text))), placeholderRefs);
    expect((stateNamed(definition, 'deploy.step-1: run') as TaskState).Parameters).toMatchObject({
      FunctionName: '${RunnerDispatchFunctionArn}',
      Payload: { op: 'step', seq: 0, step: 'step-1', script: '', checkout: { path: '' }, 'env.$': '$.job.envList' },
    });
    expect((stateNamed(definition, 'deploy.step-3: run') as TaskState).Parameters).toMatchObject({ Payload: { seq: 2, checkout: { path: 'infra' } } });
    // Progress and report name the step as GitHub does (lib/report/step-names.ts reads the Comment).
    expect((stateNamed(definition, 'deploy.step-1: run') as TaskState).Comment).toBe('Run actions/checkout@v4');
    const run = (stateNamed(definition, 'deploy.step-2: run') as TaskState).Parameters as { Payload: Record<string, unknown> };
    expect(run.Payload).toMatchObject({
      script: 'echo "${STEPDEPLOY_EXPR_1} ${STEPDEPLOY_EXPR_2}"',
      workingDirectoryVariable: 'STEPDEPLOY_WORKING_DIRECTORY',
      'env.$': '$.prepared.env',
      runnerEnv: { OUT: '${{ github.workspace }}/out', STEPDEPLOY_EXPR_1: '${{ runner.temp }}', STEPDEPLOY_WORKING_DIRECTORY: '${{ github.workspace }}/infra' },
    });
    // Only what the evaluate function can know goes to the prepare state.
    const prepare = (stateNamed(definition, 'deploy.step-2: prepare') as TaskState).Parameters as { Payload: { env: Record<string, string> } };
    expect(prepare.Payload.env).toEqual({ REF: '${{ github.ref }}', STEPDEPLOY_EXPR_2: '${{ github.sha }}' });
    // A later checkout needs the source as the runner found it; the start runner says so.
    const start = (stateNamed(definition, 'deploy: start runner') as TaskState).Parameters as { EnvironmentVariablesOverride: { Name: string }[] };
    expect(start.EnvironmentVariablesOverride.map((variable) => variable.Name)).toEqual([
      'STEPDEPLOY_RUNNER_ID',
      'STEPDEPLOY_RUNNER_EXECUTION_ARN',
      'STEPDEPLOY_RUNNER_JOB',
      'STEPDEPLOY_RUNNER_JOB_ID',
      'STEPDEPLOY_RUNNER_KEEP_SOURCE',
      'STEPDEPLOY_GITHUB',
      'STEPDEPLOY_CHECKOUT',
    ]);
  });

  it('keeps no copy of the source when the only checkout is the first step, of the whole workspace', async () => {
    const text = 'on: workflow_dispatch\njobs:\n  deploy:\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./deploy.sh\n';
    const { definition } = compileWorkflow(planWorkflow(await loadFixture(await workflowFile(text))), placeholderRefs);
    const start = (stateNamed(definition, 'deploy: start runner') as TaskState).Parameters as { EnvironmentVariablesOverride: { Name: string }[] };
    expect(start.EnvironmentVariablesOverride.map((variable) => variable.Name)).not.toContain('STEPDEPLOY_RUNNER_KEEP_SOURCE');
  });
});
