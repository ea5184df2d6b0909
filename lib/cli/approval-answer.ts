// Sending an answer to the approval function (lambdas/approval): a POST to its function URL, signed
// with SigV4 for the `lambda` service, as AWS_IAM auth wants. In AWS the URL is the state machine's
// `stepdeploy:approval-url` tag and the signature is made with the caller's credentials, so the
// function sees who they are. A local engine serves the function at `<endpoint>/function-urls/approval/`
// and, having no IAM, takes the signer's access key id as the user name (`--as NAME`).

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ListTagsForResourceCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { APPROVAL_URL_TAG, type ApprovalDecision } from '../runtime/approvals/approvals';
import { LOCAL_REGION } from './sfn-client';

/** AWS credentials as the SDK's providers give them. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The path a local engine serves a template function's URL under (lib/local/engine.ts). */
export const localFunctionUrl = (endpoint: string, handler: string): string => `${endpoint.replace(/\/$/, '')}/function-urls/${handler}/`;

/** SHA-256 (and its HMAC) as SignatureV4 asks for them, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** Where this execution's approvals are answered: the state machine's tag (AWS) or the local engine's path. */
export async function approvalUrl(sfn: SFNClient, executionArn: string, endpoint: string | undefined): Promise<string> {
  if (endpoint !== undefined) return localFunctionUrl(endpoint, 'approval');
  const [, partition, , region, account, , machine] = executionArn.split(':');
  const stateMachineArn = `arn:${partition}:states:${region}:${account}:stateMachine:${machine}`;
  const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
  const url = tags?.find((tag) => tag.key === APPROVAL_URL_TAG)?.value;
  if (url === undefined) throw new Error(`the state machine has no ${APPROVAL_URL_TAG} tag, so there is no approval function to answer: deploy this version of stepdeploy (cdk deploy)`);
  return url;
}

export interface AnswerReply {
  readonly status: number;
  readonly answered?: readonly { readonly job: string; readonly cell?: number; readonly environment: string; readonly approver: string }[];
  readonly message?: string;
}

/** POSTs the answer, signed; the function's reply (200 with what it answered, or why it refused). */
export async function postAnswer(
  url: string,
  body: { readonly executionArn: string; readonly job?: string; readonly decision: ApprovalDecision['decision']; readonly comment?: string },
  signer: { readonly credentials: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>); readonly region: string },
): Promise<AnswerReply> {
  const target = new URL(url);
  const text = JSON.stringify(body);
  const signature = new SignatureV4({ service: 'lambda', region: signer.region, credentials: signer.credentials, sha256: NodeSha256 });
  const signed = await signature.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port !== '' ? { port: Number(target.port) } : {}),
    path: target.pathname,
    query: {},
    headers: { host: target.host, 'content-type': 'application/json' },
    body: text,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: text });
  const reply = (await response.json().catch(() => ({}))) as { answered?: AnswerReply['answered']; message?: string; Message?: string };
  return { status: response.status, ...(reply.answered ? { answered: reply.answered } : {}), ...(reply.message ?? reply.Message ? { message: reply.message ?? reply.Message } : {}) };
}

/** The signer of an answer: the caller's AWS credentials, or locally the user name as the access key id. */
export async function answerSigner(sfn: SFNClient, endpoint: string | undefined, localUser: string): Promise<{ credentials: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>); region: string }> {
  if (endpoint !== undefined) return { credentials: { accessKeyId: localUser, secretAccessKey: 'local' }, region: LOCAL_REGION };
  return { credentials: () => sfn.config.credentials(), region: await sfn.config.region() };
}
