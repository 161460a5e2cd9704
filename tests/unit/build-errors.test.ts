/**
 * The whole build against fixture content (CONTENT_DIR / OUT_DIR in temp dirs): invalid content stops the build
 * with the file, the entry and the field; the valid fixture builds, which shows the failure is the content's.
 * Two builds of a few seconds each.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { makeScratchDir } from '../helpers/scratch.ts';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/content-minimal/', import.meta.url));
const ASTRO = path.join(PROJECT, 'node_modules', 'astro', 'bin', 'astro.mjs');

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = makeScratchDir();
  temps.push(dir);
  return dir;
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Copies the valid fixture to a temp content dir and lets `edit` break it. */
function fixtureContent(edit?: (dir: string) => void): string {
  const dir = tempDir('build-content-');
  cpSync(FIXTURE, dir, { recursive: true });
  edit?.(dir);
  return dir;
}

/** `astro build` with the running Node (22), like `npx astro build`; resolves with exit code and output. */
function astroBuild(contentDir: string, outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONTENT_DIR: contentDir,
      OUT_DIR: outDir,
      // Astro's generated .astro/ and cache beside the output, never shared with another build running meanwhile.
      ASTRO_SCRATCH_DIR: scratch(),
      SOURCE_DATE_EPOCH: '1735689600',
      ASTRO_TELEMETRY_DISABLED: '1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    };
    delete env['NODE_TEST_CONTEXT'];
    const child = spawn(process.execPath, [ASTRO, 'build'], { cwd: PROJECT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('astro build with fixture content', { timeout: 400_000 }, () => {
  it('fails on a paper without authors, naming papers.json, the entry and the field', async () => {
    const content = fixtureContent((dir) => {
      const file = path.join(dir, '2025_3', 'papers.json');
      const papers = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
      delete papers[1]!['authors'];
      writeFileSync(file, JSON.stringify(papers, null, 2));
    });
    const out = tempDir('build-out-');
    const { code, output } = await astroBuild(content, out);
    assert.notEqual(code, 0, `the build must fail:\n${output}`);
    const message = output.split('\n').find((line) => line.includes('papers.json,'));
    assert.ok(message, `no line names papers.json:\n${output}`);
    assert.ok(message.includes('2025_3/papers.json'), message);
    assert.ok(message.includes('entry 2 (id "2")'), message);
    assert.ok(message.includes('field "authors"'), message);
    assert.ok(!existsSync(path.join(out, '2025_3', 'index.html')), 'no page is written');
  });

  it('builds the valid fixture, with the program calendar in UTC', async () => {
    const out = tempDir('build-out-');
    const { code, output } = await astroBuild(fixtureContent(), out);
    assert.equal(code, 0, output);
    assert.ok(existsSync(path.join(out, '2025_3', 'index.html')), `2025_3/index.html in ${out}`);
    const ics = readFileSync(path.join(out, '2025_3', 'schedule.ics'), 'utf8');
    const events = ICAL.Component.fromString(ics)
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const keynote = events.find((e) => e.summary === 'Keynote');
    assert.ok(keynote, ics);
    // 09:10–10:00 in Europe/Rome in July is CEST (UTC+2): 07:10Z–08:00Z.
    assert.equal(keynote.startDate.toJSDate().toISOString(), '2025-07-17T07:10:00.000Z');
    assert.equal(keynote.endDate.toJSDate().toISOString(), '2025-07-17T08:00:00.000Z');
    assert.ok(keynote.description.includes('Ada Lovelace (Analytical Engines)'), keynote.description);
    // SOURCE_DATE_EPOCH 1735689600 is 2025-01-01T00:00:00Z.
    assert.match(ics, /\r\nDTSTAMP:20250101T000000Z\r\n/);
  });
});
