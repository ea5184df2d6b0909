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
// workflow_run between this stack's workflows: one relay rule per upstream workflow on the default
// bus ("Step Functions Execution Status Change" of its state machine) passes
// `{ relay: { name, path }, statusChange: <detail> }`; the router puts the workflow_run events GitHub
// would send on the webhook bus (EVENT_BUS_NAME, events:PutEvents), where each downstream workflow's
// activity rule picks them up as it does GitHub's own (lib/runtime/webhook/workflow-run-relay.ts).
//
// `paths` on pull_request(_target): the router reads the pull request's files from GitHub's API
// (GITHUB_API_URL; the workflow's GITHUB_TOKEN secret when `github-token: true`, named in the target
// input as `githubToken`); files it cannot read let the run through, as GitHub does without a diff.
//
// The router needs `states:StartExecution` on those state machines.
// The execution is named from the delivery id, so a redelivery or a retried invocation ends as
// `duplicate` instead of a second run; the execution input is
// `{ "inputs": <defaults>, "event": { "trigger": "push", ...detail } }`.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { HandlerDeps } from '../../lib/runtime/deps';
import { silentLog } from '../../lib/runtime/log';
import { GITHUB_API_URL } from '../../lib/runtime/github-context';
import { pullRequestFiles } from '../../lib/runtime/webhook/pull-request-files';
import { isActivityRouterEvent, parseActivityRouterEvent, routeActivity, type ChangedFiles } from '../../lib/runtime/webhook/route-activity';
import { parseRouterEvent, routePush, type RouteResult } from '../../lib/runtime/webhook/route-push';
import { isRelayEvent, parseRelayEvent, relayWorkflowRun, type RelayEvent, type RelayResult } from '../../lib/runtime/webhook/workflow-run-relay';

export interface RouterDeps extends HandlerDeps {
  /** Needed by the relay only (workflow_run), with EVENT_BUS_NAME. */
  readonly eventBridge?: EventBridgeClient;
  /** Reads a workflow's GITHUB_TOKEN for pull request path filters (GitHub's API at GITHUB_API_URL). */
  readonly secrets?: SecretsManagerClient;
}

export function createHandler(deps: RouterDeps): (event: unknown) => Promise<RouteResult | RelayResult> {
  return async (event) => {
    if (isRelayEvent(event)) return relay(parseRelayEvent(event), deps);
    const activity = isActivityRouterEvent(event) ? parseActivityRouterEvent(event) : undefined;
    const push = activity === undefined ? parseRouterEvent(event) : undefined;
    const parsed = activity ?? push!;
    const result = activity !== undefined ? await routeActivity(activity, deps.sfn, changedFiles(deps)) : await routePush(push!, deps.sfn);
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

/** A pull request's files from GitHub's API, with the workflow's token when it has one; why they are unknown is logged. */
function changedFiles(deps: RouterDeps): ChangedFiles {
  return async (event, repository, number) => {
    let token: string | undefined;
    if (event.githubToken !== undefined && deps.secrets !== undefined) {
      try {
        token = (await deps.secrets.send(new GetSecretValueCommand({ SecretId: event.githubToken }))).SecretString;
      } catch (error) {
        (deps.log ?? silentLog).info('pull request files without a token', { op: 'paths', secret: event.githubToken, reason: (error as Error).name });
      }
    }
    const result = await pullRequestFiles(repository, number, { apiUrl: deps.env['GITHUB_API_URL'] ?? GITHUB_API_URL, ...(token !== undefined && { token }) });
    if ('unknown' in result) (deps.log ?? silentLog).info('pull request files unknown: path filters let it through', { op: 'paths', delivery: event.detail.delivery, reason: result.unknown });
    return result;
  };
}

async function relay(event: RelayEvent, deps: RouterDeps): Promise<RelayResult> {
  const busName = deps.env['EVENT_BUS_NAME'];
  if (deps.eventBridge === undefined || busName === undefined) throw new Error('the workflow_run relay needs an EventBridge client and EVENT_BUS_NAME');
  const result = await relayWorkflowRun(event, deps.eventBridge, busName);
  (deps.log ?? silentLog).info('workflow_run relayed', {
    op: 'workflow_run',
    executionArn: event.statusChange.executionArn,
    status: event.statusChange.status,
    decision: result.outcome,
    ...(result.outcome === 'relayed' ? { actions: result.actions } : { depth: result.depth }),
  });
  return result;
}

let entry: ReturnType<typeof createHandler> | undefined;

/** AWS entry: clients from the default credential chain, built on the first invocation. */
export const handler = (event: unknown): Promise<RouteResult | RelayResult> => {
  entry ??= createHandler({
    env: process.env as Record<string, string>,
    dynamodb: new DynamoDBClient({}),
    sfn: new SFNClient({}),
    eventBridge: new EventBridgeClient({}),
    secrets: new SecretsManagerClient({}),
    now: Date.now,
    log: new Logger({ serviceName: 'stepdeploy-router' }),
  });
  return entry(event);
};
