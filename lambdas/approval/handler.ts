// Function URL handler (AWS_IAM auth, payload format 2.0) that answers a pending deployment approval:
// `stepdeploy approve` / `reject` POST `{ executionArn, job?, decision, comment? }` signed with the
// caller's AWS credentials. The caller is who the URL's authorizer says (never a name in the body),
// checked against the environment's required reviewers by lib/runtime/approvals/answer.ts.
// Environment: TABLE_NAME (the runtime table, where pending approvals are items).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CreateHandler } from '../../lib/runtime/deps';
import { answerApproval, AnswerRefused, type AnswerRefusal, type AnswerRequest } from '../../lib/runtime/approvals/answer';

/** The parts of a function URL request this handler reads. */
export interface ApprovalUrlEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: {
    readonly http?: { readonly method?: string };
    /** Present only on an AWS_IAM function URL: the signer of the request. */
    readonly authorizer?: { readonly iam?: { readonly userArn?: string } };
  };
}

export interface ApprovalUrlResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const statusOf: Readonly<Record<AnswerRefusal, number>> = {
  'bad-request': 400,
  'not-a-reviewer': 403,
  'nothing-pending': 404,
  'choose-job': 409,
  ended: 410,
};

const reply = (statusCode: number, body: unknown): ApprovalUrlResult => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const createHandler: CreateHandler<ApprovalUrlEvent, ApprovalUrlResult> = (deps) => async (event) => {
  const principal = event.requestContext?.authorizer?.iam?.userArn;
  // Never reached through AWS (the URL's AWS_IAM auth refuses unsigned calls first): a wiring mistake.
  if (principal === undefined || principal === '') return reply(403, { refusal: 'not-a-reviewer', message: 'the request carries no IAM identity: the approval URL must use AWS_IAM auth' });
  const method = event.requestContext?.http?.method ?? 'POST';
  if (method !== 'POST') return reply(405, { refusal: 'bad-request', message: `method ${method} not allowed: answer with POST` });
  try {
    const answered = await answerApproval(deps, { ...parseRequest(event), principal });
    return reply(200, { answered });
  } catch (error) {
    if (error instanceof AnswerRefused) return reply(statusOf[error.refusal], { refusal: error.refusal, message: error.message });
    throw error;
  }
};

function parseRequest(event: ApprovalUrlEvent): Omit<AnswerRequest, 'principal'> {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8'));
  } catch {
    throw new AnswerRefused('bad-request', 'the body is not JSON');
  }
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { executionArn, job, decision, comment } = record;
  if (typeof executionArn !== 'string' || !/^arn:aws[a-z-]*:states:/.test(executionArn)) throw new AnswerRefused('bad-request', 'executionArn must be an execution ARN');
  if (decision !== 'approved' && decision !== 'rejected') throw new AnswerRefused('bad-request', "decision must be 'approved' or 'rejected'");
  if (job !== undefined && typeof job !== 'string') throw new AnswerRefused('bad-request', 'job must be a string');
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 4096)) throw new AnswerRefused('bad-request', 'comment must be a string of at most 4,096 characters');
  return { executionArn, decision, ...(job !== undefined ? { job } : {}), ...(comment !== undefined ? { comment } : {}) };
}

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
});
