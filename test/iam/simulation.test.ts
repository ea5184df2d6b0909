// IAM proven by simulation: every AWS call a local run makes (the runtime handlers' SDK calls, what
// Step Functions calls for each task), plus what services call on the roles' behalf and every
// integration the definitions use, evaluated against the synthesized policies of the calling role.
// 0 denied; and dropping any one statement denies at least one call (no statement goes unused).
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCall } from '../../lib/local/aws-calls';
import { repositoryHandlerModules } from '../../lib/local/handler-modules';
import { signatureHeader } from '../../lib/runtime/webhook/signature';
import { fixture } from '../asl/render-helpers';
import { startLocalWorkflows, type LocalWorkflows } from '../e2e/local-run';
import { E2E_FIXTURES, eventually, Gates, historyEvent, RuntimeTable, stateEntered } from '../fixtures/e2e/support';
import { describeStatement, rolePolicies, type RoleStatement, type Template } from './policies';
import { serviceCalls } from './service-calls';
import { distinctCalls, evaluateCall, evaluateCalls, formatVerdict } from './simulate';

const SECRET = 'iam-test-webhook-secret';

/**
 * Statements no call of a stepdeploy run needs, each with why it stays. Anything else a mutation
 * finds unused is a least-privilege violation.
 */
const justified: readonly { readonly role: RegExp; readonly statement: RegExp; readonly reason: string }[] = [
  {
    role: /^RuntimeRunnerRole/,
    statement: /codebuild:CreateReportGroup/,
    reason: 'aws-cdk-lib’s Project adds report-group permissions scoped to the project’s own report groups; stepdeploy’s buildspecs declare no reports',
  },
  {
    role: /^RuntimeRunnerRole/,
    statement: /logs:CreateLogGroup.*\/aws\/codebuild\//,
    reason: 'aws-cdk-lib’s Project grants its default log group /aws/codebuild/<project>; stepdeploy sends build logs to its own group instead',
  },
  {
    role: /^RuntimeRunnerRole/,
    statement: /kms:Decrypt.*key\//,
    reason: 'the project’s encryption key (aws-cdk-lib grants the role use of it): CodeBuild encrypts build output with it, and a run step produces none today',
  },
];

describe('IAM of a stepdeploy stack, by simulation', () => {
  let local: LocalWorkflows;
  let gates: Gates;
  let template: Template;
  const recorded: AwsCall[] = [];
  let clockAhead = 0;

  beforeAll(async () => {
    gates = await Gates.create();
    // 256 cells of 12 steps pass the history budget inline: the cells run as a Distributed Map (synthesized, not run here).
    const wide = gates.path('wide.yml');
    const list = (prefix: string) => `[${Array.from({ length: 16 }, (_, i) => `${prefix}${i}`).join(', ')}]`;
    const steps = Array.from({ length: 12 }, (_, i) => `      - run: echo ${i}\n`).join('');
    await writeFile(wide, `on: workflow_dispatch\njobs:\n  deploy:\n    strategy:\n      matrix:\n        region: ${list('r')}\n        target: ${list('t')}\n    steps:\n${steps}`);
    local = await startLocalWorkflows(
      // checkout.yml: its start runners take a snapshot as their S3 source (synthesized, not run here).
      [`${E2E_FIXTURES}/held.yml`, `${E2E_FIXTURES}/cancel-gated.yml`, fixture('steps'), fixture('triggers'), wide, `${import.meta.dirname}/../fixtures/e2e-runner/checkout.yml`],
      {
        recordAwsCalls: (call) => void recorded.push(call),
        webhookSecret: SECRET,
        userLambdas: { 'notify-team': async () => ({ ok: true }) },
        // The status-change handler's clock can run ahead, so that the sweep finds a lease run out.
        handlerModules: async (name) => {
          const module = await repositoryHandlerModules(name);
          return name === 'status-change' ? { createHandler: (deps) => module.createHandler({ ...deps, now: () => Date.now() + clockAhead }) } : module;
        },
      },
    );
    template = local.template as unknown as Template;

    // A holder, a waiter behind it, and the holder aborted: the status-change handler releases and wakes.
    const holder = local.start('held', { gate: gates.path('never'), lane: 'a' });
    await historyEvent(local.engine, holder, stateEntered('deploy.step-1: run'));
    const waiter = local.start('held', { gate: gates.path('open'), lane: 'a' });
    const table = await RuntimeTable.of(local.engine);
    await eventually('the waiter queued', async () => ((await table.members('held-a')).queue.length === 1 ? true : undefined));
    await local.engine.stopExecution(holder, { error: 'Test', cause: 'abort a holder' });
    await gates.open('open');
    expect((await local.finish(waiter)).status).toBe('SUCCEEDED');

    // cancel-in-progress: the newcomer stops the holder (StopExecution by the coordinator).
    const older = local.start('cancel-gated', { gate: gates.path('never'), lane: 'b' });
    await historyEvent(local.engine, older, stateEntered('deploy.step-1: run'));
    const newer = local.start('cancel-gated', { gate: gates.path('open'), lane: 'b' });
    expect((await local.finish(older)).status).toBe('ABORTED');
    expect((await local.finish(newer)).status).toBe('SUCCEEDED');

    // Run steps, a matrix, a user Lambda function.
    expect((await local.finish(local.start('steps', { version: '1.2.3' }))).status).toBe('SUCCEEDED');

    // A signed push: the receiver reads its secret and puts the event on the bus; the router starts the workflow.
    const url = local.engine.functionUrls.find((candidate) => candidate.handler === 'webhook')!;
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: 'a'.repeat(40),
      repository: { full_name: 'octo/app' },
      pusher: { name: 'octocat' },
      head_commit: { id: 'a'.repeat(40), message: 'Ship it', timestamp: '2026-01-31T12:00:00Z', url: 'https://example.com', author: { username: 'octocat' } },
      commits: [{ added: ['src/app.ts'], modified: [], removed: [] }],
    });
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signatureHeader(SECRET, body) };
    const response = (await local.engine.invokeFunction(url.functionName, { headers, body, requestContext: { http: { method: 'POST' } } })) as { statusCode: number };
    expect(response.statusCode).toBe(202);
    await local.engine.eventsDelivered();
    const triggers = local.engine.stateMachines.find((machine) => machine.id === 'triggers')!;
    const pushed = await eventually('the pushed execution', () => local.engine.listExecutions(triggers.arn)[0]?.executionArn);
    expect((await local.finish(pushed)).status).toBe('SUCCEEDED');

    // The lease sweep (a scheduled event) while a holder's lease has run out: Scan, then
    // DescribeExecution finds the holder still running and extends its lease.
    const statusChange = Object.keys(template.Resources).find((id) => template.Resources[id]!.Metadata?.['stepdeploy:handler'] === 'status-change')!;
    const longHolder = local.start('held', { gate: gates.path('long'), lane: 'c' });
    await historyEvent(local.engine, longHolder, stateEntered('deploy.step-1: run'));
    clockAhead = 11 * 60_000;
    await local.engine.invokeFunction(statusChange, { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    clockAhead = 0;
    await gates.open('long');
    expect((await local.finish(longHolder)).status).toBe('SUCCEEDED');
  }, 600_000);

  afterAll(async () => {
    await local?.close();
  });

  const allCalls = (): AwsCall[] => distinctCalls([...recorded, ...serviceCalls(template)]);

  it('allows every recorded call and every call a service makes for a role', async () => {
    const verdicts = await evaluateCalls(allCalls(), rolePolicies(template));
    if (process.env.STEPDEPLOY_IAM_PAIRS === '1') console.log(verdicts.map(formatVerdict).join('\n'));
    expect(verdicts.filter((verdict) => verdict.result !== 'Allowed').map(formatVerdict)).toEqual([]);
    // Every caller was seen: the runtime functions, the state machines, the runner, the schedule's role.
    const roles = new Set(verdicts.map((verdict) => verdict.call.role.replace(/[0-9A-F]{8}$/, '')));
    for (const role of ['RuntimeEvaluateRole', 'RuntimeCoordinatorRole', 'RuntimeStatusChangeRole', 'RuntimeGitHubWebhookReceiverRole', 'RuntimeGitHubWebhookRouterRole', 'RuntimeRunnerRole', 'WorkflowstepsStateMachineRole', 'WorkflowtriggersStateMachineEventsRole', 'WorkflowwideStateMachineRole']) {
      expect(roles).toContain(role);
    }
  });

  it('needs every statement: dropping any one denies a call (or the statement is justified above)', async () => {
    const calls = allCalls();
    const unused: string[] = [];
    const justifiedSeen = new Set<string>();
    for (const [role, { statements }] of rolePolicies(template)) {
      const own = calls.filter((call) => call.role === role);
      for (const dropped of statements) {
        const rest = statements.filter((statement) => statement !== dropped);
        const results = await Promise.all(own.map((call) => evaluateCall(call, rest)));
        if (results.some((result) => result !== 'Allowed')) continue;
        const reason = justified.find((entry) => entry.role.test(role) && entry.statement.test(describeStatement(dropped)));
        if (reason) justifiedSeen.add(reason.reason);
        else unused.push(`${role}: ${describeStatement(dropped)}`);
      }
    }
    expect(unused).toEqual([]);
    // A justification that no longer matches anything is stale.
    expect([...justifiedSeen].sort()).toEqual(justified.map((entry) => entry.reason).sort());
  });

  it('checks what a Distributed Map starts and follows: child executions of the same state machine', () => {
    const wide = allCalls().filter((call) => call.role.startsWith('WorkflowwideStateMachineRole') && call.action.startsWith('states:'));
    expect(wide.map((call) => `${call.action} ${call.resource}`)).toEqual([
      'states:DescribeExecution arn:aws:states:us-east-1:000000000000:execution:StepDeploy_wide/deploy:child-1',
      'states:StartExecution arn:aws:states:us-east-1:000000000000:stateMachine:StepDeploy_wide',
      'states:StopExecution arn:aws:states:us-east-1:000000000000:execution:StepDeploy_wide/deploy:child-1',
    ]);
  });

  it('denies what the policies do not grant: the misspelt CodeBuild rule, another stack’s executions', async () => {
    const roles = rolePolicies(template);
    const machineRole = [...roles.keys()].find((role) => role.startsWith('WorkflowstepsStateMachineRole'))!;
    const coordinatorRole = [...roles.keys()].find((role) => role.startsWith('RuntimeCoordinatorRole'))!;
    const denied = async (role: string, action: string, resource: string): Promise<string> => evaluateCall({ role, action, resource, by: 'test' }, roles.get(role)!.statements);
    expect(await denied(machineRole, 'events:PutRule', 'arn:aws:events:us-east-1:000000000000:rule/StepFunctionsGetEventsForCodeBuildStartBuildRule')).toBe('ImplicitlyDenied');
    expect(await denied(coordinatorRole, 'states:StopExecution', 'arn:aws:states:us-east-1:000000000000:execution:StepDeploy-prod_held:run-1')).toBe('ImplicitlyDenied');
    expect(await denied(coordinatorRole, 'dynamodb:Scan', 'arn:aws:dynamodb:us-east-1:000000000000:table/RuntimeTable63D852E2')).toBe('ImplicitlyDenied');
  });
});
