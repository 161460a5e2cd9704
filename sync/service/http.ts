/**
 * The service's opt-in HTTP endpoint (only when `trigger.port` / SYNC_PORT is set; binds `trigger.host`, by default
 * 127.0.0.1):
 *   POST /trigger  asks for a sync (e.g. from an Airtable automation). Needs SYNC_TRIGGER_SECRET, sent as
 *                  `Authorization: Bearer <secret>` or `X-Sync-Secret: <secret>`, compared in constant time
 *                  (SHA-256 digests, so not even its length leaks). 202 at once; the run itself is debounced.
 *                  Wrong or missing secret: 401, nothing runs. No secret configured: 503, saying to set one.
 *   GET /healthz   200 {"ok":true,"stale":…} while the process works; `stale` once the failure streak reaches
 *                  `alarm.afterFailures`.
 *   GET /status    the ServiceStatus (status.json's content).
 * Other paths: 404; other methods: 405. Bodies over 16 KiB: 413. Answers are JSON and never echo a secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceStatus } from './types.ts';

export interface TriggerServerOptions {
  host: string;
  /** 0: any free port (see `port` of the result). */
  port: number;
  /** SYNC_TRIGGER_SECRET; without it POST /trigger answers 503. */
  secret: string | undefined;
  /** A valid trigger arrived (the caller debounces). */
  onTrigger: () => void;
  status: () => ServiceStatus;
  /** The failure streak from which /healthz says `stale: true`. */
  afterFailures: number;
  /** Largest accepted request body (default 16 KiB); a trigger's body is read and ignored. */
  maxBodyBytes?: number;
}

export interface TriggerServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

const ROUTES: Record<string, readonly string[]> = {
  '/trigger': ['POST'],
  '/healthz': ['GET', 'HEAD'],
  '/status': ['GET', 'HEAD'],
};

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The secret the request presents, from `Authorization: Bearer …` or `X-Sync-Secret`. */
function presented(req: IncomingMessage): string[] {
  const found: string[] = [];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) found.push(bearer[1]);
  const header = req.headers['x-sync-secret'];
  if (typeof header === 'string' && header.trim() !== '') found.push(header.trim());
  return found;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Reads (and drops) the body; false, after answering 413, when it is too large. */
function drainBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<boolean> {
  const tooLarge = () => {
    send(res, 413, { error: `request body too large (over ${max} bytes); a trigger needs no body.` }, { connection: 'close' });
    req.destroy();
    return false;
  };
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(tooLarge());
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        resolve(tooLarge());
      }
    });
    req.once('end', () => resolve(true));
    req.once('error', () => resolve(false));
  });
}

export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const expected = options.secret === undefined ? undefined : digest(options.secret);
  const authorized = (req: IncomingMessage) => {
    if (!expected) return false;
    let ok = false;
    for (const given of presented(req)) ok = timingSafeEqual(digest(given), expected) || ok;
    return ok;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const methods = ROUTES[pathname];
    if (!methods)
      return send(res, 404, { error: `no such endpoint: ${pathname}. The endpoints are POST /trigger, GET /healthz and GET /status.` });
    if (!methods.includes(req.method ?? '')) {
      return send(res, 405, { error: `${pathname} answers ${methods.join(' and ')}, not ${req.method}.` }, { allow: methods.join(', ') });
    }
    if (pathname === '/healthz') {
      const status = options.status();
      return send(res, 200, { ok: true, stale: status.consecutiveFailures >= options.afterFailures, running: status.running });
    }
    if (pathname === '/status') return send(res, 200, options.status());

    if (!expected) {
      return send(res, 503, {
        error:
          'the trigger is off: set SYNC_TRIGGER_SECRET in the service environment (a long random string, e.g. `openssl rand -hex 32`) and restart it.',
      });
    }
    if (!authorized(req)) {
      return send(
        res,
        401,
        {
          error:
            'missing or wrong secret: send it as "Authorization: Bearer <SYNC_TRIGGER_SECRET>" or "X-Sync-Secret: <SYNC_TRIGGER_SECRET>".',
        },
        { 'www-authenticate': 'Bearer realm="workshop-sync"' },
      );
    }
    if (!(await drainBody(req, res, maxBody))) return;
    options.onTrigger();
    send(res, 202, { accepted: true, message: 'a sync runs once the triggers stop for a moment.' });
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error; see the service log.' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
