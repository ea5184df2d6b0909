import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../lib/asl/compile';
import { placeholderRefs } from '../../lib/asl/refs';
import type { TaskState } from '../../lib/asl/types';
import { loadWorkflowText } from '../../lib/model/load';
import { codeBuildImages } from '../../lib/model/runner-labels';
import { planWorkflow } from '../../lib/plan';
import { stateNamed } from './render-helpers';

function render(text: string) {
  const { workflow, problems } = loadWorkflowText(text, 'w.yml');
  if (workflow === undefined) throw new Error(JSON.stringify(problems));
  return compileWorkflow(planWorkflow(workflow), placeholderRefs).definition;
}

describe('runs-on and working-directory on the job cell’s runner', () => {
  const text = [
    'on: workflow_dispatch',
    'defaults: { run: { working-directory: "deploy/${{ github.ref_name }}" } }',
    'jobs:',
    '  plain:',
    '    steps:',
    '      - id: one',
    '        run: echo one',
    '        working-directory: "it\'s here"',
    '  sized:',
    '    runs-on: [ubuntu-24.04-arm, stepdeploy-large]',
    '    steps:',
    '      - id: two',
    '        run: echo two',
    '  chosen:',
    '    strategy: { matrix: { os: [ubuntu-latest, lambda] } }',
    '    runs-on: ${{ matrix.os }}',
    '    steps:',
    '      - id: three',
    '        run: echo three',
    '',
  ].join('\n');
  const definition = render(text);

  it('a job without runs-on keeps the project’s environment; literal labels become StartBuild overrides', () => {
    const plain = stateNamed(definition, 'plain: start runner') as TaskState;
    expect(Object.keys(plain.Parameters!).filter((key) => key.includes('Override') && key.startsWith('Image'))).toEqual([]);
    const sized = stateNamed(definition, 'sized: start runner') as TaskState;
    expect(sized.Parameters).toMatchObject({ ImageOverride: codeBuildImages.arm, ComputeTypeOverride: 'BUILD_GENERAL1_LARGE', EnvironmentTypeOverride: 'ARM_CONTAINER' });
  });

  it('a runs-on expression is evaluated once per cell before its runner starts, with every environment it can pick', () => {
    const prepare = stateNamed(definition, 'chosen: runs-on') as TaskState;
    expect(prepare.Next).toBe('chosen: start runner');
    expect((prepare.Parameters!.Payload as Record<string, unknown>).runner).toEqual({
      expression: '${{ matrix.os }}',
      environments: {
        '["ubuntu-latest"]': { image: codeBuildImages.ubuntu, computeType: 'BUILD_GENERAL1_SMALL', environmentType: 'LINUX_CONTAINER' },
        '["lambda"]': { image: codeBuildImages.lambda, computeType: 'BUILD_LAMBDA_2GB', environmentType: 'LINUX_LAMBDA_CONTAINER' },
      },
    });
    const start = stateNamed(definition, 'chosen: start runner') as TaskState;
    expect(start.Parameters).toMatchObject({
      'ImageOverride.$': '$.job.runnerEnvironment.image',
      'ComputeTypeOverride.$': '$.job.runnerEnvironment.computeType',
      'EnvironmentTypeOverride.$': '$.job.runnerEnvironment.environmentType',
    });
  });

  it('a literal working-directory goes to the runner as it is; one with expressions arrives as a variable, never pasted', () => {
    const plain = (stateNamed(definition, 'plain.one: run') as TaskState).Parameters!.Payload as Record<string, unknown>;
    expect(plain.workingDirectory).toBe("it's here");
    const inherited = stateNamed(definition, 'sized.two: run') as TaskState;
    expect(inherited.Parameters!.Payload).toMatchObject({ workingDirectoryVariable: 'STEPDEPLOY_WORKING_DIRECTORY', 'env.$': '$.prepared.env' });
    expect(JSON.stringify(inherited.Parameters)).not.toContain('${{');
    const prepare = stateNamed(definition, 'sized.two: prepare') as TaskState;
    expect((prepare.Parameters!.Payload as Record<string, unknown>).env).toEqual({ STEPDEPLOY_WORKING_DIRECTORY: 'deploy/${{ github.ref_name }}' });
  });
});
