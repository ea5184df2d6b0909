// A loopback HTTP proxy in front of a local AWS endpoint (dynalite, the Step Functions API) that
// records each request in its IAM form before forwarding it unchanged: how the calls of a process the
// engine does not host (a job runner) reach the IAM check. Both services speak AWS's JSON protocol:
// the command is in `X-Amz-Target`, its input is the JSON body.

import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { sdkCall, type AwsCallRecorder, type HashKeys } from './aws-calls';
import { listenOnLoopback, type LoopbackServer } from './loopback-server';

/** `X-Amz-Target` prefixes → the SDK client whose commands they are. */
const targetClients: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'DynamoDBClient',
  AWSStepFunctions: 'SFNClient',
};

const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });

export async function startRecordingProxy(target: string, role: string, record: AwsCallRecorder, hashKeys: HashKeys = {}, host = '127.0.0.1'): Promise<LoopbackServer> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readBody(incoming);
      const [prefix, command] = String(incoming.headers['x-amz-target'] ?? '').split('.');
      let input: Record<string, unknown> = {};
      try {
        input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // Not JSON: recorded as unmapped below, forwarded all the same.
      }
      for (const call of sdkCall(role, targetClients[prefix ?? ''] ?? String(prefix), `${command ?? ''}Command`, input, hashKeys)) record(call);
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502).end(String(error));
      });
      forwarded.end(body);
    })();
  });
  return listenOnLoopback(server, host, 0);
}
