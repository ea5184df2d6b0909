// Target of the "Step Functions Execution Status Change" rule: releases what an ended execution holds.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CreateHandler } from '../../lib/runtime/deps';
import { parseStatusChange, releaseExecution, type ExecutionCleanup } from '../../lib/runtime/coordination';

export type StatusChangeResult = { readonly ignored: true; readonly status: string } | ({ readonly ignored: false } & ExecutionCleanup);

export const createHandler: CreateHandler<unknown, StatusChangeResult> = (deps) => async (event) => {
  const change = parseStatusChange(event);
  if (!change.ended) return { ignored: true, status: change.status };
  return { ignored: false, ...(await releaseExecution(deps, change.executionArn)) };
};

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
});
