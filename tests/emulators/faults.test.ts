/**
 * dev/emulators/faults.ts against a plain node:http server on 127.0.0.1:0, driven by node's fetch and http.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, withFaults } from '../../dev/emulators/faults.ts';

process.env['NO_PROXY'] = '127.0.0.1,localhost';

const BODY = 'abcdefghijklmnopqrstuvwxyz'.repeat(4); // 104 bytes

describe('withFaults', () => {
  const plan = new FaultPlan();
  let handled = 0;
  let base = '';
  const listener = withFaults(
    plan,
    (req, res) => {
      handled += 1;
      if (req.url === '/throws') throw new Error('boom');
      if (req.url === '/async') {
        return Promise.resolve().then(() => {
          res.writeHead(201, { 'content-type': 'text/plain' });
          res.end('later');
        });
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-real': 'yes', 'content-length': BODY.length });
      res.write(BODY.slice(0, 10));
      res.end(BODY.slice(10));
      return undefined;
    },
    { statusBody: (status) => ({ error: { code: status } }) },
  );
  const server = http.createServer((req, res) => {
    void listener(req, res);
  });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    plan.releaseStalled();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    plan.clear();
    handled = 0;
  });

  it('passes requests through when the plan is empty', async () => {
    const res = await fetch(`${base}/x`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), BODY);
    assert.equal(handled, 1);
  });

  it('answers a burst of statuses with headers, then the real handler', async () => {
    plan.add({ kind: 'status', status: 503, headers: { 'retry-after': '7' }, times: 2 });
    plan.add({ kind: 'status', status: 429, body: 'slow down' });
    assert.equal(plan.pending(), 3);
    const first = await fetch(`${base}/a`);
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.deepEqual(await first.json(), { error: { code: 503 } }, 'statusBody builds the default body');
    assert.equal((await fetch(`${base}/a`)).status, 503);
    const third = await fetch(`${base}/a`);
    assert.equal(third.status, 429);
    assert.equal(await third.text(), 'slow down');
    const fourth = await fetch(`${base}/a`);
    assert.equal(fourth.status, 200);
    await fourth.text();
    assert.equal(handled, 1, 'the handler only ran for the last request');
    assert.equal(plan.pending(), 0);
    assert.deepEqual(
      plan.log.slice(-3).map((f) => `${f.kind} ${f.method} ${f.path}`),
      ['status GET /a', 'status GET /a', 'status GET /a'],
    );
  });

  it('matches by method and path (prefix, RegExp on path+query, function)', async () => {
    plan.add({ kind: 'status', status: 404, method: 'post', path: '/only', times: Infinity });
    plan.add({ kind: 'status', status: 418, path: /offset=2/ });
    plan.add({ kind: 'status', status: 410, path: (url) => url.searchParams.get('tab') === 'b' });
    assert.equal((await fetch(`${base}/only/here`, { method: 'POST', body: 'x' })).status, 404);
    assert.equal((await fetch(`${base}/only/here`, { method: 'POST', body: 'y' })).status, 404);
    const get = await fetch(`${base}/only/here`);
    assert.equal(get.status, 200, 'GET does not match a POST rule');
    await get.text();
    assert.equal((await fetch(`${base}/list?offset=1`)).status, 200);
    assert.equal((await fetch(`${base}/list?offset=2`)).status, 418);
    assert.equal((await fetch(`${base}/list?tab=b`)).status, 410);
    assert.equal(plan.pending(), Infinity);
  });

  it('delays the real answer by the latency', async () => {
    plan.add({ kind: 'latency', ms: 150 });
    const start = performance.now();
    const res = await fetch(`${base}/slow`);
    assert.equal(await res.text(), BODY);
    assert.ok(performance.now() - start >= 140, 'answered after the delay');
    assert.equal(handled, 1);
  });

  it('drops the connection without a response', async () => {
    plan.add({ kind: 'drop' });
    await assert.rejects(fetch(`${base}/drop`), TypeError);
    assert.equal(handled, 0);
    const res = await fetch(`${base}/drop`);
    assert.equal(res.status, 200, 'the next request is served');
    await res.text();
  });

  it('truncates the real body and destroys the socket (premature close)', async () => {
    plan.add({ kind: 'truncate', bytes: 30 });
    const raw = await rawGet(`${base}/t`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['x-real'], 'yes', 'the real headers are kept');
    assert.equal(raw.headers['content-length'], String(BODY.length), 'the full length is announced');
    assert.equal(raw.body, BODY.slice(0, 30));
    assert.equal(raw.aborted, true);
    const res = await fetch(`${base}/t`);
    assert.equal(res.status, 200);
    await res.text();
    plan.add({ kind: 'truncate', bytes: 30 });
    const cut = await fetch(`${base}/t`);
    await assert.rejects(cut.text(), 'fetch rejects reading the short body');
  });

  it("truncates and ends cleanly with ending: 'end'", async () => {
    plan.add({ kind: 'truncate', bytes: 12, ending: 'end' });
    const res = await fetch(`${base}/t`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(await res.text(), BODY.slice(0, 12));
  });

  it('stalls after part of the body until the client aborts', async () => {
    plan.add({ kind: 'stall', bytes: 5 });
    const controller = new AbortController();
    const res = await fetch(`${base}/s`, { signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value!).toString(), BODY.slice(0, 5));
    const timer = setTimeout(() => controller.abort(), 100);
    await assert.rejects(reader.read(), { name: 'AbortError' });
    clearTimeout(timer);
  });

  it('stalls with no body until releaseStalled()', async () => {
    plan.add({ kind: 'stall' });
    const res = await fetch(`${base}/s`);
    assert.equal(res.status, 200);
    setTimeout(() => plan.releaseStalled(), 50);
    await assert.rejects(res.text());
  });

  it('answers 500 when the handler throws, and supports async handlers', async () => {
    const thrown = await fetch(`${base}/throws`);
    assert.equal(thrown.status, 500);
    assert.match(await thrown.text(), /boom/);
    plan.add({ kind: 'truncate', bytes: 3, ending: 'end' });
    const later = await fetch(`${base}/async`);
    assert.equal(later.status, 201);
    assert.equal(await later.text(), 'lat');
  });

  it('rejects a rule with a non-positive count', () => {
    assert.throws(() => plan.add({ kind: 'drop', times: 0 }), RangeError);
  });
});

function rawGet(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('aborted', () => (aborted = true));
        res.on('error', () => (aborted = true));
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            aborted: aborted || !res.complete,
          }),
        );
      })
      .on('error', reject);
  });
}
