// Router: target of one EventBridge rule per workflow on the webhook's bus. It applies the
// workflow's push filters exactly (globs EventBridge patterns cannot express) and starts at most one
// execution per GitHub delivery.
//
// Wiring (CDK), one rule per workflow with `on.push`:
//
//   new events.Rule(scope, `Push-${workflow.id}`, {
//     eventBus: bus,
//     eventPattern: pushRulePattern(workflow.on.push),          // lib/runtime/webhook/events.ts
//     targets: [new targets.LambdaFunction(router, {
//       event: events.RuleTargetInput.fromObject({
//         stateMachineArn: stateMachine.stateMachineArn,
//         push: workflow.on.push,                                // PushTrigger, as in the model
//         inputs: defaultInputValues(workflow.on.workflowDispatch?.inputs ?? []), // lib/runtime/inputs.ts
//         detail: events.EventField.fromPath('$.detail'),
//       }),
//     })],
//   });
//
// Activity triggers (pull_request, pull_request_target, release, repository_dispatch) get one rule
// each, pattern activityRulePattern(trigger), whose target passes
// `{ stateMachineArn, activity: trigger, inputs, detail }` (lib/runtime/webhook/route-activity.ts).
//
// The router needs `states:StartExecution` on those state machines and no environment variables.
// The execution is named from the delivery id, so a redelivery or a retried invocation ends as
// `duplicate` instead of a second run; the execution input is
// `{ "inputs": <defaults>, "event": { "trigger": "push", ...detail } }`.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { HandlerDeps } from '../../lib/runtime/deps';
import { silentLog } from '../../lib/runtime/log';
import { isActivityRouterEvent, parseActivityRouterEvent, routeActivity } from '../../lib/runtime/webhook/route-activity';
import { parseRouterEvent, routePush, type RouteResult } from '../../lib/runtime/webhook/route-push';

export function createHandler(deps: HandlerDeps): (event: unknown) => Promise<RouteResult> {
  return async (event) => {
    const activity = isActivityRouterEvent(event) ? parseActivityRouterEvent(event) : undefined;
    const push = activity === undefined ? parseRouterEvent(event) : undefined;
    const parsed = activity ?? push!;
    const result = activity !== undefined ? await routeActivity(activity, deps.sfn) : await routePush(push!, deps.sfn);
    (deps.log ?? silentLog).info(`${activity?.activity.event ?? 'push'} routed`, {
      op: activity?.activity.event ?? 'push',
      stateMachineArn: parsed.stateMachineArn,
      delivery: parsed.detail.delivery,
      ...('ref' in parsed.detail ? { ref: parsed.detail.ref } : {}),
      decision: result.outcome,
      ...(result.outcome === 'started' ? { executionArn: result.executionArn } : {}),
    });
    return result;
  };
}

let entry: ReturnType<typeof createHandler> | undefined;

/** AWS entry: clients from the default credential chain, built on the first invocation. */
export const handler = (event: unknown): Promise<RouteResult> => {
  entry ??= createHandler({
    env: process.env as Record<string, string>,
    dynamodb: new DynamoDBClient({}),
    sfn: new SFNClient({}),
    now: Date.now,
    log: new Logger({ serviceName: 'stepdeploy-router' }),
  });
  return entry(event);
};
