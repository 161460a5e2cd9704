/**
 * Fault injection for any `node:http` emulator: a queue of faults, each applied to the next N requests that match
 * it, wrapped around a plain request handler.
 *
 * API (stable; other emulators import it):
 *
 *   const plan = new FaultPlan();
 *   plan.add({ kind: 'status', status: 503, headers: { 'retry-after': '1' }, times: 2 });   // a burst of 503s
 *   plan.add({ kind: 'latency', ms: 200, method: 'GET', path: '/v4/' });                     // then a slow answer
 *   http.createServer(withFaults(plan, handler));
 *
 * - `plan.add(rule)` queues a rule (returns the plan, for chaining). Rules are tried in the order they were added;
 *   the first one that matches the request and has uses left is applied (once per request) and its count drops.
 * - Matching (both optional, both must hold): `method` (case-insensitive), `path`: a string is a prefix of the
 *   URL's pathname (no query), a RegExp is tested against pathname + query (`/v0/app1/T?offset=…`), a function
 *   gets the parsed URL.
 * - `times`: how many matching requests the rule applies to; default 1, `Infinity` for every one.
 * - Kinds:
 *   - `latency { ms }`: wait, then let the real handler answer.
 *   - `status { status, body?, headers? }`: answer with that status instead of the handler. `body` is a string
 *     (sent as is) or any other value (sent as JSON); without a body, the `statusBody` option of `withFaults`
 *     builds one (so an emulator answers faults in its own error format), else the body is empty.
 *   - `drop`: destroy the socket without any response (the client sees a reset / "other side closed").
 *   - `truncate { bytes, ending? }`: the real handler answers; its headers and only its first `bytes` bytes are
 *     sent. `ending: 'destroy'` (default) keeps the full Content-Length and destroys the socket (the client sees a
 *     premature close); `ending: 'end'` drops Content-Length and ends the response cleanly (a short but
 *     well-formed body — what only body validation can catch).
 *   - `stall { bytes? }`: headers and the first `bytes` (default 0) bytes of the real answer, then nothing until
 *     the client aborts or the server closes (the emulator's close(), or `plan.releaseStalled()`).
 *   - `hold`: no answer at all until `plan.releaseHeld()`, then the real handler answers as usual (unless the client
 *     gave up meanwhile): a request held open for as long as a test needs, e.g. to keep a sync running.
 * - `plan.log`: every applied fault `{ kind, method, path }` in order; `plan.pending()`: uses left in the queue;
 *   `plan.clear()`: empties the queue (not the log); `plan.releaseStalled()`: destroys stalled connections;
 *   `plan.releaseHeld()`: lets held requests through to the handler;
 *   `plan.take(req)`: the fault for a request, consuming one use (what withFaults calls; for custom servers).
 * - `withFaults(plan, handler, { statusBody? })`: a `node:http` request listener. The handler may be async; if it
 *   throws, the request gets a 500 (or its socket is destroyed if headers were already sent).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Which requests a rule applies to; an omitted field matches everything. */
interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string;
  /** String: prefix of the pathname. RegExp: tested against pathname + query. Function: gets the parsed URL. */
  path?: string | RegExp | ((url: URL) => boolean);
  /** Number of matching requests the rule applies to (default 1; `Infinity` for all). */
  times?: number;
}

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: unknown; headers?: OutgoingHttpHeaders }
  | { kind: 'drop' }
  | { kind: 'truncate'; bytes: number; ending?: 'destroy' | 'end' }
  | { kind: 'stall'; bytes?: number }
  | { kind: 'hold' };

export type FaultRule = Fault & FaultMatch;

export interface AppliedFault {
  kind: Fault['kind'];
  method: string;
  path: string;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface WithFaultsOptions {
  /** Body for a `status` fault given without one (e.g. the emulator's JSON error for that status). */
  statusBody?: (status: number) => unknown;
}

interface QueuedRule {
  rule: FaultRule;
  left: number;
}

export class FaultPlan {
  readonly log: AppliedFault[] = [];
  #queue: QueuedRule[] = [];
  #stalled = new Set<ServerResponse>();
  #held = new Set<() => void>();

  add(rule: FaultRule): this {
    const left = rule.times ?? 1;
    if (!(left > 0)) throw new RangeError(`Fault rule "times" must be a positive number, got ${String(rule.times)}.`);
    this.#queue.push({ rule, left });
    return this;
  }

  clear(): void {
    this.#queue = [];
  }

  /** Uses left over all queued rules (Infinity if a rule applies forever). */
  pending(): number {
    return this.#queue.reduce((sum, q) => sum + q.left, 0);
  }

  /** Destroys every connection held by a `stall` fault. */
  releaseStalled(): void {
    for (const res of this.#stalled) res.destroy();
    this.#stalled.clear();
  }

  /** Lets every request held by a `hold` fault go on to the real handler. */
  releaseHeld(): void {
    const held = [...this.#held];
    this.#held.clear();
    for (const go of held) go();
  }

  /** @internal used by withFaults */
  trackHeld(go: () => void): void {
    this.#held.add(go);
  }

  /** The fault for this request, if any; consumes one use of the matching rule. */
  take(req: IncomingMessage): Fault | undefined {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const index = this.#queue.findIndex((q) => matches(q.rule, method, url));
    const queued = this.#queue[index];
    if (!queued) return undefined;
    queued.left -= 1;
    if (queued.left <= 0) this.#queue.splice(index, 1);
    this.log.push({ kind: queued.rule.kind, method, path: url.pathname + url.search });
    return queued.rule;
  }

  /** @internal used by withFaults */
  trackStalled(res: ServerResponse): void {
    this.#stalled.add(res);
    res.on('close', () => this.#stalled.delete(res));
  }
}

function matches(rule: FaultMatch, method: string, url: URL): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  const { path } = rule;
  if (path === undefined) return true;
  if (typeof path === 'string') return url.pathname.startsWith(path);
  if (path instanceof RegExp) return path.test(url.pathname + url.search);
  return path(url);
}

/** Wraps a request handler so that the plan's faults are applied before (or instead of, or around) it. */
export function withFaults(plan: FaultPlan, handler: RequestHandler, options: WithFaultsOptions = {}): RequestHandler {
  return (req, res) => {
    const fault = plan.take(req);
    if (!fault) return run(handler, req, res);
    switch (fault.kind) {
      case 'latency': {
        setTimeout(() => {
          if (!res.destroyed) run(handler, req, res);
        }, fault.ms);
        return;
      }
      case 'status': {
        req.resume();
        const body = fault.body ?? options.statusBody?.(fault.status);
        const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        const headers: OutgoingHttpHeaders = {
          ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json; charset=UTF-8' } : {}),
          ...fault.headers,
          'content-length': Buffer.byteLength(text),
        };
        res.writeHead(fault.status, headers);
        res.end(text);
        return;
      }
      case 'drop': {
        req.socket.destroy();
        return;
      }
      case 'hold': {
        plan.trackHeld(() => {
          if (!res.destroyed) run(handler, req, res);
        });
        return;
      }
      case 'truncate': {
        capture(res, (answer) => {
          const ending = fault.ending ?? 'destroy';
          if (ending === 'destroy') res.setHeader('content-length', answer.body.length);
          else res.removeHeader('content-length');
          res.writeHead(answer.status);
          const part = answer.body.subarray(0, fault.bytes);
          if (ending === 'end') {
            res.end(part);
            return;
          }
          res.flushHeaders();
          if (part.length > 0) res.write(part, () => res.destroy());
          else setImmediate(() => res.destroy());
        });
        return run(handler, req, res);
      }
      case 'stall': {
        capture(res, (answer) => {
          res.setHeader('content-length', answer.body.length);
          res.writeHead(answer.status);
          res.flushHeaders();
          const part = answer.body.subarray(0, fault.bytes ?? 0);
          if (part.length > 0) res.write(part);
          plan.trackStalled(res);
        });
        return run(handler, req, res);
      }
    }
  };
}

function run(handler: RequestHandler, req: IncomingMessage, res: ServerResponse): void {
  const fail = (error: unknown): void => {
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const text = `Emulator handler failed: ${error instanceof Error ? error.message : String(error)}`;
    res.writeHead(500, { 'content-type': 'text/plain; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  try {
    const result = handler(req, res);
    if (result) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}

interface CapturedAnswer {
  status: number;
  body: Buffer;
}

type Writer = (...args: unknown[]) => unknown;

/**
 * Holds back what the handler writes (status, headers, body) and calls `done` once it ends, with the response's
 * own methods restored so `done` can send a damaged version. Headers given to writeHead are moved to setHeader.
 */
function capture(res: ServerResponse, done: (answer: CapturedAnswer) => void): void {
  const chunks: Buffer[] = [];
  let status: number | undefined;
  const own = res as unknown as Partial<Record<'writeHead' | 'write' | 'end' | 'flushHeaders', Writer>>;
  const toBuffer = (chunk: unknown, encoding: unknown): Buffer | undefined => {
    if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (chunk instanceof Uint8Array) return Buffer.from(chunk);
    return undefined;
  };
  const lastCallback = (args: unknown[]): (() => void) | undefined => {
    const last = args.at(-1);
    return typeof last === 'function' ? (last as () => void) : undefined;
  };
  own.writeHead = (code: unknown, ...rest: unknown[]) => {
    if (typeof code === 'number') status = code;
    const headers = rest.find((x) => typeof x === 'object' && x !== null);
    if (Array.isArray(headers)) {
      for (const pair of headers) if (Array.isArray(pair)) res.setHeader(String(pair[0]), pair[1] as string);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined) res.setHeader(name, value as string | number | readonly string[]);
      }
    }
    return res;
  };
  own.flushHeaders = () => undefined;
  own.write = (chunk: unknown, ...rest: unknown[]) => {
    const buffer = toBuffer(chunk, rest[0]);
    if (buffer) chunks.push(buffer);
    lastCallback(rest)?.();
    return true;
  };
  own.end = (...args: unknown[]) => {
    const buffer = toBuffer(args[0], args[1]);
    if (buffer) chunks.push(buffer);
    for (const name of ['writeHead', 'write', 'end', 'flushHeaders'] as const) delete own[name];
    done({ status: status ?? res.statusCode, body: Buffer.concat(chunks) });
    lastCallback(args)?.();
    return res;
  };
}
