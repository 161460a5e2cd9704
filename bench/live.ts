/**
 * Edit-to-live benchmark: how long from an organizer's edit to the rebuilt page, through the real service.
 *
 *   npm run bench:live [-- --runs 5]      (BENCH_DEBOUNCE_MS=1000 by default: the trigger's quiet time)
 *
 * Starts the demo emulators in this process and `node sync/service/main.ts --config bench/live.config.ts` as its
 * own process (local target: Astro build into .bench/live/state/builds/, symlink .bench/live/site), on a copy of
 * the demo content without people, papers and schedule, and waits for the start run to publish. Then, each run:
 * change a paper's title in the Airtable emulator, POST /trigger with the shared secret, and poll the paper's page
 * under the served folder until it shows the new title. Prints each run, the median, and the phases of the last run
 * (debounce, sync, build + switch) from the service's status.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoEmulators } from '../dev/demo/emulators.ts';
import type { ServiceStatus } from '../sync/service/types.ts';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const EDITION = '2024_2';
const PAPER = '3';
const SECRET = 'bench-live-secret-0123456789abcdef0123';
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const debounceMs = Number(process.env['BENCH_DEBOUNCE_MS'] ?? 1000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 180_000,
  everyMs = 25,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

rmSync(path.join(ROOT, '.bench/live'), { recursive: true, force: true });
const content = mkdtempSync(path.join(tmpdir(), 'bench-live-'));
cpSync(path.join(ROOT, 'content'), content, { recursive: true });
for (const name of readdirSync(path.join(content, EDITION))) {
  if (name !== 'edition.json') rmSync(path.join(content, EDITION, name), { recursive: true, force: true });
}

const demo = await startDemoEmulators();
const port = await freePort();
const baseId = demo.env['AIRTABLE_BASE_ID']!;
const service = spawn(process.execPath, [path.join(ROOT, 'sync/service/main.ts'), '--config', 'bench/live.config.ts'], {
  cwd: ROOT,
  env: { ...process.env, ...demo.env, CONTENT_DIR: content, SYNC_PORT: String(port), SYNC_TRIGGER_SECRET: SECRET, NO_PROXY: '127.0.0.1' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
service.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));

const status = async (): Promise<ServiceStatus | undefined> => {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as ServiceStatus;
  } catch {
    return undefined;
  }
};
const page = () => {
  try {
    return readFileSync(path.join(ROOT, '.bench/live/site', EDITION, 'papers', PAPER, 'index.html'), 'utf8');
  } catch {
    return '';
  }
};

try {
  await waitFor('the start run to publish', async () => {
    const s = await status();
    if (s?.lastRun?.result === 'failed') throw new Error(`the start run failed: ${s.lastRun.error}`);
    return s?.lastRun?.result === 'published' ? s : undefined;
  });
  const paper = demo.airtable.records(baseId, 'Papers').find((r) => String(r.fields['Paper ID']) === PAPER)!;
  const times: number[] = [];
  let last: ServiceStatus | undefined;
  for (let i = 1; i <= runs; i++) {
    const title = `Edited title ${i} ${Date.now()}`;
    const started = performance.now();
    demo.airtable.updateRecord(baseId, 'Papers', paper.id, { Title: title });
    const answer = await fetch(`http://127.0.0.1:${port}/trigger`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } });
    if (answer.status !== 202) throw new Error(`POST /trigger answered ${answer.status}`);
    await waitFor(`run ${i} to show the new title`, () => (page().includes(title) ? true : undefined));
    times.push(performance.now() - started);
    last = await status();
    console.log(`run ${i}: ${(times.at(-1)! / 1000).toFixed(2)} s`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `\nedit → live (${runs} runs, debounce ${debounceMs} ms, local target): median ${(median / 1000).toFixed(2)} s, min ${(sorted[0]! / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s`,
  );
  if (last?.lastRun)
    console.log(
      `last run: ${last.lastRun.durationMs} ms from the run's start to published (sync + build + switch); the rest is the debounce and polling.`,
    );
} catch (error) {
  console.error(`${(error as Error).message}\n--- service log ---\n${log}`);
  process.exitCode = 1;
} finally {
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  await exited;
  await demo.close();
  rmSync(content, { recursive: true, force: true });
}
