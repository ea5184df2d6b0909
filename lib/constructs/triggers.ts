import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Workflow } from '../model/workflow';
import { toEventBridgeCron } from '../runtime/cron';
import { defaultInputValues } from '../runtime/inputs';
import { pushRulePattern } from '../runtime/webhook/events';
import type { StepDeployRuntime } from './runtime';

/** `on.push` → a rule on the webhook bus to the router; `on.schedule` → EventBridge schedules. */
export function addTriggers(scope: Construct, workflow: Workflow, stateMachine: StateMachine, runtime: StepDeployRuntime): void {
  const inputs = defaultInputValues(workflow.on.workflowDispatch?.inputs ?? []);
  const push = workflow.on.push;
  if (push !== undefined) {
    const webhook = runtime.githubWebhook();
    new Rule(scope, 'Push', {
      description: `stepdeploy: GitHub pushes for ${workflow.name}`,
      eventBus: webhook.bus,
      eventPattern: pushRulePattern(push) as never,
      targets: [
        new LambdaFunction(webhook.router, {
          event: RuleTargetInput.fromObject({ stateMachineArn: stateMachine.stateMachineArn, push, inputs, detail: EventField.fromPath('$.detail') }),
          retryAttempts: 8,
        }),
      ],
    });
    stateMachine.grantStartExecution(webhook.router);
  }
  workflow.on.schedule.forEach((schedule, index) => {
    const cron = toEventBridgeCron(schedule.cron);
    if (!cron.ok) throw new Error(`${workflow.file}: on.schedule[${index}].cron: ${cron.error}`);
    new Rule(scope, `Schedule${index}`, {
      description: `stepdeploy: ${workflow.name} on '${schedule.cron}' (UTC)`,
      schedule: Schedule.expression(cron.expression),
      targets: [new SfnStateMachine(stateMachine, { input: RuleTargetInput.fromObject({ inputs, event: { trigger: 'schedule', schedule: schedule.cron } }) })],
    });
  });
}
