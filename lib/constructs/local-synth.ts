import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { Problem } from '../model/problem';
import type { Workflow } from '../model/workflow';
import { loadWorkflows } from './load-workflows';
import { DEFAULT_STACK_NAME, StepDeployStack } from './stepdeploy-stack';

/**
 * The template `cdk synth` would make for these workflow files, synthesized in-process for the local
 * engine: no Lambda bundles (the engine runs the handlers in-process) and no CloudFormation
 * validation, so a local run reaches its first step in a second or two. One template even past
 * CloudFormation's size (no nested stacks): the engine has no such limit, and the definitions are the
 * ones the deployed, nested stacks hold.
 */
export async function synthesizeLocalTemplate(
  files: readonly string[],
  /** Changes each loaded workflow before synthesis (`run -j` keeps only some jobs). */
  transform: (workflow: Workflow) => Workflow = (workflow) => workflow,
  context: Readonly<Record<string, unknown>> = {},
): Promise<{ template?: Record<string, unknown>; problems: Problem[] }> {
  const { workflows: loaded, problems } = await loadWorkflows(files);
  if (problems.length > 0) return { problems };
  return { template: synthesizeLocalWorkflows(loaded.map(transform), context), problems: [] };
}

/** The local template of workflows already loaded (lib/cli/local-template.ts keeps it between runs). */
export function synthesizeLocalWorkflows(workflows: readonly Workflow[], context: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const app = new App({ context: { ...context, [BUNDLING_STACKS]: [] }, builtinCloudFormationValidation: false } as never);
  const stack = new StepDeployStack(app, DEFAULT_STACK_NAME, { workflows, templateBudget: Infinity });
  const assembly = app.synth();
  return assembly.getStackByName(stack.stackName).template as Record<string, unknown>;
}
