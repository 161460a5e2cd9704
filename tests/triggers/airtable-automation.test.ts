/**
 * triggers/airtable-automation.js, run as Airtable runs an automation script: its text in a node:vm context holding
 * fakes of the host's globals (input.config, input.secret, fetch, console). In service mode the fake fetch forwards
 * to the real sync service on 127.0.0.1 (a sync run follows); in github mode it answers as GitHub's API would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { localOnly, scriptText, startRealService, type RealService } from './helpers.ts';

const SCRIPT = scriptText('airtable-automation.js');

interface Sent {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Host {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  /** What the fake fetch does; by default it forwards to the real network (here: the local service). */
  answer?: (sent: Sent) => Response | Promise<Response>;
}

interface Outcome {
  sent: Sent[];
  logs: string[];
  /** The message of the error the script threw (the automation run fails), if any. */
  error: string | undefined;
}

/** Runs the script once, as an automation run: the host wraps the script's text in an async function. */
async function run(host: Host): Promise<Outcome> {
  const sent: Sent[] = [];
  const logs: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      logs.push(`${level}: ${args.map(String).join(' ')}`);
  const context = vm.createContext({
    input: {
      config: () => ({ ...host.config }),
      secret: (name: string) => {
        if (!(name in host.secrets)) throw new Error(`No secret named ${name}`);
        return host.secrets[name];
      },
    },
    fetch: async (url: string, init: RequestInit = {}) => {
      const one: Sent = {
        url,
        method: init.method,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? init.body : undefined,
      };
      sent.push(one);
      return host.answer ? host.answer(one) : fetch(localOnly(url), init);
    },
    console: { log: record('log'), warn: record('warn'), error: record('error') },
  });
  let error: string | undefined;
  try {
    await (vm.runInContext(`(async () => {\n${SCRIPT}\n})()`, context, { filename: 'airtable-automation.js' }) as Promise<void>);
  } catch (thrown) {
    error = (thrown as Error).message;
  }
  return { sent, logs, error };
}

let service: RealService;
before(async () => {
  service = await startRealService();
});
after(() => service.close());

describe('mode "service" (the default), against the real sync service', () => {
  test('POSTs <serviceUrl>/trigger with the secret as a Bearer header and no body; a sync run follows; the log says so', async () => {
    const outcome = await run({ config: { serviceUrl: `${service.url}/` }, secrets: { syncTriggerSecret: service.secret } });
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.sent, [
      { url: `${service.url}/trigger`, method: 'POST', headers: { Authorization: `Bearer ${service.secret}` }, body: undefined },
    ]);
    assert.deepEqual(outcome.logs, ['log: the sync service took the trigger (202): a sync follows shortly.']);
    await service.settled(1);
    assert.deepEqual(
      service.runs.map((r) => r.reason),
      ['trigger'],
    );
  });

  test('a wrong secret fails the run with the status code and what to check, never the secret; no sync runs', async () => {
    const wrong = 'f'.repeat(64);
    const runsBefore = service.runs.length;
    const outcome = await run({ config: { mode: 'service', serviceUrl: service.url }, secrets: { syncTriggerSecret: wrong } });
    assert.equal(
      outcome.error,
      "the sync service answered 401: the syncTriggerSecret secret does not match the service's SYNC_TRIGGER_SECRET.",
    );
    assert.match(outcome.logs.join('\n'), /^error: the sync service answered 401/);
    for (const text of [...outcome.logs, outcome.error]) assert.ok(!text.includes(wrong) && !text.includes(service.secret), text);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(service.runs.length, runsBefore, 'a refused trigger runs nothing');
  });

  test('a service that does not answer fails the run, naming the address', async () => {
    const closed = 'http://127.0.0.1:9'; // the discard port: nothing listens there
    const outcome = await run({ config: { serviceUrl: closed }, secrets: { syncTriggerSecret: service.secret } });
    assert.match(
      outcome.error ?? '',
      /^Could not reach the sync service at http:\/\/127\.0\.0\.1:9\/trigger: .+ Check the address and that it is online\.$/,
    );
    assert.ok(!outcome.error!.includes(service.secret));
  });

  test('an answer that echoes the secret (a misbehaving proxy) is logged with the secret blanked out', async () => {
    const secret = service.secret;
    const outcome = await run({
      config: { serviceUrl: 'https://sync.example.org/base/' },
      secrets: { syncTriggerSecret: secret },
      answer: (sent) =>
        new Response(`bad gateway; you sent ${sent.headers['Authorization']}`, { status: 502, headers: { 'retry-after': '30' } }),
    });
    assert.equal(outcome.sent[0]?.url, 'https://sync.example.org/base/trigger');
    assert.deepEqual(outcome.logs, ['error: the sync service answered 502 (retry after 30 s): bad gateway; you sent Bearer [secret]']);
    assert.equal(outcome.error, 'the sync service answered 502: the service failed; see its log.');
  });
});

describe('settings', () => {
  test('missing settings and secrets, plain http to another machine and unknown modes are refused before anything is sent', async () => {
    const cases: [Host, string][] = [
      [{ config: {}, secrets: { syncTriggerSecret: 'x'.repeat(64) } }, 'The input variable "serviceUrl" is missing'],
      [{ config: { serviceUrl: 'https://sync.example.org' }, secrets: {} }, 'The secret "syncTriggerSecret" is missing'],
      [
        { config: { serviceUrl: 'https://sync.example.org' }, secrets: { syncTriggerSecret: '  ' } },
        'The secret "syncTriggerSecret" is missing',
      ],
      [
        { config: { serviceUrl: 'http://sync.example.org' }, secrets: { syncTriggerSecret: 'x'.repeat(64) } },
        'serviceUrl must start with https://',
      ],
      [
        { config: { serviceUrl: 'https://user:pw@sync.example.org' }, secrets: { syncTriggerSecret: 'x'.repeat(64) } },
        'serviceUrl is not an address',
      ],
      [{ config: { mode: 'webhook' }, secrets: {} }, 'mode "webhook" is not known'],
      [
        { config: { mode: 'github', repository: 'not a repo' }, secrets: { githubToken: 't' } },
        'repository "not a repo" is not of the form owner/name',
      ],
      [{ config: { mode: 'github', repository: 'org/site' }, secrets: {} }, 'The secret "githubToken" is missing'],
    ];
    for (const [host, message] of cases) {
      const outcome = await run({ ...host, answer: () => new Response(null, { status: 204 }) });
      assert.ok(outcome.error?.startsWith(message), `${JSON.stringify(host.config)}: ${outcome.error}`);
      assert.deepEqual(outcome.sent, [], 'nothing is sent');
      assert.ok(!outcome.error?.includes('pw@'), 'a password in the address is not echoed');
    }
  });
});

describe('mode "github": a repository_dispatch for .github/workflows/sync.yml', () => {
  const token = `github_pat_${'A'.repeat(40)}`;

  test('POSTs the sheet-edited event to the repository with the token; 204 succeeds', async () => {
    const outcome = await run({
      config: { mode: 'GitHub', repository: 'my-org/workshop-site' },
      secrets: { githubToken: token },
      answer: () => new Response(null, { status: 204 }),
    });
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.sent, [
      {
        url: 'https://api.github.com/repos/my-org/workshop-site/dispatches',
        method: 'POST',
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'X-GitHub-Api-Version': '2022-11-28',
        },
        body: '{"event_type":"sheet-edited","client_payload":{"source":"airtable"}}',
      },
    ]);
    assert.deepEqual(outcome.logs, ['log: GitHub (my-org/workshop-site) took the trigger (204): a sync follows shortly.']);
  });

  test('a token without access fails the run with the status and what to check', async () => {
    const outcome = await run({
      config: { mode: 'github', repository: 'my-org/workshop-site' },
      secrets: { githubToken: token },
      answer: () => new Response('{"message":"Not Found"}', { status: 404 }),
    });
    assert.equal(
      outcome.error,
      'GitHub (my-org/workshop-site) answered 404: the token cannot reach the repository: check "repository" and the token\'s Contents: read and write access.',
    );
    assert.deepEqual(outcome.logs, ['error: GitHub (my-org/workshop-site) answered 404: {"message":"Not Found"}']);
  });
});
