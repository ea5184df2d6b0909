import { describe, expect, it } from 'vitest';
import { placeholderRefs } from '../../lib/asl/refs';
import { renderDefinition } from '../../lib/asl/render';
import { planWorkflow } from '../../lib/plan';
import { reportStepName, stepNamesOf } from '../../lib/report/step-names';
import { loadFixture } from '../asl/render-helpers';

describe('step names in reports', () => {
  it('come from the definition: a step’s name:, else Run <first line> or Invoke <function>', async () => {
    const workflow = await loadFixture('examples/multi-region-deploy.yml');
    const names = stepNamesOf(renderDefinition(planWorkflow(workflow), { refs: placeholderRefs }));
    expect(names).toEqual({
      'build.package': 'Package',
      'deploy.step-1': 'Deploy to ${{ matrix.region }}',
      'verify.step-1': 'Verify',
    });
    const steps = stepNamesOf(renderDefinition(planWorkflow(await loadFixture('test/asl/fixtures/steps.yml')), { refs: placeholderRefs }));
    expect(steps['deploy.plain']).toBe('Run echo plain');
    expect(steps['notify.step-1']).toBe('Invoke notify-team');
  });

  it('fill in matrix values for the cell, keep other expressions as written, and fall back to the id', () => {
    const names = { 'deploy.step-1': 'Deploy to ${{ matrix.region }}', 'deploy.ship': 'Ship ${{ inputs.version }}' };
    expect(reportStepName(names, 'deploy', 'step-1', { region: 'eu-west-1' })).toBe('Deploy to eu-west-1');
    expect(reportStepName(names, 'deploy', 'ship', { region: 'eu-west-1' })).toBe('Ship ${{ inputs.version }}');
    expect(reportStepName(names, 'deploy', 'other', undefined)).toBe('other');
    expect(reportStepName(undefined, 'deploy', 'step-1', undefined)).toBe('step-1');
  });
});
