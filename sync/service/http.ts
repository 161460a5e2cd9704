/**
 * The service's opt-in HTTP endpoint (only when `trigger.port` / SYNC_PORT is set; binds `trigger.host`, by default
 * 127.0.0.1, see exposure.ts for what may be bound):
 *   POST /trigger  asks for a sync (e.g. from an Airtable automation). Needs SYNC_TRIGGER_SECRET, sent as
 *                  `Authorization: Bearer <secret>` or `X-Sync-Secret: <secret>`, compared in constant time
 *                  (SHA-256 digests, so not even its length leaks). 202 at once; the run itself is debounced.
 *                  Wrong or missing secret: 401, nothing runs. No secret configured: 503, saying to set one.
 *   GET /healthz   200 {"ok":true,"stale":…} while the process works; `stale` once the failure streak reaches
 *                  `alarm.afterFailures`.
 *   GET /status    with the secret, the ServiceStatus (status.json's content); without it, its public part
 *                  (status.ts publicStatus), or 401 when the endpoint is public.
 * Other paths: 404; other methods: 405; a target that is no URL, or a request the HTTP parser refuses: 400.
 *
 * Bounded: a body is read only after the secret was accepted, and only up to 16 KiB (413 beyond). Every answer that
 * is not a 2xx, and every answer to a request whose body was not read, closes the connection (`Connection: close`,
 * the socket destroyed once the answer is flushed), so an unauthenticated stream is not read on. Wrong secrets are
 * limited per client address (guard.ts: 429 with Retry-After). Answers are JSON and never echo a secret; every 4xx
 * is counted in a log line, and a 500 is logged with its cause.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createGuard, type GuardOptions } from './guard.ts';
import { publicStatus } from './status.ts';
import type { ServiceStatus } from './types.ts';

export interface TriggerServerOptions {
  host: string;
  /** 0: any free port (see `port` of the result). */
  port: number;
  /** SYNC_TRIGGER_SECRET; without it POST /trigger answers 503. */
  secret: string | undefined;
  /** `service.trigger.public`: GET /status needs the secret too. */
  public?: boolean;
  /** A valid trigger arrived (the caller debounces). */
  onTrigger: () => void;
  status: () => ServiceStatus;
  /** The failure streak from which /healthz says `stale: true`. */
  afterFailures: number;
  /** Largest accepted request body (default 16 KiB); a trigger's body is read and ignored. */
  maxBodyBytes?: number;
  /** Where rejected requests, the minute's counts and internal errors are said. */
  log: (line: string) => void;
  /** Limits of wrong secrets and how often they are reported (default: 5 a minute per address, one line a minute). */
  guard?: Omit<GuardOptions, 'log'>;
}

export interface TriggerServer {
  /** `http://address:port`, with the address actually bound (e.g. `http://[::]:8787` for host `""`). */
  readonly url: string;
  readonly port: number;
  /** Bytes read from clients' connections so far, all of them (closed ones included). */
  bytesRead(): number;
  /** Stops accepting requests, closes open connections, logs the counts not yet reported. */
  close(): Promise<void>;
}

const ROUTES: Record<string, readonly string[]> = {
  '/trigger': ['POST'],
  '/healthz': ['GET', 'HEAD'],
  '/status': ['GET', 'HEAD'],
};

const SEND_SECRET = 'send it as "Authorization: Bearer <SYNC_TRIGGER_SECRET>" or "X-Sync-Secret: <SYNC_TRIGGER_SECRET>".';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The secrets the request presents, from `Authorization: Bearer …` and `X-Sync-Secret`. */
function presented(req: IncomingMessage): string[] {
  const found: string[] = [];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) found.push(bearer[1]);
  const header = req.headers['x-sync-secret'];
  if (typeof header === 'string' && header.trim() !== '') found.push(header.trim());
  return found;
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * Answers with JSON. Not a 2xx, or a body left unread: `Connection: close`, and the socket is destroyed once the
 * answer is flushed, so nothing more of the request is read.
 */
function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const close = status < 200 || status > 299 || (hasBody(req) && !req.complete);
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...(close ? { connection: 'close' } : {}),
    ...headers,
  });
  if (close) {
    req.pause();
    res.once('finish', () => req.socket.destroy());
  }
  res.end(text);
}

/** Reads (and drops) the body of an authenticated request; false, after answering 413, when it is too large. */
function readBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<boolean> {
  const tooLarge = () => {
    send(req, res, 413, { error: `request body too large (over ${max} bytes); a trigger needs no body.` });
    return false;
  };
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(tooLarge());
  if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
  return new Promise((resolve) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        resolve(tooLarge());
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(size <= max));
    req.once('error', () => resolve(false));
  });
}

/** A short, quoted, escaped form of untrusted text for a log line. */
const quoted = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
  const { log } = options;
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const expected = options.secret === undefined ? undefined : digest(options.secret);
  const guard = createGuard({ ...options.guard, log });
  const matches = (given: string[]) => {
    if (!expected) return false;
    let ok = false;
    for (const value of given) ok = timingSafeEqual(digest(value), expected) || ok;
    return ok;
  };

  /** True when `given` holds the secret; else answers 429 (too many wrong ones from this address) or 401. */
  const authenticate = (req: IncomingMessage, res: ServerResponse, address: string, given: string[]): boolean => {
    const wait = guard.blockedFor(address);
    if (wait > 0) {
      guard.limited(address);
      send(req, res, 429, { error: `too many wrong secrets from this address: try again in ${wait} s.` }, { 'retry-after': String(wait) });
      return false;
    }
    if (matches(given)) return true;
    if (given.length > 0) guard.failed(address);
    send(req, res, 401, { error: `missing or wrong secret: ${SEND_SECRET}` }, { 'www-authenticate': 'Bearer realm="workshop-sync"' });
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, address: string) => {
    const method = req.method ?? '';
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      guard.rejected(address, `400 for a target that is no URL (${method} ${quoted(req.url ?? '')})`);
      return send(req, res, 400, {
        error: 'the request target is not a URL; the endpoints are POST /trigger, GET /healthz and GET /status.',
      });
    }
    const methods = ROUTES[pathname];
    if (!methods) {
      guard.rejected(address, `404 for ${method} ${quoted(pathname)}`);
      return send(req, res, 404, {
        error: `no such endpoint: ${pathname}. The endpoints are POST /trigger, GET /healthz and GET /status.`,
      });
    }
    if (!methods.includes(method)) {
      guard.rejected(address, `405 for ${method} ${pathname}`);
      return send(req, res, 405, { error: `${pathname} answers ${methods.join(' and ')}, not ${method}.` }, { allow: methods.join(', ') });
    }
    if (pathname === '/healthz') {
      const status = options.status();
      return send(req, res, 200, { ok: true, stale: status.consecutiveFailures >= options.afterFailures, running: status.running });
    }
    const given = presented(req);
    if (pathname === '/status') {
      if (!expected || (given.length === 0 && !options.public)) return send(req, res, 200, publicStatus(options.status()));
      if (authenticate(req, res, address, given)) send(req, res, 200, options.status());
      return;
    }

    if (!expected) {
      return send(req, res, 503, {
        error:
          'the trigger is off: set SYNC_TRIGGER_SECRET in the service environment (a long random string, e.g. `openssl rand -hex 32`) and restart it.',
      });
    }
    if (!authenticate(req, res, address, given)) return;
    if (!(await readBody(req, res, maxBody))) return;
    options.onTrigger();
    send(req, res, 202, { accepted: true, message: 'a sync runs once the triggers stop for a moment.' });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const address = req.socket.remoteAddress ?? 'an unknown address';
    handle(req, res, address).catch((error: unknown) => {
      let text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (options.secret) text = text.split(options.secret).join('***');
      log(`HTTP endpoint: ${req.method} ${quoted(req.url ?? '')} from ${address} failed (answered 500): ${text.split('\n')[0]}`);
      if (!res.headersSent) send(req, res, 500, { error: 'internal error; see the service log.' });
      else res.destroy();
    });
  };
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, onRequest);
  // `Expect: 100-continue`: the 100 is sent only when an authenticated body is about to be read (readBody).
  server.on('checkContinue', onRequest);
  let closedBytes = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      closedBytes += socket.bytesRead;
    });
  });
  // What the HTTP parser refuses (an unknown method, a malformed request line or header, headers too large or too
  // slow): a 4xx, the connection closed, and counted like the other rejected requests.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    guard.rejected(
      socket.remoteAddress ?? 'an unknown address',
      `${status} for a request the HTTP parser refused (${error.code ?? error.message})`,
    );
    const text = `${JSON.stringify({ error: 'malformed request.' })}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
    socket.destroySoon();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, family, port } = server.address() as AddressInfo;
  return {
    url: `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`,
    port,
    bytesRead: () => closedBytes + [...sockets].reduce((sum, s) => sum + s.bytesRead, 0),
    close: () =>
      new Promise<void>((resolve) => {
        guard.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
