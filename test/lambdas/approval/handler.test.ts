// The approval function as its AWS_IAM function URL calls it: the identity is the URL's authorizer's,
// checked against the reviewers stored with the pending approval. The table is dynalite; Step
// Functions' task-token API is the one faked part (test/runtime/coordination/support).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type ApprovalUrlEvent } from '../../../lambdas/approval/handler';
import { requestApproval } from '../../../lib/runtime/approvals/approvals';
import { reviewerNames } from '../../../lib/runtime/approvals/answer';
import { startTable, type TestTable } from '../../runtime/coordination/support/dynalite-table';
import { arn, freshToken, harness, itemsUnder, T0 } from '../../runtime/coordination/support/contenders';

let table: TestTable;
beforeAll(async () => {
  table = await startTable('approvals');
});
afterAll(async () => {
  await table.close();
});

const ALICE = 'arn:aws:iam::123456789012:user/deployers/alice';
const MALLORY = 'arn:aws:iam::123456789012:user/mallory';
const call = (principal: string | undefined, body: unknown): ApprovalUrlEvent => ({
  body: JSON.stringify(body),
  requestContext: { http: { method: 'POST' }, ...(principal !== undefined ? { authorizer: { iam: { userArn: principal } } } : {}) },
});
const parsed = (result: { statusCode: number; body: string }) => ({ status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> });

async function pending(run: string, job = 'ship', reviewers = ['alice'], cell?: number) {
  const h = harness(table);
  const taskToken = freshToken(`${run}-${job}`);
  await requestApproval(h.deps, { executionArn: arn(run), job, ...(cell !== undefined ? { cell } : {}), environment: 'production', reviewers, taskToken });
  h.sfn.running.add(arn(run));
  return { h, taskToken, handle: createHandler(h.deps) };
}

describe('approval function', () => {
  it('answers the pending approval of a reviewer with the reviewer entry their identity matched, the time and the comment', async () => {
    const { h, taskToken, handle } = await pending('a');
    const result = parsed(await handle(call(ALICE, { executionArn: arn('a'), decision: 'approved', comment: 'ship it' })));
    expect(result).toEqual({ status: 200, body: { answered: [{ job: 'ship', environment: 'production', approver: 'alice' }] } });
    expect(await h.sfn.outcome(taskToken)).toEqual({ kind: 'success', output: { decision: 'approved', approver: 'alice', comment: 'ship it', at: new Date(T0).toISOString() } });
  });

  it('refuses a caller who is not a reviewer, whatever the body says, and leaves the token unanswered', async () => {
    const { h, taskToken, handle } = await pending('b');
    const result = parsed(await handle(call(MALLORY, { executionArn: arn('b'), decision: 'approved', approver: 'alice' })));
    expect(result).toEqual({
      status: 403,
      body: { refusal: 'not-a-reviewer', message: `${MALLORY} is not a required reviewer of environment 'production' (reviewers: alice)` },
    });
    expect(h.sfn.completed(taskToken)).toBeUndefined();
    expect(h.sfn.callsTo('SendTaskSuccess')).toEqual([]);
    expect(await itemsUnder(table, `approval#${arn('b')}`)).toHaveLength(1);
  });

  it('refuses a request without an IAM identity (a URL not on AWS_IAM auth)', async () => {
    const { handle } = await pending('c');
    expect(parsed(await handle(call(undefined, { executionArn: arn('c'), decision: 'approved' })))).toMatchObject({ status: 403, body: { refusal: 'not-a-reviewer' } });
  });

  it('answers every waiting cell of a matrix job, and asks to choose when several jobs wait', async () => {
    const { h, handle } = await pending('d', 'deploy', ['alice'], 0);
    await requestApproval(h.deps, { executionArn: arn('d'), job: 'deploy', cell: 1, environment: 'production', reviewers: ['alice'], taskToken: 'token-d-1' });
    await requestApproval(h.deps, { executionArn: arn('d'), job: 'migrate', environment: 'production', reviewers: ['alice'], taskToken: 'token-d-m' });
    expect(parsed(await handle(call(ALICE, { executionArn: arn('d'), decision: 'rejected' })))).toEqual({
      status: 409,
      body: { refusal: 'choose-job', message: 'several jobs wait for an approval (deploy, migrate): choose one' },
    });
    const answered = parsed(await handle(call(ALICE, { executionArn: arn('d'), job: 'deploy', decision: 'rejected' })));
    expect(answered.body['answered']).toEqual([
      { job: 'deploy', cell: 0, environment: 'production', approver: 'alice' },
      { job: 'deploy', cell: 1, environment: 'production', approver: 'alice' },
    ]);
    expect(h.sfn.callsTo('SendTaskSuccess').map((sent) => (sent.api === 'SendTaskSuccess' ? sent.output['decision'] : undefined))).toEqual(['rejected', 'rejected']);
  });

  it('says when a run has ended (its approvals were dropped) or its task is gone', async () => {
    const h = harness(table);
    const handle = createHandler(h.deps);
    expect(parsed(await handle(call(ALICE, { executionArn: arn('gone'), decision: 'approved' })))).toEqual({
      status: 410,
      body: { refusal: 'ended', message: 'the execution has ended (SUCCEEDED); its pending approvals were dropped' },
    });
    const late = await pending('late');
    late.h.sfn.deadTokens.add(late.taskToken);
    expect(parsed(await late.handle(call(ALICE, { executionArn: arn('late'), decision: 'approved' })))).toEqual({
      status: 410,
      body: { refusal: 'ended', message: 'the approval of job ship → environment production is no longer pending (TaskTimedOut): its run ended or it timed out' },
    });
  });

  it('refuses a malformed request with the rule it breaks', async () => {
    const { handle } = await pending('e');
    expect(parsed(await handle(call(ALICE, { executionArn: arn('e'), decision: 'yes' })))).toEqual({ status: 400, body: { refusal: 'bad-request', message: "decision must be 'approved' or 'rejected'" } });
    expect(parsed(await handle({ ...call(ALICE, {}), body: 'not json' }))).toEqual({ status: 400, body: { refusal: 'bad-request', message: 'the body is not JSON' } });
    expect(parsed(await handle(call(ALICE, { executionArn: 'run-1', decision: 'approved' })))).toEqual({ status: 400, body: { refusal: 'bad-request', message: 'executionArn must be an execution ARN' } });
  });
});

describe('reviewerNames', () => {
  it('names an IAM user and an Identity Center user by name, any other session only by its ARN', () => {
    expect(reviewerNames(ALICE)).toEqual([ALICE, 'alice']);
    const sso = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Deployers_0123abcd/bob@example.com';
    expect(reviewerNames(sso)).toEqual([sso, 'bob@example.com']);
    const session = 'arn:aws:sts::123456789012:assumed-role/CiRole/alice';
    expect(reviewerNames(session)).toEqual([session]);
  });
});
