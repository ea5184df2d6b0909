// CloudFormation takes templates of up to 1 MB: 30 workflows fit in one stack; past the budget the
// workflows move into nested stacks, every template stays under the limit, and nothing changes for
// the state machines (names, definitions).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { StepDeployStack } from '../../lib/constructs/stepdeploy-stack';
import { CLOUDFORMATION_TEMPLATE_LIMIT, oversizedTemplates, templateGroups } from '../../lib/constructs/template-budget';
import { loadWorkflowText } from '../../lib/model/load';
import type { Workflow } from '../../lib/model/workflow';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = await Promise.all(
  (await readdir(examplesDir)).filter((name) => name.endsWith('.yml')).sort().map(async (name) => ({ name, text: await readFile(join(examplesDir, name), 'utf8') })),
);

/** `count` workflows: the examples over and over, each under a file name of its own. */
function workflows(count: number): Workflow[] {
  return Array.from({ length: count }, (_, index) => {
    const example = examples[index % examples.length]!;
    return loadWorkflowText(example.text, `w${index}-${example.name}`).workflow!;
  });
}

function synth(count: number) {
  const app = new App({ context: { [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
  const stack = new StepDeployStack(app, 'StepDeployTest', { workflows: workflows(count) });
  return { stack, assembly: app.synth() };
}

let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('template size', () => {
  it('30 workflows fit in one stack, well under 1 MB', async () => {
    const { stack, assembly } = synth(30);
    expect(stack.workflowStacks).toEqual([]);
    const bytes = (await readFile(join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile))).length;
    expect(bytes).toBeLessThan(CLOUDFORMATION_TEMPLATE_LIMIT * 0.8);
    expect(oversizedTemplates(assembly)).toEqual([]);
  });

  it('70 workflows go into nested stacks, every template under 1 MB, state machines named after the top-level stack', () => {
    const { stack, assembly } = synth(70);
    expect(stack.workflowStacks.length).toBeGreaterThanOrEqual(2);
    expect(oversizedTemplates(assembly)).toEqual([]);
    const names = stack.workflowStacks.flatMap((nested) =>
      Object.values(Template.fromStack(nested).findResources('AWS::StepFunctions::StateMachine')).map((resource) => (resource as { Properties: { StateMachineName: string } }).Properties.StateMachineName),
    );
    expect(names.sort()).toEqual(workflows(70).map((workflow) => `StepDeployTest_${workflow.id}`).sort());
    // The runtime stays in the parent, once; the nested stacks reach it through parameters.
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 1);
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(JSON.stringify(Template.fromStack(stack.workflowStacks[0]!).toJSON().Parameters)).toMatch(/Evaluate/);
  });

  it('groups in order, opening a group when the next would pass the budget; one group when all fit', () => {
    expect(templateGroups([1, 2, 3], (size) => size, 10, 4)).toEqual({ nested: false, groups: [[1, 2, 3]] });
    expect(templateGroups([4, 4, 4, 9], (size) => size, 10, 4)).toEqual({ nested: true, groups: [[4, 4], [4], [9]] });
  });

  it('reports any template of the assembly over 1 MB', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepdeploy-template-size-'));
    await writeFile(join(dir, 'Big.template.json'), 'x'.repeat(CLOUDFORMATION_TEMPLATE_LIMIT + 1));
    await writeFile(join(dir, 'Nested.nested.template.json'), '{}');
    const assembly = {
      directory: dir,
      stacks: [{ templateFile: 'Big.template.json', template: { Resources: { N: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Nested.nested.template.json' } } } } }],
    };
    expect(oversizedTemplates(assembly as never)).toEqual([
      "Big.template.json: the template is 1,048,577 bytes, over CloudFormation's limit of 1,048,576 (1 MB): split the workflows across apps",
    ]);
  });
});
