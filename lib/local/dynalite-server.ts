// DynamoDB for the local engine: dynalite on loopback (in memory, or persisted under a directory),
// with the tables the templates declare.

import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { LocalTable } from './template';
import { LOCAL_REGION } from './local-arns';
import { listenOnLoopback, type LoopbackServer } from './loopback-server';

// dynalite ships no types: a factory returning a Node HTTP server.
type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export type DynaliteServer = LoopbackServer;

export async function startDynalite(options: { host: string; port: number; dataDir?: string }): Promise<DynaliteServer> {
  // @ts-expect-error dynalite has no type declarations
  const { default: dynalite } = (await import('dynalite')) as { default: DynaliteFactory };
  const server = dynalite({ ...(options.dataDir ? { path: options.dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return listenOnLoopback(server, options.host, options.port);
}

export function dynamodbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials });
}

/** Creates each table (on demand); a table that a persisted data directory already holds is kept. */
export async function createTables(client: DynamoDBClient, tables: readonly LocalTable[]): Promise<void> {
  const stripThroughput = (index: unknown): unknown => {
    const { ProvisionedThroughput: _ignored, ...rest } = index as Record<string, unknown>;
    return rest;
  };
  for (const table of tables) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: [...table.keySchema],
          AttributeDefinitions: [...table.attributeDefinitions],
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.globalSecondaryIndexes ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(stripThroughput) as never } : {}),
          ...(table.localSecondaryIndexes ? { LocalSecondaryIndexes: table.localSecondaryIndexes as never } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
}
