/**
 * `npm run serve:sync` (its own process) with the local target, on content/ that the sources already match: the run
 * at start changes nothing, yet builds the site when it is missing or was built from other content, and says why in
 * one log line; started again on the same content, it builds nothing. Two real Astro builds.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { configFile, EDITION, scratch, spawnService, waitFor, type Scratch, type ServiceProcess } from './helpers.ts';

const BUILD_MS = 180_000;
let demo: DemoEmulators;
let where: Scratch;
let siteDir = '';
let file = '';

before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
  where = scratch();
  siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'start-build-site-')), 'site');
  file = configFile(where, { target: { kind: 'local', siteDir, keep: 3 } });
});
after(async () => {
  await demo.close();
  where.remove();
  rmSync(path.dirname(siteDir), { recursive: true, force: true });
});

/** Starts the service, waits for its start run, stops it; returns the run and the log. */
async function startOnce(): Promise<{ run: ReturnType<ServiceProcess['runs']>[number]; log: string[] }> {
  const service = spawnService(file, { ...demo.env, CONTENT_DIR: where.content });
  try {
    await waitFor(() => service.runs().length === 1, `the start run; log:\n${service.stderr.join('\n')}`, BUILD_MS);
  } finally {
    service.child.kill('SIGTERM');
  }
  assert.deepEqual(await service.exited, { code: 0, signal: null });
  return { run: service.runs()[0]!, log: service.stderr };
}

const builds = () => readdirSync(path.join(where.state, 'builds')).filter((n) => /^\d{4}-/.test(n));
const building = (log: string[]) => log.filter((l) => l.startsWith('Building the site at start'));

test('no site yet: the start run syncs nothing new, builds once and says why; started again, it builds nothing', async () => {
  const first = await startOnce();
  assert.deepEqual(building(first.log), [`Building the site at start: ${siteDir} does not exist yet.`]);
  assert.equal(first.run.result, 'published', first.run.error);
  assert.equal(first.run.summary, `no changes; built at start: ${siteDir} does not exist yet`);
  assert.ok(existsSync(path.join(siteDir, EDITION, 'index.html')), 'the site is served');
  assert.equal(builds().length, 1);

  const second = await startOnce();
  assert.deepEqual(building(second.log), []);
  assert.deepEqual([second.run.result, second.run.summary], ['unchanged', 'no changes']);
  assert.equal(builds().length, 1, 'no new build');
});

test('content/ changed while the service was down (a pulled edition.json): the start run builds it', async () => {
  const settings = path.join(where.content, EDITION, 'edition.json');
  const edition = JSON.parse(readFileSync(settings, 'utf8')) as { title: string };
  writeFileSync(settings, JSON.stringify({ ...edition, title: 'Renamed While Down Workshop' }, null, 2));
  const { run, log } = await startOnce();
  assert.deepEqual(building(log), [
    `Building the site at start: ${siteDir} was built from other content than ${where.content}/ holds now.`,
  ]);
  assert.equal(run.result, 'published', run.error);
  assert.equal(builds().length, 2);
  assert.match(readFileSync(path.join(siteDir, EDITION, 'index.html'), 'utf8'), /Renamed While Down Workshop/);
});
