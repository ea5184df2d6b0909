// DynamoDB for the local engine: dynalite on loopback (in memory, or persisted under a directory),
// with the tables the templates declare.

import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
  containDynaliteErrors(server);
  return listenOnLoopback(server, options.host, options.port);
}

/**
 * dynalite rethrows a request's 'error' (`req.on('error', (err) => { throw err })`) and later removes
 * every listener of the request: a client that disconnects mid-body would end the process. Its handler
 * is given a request whose 'error' closes that one response instead, whatever it removes.
 */
function containDynaliteErrors(server: Server): void {
  const handlers = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const close = () => response.destroy();
    const on = request.on.bind(request);
    const removeAll = request.removeAllListeners.bind(request);
    request.on = ((event: string, listener: (...args: unknown[]) => void) => on(event, event === 'error' ? close : listener)) as typeof request.on;
    request.removeAllListeners = ((event?: string) => {
      removeAll(event);
      if (event === undefined || event === 'error') on('error', close);
      return request;
    }) as typeof request.removeAllListeners;
    on('error', close);
    for (const handler of handlers) handler(request, response);
  });
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
