// A Lambda function URL on loopback: each HTTP request becomes the event a function URL sends
// (payload format 2.0), the function runs in-process, and its result becomes the HTTP response, so
// that `curl` reaches the handler exactly as GitHub reaches it in AWS.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT } from './local-arns';
import { guarded, listenOnLoopback } from './loopback-server';

export interface FunctionUrlServerOptions {
  readonly host: '127.0.0.1';
  /** 0: any free port. */
  readonly port: number;
  /** Runs the function on the event; resolves to what the handler returned. */
  readonly invoke: (event: FunctionUrlRequestEvent) => Promise<unknown>;
  /** A request the function failed on (the client gets 502, as from AWS). */
  readonly onError?: (error: Error) => void;
  /**
   * AWS_IAM: as in AWS, a request without a SigV4 signature gets 403 and the function sees the
   * signer in `requestContext.authorizer.iam`. Locally there is no IAM: the signature is not checked
   * and the signer's access key id is taken as an IAM user's name in the local account.
   */
  readonly authType?: 'AWS_IAM' | 'NONE';
}

/** `requestContext.authorizer.iam` of an AWS_IAM function URL event. */
export interface IamAuthorizer {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly userArn: string;
  readonly userId: string;
}

/** The signer named by a SigV4 Authorization header (`Credential=<access key id>/…`), if it has one. */
export function localIamAuthorizer(authorization: string | undefined): IamAuthorizer | undefined {
  const accessKey = /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9+=,.@_-]{1,64})\//.exec(authorization ?? '')?.[1];
  if (accessKey === undefined) return undefined;
  return { accessKey, accountId: LOCAL_ACCOUNT, callerId: accessKey, userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/${accessKey}`, userId: accessKey };
}

export interface FunctionUrlServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  close(): Promise<void>;
}

/** The function URL event, payload format 2.0. */
export interface FunctionUrlRequestEvent {
  readonly version: '2.0';
  readonly routeKey: '$default';
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly queryStringParameters?: Readonly<Record<string, string>>;
  readonly requestContext: {
    readonly accountId: 'anonymous';
    readonly apiId: string;
    readonly domainName: string;
    readonly domainPrefix: string;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
    readonly requestId: string;
    readonly routeKey: '$default';
    readonly stage: '$default';
    readonly time: string;
    readonly timeEpoch: number;
    readonly authorizer?: { readonly iam: IamAuthorizer };
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

/** Function URLs accept request payloads up to 6 MB. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2026:19:03:58 +0000`, the request time format of function URL events. */
const requestTime = (date: Date): string =>
  `${String(date.getUTCDate()).padStart(2, '0')}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${date.toISOString().slice(11, 19)} +0000`;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are UTF-8; otherwise base64, flagged, so that binary bodies arrive intact. */
function encodeBody(bytes: Buffer): { body?: string; isBase64Encoded: boolean } {
  if (bytes.length === 0) return { isBase64Encoded: false };
  try {
    return { body: utf8.decode(bytes), isBase64Encoded: false };
  } catch {
    return { body: bytes.toString('base64'), isBase64Encoded: true };
  }
}

export function toFunctionUrlEvent(request: IncomingMessage, body: Buffer, now = new Date()): FunctionUrlRequestEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    // As in AWS: names lower case, repeated headers joined with commas, cookies in a list of their own.
    if (name === 'cookie') cookies = String(value).split(/;\s*/).filter((cookie) => cookie !== '');
    else headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const host = headers['host'] ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...encodeBody(body),
  };
}

interface HttpReply {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * The handler's result → the HTTP response, as function URLs map it: `{ statusCode, headers, body,
 * isBase64Encoded, cookies }` is taken as the response; any other value is sent as a 200 JSON body.
 */
export function toHttpReply(result: unknown): HttpReply & { readonly cookies: readonly string[] } {
  const record = typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : undefined;
  if (record === undefined || typeof record['statusCode'] !== 'number') {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(result ?? null)), cookies: [] };
  }
  const headers: Record<string, string> = {};
  if (typeof record['headers'] === 'object' && record['headers'] !== null) {
    for (const [name, value] of Object.entries(record['headers'] as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
  }
  const text = typeof record['body'] === 'string' ? record['body'] : record['body'] === undefined ? '' : JSON.stringify(record['body']);
  const body = Buffer.from(text, record['isBase64Encoded'] === true ? 'base64' : 'utf8');
  const cookies = Array.isArray(record['cookies']) ? record['cookies'].map(String) : [];
  return { statusCode: record['statusCode'], headers, body, cookies };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early would destroy the socket before the 413.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

function reply(response: ServerResponse, statusCode: number, headers: Record<string, string>, body: Buffer, cookies: readonly string[] = []): void {
  response.writeHead(statusCode, { ...headers, 'content-length': String(body.length), ...(cookies.length > 0 ? { 'set-cookie': [...cookies] } : {}) });
  response.end(body);
}

/** One request to the function: also served under a path of the engine's API port (lib/local/sfn-api-server.ts). */
export async function handleFunctionUrlRequest(options: Pick<FunctionUrlServerOptions, 'invoke' | 'onError' | 'authType'>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    reply(response, 413, { 'content-type': 'application/json' }, Buffer.from(`{"Message":"Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation"}`));
    return;
  }
  const authorizer = options.authType === 'AWS_IAM' ? localIamAuthorizer(request.headers.authorization) : undefined;
  if (options.authType === 'AWS_IAM' && authorizer === undefined) {
    reply(response, 403, { 'content-type': 'application/json' }, Buffer.from('{"Message":"Forbidden"}'));
    return;
  }
  const event = toFunctionUrlEvent(request, body);
  let result: unknown;
  try {
    result = await options.invoke(authorizer === undefined ? event : { ...event, requestContext: { ...event.requestContext, authorizer: { iam: authorizer } } });
  } catch (error) {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
    reply(response, 502, { 'content-type': 'application/json' }, Buffer.from('{"Message":"Internal Server Error"}'));
    return;
  }
  const { statusCode, headers, body: payload, cookies } = toHttpReply(result);
  reply(response, statusCode, headers, payload, cookies);
}

export async function startFunctionUrlServer(options: FunctionUrlServerOptions): Promise<FunctionUrlServer> {
  const server = createServer(guarded((request, response) => handleFunctionUrlRequest(options, request, response)));
  const { endpoint, close } = await listenOnLoopback(server, options.host, options.port);
  return { url: `${endpoint}/`, close };
}
