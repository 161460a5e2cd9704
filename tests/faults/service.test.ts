/**
 * The long-running service (`npm run serve:sync`, node sync/service/main.ts, its own process): SIGTERM while a run
 * waits on a stalled answer, and a site build that fails with the `local` target (a real Astro build). The
 * operator's line is the service's log line or its run record's one-line `error`.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { configFile, readJson, scratch, spawnService, waitFor, type Scratch, type ServiceProcess } from '../service/helpers.ts';
import { assertOneLine, beforeAndAfter, EDITION, edit, emulators, files, scenario } from './helpers.ts';

const cleanup: (() => void)[] = [];
after(() => {
  for (const step of cleanup.splice(0)) step();
});

function start(file: string, env: Record<string, string>): ServiceProcess {
  const service = spawnService(file, env);
  cleanup.push(() => service.child.kill('SIGKILL'));
  return service;
}

function place(): Scratch {
  const where = scratch();
  cleanup.push(() => where.remove());
  return where;
}

describe('the sync service', () => {
  test('SIGTERM to the service mid-run', { timeout: 30_000 }, async (t) => {
    const s = scenario(t, 'SIGTERM to `npm run serve:sync` while its start run waits on stalled Airtable answers');
    const demo = await emulators({ airtable: { rateLimit: false } });
    edit(demo, { paper: true });
    const where = place();
    const before = files(where.content);
    demo.airtable.inject({ kind: 'stall', times: Infinity });
    const service = start(configFile(where), { ...demo.env, CONTENT_DIR: where.content });
    await waitFor(() => demo.airtable.faults.log.length > 0, 'a request of the run to be in flight');

    const sent = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    const tookMs = Date.now() - sent;
    demo.airtable.faults.releaseStalled();
    const line = service.stderr.find((l) => l.startsWith('SIGTERM: '));
    const run = service.runs()[0];
    s.outcome(`exit ${exit.code} after ${tookMs} ms; run ${run?.result ?? 'not recorded'}, lock released`, line ?? '(no line)');
    s.intact(files(where.content), before);

    assert.deepEqual(exit, { code: 0, signal: null });
    assertOneLine(line);
    assert.equal(line, 'SIGTERM: stopping (the current run is aborted; a write in progress completes).');
    assert.ok(tookMs < 5_000, 'stopped without waiting for the stalled answers');
    assert.equal(run?.result, 'aborted');
    assert.equal(existsSync(path.join(where.state, 'sync.lock')), false, 'no lock left');
    assert.equal(readJson<{ running: boolean }>(path.join(where.state, 'status.json')).running, false);
  });

  test('failed build', { timeout: 60_000 }, async (t) => {
    const s = scenario(
      t,
      "the local target's Astro build fails (edition.json hand-edited: dates.end before dates.start) after a sync that changed papers.json",
    );
    const demo = await emulators({ airtable: { rateLimit: false } });
    edit(demo, { paper: true });
    const { next } = await beforeAndAfter(demo);
    const where = place();
    const editionFile = path.join(where.content, EDITION, 'edition.json');
    writeFileSync(editionFile, readFileSync(editionFile, 'utf8').replace('"end": "2024-07-18"', '"end": "2024-07-17"'));
    // The site served now: an earlier build, which siteDir (a symlink) points at.
    const siteDir = path.join(path.dirname(where.state), 'site');
    const live = path.join(where.state, 'builds', '2024-01-01T00-00-00.000Z-1');
    mkdirSync(path.join(live, EDITION), { recursive: true });
    writeFileSync(path.join(live, 'index.html'), '<!doctype html><title>The site as last built</title>');
    cpSync(path.join(where.content, EDITION, 'papers.json'), path.join(live, EDITION, 'papers.json'));
    symlinkSync(live, siteDir);
    const served = files(siteDir);

    const service = start(configFile(where, { target: { kind: 'local', siteDir, keep: 3 } }), { ...demo.env, CONTENT_DIR: where.content });
    const run = await waitFor(() => service.runs()[0], 'the start run', 45_000);
    service.child.kill('SIGTERM');
    await service.exited;
    const line = run.error ?? '';
    s.outcome(`synced, build failed: run ${run.result}, ${path.basename(readlinkSync(siteDir))} still served, publish owed`, line);
    s.intact(files(siteDir), served, 'the served site');
    // content/ has the new papers.json (the sync itself succeeded); edition.json keeps the hand edit.
    const written = files(where.content);
    const papers = `${EDITION}/papers.json`;

    assert.equal(run.result, 'failed');
    assertOneLine(line);
    assert.match(
      line,
      /^local: the site build failed, so \S+ still serves \S+2024-01-01T00-00-00\.000Z-1\. Fix what the build reports; the next run builds again\. \S+edition\.json: field "dates\.end" must not be before dates\.start\./,
    );
    assert.ok(lstatSync(siteDir).isSymbolicLink());
    assert.equal(readlinkSync(siteDir), live, 'siteDir still points at the earlier build');
    assert.equal(written.get(papers), next.get(papers), 'the sync wrote what a clean sync writes');
    assert.match(run.summary, /content\/ is written but not published \(the next run publishes it\)/);
    assert.ok(existsSync(path.join(where.state, 'publish-pending.json')), 'the publish is owed to the next run');
  });
});
