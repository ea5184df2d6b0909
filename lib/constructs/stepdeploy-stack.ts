import { NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Workflow } from '../model/workflow';
import { remoteActionsOf } from './actions-asset';
import { assumedRolesOf } from './assumed-roles';
import { DeploymentWorkflow } from './deployment-workflow';
import { StepDeployRuntime } from './runtime';
import { TEMPLATE_BUDGET, templateGroups, workflowTemplateBytes } from './template-budget';
import { addWorkflowRunRelays } from './workflow-run-relays';

/** The stack name of the shipped app (cdk.json context `stepdeploy:stackName` changes it), and of local runs. */
export const DEFAULT_STACK_NAME = 'StepDeploy';

/** Template bytes the runtime takes (tables, functions, roles, the runner project, rules). */
const RUNTIME_TEMPLATE_BYTES = 30_000;

export interface StepDeployStackProps extends StackProps {
  readonly workflows: readonly Workflow[];
  /**
   * Estimated template bytes past which the workflows move into nested stacks (CloudFormation takes
   * 1 MB per template). Local runs pass Infinity: the engine has no such limit and runs the same
   * definitions from one template.
   */
  readonly templateBudget?: number;
}

/**
 * The shared runtime and one state machine per workflow: all in this stack while its template stays
 * within the budget, else the workflows in nested stacks (`Workflows1`, `Workflows2`, …) of up to the
 * budget each, in file order, every one using this stack's runtime.
 */
export class StepDeployStack extends Stack {
  readonly runtime: StepDeployRuntime;
  readonly workflows: readonly DeploymentWorkflow[];
  /** The nested stacks holding workflows; empty when they all fit in this stack. */
  readonly workflowStacks: readonly NestedStack[];

  constructor(scope: Construct, id: string, props: StepDeployStackProps) {
    super(scope, id, props);
    this.runtime = new StepDeployRuntime(this, 'Runtime', { actions: remoteActionsOf(props.workflows), assumedRoles: assumedRolesOf(props.workflows) });
    const budget = props.templateBudget ?? TEMPLATE_BUDGET;
    const { nested, groups } =
      budget === Infinity ? { nested: false, groups: [[...props.workflows]] } : templateGroups(props.workflows, workflowTemplateBytes, budget, RUNTIME_TEMPLATE_BYTES);
    const scopes = nested ? groups.map((_group, index) => new NestedStack(this, `Workflows${index + 1}`)) : [this];
    this.workflowStacks = nested ? (scopes as NestedStack[]) : [];
    this.workflows = groups.flatMap((group, index) =>
      group.map((workflow) => new DeploymentWorkflow(scopes[index]!, `Workflow-${workflow.id}`, { workflow, runtime: this.runtime })),
    );
    addWorkflowRunRelays(this.workflows, this.runtime);
  }
}
