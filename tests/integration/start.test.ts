/**
 * `npm start`, the main job, as a newcomer runs it (node dev/start.ts, no credentials): it starts the demo
 * emulators, syncs through the real clients into content/, builds, serves on 127.0.0.1, and prints the URL and a
 * sync summary. Here content, output and port are private to the test.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import { makeScratchDir } from '../helpers/scratch.ts';
import { contentCopy, EDITION, readJson, ROOT } from './helpers.ts';

const dir = contentCopy({ empty: true });
const out = mkdtempSync(path.join(tmpdir(), 'start-dist-'));
const scratch = makeScratchDir();
let child: ChildProcess | undefined;

after(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

test('with no credentials, npm start syncs the demo through the emulators, builds, serves and says where', async () => {
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AIRTABLE|GOOGLE)_/.test(k) && k !== 'NODE_TEST_CONTEXT'));
  child = spawn(process.execPath, [path.join(ROOT, 'dev/start.ts')], {
    cwd: ROOT,
    env: {
      ...env,
      CONTENT_DIR: dir,
      OUT_DIR: out,
      ASTRO_SCRATCH_DIR: scratch,
      PORT: String(port),
      NO_PROXY: '127.0.0.1,localhost',
      NO_COLOR: '1',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after 120 s:\n${output}`)), 120_000);
    const look = () => {
      const match = new RegExp(`http://127\\.0\\.0\\.1:${port}/`).exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child!.stdout!.on('data', look);
    child!.once('exit', (code) => reject(new Error(`npm start exited (${String(code)}) before serving:\n${output}`)));
  });
  assert.match(output, /No credentials set: syncing the demo spreadsheets from local emulators/);
  assert.match(output, /Sync of 2024_2: people: \+10 ~0 -0; papers: \+2 ~0 -0; schedule: \+18 ~0 -0/);
  assert.match(output, /Warnings \(\d+\):\n {2}- Google Sheets › Schedule › row 3 › "Speaker": "Marc Najork"/);
  assert.equal(readJson<unknown[]>(path.join(dir, EDITION, 'papers.json')).length, 2, 'the sync wrote the edition');
  assert.ok(existsSync(path.join(out, EDITION, 'index.html')), 'the build wrote the site');
  const home = await fetch(url);
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /Mark Najork/);
  assert.doesNotMatch(html, /<iframe/i);

  // SIGTERM (a service manager, Ctrl-C) stops the server too: the port is free again.
  const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  await assert.rejects(fetch(url), 'the server stopped with npm start');
});
