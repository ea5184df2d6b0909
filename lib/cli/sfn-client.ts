// The Step Functions client the start/watch/cancel commands talk to: AWS through the default
// credential chain, or a local engine's API with `--endpoint URL` (which needs no real credentials).

import type { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { UsageError } from './args';

/** Local engines answer in us-east-1 (docs/architecture.md, local engine conventions). */
export const LOCAL_REGION = 'us-east-1';

export function createSfnClient(endpoint: string | undefined): SFNClient {
  if (endpoint === undefined) return new SFNClient({});
  return new SFNClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** What the commands need from outside: tests swap the client factory and skip the waiting. */
export interface SfnCommandDeps {
  readonly sfnClient: (endpoint: string | undefined) => SFNClient;
  readonly sleep: (ms: number) => Promise<void>;
  /** The S3 client `stepdeploy start` uploads snapshots with (default: the AWS default chain). */
  readonly s3Client?: () => S3Client;
}

export const defaultSfnCommandDeps: SfnCommandDeps = {
  sfnClient: createSfnClient,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `--endpoint` must be an http(s) URL; anything else is a usage mistake. */
export function checkEndpoint(endpoint: string | undefined, command: string): string | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--endpoint '${endpoint}' is not an http(s) URL`, command);
  }
  return endpoint;
}

/** Where a person can look at an execution: the AWS console, or the local endpoint it runs on. */
export function executionLocation(executionArn: string, endpoint: string | undefined): string {
  if (endpoint !== undefined) return `endpoint ${endpoint}`;
  const region = executionArn.split(':')[3] ?? LOCAL_REGION;
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** An SDK error as one line: the service's error name and message, or the network/credential failure. */
export function sfnErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'Error' || error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
}

/** arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:NAME (a local engine may use its own account). */
export const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/;
