import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../lib/constructs/load-workflows';
import { stateMachineName, stateMachinePrefix, workflowSuffix } from '../../lib/constructs/names';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { fixture } from '../asl/render-helpers';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** Every literal physical name in a template: properties CloudFormation takes as a resource's name. */
function physicalNames(template: Template): string[] {
  const names: string[] = [];
  for (const resource of Object.values(template.Resources)) {
    for (const [key, value] of Object.entries(resource.Properties ?? {})) {
      if (/Name$/.test(key) && key !== 'PolicyName' && typeof value === 'string') names.push(`${resource.Type} ${key} ${value}`);
    }
  }
  return names;
}

/** A prefix filter's or a policy's text with CloudFormation's Join flattened to one string. */
const joined = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value).replace(/\{"Ref":"AWS::(\w+)"\}/g, '<$1>').replace(/[",[\]{}]|Fn::Join/g, '');

describe('physical names of two stacks of the app in one account and region', () => {
  let templates: Template[];
  beforeAll(async () => {
    const { workflows, problems } = await loadWorkflows([fixture('steps'), fixture('diamond'), fixture('triggers')]);
    expect(problems).toEqual([]);
    const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
    const stacks = ['StepDeploy', 'StepDeploy-prod'].map((name) => new StepDeployStack(app, name, { workflows }));
    const assembly = app.synth();
    templates = stacks.map((stack) => assembly.getStackByName(stack.stackName).template as Template);
  });

  it('never collide, and stay readable: <stack>_<workflow id>', () => {
    const [first, second] = templates.map(physicalNames);
    expect(first).toContain('AWS::StepFunctions::StateMachine StateMachineName StepDeploy_steps');
    expect(second).toContain('AWS::StepFunctions::StateMachine StateMachineName StepDeploy-prod_steps');
    expect(first).toContain('AWS::Logs::LogGroup LogGroupName /aws/vendedlogs/states/StepDeploy_steps');
    expect(first!.length).toBeGreaterThan(0);
    const firstValues = new Set(first!.map((name) => name.split(' ').at(-1)));
    expect(second!.filter((name) => firstValues.has(name.split(' ').at(-1)))).toEqual([]);
  });

  it('scope the status-change rule and the coordinator’s Stop/Describe grant to the stack’s own state machines', () => {
    for (const [index, template] of templates.entries()) {
      const prefix = index === 0 ? 'StepDeploy_' : 'StepDeploy-prod_';
      const text = joined(template.Resources);
      // Booleans: a failure should not print the whole template.
      expect(text.includes(`:states:<Region>:<AccountId>:stateMachine:${prefix}State:ENABLED`), 'the rule’s prefix filter').toBe(true);
      expect(text.includes(`:states:<Region>:<AccountId>:execution:${prefix}*:*`), 'the Stop/Describe grant').toBe(true);
      // The other stack's prefix appears nowhere, even as a broader pattern.
      expect(text.includes(index === 0 ? 'StepDeploy-prod_' : ':StepDeploy_'), 'the other stack’s prefix').toBe(false);
    }
    // `StepDeploy_` is no prefix of `StepDeploy-prod_…`: `_` never appears in a stack name.
    expect('StepDeploy-prod_steps'.startsWith(stateMachinePrefix('StepDeploy'))).toBe(false);
  });

  it('fit the 80 characters of a state machine name, long parts shortened with a hash', () => {
    const stack = `Stack${'x'.repeat(120)}`;
    const id = `deploy-${'y'.repeat(90)}`;
    const name = stateMachineName(stack, id);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^Stackx{26}-[0-9a-f]{8}_deploy-y{23}-[0-9a-f]{8}$/);
    expect(name.startsWith(stateMachinePrefix(stack))).toBe(true);
    expect(name.endsWith(workflowSuffix(id))).toBe(true);
    expect(stateMachineName(stack, `${id}z`)).not.toBe(name);
  });
});
