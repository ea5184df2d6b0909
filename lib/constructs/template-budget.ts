// CloudFormation takes templates of up to 1 MB. A stack's template grows by each workflow's
// definition (a string in its DefinitionString) plus the role, policy, log group and triggers around
// it; StepDeployStack estimates that before adding the workflow and, past a budget, moves the
// workflows into nested stacks (each a template of its own, under the same budget). The state
// machines, their names and definitions are the same either way.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { compileWorkflow } from '../asl/compile';
import { placeholderRefs } from '../asl/refs';
import type { Workflow } from '../model/workflow';
import { planWorkflow } from '../plan';

export const CLOUDFORMATION_TEMPLATE_LIMIT = 1_048_576;

/** Estimated template bytes per stack, under the limit by more than the estimate can be off. */
export const TEMPLATE_BUDGET = 850_000;

/** The resources around a state machine (role, policy, log group, triggers), in template bytes. */
const WORKFLOW_OVERHEAD = 7_000;

/**
 * An upper estimate of what one workflow adds to a template: its definition sits there as an escaped
 * JSON string split around references (measured on the examples: 1.1 × the definition + 6.5 KB;
 * this says 1.25 × + 7 KB).
 */
export function workflowTemplateBytes(workflow: Workflow): number {
  const { definition } = compileWorkflow(planWorkflow(workflow), placeholderRefs);
  return Math.ceil(Buffer.byteLength(JSON.stringify(definition)) * 1.25) + WORKFLOW_OVERHEAD;
}

/**
 * Workflows in groups whose estimates fit `budget` each, in the given order: one group when they
 * all fit beside the runtime (`reserved`), else groups for nested stacks.
 */
export function templateGroups<T>(items: readonly T[], bytesOf: (item: T) => number, budget: number, reserved: number): { nested: boolean; groups: T[][] } {
  const sizes = items.map(bytesOf);
  if (reserved + sizes.reduce((sum, size) => sum + size, 0) <= budget) return { nested: false, groups: [[...items]] };
  const groups: T[][] = [];
  let used = Infinity;
  items.forEach((item, index) => {
    if (used + sizes[index]! > budget) {
      groups.push([]);
      used = 0;
    }
    groups.at(-1)!.push(item);
    used += sizes[index]!;
  });
  return { nested: true, groups };
}

/**
 * Every template of the assembly (stacks and their nested stacks) over CloudFormation's 1 MB, as
 * `file: message` lines; the app refuses to go on with any (the estimate above should prevent it).
 */
export function oversizedTemplates(assembly: CloudAssembly): string[] {
  const found: string[] = [];
  const check = (file: string): void => {
    const bytes = statSync(join(assembly.directory, file)).size;
    if (bytes > CLOUDFORMATION_TEMPLATE_LIMIT) {
      found.push(`${file}: the template is ${bytes.toLocaleString('en-US')} bytes, over CloudFormation's limit of ${CLOUDFORMATION_TEMPLATE_LIMIT.toLocaleString('en-US')} (1 MB): split the workflows across apps`);
    }
  };
  for (const stack of assembly.stacks) {
    check(stack.templateFile);
    const resources = (stack.template as { Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }> }).Resources ?? {};
    for (const resource of Object.values(resources)) {
      const nested = resource.Metadata?.['aws:asset:path'];
      if (resource.Type === 'AWS::CloudFormation::Stack' && typeof nested === 'string') check(nested);
    }
  }
  return found;
}
