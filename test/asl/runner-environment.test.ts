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

describe('runs-on and working-directory in the run step’s build', () => {
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
    const plain = stateNamed(definition, 'plain.one: run') as TaskState;
    expect(Object.keys(plain.Parameters!).filter((key) => key.includes('Override') && key.startsWith('Image'))).toEqual([]);
    const sized = stateNamed(definition, 'sized.two: run') as TaskState;
    expect(sized.Parameters).toMatchObject({ ImageOverride: codeBuildImages.arm, ComputeTypeOverride: 'BUILD_GENERAL1_LARGE', EnvironmentTypeOverride: 'ARM_CONTAINER' });
  });

  it('a runs-on expression is evaluated by the prepare state, which gets every environment it can pick', () => {
    const prepare = stateNamed(definition, 'chosen.three: prepare') as TaskState;
    expect((prepare.Parameters!.Payload as Record<string, unknown>).runner).toEqual({
      expression: '${{ matrix.os }}',
      environments: {
        '["ubuntu-latest"]': { image: codeBuildImages.ubuntu, computeType: 'BUILD_GENERAL1_SMALL', environmentType: 'LINUX_CONTAINER' },
        '["lambda"]': { image: codeBuildImages.lambda, computeType: 'BUILD_LAMBDA_2GB', environmentType: 'LINUX_LAMBDA_CONTAINER' },
      },
    });
    const run = stateNamed(definition, 'chosen.three: run') as TaskState;
    expect(run.Parameters).toMatchObject({
      'ImageOverride.$': '$.prepared.runner.image',
      'ComputeTypeOverride.$': '$.prepared.runner.computeType',
      'EnvironmentTypeOverride.$': '$.prepared.runner.environmentType',
    });
  });

  it('a literal working-directory is quoted into the buildspec; one with expressions arrives as a variable, never pasted', () => {
    const plain = String((stateNamed(definition, 'plain.one: run') as TaskState).Parameters!.BuildspecOverride);
    expect(plain).toContain(`if cd -- 'it'\\''s here'; then`);
    const inherited = stateNamed(definition, 'sized.two: run') as TaskState;
    expect(String(inherited.Parameters!.BuildspecOverride)).toContain('if cd -- "$STEPDEPLOY_WORKING_DIRECTORY"; then');
    expect(String(inherited.Parameters!.BuildspecOverride)).not.toContain('${{');
    const prepare = stateNamed(definition, 'sized.two: prepare') as TaskState;
    expect((prepare.Parameters!.Payload as Record<string, unknown>).env).toEqual({ STEPDEPLOY_WORKING_DIRECTORY: 'deploy/${{ github.ref_name }}' });
  });
});
