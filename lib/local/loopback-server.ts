import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://host:port`, with the port the system chose when asked for 0. */
  readonly endpoint: string;
  /** Requests received whose response has not ended yet. */
  readonly requestsInFlight: number;
  /**
   * Stops accepting connections, lets the requests in flight finish (at most DRAIN_TIMEOUT_MS), then
   * closes every connection (keep-alive clients would hold it open) and the server: a request is
   * never cut off by close() while what serves it (dynalite's database) is closing under it.
   */
  close(): Promise<void>;
}

/** A client that has not sent its headers by then is cut off (slow clients hold no socket for long). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** …and one that has not sent its whole request by then. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** How long close() waits for the requests in flight before it cuts their connections. */
export const DRAIN_TIMEOUT_MS = 5_000;

/**
 * Makes one request's failure that request's alone: a client that goes away mid-body makes Node emit
 * 'error' (`aborted`, ECONNRESET) on the request and the response, and with no listener that error
 * would end the whole process — `stepdeploy dev` and every execution in it.
 */
function containRequestErrors(server: Server): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    request.on('error', () => response.destroy());
    response.on('error', () => request.destroy());
  });
  // As Node's default (which a listener replaces): 431 for oversized headers, 400 for the rest.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable && !socket.writableEnded) {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroy();
  });
}

/**
 * Wraps an async request handler: whatever it throws (a body the client cut short, a bug) answers 500
 * if nothing was sent yet, or closes the connection — never an unhandled rejection.
 */
export function guarded(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed || request.destroyed) {
        response.destroy();
        return;
      }
      const body = JSON.stringify({ __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
      response.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  };
}

/** Starts an HTTP server on a loopback address; rejects with the listen error (EADDRINUSE, …). */
export async function listenOnLoopback(server: Server, host: string, port: number): Promise<LoopbackServer> {
  containRequestErrors(server);
  const inFlight = trackRequests(server);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${address.port}`,
    get requestsInFlight() {
      return inFlight.count;
    },
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await inFlight.drained(DRAIN_TIMEOUT_MS);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Counts the requests whose response has not closed; `drained` resolves when none is left. */
function trackRequests(server: Server): { readonly count: number; drained(timeoutMs: number): Promise<void> } {
  let count = 0;
  const waiting = new Set<() => void>();
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    count += 1;
    response.once('close', () => {
      count -= 1;
      if (count === 0) for (const wake of waiting) wake();
    });
  });
  return {
    get count() {
      return count;
    },
    drained: (timeoutMs) =>
      count === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const wake = (): void => {
              clearTimeout(timer);
              waiting.delete(wake);
              resolve();
            };
            const timer = setTimeout(wake, timeoutMs);
            waiting.add(wake);
          }),
  };
}
