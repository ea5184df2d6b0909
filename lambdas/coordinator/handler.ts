// Coordinator Lambda: locks, queues, semaphores, max-parallel windows and the needs barrier.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CreateHandler } from '../../lib/runtime/deps';
import { coordinate, parseCoordinatorRequest } from '../../lib/runtime/coordination';

export const createHandler: CreateHandler<unknown, unknown> = (deps) => async (event) =>
  coordinate(deps, parseCoordinatorRequest(event));

export const handler = createHandler({
  env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
  dynamodb: new DynamoDBClient({}),
  sfn: new SFNClient({}),
  now: Date.now,
  log: new Logger({ serviceName: 'stepdeploy-coordinator' }),
});
