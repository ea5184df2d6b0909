// A real dynalite server on a free port with the runtime table (pk/sk, on demand), for the tests.

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite } from '../../../../lib/local/dynalite-server';

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: testCredentials });
}

export async function createRuntimeTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

export async function startTable(tableName = 'runtime'): Promise<TestTable> {
  const server = await startDynalite({ host: '127.0.0.1', port: 0 });
  const client = clientFor(server.endpoint);
  await createRuntimeTable(client, tableName);
  return {
    endpoint: server.endpoint,
    tableName,
    client,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
