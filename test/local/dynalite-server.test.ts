// Closing the local DynamoDB while a request is in flight: the request gets its answer, then the
// database closes. Before, close() cut every connection first, and a request that had reached dynalite
// either lost its answer or met "Database is closed" (an unhandled rejection in the engine's client).
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTables, dynamodbClient, startDynalite } from '../../lib/local/dynalite-server';

const table = { name: 'Runtime', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] } as const;

const headers = (target: string, length: number) => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${target}`,
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  'content-length': String(length),
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const refused = (endpoint: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(endpoint);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('startDynalite close()', () => {
  it('stops accepting, answers the request in flight, then closes the database', async () => {
    const server = await startDynalite({ host: '127.0.0.1', port: 0 });
    const client = dynamodbClient(server.endpoint);
    await createTables(client, [table as never]);
    client.destroy();

    let closing: Promise<void> | undefined;
    let refusedDuringClose: boolean | undefined;
    const body = JSON.stringify({ TableName: 'Runtime', Item: { pk: { S: 'in-flight' } } });
    const { hostname, port } = new URL(server.endpoint);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const put = request({ host: hostname, port: Number(port), method: 'POST', path: '/', headers: headers('PutItem', Buffer.byteLength(body)) }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      put.on('error', reject);
      // Headers and half the body: dynalite has the request, and is still reading it when close() comes.
      put.write(body.slice(0, 10));
      void until(() => server.requestsInFlight === 1).then(() => {
        closing = server.close();
        void refused(server.endpoint).then((wasRefused) => {
          refusedDuringClose = wasRefused;
          put.end(body.slice(10));
        });
      });
    });

    expect(await answer).toEqual({ status: 200, body: '{}' });
    expect(refusedDuringClose).toBe(true);
    await closing;
    expect(server.requestsInFlight).toBe(0);
  });
});
