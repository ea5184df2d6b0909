// Malformed HTTP requests over raw sockets, seeded: what a broken client, a port scanner or an attacker
// sends to a local server. Each kind is one way a request used to take a server (and `stepdeploy dev`,
// and every execution in it) down, or might.

import { connect, type Socket } from 'node:net';
import { prng } from '../../fixtures/prng';

export type MalformedKind =
  | 'random bytes'
  | 'body cut short'
  | 'oversized header'
  | 'slow headers then gone'
  | 'garbage json'
  | 'deep json'
  | 'bad chunked encoding'
  | 'nul in header'
  | 'pipelined garbage'
  | 'wrong method';

const KINDS: readonly MalformedKind[] = [
  'random bytes',
  'body cut short',
  'oversized header',
  'slow headers then gone',
  'garbage json',
  'deep json',
  'bad chunked encoding',
  'nul in header',
  'pipelined garbage',
  'wrong method',
];


export interface FuzzTarget {
  readonly port: number;
  /** `X-Amz-Target` values worth aiming at (the server's operations); random ones are added. */
  readonly targets: readonly string[];
  /** The request path. */
  readonly path?: string;
}

export interface FuzzReport {
  readonly sent: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Requests the server answered with a status line before closing. */
  readonly answered: number;
}

function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function request(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Writes `chunks` (a pause between them), then ends or destroys the socket; resolves when it is closed. */
function exchange(port: number, chunks: readonly (string | Buffer)[], options: { destroyAfter: boolean; pauseMs: number }): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    const socket: Socket = connect(port, '127.0.0.1');
    const finish = () => resolve(answered);
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (data) => {
      if (data.toString('latin1').startsWith('HTTP/1.1 ')) answered = true;
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (options.pauseMs > 0) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
      if (options.destroyAfter) socket.destroy();
      else socket.end();
    });
  });
}

function malformed(kind: MalformedKind, random: () => number, target: FuzzTarget): { chunks: (string | Buffer)[]; destroyAfter: boolean; pauseMs: number } {
  const path = target.path ?? '/';
  const amzTarget = random() < 0.7 ? (target.targets[Math.floor(random() * target.targets.length)] ?? 'X.Y') : randomBytes(random, 12).toString('base64');
  const json = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': amzTarget };
  switch (kind) {
    case 'random bytes':
      return { chunks: [randomBytes(random, 1 + Math.floor(random() * 2048))], destroyAfter: random() < 0.5, pauseMs: 0 };
    case 'body cut short': {
      const body = '{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x","input":"';
      return { chunks: [request('POST', path, { ...json, 'content-length': String(body.length + 5000) }, body)], destroyAfter: true, pauseMs: 0 };
    }
    case 'oversized header':
      return { chunks: [request('POST', path, { ...json, 'x-big': 'a'.repeat(20_000 + Math.floor(random() * 60_000)), 'content-length': '2' }, '{}')], destroyAfter: false, pauseMs: 0 };
    case 'slow headers then gone':
      return { chunks: ['POST / HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', 'content-le'], destroyAfter: true, pauseMs: 5 };
    case 'garbage json': {
      const body = random() < 0.5 ? randomBytes(random, 64).toString('latin1') : JSON.stringify({ taskToken: { $ne: 1 }, __proto__: { polluted: true }, input: 'x'.repeat(100), output: [1, 2], name: 42, executionArn: null });
      return { chunks: [request('POST', path, { ...json, 'content-length': String(Buffer.byteLength(body, 'latin1')) }, body)], destroyAfter: false, pauseMs: 0 };
    }
    case 'deep json': {
      const depth = 10_000 + Math.floor(random() * 90_000);
      const body = '['.repeat(depth) + ']'.repeat(depth);
      return { chunks: [request('POST', path, { ...json, 'content-length': String(body.length) }, body)], destroyAfter: false, pauseMs: 0 };
    }
    case 'bad chunked encoding':
      return { chunks: [request('POST', path, { ...json, 'transfer-encoding': 'chunked' }, 'zz\r\n{}\r\n-1\r\n\r\n')], destroyAfter: false, pauseMs: 0 };
    case 'nul in header':
      return { chunks: [`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-amz-target: a\u0000b\r\ncontent-length: 2\r\n\r\n{}`], destroyAfter: false, pauseMs: 0 };
    case 'pipelined garbage':
      return { chunks: [request('POST', path, { ...json, 'content-length': '2', connection: 'keep-alive' }, '{}') + randomBytes(random, 200).toString('latin1')], destroyAfter: false, pauseMs: 0 };
    case 'wrong method':
      return { chunks: [request(['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'BREW'][Math.floor(random() * 6)]!, `${path}?${'q='.repeat(50)}`, { 'content-length': '0' })], destroyAfter: false, pauseMs: 0 };
  }
}

/** Sends `count` malformed requests, `concurrency` at a time. */
export async function sendMalformedRequests(target: FuzzTarget, options: { seed: number; count: number; concurrency: number }): Promise<FuzzReport> {
  const random = prng(options.seed);
  const byKind: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (sent < options.count) {
        sent++;
        const kind = KINDS[Math.floor(random() * KINDS.length)]!;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        const { chunks, destroyAfter, pauseMs } = malformed(kind, random, target);
        if (await exchange(target.port, chunks, { destroyAfter, pauseMs })) answered++;
      }
    }),
  );
  return { sent, byKind, answered };
}
