/**
 * What unwelcome requests cost the service's HTTP endpoint, measured on the real process.
 *
 *   npm run bench:trigger [-- --seconds 15]
 *
 * Starts the demo emulators in this process and `node sync/service/main.ts` as its own process (target none, a copy
 * of content/, SYNC_PORT on 127.0.0.1 with a 64-character secret), waits for its start run, then, without the secret:
 *   - one chunked POST /trigger stream written as fast as the socket takes it, for `--seconds` (or until closed);
 *   - the same stream to GET /status (a 200 answer) and to GET /nothing (404);
 *   - a 100 MB POST /trigger body;
 *   - `--seconds` of reconnecting chunked streams (a new one as soon as the last is closed);
 *   - `--seconds` of guessing (one request with a wrong secret after the other).
 * For each: what the service read from the kernel (`rchar` of /proc/<pid>/io, all its reads), its CPU time and RSS
 * (before → after), bytes this process wrote, and answers. Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoEmulators } from '../dev/demo/emulators.ts';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../..');
const SECRET = 'b'.repeat(64);
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' } } });
const seconds = Number(values.seconds);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const home = mkdtempSync(path.join(tmpdir(), 'bench-trigger-'));
const content = path.join(home, 'content');
cpSync(path.join(ROOT, 'content'), content, { recursive: true });
const configFile = path.join(home, 'workshop.config.mjs');
writeFileSync(
  configFile,
  `export default ${JSON.stringify({ service: { target: { kind: 'none' }, cron: '0 0 1 1 *', stateDir: path.join(home, 'state') } })};\n`,
);

const demo = await startDemoEmulators({ airtable: { rateLimit: false } });
const port = await freePort();
const service = spawn(process.execPath, [path.join(ROOT, 'sync/service/main.ts'), '--config', configFile], {
  cwd: ROOT,
  env: { ...process.env, ...demo.env, CONTENT_DIR: content, SYNC_PORT: String(port), SYNC_TRIGGER_SECRET: SECRET, NO_PROXY: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
let err = '';
service.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
service.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
const pid = service.pid!;

/** The service's reads (bytes), CPU time (ms) and RSS (KiB), from /proc. */
function sample(): { read: number; cpuMs: number; rssKiB: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    read: Number(/rchar:\s+(\d+)/.exec(io)![1]),
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    cpuMs: (Number(stat[11]) + Number(stat[12])) * 10,
    rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)![1]),
  };
}

const deadline = Date.now() + 120_000;
while (!out.includes('"event":"sync-run"')) {
  if (Date.now() > deadline || service.exitCode !== null) throw new Error(`the service did not finish its start run:\n${err}`);
  await delay(50);
}
await delay(500);

interface Stream {
  written: number;
  ms: number;
  answer: string;
}

/** One connection: `head`, then body chunks as fast as the socket takes them, until closed or `ms` passed. */
function stream(head: string, ms: number, body?: Buffer): Promise<Stream> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let answer = '';
    let done = false;
    let sentBody = 0;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const written = socket.bytesWritten;
      socket.destroy();
      resolve({ written, ms: Date.now() - started, answer: answer.split('\r\n')[0] ?? '' });
    };
    const timer = setTimeout(finish, ms);
    const pump = () => {
      while (!done && socket.writable) {
        let next: Buffer = framed;
        if (body) {
          if (sentBody >= body.length) return;
          next = body.subarray(sentBody, sentBody + 1024 * 1024);
          sentBody += next.length;
        }
        if (!socket.write(next)) return void socket.once('drain', pump);
      }
    };
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
  });
}

const fmt = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const rows: string[] = [];
async function measure(name: string, attack: () => Promise<string>): Promise<void> {
  const before = sample();
  const what = await attack();
  await delay(1_000);
  const after = sample();
  rows.push(
    `| ${name} | ${fmt(after.read - before.read)} | ${after.cpuMs - before.cpuMs} ms | ${(before.rssKiB / 1024).toFixed(1)} → ${(after.rssKiB / 1024).toFixed(1)} MB | ${what} |`,
  );
}

const chunked = (method: string, target: string) =>
  `${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n`;
const single = async (method: string, target: string) => {
  const s = await stream(chunked(method, target), seconds * 1000);
  return `wrote ${fmt(s.written)}, closed after ${s.ms} ms, answer \`${s.answer}\``;
};

await measure(`one chunked POST /trigger stream, no secret, ${seconds} s`, () => single('POST', '/trigger'));
await measure(`one chunked GET /status stream, no secret, ${seconds} s`, () => single('GET', '/status'));
await measure(`one chunked GET /nothing stream, ${seconds} s`, () => single('GET', '/nothing'));
await measure('100 MB POST /trigger body, no secret', async () => {
  const size = 100 * 1024 * 1024;
  const s = await stream(
    `POST /trigger HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${size}\r\n\r\n`,
    seconds * 1000,
    Buffer.alloc(size, 'x'),
  );
  return `wrote ${fmt(s.written)}, closed after ${s.ms} ms, answer \`${s.answer}\``;
});
await measure(`reconnecting chunked POST /trigger streams, no secret, ${seconds} s`, async () => {
  const until = Date.now() + seconds * 1000;
  let connections = 0;
  let written = 0;
  while (Date.now() < until) {
    const s = await stream(chunked('POST', '/trigger'), until - Date.now());
    connections++;
    written += s.written;
  }
  return `${connections} connections, wrote ${fmt(written)} (${fmt(written / connections)} each)`;
});
await measure(`guessing the secret, ${seconds} s`, async () => {
  const until = Date.now() + seconds * 1000;
  const answers: Record<number, number> = {};
  let retryAfter = '';
  let i = 0;
  while (Date.now() < until) {
    const response = await fetch(`http://127.0.0.1:${port}/trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(i++).padStart(64, '0')}` },
    });
    await response.arrayBuffer();
    answers[response.status] = (answers[response.status] ?? 0) + 1;
    if (response.status === 429) retryAfter = response.headers.get('retry-after') ?? '';
  }
  const counts = Object.entries(answers)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  return `${i} tries: ${counts}; Retry-After ${retryAfter} s`;
});

service.kill('SIGTERM');
await new Promise((resolve) => service.once('exit', resolve));
await demo.close();
rmSync(home, { recursive: true, force: true });

console.log(`Service endpoint under attack (node ${process.version}, 127.0.0.1; reads: all the service process read, + 1 s after)\n`);
console.log('| attack | service read | service CPU | service RSS | client side |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
const summaries = err.split('\n').filter((l) => l.startsWith('HTTP endpoint, last'));
console.log(`\nThe service's summary lines:\n${summaries.join('\n') || '(none yet: they come once a minute, and at stop)'}`);
