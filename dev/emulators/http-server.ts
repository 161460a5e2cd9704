/**
 * The start-up every local HTTP server of the emulators (and the tests' static server) shares: listen on
 * 127.0.0.1 on a free port, and a close that also ends open keep-alive connections.
 *
 *   const server = await startHttpServer((req, res) => res.end('ok'));
 *   await fetch(server.origin);   // http://127.0.0.1:PORT
 *   await server.close();
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1. */
export interface HttpServer {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  origin: string;
  port: number;
  /** Stops listening and ends every open connection; resolves once the server is closed. */
  close(): Promise<void>;
}

/** Starts `listener` on 127.0.0.1 (a free port) and resolves once it listens. */
export async function startHttpServer(listener: RequestListener): Promise<HttpServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Request counts an emulator reports. */
interface RequestCounts {
  requests: number;
  /** Answers by HTTP status. */
  byStatus: Record<number, number>;
}

/** `listener`, counting every request and the status of every answer into `stats`. */
export function counting(
  stats: RequestCounts,
  listener: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): RequestListener {
  return (req, res) => {
    stats.requests += 1;
    res.on('finish', () => {
      stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    });
    void listener(req, res);
  };
}
