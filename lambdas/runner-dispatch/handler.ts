// Runner-dispatch Lambda: hands a `run` step (with its task token) to its job cell's runner.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CreateHandler } from '../../lib/runtime/deps';
import { dispatchStep, parseDispatchRequest, type DispatchResult } from '../../lib/runtime/runners';

export const createHandler: CreateHandler<unknown, DispatchResult> = (deps) => async (event) => dispatchStep(deps, parseDispatchRequest(event));

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
});
