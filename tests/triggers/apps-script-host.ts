/**
 * A fake Google Apps Script host for triggers/apps-script-on-edit.js, run in a worker thread by
 * apps-script-on-edit.test.ts. The script's text runs in a node:vm context holding fakes of the globals it uses
 * (UrlFetchApp, PropertiesService, CacheService, LockService, ScriptApp, SpreadsheetApp, console). UrlFetchApp.fetch
 * is synchronous, as in Apps Script: it posts the request to the main thread (where the real service runs), then
 * blocks on shared memory until the main thread has made it and written the answer back.
 */
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

export interface HostRequest {
  url: string;
  params: { method?: string; headers?: Record<string, string>; payload?: string; contentType?: string; [key: string]: unknown };
}
/** What the main thread writes back: an answer, or the text of a network error (UrlFetchApp then throws). */
export type HostAnswer = { status: number; text: string; headers: Record<string, string> } | { networkError: string };
export interface HostState {
  properties: Record<string, string>;
  /** Unexpired script cache keys. */
  cache: string[];
  triggers: { handler: string; kind: string; afterMs?: number }[];
  requests: HostRequest[];
  logs: string[];
  lockHeld: boolean;
}
/**
 * From the main thread: call a function of the script, after moving the clock on and, with `properties`, after
 * starting afresh with those Script properties (empty cache, no triggers).
 */
export interface HostCall {
  call: string;
  advanceSeconds?: number;
  properties?: Record<string, string>;
}
export type HostMessage = { fetch: HostRequest } | { done: { error: string | undefined; state: HostState } };

export interface HostData {
  code: string;
  properties: Record<string, string>;
  /** [0] 0 while waiting, 1 when answered; [1] the answer's JSON byte length; the JSON from byte 8. */
  shared: SharedArrayBuffer;
}

const { code, properties: initial, shared } = workerData as HostData;
const control = new Int32Array(shared, 0, 2);
const bytes = new Uint8Array(shared, 8);
const port = parentPort!;

let clockMs = 0;
const properties = new Map(Object.entries(initial));
const cache = new Map<string, { value: string; until: number }>();
const triggers: { handler: string; kind: string; afterMs?: number }[] = [];
const requests: HostRequest[] = [];
const logs: string[] = [];
let lockHeld = false;

const now = () => Date.now() + clockMs;
const record =
  (level: string) =>
  (...args: unknown[]) =>
    logs.push(`${level}: ${args.map(String).join(' ')}`);
const triggerObject = (t: (typeof triggers)[number]) => ({ getHandlerFunction: () => t.handler, t });

function fetchSync(url: string, params: HostRequest['params'] = {}) {
  const request = { url, params: JSON.parse(JSON.stringify(params)) as HostRequest['params'] };
  requests.push(request);
  Atomics.store(control, 0, 0);
  port.postMessage({ fetch: request } satisfies HostMessage);
  if (Atomics.wait(control, 0, 0, 15_000) === 'timed-out') throw new Error('the test host got no answer in 15 s');
  const answer = JSON.parse(new TextDecoder().decode(bytes.slice(0, Atomics.load(control, 1)))) as HostAnswer;
  if ('networkError' in answer) throw new Error(answer.networkError);
  return { getResponseCode: () => answer.status, getContentText: () => answer.text, getHeaders: () => answer.headers };
}

const builder = (handler: string) => {
  const add = (kind: string, afterMs?: number) => ({
    create: () => {
      const t = { handler, kind, ...(afterMs === undefined ? {} : { afterMs }) };
      triggers.push(t);
      return triggerObject(t);
    },
  });
  return {
    forSpreadsheet: () => ({ onEdit: () => add('onEdit'), onChange: () => add('onChange') }),
    timeBased: () => ({ after: (ms: number) => add('after', ms) }),
  };
};

const context = vm.createContext({
  UrlFetchApp: { fetch: fetchSync },
  PropertiesService: {
    getScriptProperties: () => ({
      getProperty: (key: string) => properties.get(key) ?? null,
      setProperty: (key: string, value: string) => void properties.set(key, String(value)),
      deleteProperty: (key: string) => void properties.delete(key),
    }),
  },
  CacheService: {
    getScriptCache: () => ({
      get: (key: string) => {
        const entry = cache.get(key);
        return entry && entry.until > now() ? entry.value : null;
      },
      put: (key: string, value: string, seconds = 600) => void cache.set(key, { value: String(value), until: now() + seconds * 1000 }),
      remove: (key: string) => void cache.delete(key),
    }),
  },
  LockService: {
    getScriptLock: () => ({
      tryLock: () => (lockHeld ? false : (lockHeld = true)),
      releaseLock: () => void (lockHeld = false),
    }),
  },
  ScriptApp: {
    newTrigger: builder,
    getProjectTriggers: () => triggers.map(triggerObject),
    deleteTrigger: (trigger: ReturnType<typeof triggerObject>) => void triggers.splice(triggers.indexOf(trigger.t), 1),
  },
  SpreadsheetApp: { getActive: () => ({ getName: () => 'Workshop program' }) },
  console: { log: record('log'), info: record('log'), warn: record('warn'), error: record('error') },
});
vm.runInContext(code, context, { filename: 'apps-script-on-edit.js' });

port.on('message', (message: HostCall) => {
  if (message.properties) {
    properties.clear();
    for (const [key, value] of Object.entries(message.properties)) properties.set(key, value);
    cache.clear();
    triggers.length = 0;
  }
  clockMs += (message.advanceSeconds ?? 0) * 1000;
  logs.length = 0;
  requests.length = 0;
  let error: string | undefined;
  try {
    (context[message.call] as () => void)();
  } catch (thrown) {
    error = (thrown as Error).message;
  }
  const state: HostState = {
    properties: Object.fromEntries(properties),
    cache: [...cache].filter(([, e]) => e.until > now()).map(([k]) => k),
    triggers: triggers.map((t) => ({ ...t })),
    requests: [...requests],
    logs: [...logs],
    lockHeld,
  };
  port.postMessage({ done: { error, state } } satisfies HostMessage);
});
