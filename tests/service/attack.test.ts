/**
 * The service's HTTP endpoint attacked on 127.0.0.1, as a stranger and as a careless operator would (issue 13):
 * unauthenticated streams and large bodies are not read, weak secrets and non-loopback addresses stop the start
 * (`npm run serve:sync` as its own process), guessing is limited per address and counted in the log, /status tells a
 * stranger no error text, path, id or pid, and malformed requests get a 4xx and a log line. Bounded loops throughout.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { TargetError } from '../../sync/errors.ts';
import { startService, type Service } from '../../sync/service/service.ts';
import type { ServiceStatus } from '../../sync/service/types.ts';
import { configFile, FAST, lines, scratch, serviceConfig, spawnService, testTarget, type Scratch, type TestTarget } from './helpers.ts';

const SECRET = 'f3a1c9e07b5d42a8e6c1b0d9f7a3e5c2b8d4f6a0c2e4a6b8d0f2e4c6a8b0d2e4';

let demo: DemoEmulators;
before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
});
after(() => demo.close());

interface Started {
  service: Service;
  where: Scratch;
  out: ReturnType<typeof lines>;
  target: TestTarget;
  port: number;
}
const started: Started[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.service.stop(5_000);
    s.where.remove();
  }
});

async function start(options: { public?: boolean; empty?: boolean } = {}): Promise<Started> {
  const where = scratch({ empty: options.empty ?? false });
  const config = serviceConfig({ ...demo.env, SYNC_PORT: '0', SYNC_TRIGGER_SECRET: SECRET }, where, {
    trigger: { debounceMs: 60_000, ...(options.public ? { public: true } : {}) },
  });
  const out = lines();
  const target = testTarget();
  const service = await startService({ config, target, log: out.onLog, print: out.onPrint, runAtStart: false, policy: FAST });
  const s = { service, where, out, target, port: service.server!.port };
  started.push(s);
  return s;
}

interface Raw {
  /** Bytes this client managed to write before the server closed the connection (or `ms` passed). */
  written: number;
  /** What the server answered, as text. */
  answer: string;
  closedByServer: boolean;
}

/**
 * A raw connection: `head`, then `chunk` (framed as chunked encoding when `chunked`) written as fast as the socket
 * takes it, until the server closes the connection, `limit` bytes are written, or `ms` passed.
 */
function raw(port: number, head: string, options: { ms: number; chunked?: boolean; limit?: number; localAddress?: string }): Promise<Raw> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    const data = Buffer.alloc(64 * 1024, 'x');
    const chunk = options.chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
    let answer = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const written = socket.bytesWritten;
      socket.destroy();
      resolve({ written, answer, closedByServer });
    };
    const timer = setTimeout(() => finish(false), options.ms);
    const pump = () => {
      while (!done && socket.writable && socket.bytesWritten < (options.limit ?? Infinity)) {
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('data', (bytes: Buffer) => (answer += bytes.toString('latin1')));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const MB = 1024 * 1024;

describe('bounded requests', () => {
  test('an unauthenticated chunked stream (2 s) to /trigger, /status or an unknown path: answered, closed, < 1 MB read', async () => {
    const s = await start();
    const server = s.service.server!;
    for (const [head, status] of [
      ['POST /trigger HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n', 401],
      ['POST /trigger HTTP/1.1\r\nhost: a\r\nauthorization: Bearer wrong\r\ntransfer-encoding: chunked\r\n\r\n', 401],
      ['GET /status HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n', 200],
      ['PUT /nothing HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n', 404],
    ] as const) {
      const readBefore = server.bytesRead();
      const attack = await raw(s.port, head, { ms: 2_000, chunked: true });
      assert.equal(statusOf(attack.answer), status, head);
      assert.equal(attack.closedByServer, true, `the server closed the connection: ${head}`);
      assert.match(attack.answer, /\r\nconnection: close\r\n/i);
      const read = server.bytesRead() - readBefore;
      assert.ok(read < MB, `the server read ${read} bytes of ${attack.written} sent`);
    }
    assert.equal(s.service.triggers.pending, false);
  });

  test('a 100 MB body without the secret is not read: closed early', async () => {
    const s = await start();
    const readBefore = s.service.server!.bytesRead();
    const attack = await raw(s.port, `POST /trigger HTTP/1.1\r\nhost: a\r\ncontent-length: ${100 * MB}\r\n\r\n`, {
      ms: 5_000,
      limit: 100 * MB,
    });
    assert.equal(attack.closedByServer, true);
    assert.ok(attack.written < 20 * MB, `wrote ${attack.written} bytes before the close`);
    assert.ok(s.service.server!.bytesRead() - readBefore < MB);
  });

  test('Expect: 100-continue: no 100 without the secret (401, closed); with it, 100, then the body, then 202', async () => {
    const s = await start();
    const head = (auth: string) => `POST /trigger HTTP/1.1\r\nhost: a\r\n${auth}expect: 100-continue\r\ncontent-length: 15\r\n\r\n`;
    const stranger = await raw(s.port, head('authorization: Bearer wrong\r\n'), { ms: 2_000, limit: 0 });
    assert.match(stranger.answer, /^HTTP\/1\.1 401 /);
    assert.ok(!stranger.answer.includes('100 Continue'));
    assert.equal(stranger.closedByServer, true);

    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(s.port, '127.0.0.1', () => socket.write(head(`authorization: Bearer ${SECRET}\r\n`)));
      let text = '';
      socket.on('data', (bytes: Buffer) => {
        text += bytes.toString('latin1');
        if (text === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('{"from":"test"}');
        if (text.includes('"accepted":true')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.once('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202 /);
    assert.equal(s.service.triggers.pending, true);
  });

  test('with the secret, a small body is read and the connection kept; an answer without a body keeps it too', async () => {
    const s = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ports: number[] = [];
    for (const [method, path, body] of [
      ['POST', '/trigger', '{"from":"test"}'],
      ['GET', '/healthz', undefined],
      ['GET', '/status', undefined],
    ] as const) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          { port: s.port, host: '127.0.0.1', method, path, agent, headers: { authorization: `Bearer ${SECRET}` } },
          (res) => {
            ports.push(res.socket.localPort!);
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.once('error', reject);
        req.end(body);
      });
      assert.ok(status >= 200 && status < 300, `${method} ${path}: ${status}`);
    }
    agent.destroy();
    assert.equal(new Set(ports).size, 1, 'one connection for the three requests');
  });
});

describe('strong secrets, loopback unless said otherwise (npm run serve:sync)', () => {
  test('a secret shorter than 32 characters, or with whitespace, or 0.0.0.0 without public: exit 2, how to fix it, nothing started', async () => {
    // One state folder each: a second service on a folder would stop at once for that reason.
    const folders = [scratch(), scratch(), scratch()] as const;
    try {
      const env = (where: Scratch, secret: string) => ({
        ...demo.env,
        CONTENT_DIR: where.content,
        SYNC_PORT: '0',
        SYNC_TRIGGER_SECRET: secret,
      });
      const [a, b, c] = folders;
      const short = spawnService(configFile(a), env(a, 'k9z-0123456789abcdef0123456789a'), 'npm');
      const spaced = spawnService(configFile(b), env(b, 'correct horse battery staple 0123456789'), 'npm');
      const open = spawnService(configFile(c, { trigger: { host: '0.0.0.0' } }), env(c, SECRET), 'npm');
      const [shortExit, spacedExit, openExit] = await Promise.all([short.exited, spaced.exited, open.exited]);
      assert.deepEqual(shortExit, { code: 2, signal: null }, short.stderr.join('\n'));
      assert.deepEqual(
        short.stderr.filter((l) => l !== ''),
        [
          'Configuration: SYNC_TRIGGER_SECRET is shorter than 32 characters: a short secret can be guessed. Make one with `openssl rand -hex 32` and set it as SYNC_TRIGGER_SECRET in the service environment (or .env). The service did not start.',
        ],
      );
      assert.deepEqual(spacedExit, { code: 2, signal: null });
      assert.match(spaced.stderr.join('\n'), /^Configuration: SYNC_TRIGGER_SECRET contains whitespace, .* `openssl rand -hex 32`/);
      assert.ok(!spaced.stderr.join('\n').includes('horse'), 'the secret is not printed');
      assert.deepEqual(openExit, { code: 2, signal: null });
      assert.match(
        open.stderr.join('\n'),
        /^Configuration: service\.trigger\.host "0\.0\.0\.0" is not a loopback address: .* set service\.trigger\.public: true in workshop\.config\.ts \(or SYNC_PUBLIC=1\)/,
      );
      for (const p of [short, spaced, open]) assert.deepEqual(p.runs(), [], 'no run');
    } finally {
      for (const where of folders) where.remove();
    }
  });

  test('"" and :: are not loopback either; public without a secret is refused; a short secret without a port is no matter', async () => {
    const refused = async (service: object, env: Record<string, string>) => {
      const where = scratch();
      try {
        const config = serviceConfig({ ...demo.env, ...env }, where, service);
        const out = lines();
        return await startService({ config, target: testTarget(), log: out.onLog, runAtStart: false }).then(
          async (s) => void (await s.stop(1_000)),
          (error: Error) => `${error.name}: ${error.message}`,
        );
      } finally {
        where.remove();
      }
    };
    assert.match(
      (await refused({ trigger: { host: '' } }, { SYNC_PORT: '0', SYNC_TRIGGER_SECRET: SECRET }))!,
      /^ConfigError: service\.trigger\.host "" \(every interface\) is not a loopback address/,
    );
    assert.match(
      (await refused({ trigger: { host: '::' } }, { SYNC_PORT: '0', SYNC_TRIGGER_SECRET: SECRET }))!,
      /^ConfigError: service\.trigger\.host "::" is not/,
    );
    assert.match(
      (await refused({ trigger: { host: '127.0.0.1' } }, { SYNC_PORT: '0', SYNC_PUBLIC: '1' }))!,
      /^ConfigError: service\.trigger\.public \(SYNC_PUBLIC\) is on, but SYNC_TRIGGER_SECRET is not set/,
    );
    assert.equal(await refused({}, { SYNC_TRIGGER_SECRET: 'short' }), undefined, 'no port, no endpoint: nothing to refuse');
  });

  test('public: /status without the secret is 401, with it the full status; the bound address is logged', async () => {
    const s = await start({ public: true });
    assert.ok(
      s.out.log.includes(
        `The HTTP endpoint is public (service.trigger.public), bound to http://127.0.0.1:${s.port}: POST /trigger and GET /status need SYNC_TRIGGER_SECRET; wrong secrets are limited per address. Put a reverse proxy with TLS in front of it.`,
      ),
      s.out.log.join('\n'),
    );
    const anonymous = await fetch(`http://127.0.0.1:${s.port}/status`);
    assert.equal(anonymous.status, 401);
    assert.ok(!(await anonymous.text()).includes('"pid"'));
    const full = await fetch(`http://127.0.0.1:${s.port}/status`, { headers: { 'x-sync-secret': SECRET } });
    assert.equal(full.status, 200);
    assert.equal(((await full.json()) as ServiceStatus).pid, process.pid);
    assert.equal((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status, 200, '/healthz stays open');
  });
});

describe('guessing, /status for strangers, malformed requests', () => {
  test('guessing: 401 five times, then 429 with Retry-After (the right secret too) for that address only; one count line, no value tried', async () => {
    const s = await start();
    const guess = (secret: string, localAddress = '127.0.0.1') =>
      new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        const req = request(
          {
            port: s.port,
            host: '127.0.0.1',
            localAddress,
            method: 'POST',
            path: '/trigger',
            headers: { authorization: `Bearer ${secret}` },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
          },
        );
        req.once('error', reject);
        req.end();
      });
    const tried = Array.from({ length: 8 }, (_, i) => `guess-${i}-${'0'.repeat(40)}`);
    const answers = [];
    for (const secret of tried) answers.push(await guess(secret));
    assert.deepEqual(
      answers.map((a) => a.status),
      [401, 401, 401, 401, 401, 429, 429, 429],
    );
    const wait = Number(answers[5]!.retryAfter);
    assert.ok(wait > 50 && wait <= 60, `Retry-After ${wait}`);
    assert.equal((await guess(SECRET)).status, 429, 'the right secret waits too: a 202 would tell the guess was right');
    assert.equal((await guess(SECRET, '127.0.0.2')).status, 202, 'another address is not blocked');
    assert.equal((await guess('another-guess', '127.0.0.2')).status, 401);

    await s.service.stop(5_000);
    const counts = s.out.log.filter((l) => l.startsWith('HTTP endpoint, last'));
    assert.equal(counts.length, 1, s.out.log.join('\n'));
    assert.match(
      counts[0]!,
      /^HTTP endpoint, last \d+ s: 6 wrong secrets from 2 addresses \(127\.0\.0\.1: 5, 127\.0\.0\.2: 1\), 4 answered 429 \(over 5 tries a minute\), 0 malformed or unknown requests\.$/,
    );
    const log = s.out.log.join('\n');
    for (const secret of [...tried, SECRET, 'another-guess']) assert.ok(!log.includes(secret), 'no value tried is logged');
  });

  test('/status without the secret: state, results, times, counts, streak; no error text, path, id or pid', async () => {
    const s = await start({ empty: true });
    s.target.failures.push(
      new TargetError('local', `astro build failed in /srv/workshop/.sync/builds/2024 for ${demo.env['AIRTABLE_BASE_ID']}`),
    );
    const record = await s.service.runner.run('manual');
    assert.equal(record?.result, 'failed');
    assert.match(record.error ?? '', /\/srv\/workshop/);

    const text = await (await fetch(`http://127.0.0.1:${s.port}/status`)).text();
    const shown = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(shown).sort(), [
      'consecutiveFailures',
      'lastRun',
      'lastSuccess',
      'nextRun',
      'running',
      'service',
      'startedAt',
    ]);
    assert.deepEqual(Object.keys(shown['lastRun'] as object).sort(), [
      'counts',
      'durationMs',
      'finishedAt',
      'reason',
      'result',
      'startedAt',
      'warnings',
    ]);
    assert.equal(shown['consecutiveFailures'], 1);
    for (const secretish of ['/srv/', demo.env['AIRTABLE_BASE_ID']!, s.where.state, 'astro build']) {
      assert.ok(!text.includes(secretish), `${secretish} not shown`);
    }
    const full = (await (
      await fetch(`http://127.0.0.1:${s.port}/status`, { headers: { authorization: `Bearer ${SECRET}` } })
    ).json()) as ServiceStatus;
    assert.equal(full.lastRun?.error, record.error);
    assert.equal(full.pid, process.pid);
  });

  test('GET http://[, an unknown method, a wrong path or method: 4xx, a log line each, never a 500', async () => {
    const s = await start();
    const cases = [
      [
        'GET http://[ HTTP/1.1\r\nhost: a\r\n\r\n',
        400,
        /^HTTP endpoint: answered 400 for a target that is no URL \(GET "http:\/\/\["\) from 127\.0\.0\.1\.$/,
      ],
      [
        'BREW /status HTTP/1.1\r\nhost: a\r\n\r\n',
        400,
        /^HTTP endpoint: answered 400 for a request the HTTP parser refused \(HPE_INVALID_METHOD\) from 127\.0\.0\.1\.$/,
      ],
      [
        'GET /admin\u001b[31m HTTP/1.1\r\nhost: a\r\n\r\n',
        400,
        /^HTTP endpoint: answered 400 for a request the HTTP parser refused \(HPE_INVALID_URL\) from 127\.0\.0\.1\.$/,
      ],
      ['DELETE /trigger HTTP/1.1\r\nhost: a\r\n\r\n', 405, /^HTTP endpoint: answered 405 for DELETE \/trigger from 127\.0\.0\.1\.$/],
      [
        'GET /../etc/passwd HTTP/1.1\r\nhost: a\r\n\r\n',
        404,
        /^HTTP endpoint: answered 404 for GET "\/etc\/passwd" from 127\.0\.0\.1 \(more are only counted, in the next summary line\)\.$/,
      ],
    ] as const;
    for (const [i, [head, status, line]] of cases.entries()) {
      const answer = await raw(s.port, head, { ms: 2_000, limit: 0 });
      assert.equal(statusOf(answer.answer), status, head);
      assert.equal(answer.closedByServer, true);
      assert.match(s.out.log[i] ?? '', line);
    }
    // Beyond five a period, rejected requests are only counted.
    await raw(s.port, 'GET /more HTTP/1.1\r\nhost: a\r\n\r\n', { ms: 2_000, limit: 0 });
    assert.equal(s.out.log.length, cases.length);
    await s.service.stop(5_000);
    assert.match(s.out.log.at(-1)!, /, 0 answered 429 \(over 5 tries a minute\), 6 malformed or unknown requests\.$/);
  });
});
