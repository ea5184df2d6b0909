// The optimized DynamoDB item tasks (`dynamodb:putItem`, `dynamodb:updateItem`, `dynamodb:getItem`):
// the Parameters are the request, sent to the engine's DynamoDB (dynalite). Errors come back as
// `DynamoDB.<name>`, the optimized integration's names, so Retry/Catch match as they do in AWS.

import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { TaskError } from '../task-error';
import { parametersOf, type TaskContext } from './task-context';

export type DynamodbItemAction = 'putItem' | 'updateItem' | 'getItem';

function commandOf(action: DynamodbItemAction, parameters: Record<string, unknown>) {
  switch (action) {
    case 'putItem':
      return new PutItemCommand(parameters as unknown as PutItemCommandInput);
    case 'updateItem':
      return new UpdateItemCommand(parameters as unknown as UpdateItemCommandInput);
    case 'getItem':
      return new GetItemCommand(parameters as unknown as GetItemCommandInput);
  }
}

export async function dynamodbItem(client: DynamoDBClient, action: DynamodbItemAction, input: unknown, context: TaskContext): Promise<unknown> {
  try {
    // One client send per action; the union of commands has no common send overload.
    const { $metadata: _metadata, ...output } = await (client.send as (command: unknown) => Promise<{ $metadata: unknown }>)(commandOf(action, parametersOf(input)));
    return output;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    throw new TaskError(`DynamoDB.${failure.name}`, `State '${context.stateName}': ${failure.message}`);
  }
}
