import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StoreNames } from '../model/store-names';
import type { Workflow } from '../model/workflow';
import { toEventBridgeCron } from '../runtime/cron';
import { defaultInputValues } from '../runtime/inputs';
import { activityRulePattern, pushRulePattern } from '../runtime/webhook/events';
import type { StepDeployRuntime } from './runtime';

/**
 * `on.push` and each activity trigger (pull_request, pull_request_target, release,
 * repository_dispatch) → a rule on the webhook bus to the router; `on.schedule` → EventBridge schedules.
 */
export function addTriggers(scope: Construct, workflow: Workflow, stateMachine: StateMachine, runtime: StepDeployRuntime, names: StoreNames): void {
  const inputs = defaultInputValues(workflow.on.workflowDispatch?.inputs ?? []);
  // One rule per webhook trigger, each passing the router what it needs to filter and start the run.
  const webhookRule = (id: string, description: string, pattern: object, target: Record<string, unknown>): void => {
    const webhook = runtime.githubWebhook();
    new Rule(scope, id, {
      description,
      eventBus: webhook.bus,
      eventPattern: pattern as never,
      targets: [
        new LambdaFunction(webhook.router, {
          event: RuleTargetInput.fromObject({ stateMachineArn: stateMachine.stateMachineArn, ...target, inputs, detail: EventField.fromPath('$.detail') }),
          retryAttempts: 8,
        }),
      ],
    });
  };
  const push = workflow.on.push;
  if (push !== undefined) webhookRule('Push', `stepdeploy: GitHub pushes for ${workflow.name}`, pushRulePattern(push), { push });
  const activities = workflow.on.activities ?? [];
  for (const activity of activities) {
    // Path filters on pull requests read the files from GitHub's API, with the workflow's token if it has one.
    const pathFiltered = 'paths' in activity || 'pathsIgnore' in activity;
    const githubToken = pathFiltered && workflow.githubToken ? `${names.secrets}/GITHUB_TOKEN` : undefined;
    webhookRule(`Activity-${activity.event}`, `stepdeploy: GitHub ${activity.event} for ${workflow.name}`, activityRulePattern(activity), { activity, ...(githubToken && { githubToken }) });
    if (githubToken !== undefined) {
      const stack = Stack.of(scope);
      runtime.githubWebhook().router.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${githubToken}-??????`] }),
      );
    }
  }
  if (push !== undefined || activities.length > 0) stateMachine.grantStartExecution(runtime.githubWebhook().router);
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
