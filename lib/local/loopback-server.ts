import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** `http://host:port`, with the port the system chose when asked for 0. */
  readonly endpoint: string;
  /** Closes the server and its open connections (keep-alive clients would hold it open). */
  close(): Promise<void>;
}

/** Starts an HTTP server on a loopback address; rejects with the listen error (EADDRINUSE, …). */
export async function listenOnLoopback(server: Server, host: string, port: number): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
