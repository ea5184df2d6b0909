// `dynamodb:putItem`: the Parameters are a PutItem request, sent to the engine's DynamoDB (dynalite).
// Errors come back as `DynamoDB.<name>`, the optimized integration's names.

import { PutItemCommand, type DynamoDBClient, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { TaskError } from '../task-error';
import { parametersOf, type TaskContext } from './task-context';

export async function dynamodbPutItem(client: DynamoDBClient, input: unknown, context: TaskContext): Promise<unknown> {
  try {
    const { $metadata: _metadata, ...output } = await client.send(new PutItemCommand(parametersOf(input) as unknown as PutItemCommandInput));
    return output;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    throw new TaskError(`DynamoDB.${failure.name}`, `State '${context.stateName}': ${failure.message}`);
  }
}
