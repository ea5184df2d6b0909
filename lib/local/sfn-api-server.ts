// The Step Functions API of the local engine: AWS JSON 1.0 over HTTP on loopback, so that the AWS
// SDK, the AWS CLI and the runtime handlers talk to it exactly as to AWS (`X-Amz-Target:
// AWSStepFunctions.<Operation>`, errors as `{ "__type", "message" }` with status 400).

import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { guarded, listenOnLoopback, type LoopbackServer } from './loopback-server';
import { SfnApiError } from './api-errors';
import { handleFunctionUrlRequest, type FunctionUrlServerOptions } from './function-url-server';

/** What the server needs from the engine; every method throws SfnApiError for API errors. */
export interface StepFunctionsBackend {
  startExecution(stateMachineArn: string, input?: string, name?: string): StartExecutionOutput;
  describeExecution(executionArn: string): DescribeExecutionOutput;
  listExecutions(stateMachineArn: string, statusFilter?: string): ListExecutionsOutput['executions'];
  listStateMachines(): ListStateMachinesOutput['stateMachines'];
  describeStateMachine(stateMachineArn: string): DescribeStateMachineOutput;
  stopExecution(executionArn: string, reason?: { error?: string; cause?: string }): Promise<StopExecutionOutput>;
  getExecutionHistory(executionArn: string): readonly HistoryEvent[];
  sendTaskSuccess(taskToken: unknown, output: unknown): void;
  sendTaskFailure(taskToken: unknown, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: unknown): void;
}

type Request = Record<string, unknown>;

/**
 * Another AWS JSON API served on the same port, told apart by its `X-Amz-Target` prefix
 * (`AWSEvents.`, `secretsmanager.`); operations throw SfnApiError for API errors, as the backend does.
 */
export interface JsonApiService {
  readonly targetPrefix: string;
  readonly contentType: string;
  readonly operations: Readonly<Record<string, (request: Request) => unknown>>;
}

const text = (request: Request, field: string, required = false): string | undefined => {
  const value = request[field];
  if (value === undefined || value === null) {
    if (required) throw new SfnApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SfnApiError('ValidationException', `Value at '${field}' must be a string`);
  return value;
};

/** Pages of a list: `nextToken` is the offset of the next page. */
function page<T>(items: readonly T[], request: Request): { items: T[]; nextToken?: string } {
  const maxResults = typeof request['maxResults'] === 'number' && request['maxResults'] > 0 ? request['maxResults'] : 1000;
  const start = request['nextToken'] === undefined ? 0 : Number(request['nextToken']);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new SfnApiError('InvalidToken', 'Invalid Token');
  const end = start + maxResults;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

const operations: Record<string, (backend: StepFunctionsBackend, request: Request) => unknown> = {
  StartExecution: (backend, request) => backend.startExecution(text(request, 'stateMachineArn', true)!, text(request, 'input'), text(request, 'name')),
  DescribeExecution: (backend, request) => backend.describeExecution(text(request, 'executionArn', true)!),
  ListExecutions: (backend, request) => {
    const { items, nextToken } = page(backend.listExecutions(text(request, 'stateMachineArn', true)!, text(request, 'statusFilter')) ?? [], request);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  },
  ListStateMachines: (backend, request) => {
    const { items, nextToken } = page(backend.listStateMachines() ?? [], request);
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  },
  DescribeStateMachine: (backend, request) => backend.describeStateMachine(text(request, 'stateMachineArn', true)!),
  StopExecution: (backend, request) =>
    backend.stopExecution(text(request, 'executionArn', true)!, { error: text(request, 'error'), cause: text(request, 'cause') }),
  GetExecutionHistory: (backend, request) => {
    const events = [...backend.getExecutionHistory(text(request, 'executionArn', true)!)];
    if (request['reverseOrder'] === true) events.reverse();
    const { items, nextToken } = page(events, request);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  },
  SendTaskSuccess: (backend, request) => {
    backend.sendTaskSuccess(request['taskToken'], text(request, 'output', true));
    return {};
  },
  SendTaskFailure: (backend, request) => {
    backend.sendTaskFailure(request['taskToken'], text(request, 'error'), text(request, 'cause'));
    return {};
  },
  SendTaskHeartbeat: (backend, request) => {
    backend.sendTaskHeartbeat(request['taskToken']);
    return {};
  },
};

/** AWS JSON sends timestamps as epoch seconds. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

/** Far above any request AWS accepts (256 KiB payloads): a bigger body is refused, not held in memory. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving early would destroy the socket before the answer.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_REQUEST_BYTES) throw new SfnApiError('ValidationException', `Request body is ${size} bytes; the limit is ${MAX_REQUEST_BYTES}`);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.0'): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

/** A template function with a function URL, served at `/function-urls/<handler>/` on this port. */
export type FunctionUrlLookup = (handler: string) => Pick<FunctionUrlServerOptions, 'invoke' | 'onError' | 'authType'> | undefined;

const FUNCTION_URL_PATH = /^\/function-urls\/([a-z][a-z-]*)\//;

async function handle(backend: StepFunctionsBackend, services: readonly JsonApiService[], functionUrls: FunctionUrlLookup, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const urlHandler = target === '' ? FUNCTION_URL_PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname)?.[1] : undefined;
  const urlFunction = urlHandler === undefined ? undefined : functionUrls(urlHandler);
  if (urlFunction !== undefined) return handleFunctionUrlRequest(urlFunction, request, response);
  const service = services.find((candidate) => target.startsWith(candidate.targetPrefix));
  const stepFunctions = !service && target.startsWith('AWSStepFunctions.') ? operations[target.slice('AWSStepFunctions.'.length)] : undefined;
  const operation = service?.operations[target.slice(service.targetPrefix.length)] ?? (stepFunctions && ((parsed: Request) => stepFunctions(backend, parsed)));
  const contentType = service?.contentType;
  try {
    if (request.method !== 'POST' || !operation) throw new SfnApiError('UnknownOperationException', `Unknown operation ${JSON.stringify(target)}`);
    const body = await readBody(request);
    let parsed: unknown;
    try {
      parsed = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new SfnApiError('SerializationException', 'Request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SfnApiError('SerializationException', 'Request body must be a JSON object');
    send(response, 200, toWire(await operation(parsed as Request)), contentType);
  } catch (error) {
    if (error instanceof SfnApiError) send(response, 400, { __type: error.code, message: error.message }, contentType);
    else send(response, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) }, contentType);
  }
}

export type SfnApiServer = LoopbackServer;

export async function startSfnApiServer(
  backend: StepFunctionsBackend,
  options: { host: string; port: number; services?: readonly JsonApiService[]; functionUrls?: FunctionUrlLookup },
): Promise<SfnApiServer> {
  const server: Server = createServer(guarded((request, response) => handle(backend, options.services ?? [], options.functionUrls ?? (() => undefined), request, response)));
  return listenOnLoopback(server, options.host, options.port);
}
