import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Workflow } from '../model/workflow';
import { DeploymentWorkflow } from './deployment-workflow';
import { StepDeployRuntime } from './runtime';

/** The stack name of the shipped app (cdk.json context `stepdeploy:stackName` changes it), and of local runs. */
export const DEFAULT_STACK_NAME = 'StepDeploy';

export interface StepDeployStackProps extends StackProps {
  readonly workflows: readonly Workflow[];
}

/** The shared runtime and one state machine per workflow. */
export class StepDeployStack extends Stack {
  readonly runtime: StepDeployRuntime;
  readonly workflows: readonly DeploymentWorkflow[];

  constructor(scope: Construct, id: string, props: StepDeployStackProps) {
    super(scope, id, props);
    this.runtime = new StepDeployRuntime(this, 'Runtime');
    this.workflows = props.workflows.map((workflow) => new DeploymentWorkflow(this, `Workflow-${workflow.id}`, { workflow, runtime: this.runtime }));
  }
}
