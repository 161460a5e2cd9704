/** sync/http/throttle.ts: never more than `limit` arrivals in any window, shared by every caller; pauses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createThrottle, createThrottles } from '../../sync/http/throttle.ts';

/** The most starts found in any window of `ms` (each window opens at a start). */
function busiestWindow(starts: number[], ms: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  return Math.max(...sorted.map((t, i) => sorted.slice(i).filter((u) => u < t + ms).length));
}

test('23 requests at once: ≤ 5 per 100 ms window, and no slower than the floor needs', async () => {
  // As in production, the throttle's window is 5 % longer than the server's, to absorb timing jitter.
  const throttle = createThrottle({ limit: 5, intervalMs: 105 });
  const starts: number[] = [];
  const t0 = performance.now();
  const task = async () => {
    starts.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 5));
  };
  await Promise.all(Array.from({ length: 23 }, () => throttle.run(task)));
  assert.equal(starts.length, 23);
  assert.equal(throttle.started, 23);
  assert.ok(busiestWindow(starts, 100) <= 5, `busiest window: ${busiestWindow(starts, 100)} starts`);
  const last = Math.max(...starts);
  assert.ok(last >= 415, `the 23rd request needs four full windows, started at ${last.toFixed(0)} ms`);
  assert.ok(last < 700, `but not much more: ${last.toFixed(0)} ms`);
  assert.ok(throttle.waitedMs >= 300, `waited ${throttle.waitedMs} ms in all`);
});

test('a request that reaches the server late (a cold first connection) moves the window with it', async () => {
  // The "server" window is 100 ms; the first request spends 40 ms before it arrives, the others none.
  const throttle = createThrottle({ limit: 5, intervalMs: 105 });
  const arrivals: number[] = [];
  const t0 = performance.now();
  let first = true;
  const task = async () => {
    if (first) {
      first = false;
      await new Promise((r) => setTimeout(r, 40));
    }
    arrivals.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  };
  await Promise.all(Array.from({ length: 11 }, () => throttle.run(task)));
  assert.equal(arrivals.length, 11);
  assert.ok(
    busiestWindow(arrivals, 100) <= 5,
    `busiest window at the server: ${busiestWindow(arrivals, 100)} arrivals (${arrivals.map((a) => a.toFixed(0)).join(', ')})`,
  );
});

test("the first window's requests all reaching the server late alike (a cold process) cannot crowd the second", async () => {
  // The "server" window is 400 ms; the first 5 requests each spend 35 ms before they leave the process (more than
  // the 5 % margin, 20 ms), the later ones none — so no round trip reveals the delay before the sixth request.
  const throttle = createThrottle({ limit: 5, intervalMs: 420 });
  const arrivals: number[] = [];
  const t0 = performance.now();
  let n = 0;
  const task = async () => {
    if (n++ < 5) await new Promise((r) => setTimeout(r, 35));
    arrivals.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  };
  await Promise.all(Array.from({ length: 10 }, () => throttle.run(task)));
  assert.equal(arrivals.length, 10);
  assert.ok(
    busiestWindow(arrivals, 400) <= 5,
    `busiest window at the server: ${busiestWindow(arrivals, 400)} arrivals (${arrivals.map((a) => a.toFixed(0)).join(', ')})`,
  );
  // Once only: the first window is longer by a tenth, not every window.
  assert.ok(Math.max(...arrivals) < 420 + 42 + 100, `the tenth request arrived at ${Math.max(...arrivals).toFixed(0)} ms`);
});

test('pause() holds every request until it ends', async () => {
  const throttle = createThrottle({ limit: 5, intervalMs: 100 });
  const t0 = performance.now();
  throttle.pause(150);
  const started = await Promise.all([1, 2].map(() => throttle.run(() => Promise.resolve(performance.now() - t0))));
  for (const at of started) assert.ok(at >= 145, `started at ${at.toFixed(0)} ms, inside the pause`);
});

test('a failing task frees its slot for the next one', async () => {
  const throttle = createThrottle({ limit: 1, intervalMs: 20 });
  await assert.rejects(
    throttle.run(async () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await throttle.run(() => Promise.resolve('next')), 'next');
});

test('createThrottles: one throttle per key, the same one for the same key', () => {
  const forBase = createThrottles({ limit: 5 });
  assert.equal(forBase('appA'), forBase('appA'));
  assert.notEqual(forBase('appA'), forBase('appB'));
});
