import { isAbsolute, relative } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { WorkflowRunTrigger } from '../model/workflow';
import type { DeploymentWorkflow } from './deployment-workflow';
import type { StepDeployRuntime } from './runtime';

const STARTED = ['RUNNING'];
const ENDED = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * `on.workflow_run` naming workflows of this stack: each named workflow gets one relay rule on its
 * state machine's status changes (those some trigger's types ask for), whose target, the router,
 * turns them into the workflow_run events GitHub would send (lib/runtime/webhook/workflow-run-relay.ts).
 * A name no workflow of the stack has can only be a GitHub Actions workflow: GitHub's webhook brings those.
 */
export function addWorkflowRunRelays(workflows: readonly DeploymentWorkflow[], runtime: StepDeployRuntime): void {
  const triggers = workflows.flatMap((deployed) => (deployed.workflow.on.activities ?? []).filter((trigger): trigger is WorkflowRunTrigger => trigger.event === 'workflow_run'));
  if (triggers.length === 0) return;
  let relays = 0;
  for (const upstream of workflows) {
    const naming = triggers.filter((trigger) => trigger.workflows.includes(upstream.workflow.name));
    if (naming.length === 0) continue;
    const types = new Set(naming.flatMap((trigger) => trigger.types ?? ['completed', 'requested', 'in_progress']));
    const statuses = [...(types.has('requested') || types.has('in_progress') ? STARTED : []), ...(types.has('completed') ? ENDED : [])];
    const webhook = runtime.githubWebhook();
    new Rule(upstream, 'WorkflowRunRelay', {
      description: `stepdeploy: runs of ${upstream.workflow.name} start the workflows whose workflow_run names it`,
      eventPattern: { source: ['aws.states'], detailType: ['Step Functions Execution Status Change'], detail: { stateMachineArn: [upstream.stateMachine.stateMachineArn], status: statuses } },
      targets: [
        new LambdaFunction(webhook.router, {
          event: RuleTargetInput.fromObject({ relay: { name: upstream.workflow.name, path: workflowPath(upstream.workflow.file) }, statusChange: EventField.fromPath('$.detail') }),
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    relays++;
  }
  if (relays > 0) runtime.githubWebhook().bus.grantPutEventsTo(runtime.githubWebhook().router);
}

/** GitHub's `workflow.path` is relative to the repository: the file as loaded, from the project folder. */
function workflowPath(file: string): string {
  return isAbsolute(file) ? relative(process.cwd(), file) : file;
}
