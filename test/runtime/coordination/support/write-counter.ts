// Counts DynamoDB writes (Put/Update/Delete) a client makes: the cost of an operation in write units.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientFor } from './dynalite-table';

export function countingClient(endpoint: string): { client: DynamoDBClient; writes: () => number } {
  const client = clientFor(endpoint);
  let writes = 0;
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (/^(Put|Update|Delete)ItemCommand$/.test(context.commandName ?? '')) writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  return { client, writes: () => writes };
}
