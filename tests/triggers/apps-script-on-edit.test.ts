/**
 * triggers/apps-script-on-edit.js in a fake Google Apps Script host (apps-script-host.ts, a worker thread: the
 * script's synchronous UrlFetchApp.fetch blocks there while this thread makes the request). In service mode the
 * requests reach the real sync service on 127.0.0.1 (sync runs follow); in github mode they are answered as GitHub's
 * API would. Covers: the installable triggers, one request a minute for a burst of edits plus one at the end of the
 * minute, the secret from Script properties, and failures reported with the status and without the secret.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { HostAnswer, HostCall, HostData, HostMessage, HostRequest, HostState } from './apps-script-host.ts';
import { localOnly, scriptText, startRealService, type RealService } from './helpers.ts';

const SCRIPT = scriptText('apps-script-on-edit.js');
const HOST = new URL('./apps-script-host.ts', import.meta.url);

interface Result {
  error: string | undefined;
  state: HostState;
}

interface Host {
  /** Runs one of the script's functions, after moving the host's clock on by `advanceSeconds`. */
  call(name: string, advanceSeconds?: number): Promise<Result>;
  /** Runs one of the script's functions in a fresh host state with these Script properties. */
  callWith(properties: Record<string, string>, name: string): Promise<Result>;
  /** What the host's UrlFetchApp gets back; by default the real answer. */
  answer: Answer;
  close(): Promise<void>;
}

type Answer = (request: HostRequest) => Promise<HostAnswer>;

/** Makes the request for real: to the local service on 127.0.0.1 only (localOnly). */
const forward: Answer = async ({ url, params }) => {
  try {
    const response = await fetch(localOnly(url), {
      method: (params.method ?? 'get').toUpperCase(),
      headers: { ...params.headers, ...(params.contentType ? { 'content-type': params.contentType } : {}) },
      ...(params.payload === undefined ? {} : { body: params.payload }),
      redirect: 'manual',
    });
    return { status: response.status, text: await response.text(), headers: Object.fromEntries(response.headers) };
  } catch (error) {
    return { networkError: `Address unavailable: ${url} (${(error as Error).message})` };
  }
};

/** One host (worker) for the whole file: starting one costs about half a second. */
function startHost(): Host {
  const shared = new SharedArrayBuffer(8 + (1 << 20));
  const control = new Int32Array(shared, 0, 2);
  const worker = new Worker(HOST, { workerData: { code: SCRIPT, properties: {}, shared } satisfies HostData });
  let pending: ((result: Result) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  worker.on('error', (error) => failed?.(error));
  worker.on('message', (message: HostMessage) => {
    if ('done' in message) return pending?.(message.done);
    void host.answer(message.fetch).then((reply) => {
      const json = new TextEncoder().encode(JSON.stringify(reply));
      new Uint8Array(shared, 8).set(json);
      Atomics.store(control, 1, json.length);
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
    });
  });
  const send = (message: HostCall) =>
    new Promise<Result>((resolve, reject) => {
      pending = resolve;
      failed = reject;
      worker.postMessage(message);
    });
  const host: Host = {
    call: (name, advanceSeconds = 0) => send({ call: name, advanceSeconds }),
    callWith: (properties, name) => send({ call: name, properties }),
    answer: forward,
    close: async () => {
      await worker.terminate();
    },
  };
  return host;
}

let service: RealService;
let host: Host;
before(async () => {
  host = startHost();
  service = await startRealService();
});
after(async () => {
  await host.close();
  await service.close();
});
beforeEach(() => {
  host.answer = forward;
});

describe('mode "service" (the default), against the real sync service', () => {
  test('installTrigger adds the installable on-edit and on-change triggers, once however often it runs', async () => {
    await host.callWith({}, 'installTrigger');
    const { error, state } = await host.call('installTrigger');
    assert.equal(error, undefined);
    assert.deepEqual(state.triggers, [
      { handler: 'onEditTrigger', kind: 'onEdit' },
      { handler: 'onEditTrigger', kind: 'onChange' },
    ]);
    assert.deepEqual(state.logs, ['log: Installed: every edit of "Workshop program" now asks for a sync (at most one request a minute).']);
  });

  test('a burst of edits sends one request at once and one when the minute is over; each starts a sync run', async () => {
    const first = await host.callWith({ serviceUrl: service.url, syncTriggerSecret: service.secret }, 'onEditTrigger');
    assert.equal(first.error, undefined);
    assert.deepEqual(first.state.requests, [
      {
        url: `${service.url}/trigger`,
        params: {
          method: 'post',
          headers: { Authorization: `Bearer ${service.secret}` },
          muteHttpExceptions: true,
          followRedirects: false,
        },
      },
    ]);
    assert.deepEqual(first.state.logs, ['log: the sync service took the trigger (202): a sync follows shortly.']);
    await service.settled(1);

    for (let i = 0; i < 5; i++) {
      const later = await host.call('onEditTrigger', 5);
      assert.equal(later.error, undefined);
      assert.deepEqual(later.state.requests, [], 'no request within the minute');
    }
    const noted = (await host.call('onEditTrigger', 5)).state;
    assert.ok(noted.properties['syncTrigger.pendingSince'], 'the edits are noted');
    assert.deepEqual(
      noted.triggers.filter((t) => t.kind === 'after'),
      [{ handler: 'sendPendingTrigger', kind: 'after', afterMs: 60_000 }],
      'one one-off trigger for the end of the minute',
    );
    assert.equal(noted.lockHeld, false);

    // The one-off trigger fires when the minute is over.
    const flushed = await host.call('sendPendingTrigger', 30);
    assert.equal(flushed.error, undefined);
    assert.equal(flushed.state.requests.length, 1);
    assert.deepEqual(flushed.state.triggers, [], 'the one-off trigger removed itself');
    assert.equal(flushed.state.properties['syncTrigger.pendingSince'], undefined);
    await service.settled(2);
    assert.deepEqual(
      service.runs.map((r) => r.reason),
      ['trigger', 'trigger'],
    );

    // Nothing noted: the next one-off run sends nothing; an edit after the window sends at once.
    assert.deepEqual((await host.call('sendPendingTrigger', 61)).state.requests, []);
    assert.equal((await host.call('onEditTrigger')).state.requests.length, 1);
    await service.settled(3);
  });

  test('a wrong secret fails the execution with the status and what to check, never the secret; the edit stays noted', async () => {
    const wrong = '0'.repeat(64);
    const runsBefore = service.runs.length;
    const { error, state } = await host.callWith({ serviceUrl: `${service.url}/trigger`, syncTriggerSecret: wrong }, 'onEditTrigger');
    assert.equal(
      error,
      "the sync service answered 401: the syncTriggerSecret script property does not match the service's SYNC_TRIGGER_SECRET.",
    );
    assert.equal(state.logs.length, 1);
    assert.match(state.logs[0]!, /^error: the sync service answered 401: \{"error":/);
    for (const text of [...state.logs, error]) assert.ok(!text.includes(wrong) && !text.includes(service.secret), text);
    assert.ok(state.properties['syncTrigger.pendingSince'], 'the failed edit is retried by the next one');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(service.runs.length, runsBefore, 'a refused trigger runs nothing');
  });

  test('a service that does not answer fails the execution, naming the address', async () => {
    const { error } = await host.callWith({ serviceUrl: 'http://127.0.0.1:9', syncTriggerSecret: service.secret }, 'testTrigger');
    assert.match(
      error ?? '',
      /^Could not reach the sync service at http:\/\/127\.0\.0\.1:9\/trigger: Address unavailable: .+ Check the address/,
    );
    assert.ok(!error!.includes(service.secret));
  });
});

describe('settings from Script properties', () => {
  test('missing settings, plain http to another machine and unknown modes are refused before anything is sent', async () => {
    const secret = 'x'.repeat(64);
    const cases: [Record<string, string>, string][] = [
      [{ syncTriggerSecret: secret }, 'The script property "serviceUrl" is missing'],
      [{ serviceUrl: 'https://sync.example.org' }, 'The script property "syncTriggerSecret" is missing'],
      [{ serviceUrl: 'http://sync.example.org', syncTriggerSecret: secret }, 'serviceUrl must start with https://'],
      [{ serviceUrl: 'https://u:pw@sync.example.org', syncTriggerSecret: secret }, 'The script property serviceUrl is not an address'],
      [{ mode: 'webhook' }, 'The script property mode ("webhook") is not known'],
      [{ mode: 'github', repository: 'org/site' }, 'The script property "githubToken" is missing'],
    ];
    host.answer = () => Promise.resolve({ status: 204, text: '', headers: {} });
    for (const [properties, message] of cases) {
      const { error, state } = await host.callWith(properties, 'testTrigger');
      assert.ok(error?.startsWith(message), `${JSON.stringify(properties)}: ${error}`);
      assert.ok(!error?.includes('pw@'));
      assert.deepEqual(state.requests, []);
    }
  });
});

describe('mode "github": a repository_dispatch for .github/workflows/sync.yml', () => {
  const token = `github_pat_${'B'.repeat(40)}`;
  const properties = { mode: 'github', repository: 'my-org/workshop-site', githubToken: token };

  test('POSTs the sheet-edited event with the token from Script properties; 204 succeeds', async () => {
    host.answer = () => Promise.resolve({ status: 204, text: '', headers: {} });
    const { error, state } = await host.callWith(properties, 'onEditTrigger');
    assert.equal(error, undefined);
    assert.deepEqual(state.requests, [
      {
        url: 'https://api.github.com/repos/my-org/workshop-site/dispatches',
        params: {
          method: 'post',
          contentType: 'application/json',
          headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28' },
          payload: '{"event_type":"sheet-edited","client_payload":{"source":"google-sheets"}}',
          muteHttpExceptions: true,
        },
      },
    ]);
    assert.deepEqual(state.logs, ['log: GitHub (my-org/workshop-site) took the trigger (204): a sync follows shortly.']);
  });

  test('an expired token fails the execution with the status; an answer echoing the token is logged without it', async () => {
    host.answer = ({ params }) =>
      Promise.resolve({
        status: 401,
        text: `{"message":"Bad credentials: ${params.headers?.['Authorization']}"}`,
        headers: { 'Retry-After': '60' },
      });
    const { error, state } = await host.callWith(properties, 'onEditTrigger');
    assert.equal(error, 'GitHub (my-org/workshop-site) answered 401: the githubToken script property is wrong or expired.');
    assert.deepEqual(state.logs, [
      'error: GitHub (my-org/workshop-site) answered 401 (retry after 60 s): {"message":"Bad credentials: Bearer [secret]"}',
    ]);
  });
});
