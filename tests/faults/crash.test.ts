/**
 * `npm run sync` (node sync/cli.ts, its own process) killed at the worst moments, and two syncs at once. The edition
 * changes in four files (a paper title, a session title, a new photo replacing an old one), so that a write cut
 * halfway would show. SYNC_TEST_PAUSE_WRITE (tests/faults/hooked-sync.ts) holds the write at a point until the SIGKILL.
 *
 * After every kill the edition is all old or — once the journal is rolled forward by the next sync or by
 * `npm run check:content` — all new, never a mix; the next run succeeds and says, in one line, that it finished
 * the interrupted write.
 */
import assert from 'node:assert/strict';
import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { DemoEmulators } from '../../dev/demo/emulators.ts';
import { JOURNAL } from '../../content-store/journal.ts';
import {
  assertOneLine,
  beforeAndAfter,
  checkContentProcess,
  cliConfig,
  content,
  EDITION,
  edit,
  emulators,
  failedLine,
  files,
  hidden,
  scenario,
  summaryLine,
  syncProcess,
  visible,
  type Files,
} from './helpers.ts';

const LIMIT = { timeout: 30_000 };
const PAUSED = /^SYNC_TEST_PAUSE_WRITE: the write is paused at "[\w-]+" \(pid \d+\)\.$/;
const FINISHED = /finished the write of a sync that stopped halfway \(pid (\d+), [^)]+\): (\d+) files?\.$/;

interface Setup {
  demo: DemoEmulators;
  /** The committed content, and what a clean sync of the edited emulators writes over it. */
  old: Files;
  next: Files;
  dir: string;
  config: ReturnType<typeof cliConfig>;
}

async function setup(): Promise<Setup> {
  // No rate limit: the CLI waits Airtable's real 30 s penalty after a 429.
  const demo = await emulators({ airtable: { rateLimit: false } });
  edit(demo, { paper: true, schedule: true, photo: true });
  const { old, next } = await beforeAndAfter(demo);
  assert.ok(visible(next).size === old.size, 'one photo replaces another');
  return { demo, old, next, dir: content(), config: cliConfig() };
}

/** Runs the CLI with the write paused at `point`, and SIGKILLs it there. */
async function killAt(setup: Setup, point: 'staged' | 'committed' | 'renamed-1'): Promise<number> {
  const sync = syncProcess(setup.demo, setup.dir, setup.config.file, { SYNC_TEST_PAUSE_WRITE: point });
  await sync.waitForStderr(PAUSED);
  sync.child.kill('SIGKILL');
  const exit = await sync.exited;
  assert.equal(exit.signal, 'SIGKILL');
  return sync.pid;
}

/** The edition's three JSON files: all as before, all as a clean sync writes them, or a mix. */
function jsonState(now: Files, { old, next }: Setup): 'old' | 'new' | 'mixed' {
  const names = ['people.json', 'papers.json', 'schedule.json'].map((n) => `${EDITION}/${n}`);
  if (names.every((n) => now.get(n) === old.get(n))) return 'old';
  if (names.every((n) => now.get(n) === next.get(n))) return 'new';
  return 'mixed';
}

describe('SIGKILL in the middle of writing', () => {
  test('SIGKILL after staging, before the journal', LIMIT, async (t) => {
    const s = scenario(t, 'SIGKILL of `npm run sync` with 4 files staged (SYNC_TEST_PAUSE_WRITE=staged), no journal yet');
    const setup_ = await setup();
    await killAt(setup_, 'staged');
    const killed = files(setup_.dir);
    const temps = hidden(killed);
    s.intact(visible(killed), setup_.old, 'content/ after the kill = all old');

    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    const line = summaryLine(next);
    s.outcome(`killed with ${temps.length} staged temp files; the next sync deleted them and wrote the update`, line ?? '(no line)');
    s.intact(files(setup_.dir), setup_.next, 'content/ after the next sync = a clean sync');

    assert.ok(temps.length >= 4 && temps.every((name) => name.endsWith('.tmp')), `staged files: ${temps.join(', ')}`);
    assert.equal(jsonState(killed, setup_), 'old');
    assert.equal(next.code, 0, next.stderr);
    assertOneLine(line);
    assert.match(line, /^✓ 2024_2: people: \+0 ~1 -0; papers: \+0 ~1 -0; schedule: \+0 ~1 -0/);
    assert.doesNotMatch(next.stdout, FINISHED, 'no journal, nothing to finish');
  });

  test('SIGKILL after the journal is committed', LIMIT, async (t) => {
    const s = scenario(t, 'SIGKILL right after .sync-journal.json is committed (SYNC_TEST_PAUSE_WRITE=committed), before any rename');
    const setup_ = await setup();
    const pid = await killAt(setup_, 'committed');
    const killed = files(setup_.dir);
    s.intact(visible(killed), setup_.old, 'content/ after the kill = all old');

    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    const finished = next.stdout.split('\n').filter((l) => FINISHED.test(l));
    const line = finished[0]?.replace(/^\s+- /, '');
    s.outcome(
      `killed with the journal committed; the next sync rolled it forward first, then found no changes (${summaryLine(next) ?? ''})`,
      line ?? '(no line)',
    );
    s.intact(files(setup_.dir), setup_.next, 'content/ after the next sync = a clean sync');

    assert.ok(killed.has(`${EDITION}/${JOURNAL}`), 'the journal was left');
    assert.equal(next.code, 0, next.stderr);
    assert.equal(finished.length, 1, `one line about the interrupted write:\n${next.stdout}`);
    assertOneLine(line);
    assert.equal(FINISHED.exec(line)?.[1], String(pid), 'it names the killed sync');
    assert.equal(FINISHED.exec(line)?.[2], '5', '4 renames and 1 removal');
    assert.match(summaryLine(next) ?? '', /^✓ 2024_2: no changes/);
  });

  test('SIGKILL after the first rename', LIMIT, async (t) => {
    const s = scenario(
      t,
      'SIGKILL after the first of 4 renames (SYNC_TEST_PAUSE_WRITE=renamed-1); then `npm run check:content`, then a sync',
    );
    const setup_ = await setup();
    await killAt(setup_, 'renamed-1');
    const killed = files(setup_.dir);
    // The first rename put the new photo in place; the JSON files are all old and every photo they name is there.
    const extra = [...visible(killed).keys()].filter((name) => !setup_.old.has(name));
    s.intact(
      new Map([...visible(killed)].filter(([name]) => setup_.old.has(name))),
      setup_.old,
      'content/ after the kill = all old (+1 new photo)',
    );

    const check = await checkContentProcess(setup_.dir).exited;
    const line = check.stdout.split('\n').find((l) => FINISHED.test(l));
    s.outcome(
      `killed mid-rename; check:content rolled the journal forward (exit ${check.code}), the next sync found no changes`,
      line ?? '(no line)',
    );
    s.intact(files(setup_.dir), setup_.next, 'content/ after check:content = a clean sync');
    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    s.intact(files(setup_.dir), setup_.next, 'content/ after the next sync');

    assert.equal(jsonState(killed, setup_), 'old');
    assert.equal(extra.length, 1, `one new file in place: ${extra.join(', ')}`);
    assert.match(extra[0]!, /photos\/att\w+-6576\.jpg$/);
    assert.equal(check.code, 0, check.stderr);
    assertOneLine(line);
    assert.match(check.stdout, /^2024_2: ok \(/m);
    assert.equal(next.code, 0, next.stderr);
    assert.match(summaryLine(next) ?? '', /^✓ 2024_2: no changes/);
    assert.doesNotMatch(next.stdout, FINISHED, 'already finished by check:content');
  });

  test('leftover journal whose staged file was deleted', LIMIT, async (t) => {
    const s = scenario(t, 'SIGKILL after the journal is committed, then the staged people.json deleted by hand');
    const setup_ = await setup();
    await killAt(setup_, 'committed');
    const temp = hidden(files(setup_.dir)).find((name) => /\/\.people\.json\.\d+\.\w+\.tmp$/.test(name))!;
    unlinkSync(path.join(setup_.dir, temp));
    const before = files(setup_.dir);

    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    const line = failedLine(next);
    s.outcome(`the next sync refused to finish the write (exit ${next.code})`, line ?? '(no line)');
    s.intact(files(setup_.dir), before, 'content/ as the kill left it (all old)');

    assert.equal(jsonState(before, setup_), 'old');
    assert.equal(next.code, 1);
    assertOneLine(line);
    assert.match(
      line,
      /^Sync failed: the interrupted write of \S+ cannot be finished: its staged file \.people\.json\.\d+\.\w+\.tmp is gone\. Restore the edition from git, delete \.sync-journal\.json, and sync again\.$/,
    );
  });
});

describe('killed or doubled runs', () => {
  test('SIGKILL mid-fetch', LIMIT, async (t) => {
    const s = scenario(t, 'SIGKILL of `npm run sync` while Airtable › Papers stalls mid-answer; its lock file is left behind');
    const setup_ = await setup();
    setup_.demo.airtable.inject({ kind: 'stall', bytes: 20, path: `/v0/${setup_.demo.env['AIRTABLE_BASE_ID']}/Papers`, times: Infinity });
    const sync = syncProcess(setup_.demo, setup_.dir, setup_.config.file);
    await waitUntil(() => setup_.demo.airtable.faults.log.length > 0);
    sync.child.kill('SIGKILL');
    await sync.exited;
    const lockLeft = existsSync(setup_.config.lockFile);
    s.intact(files(setup_.dir), setup_.old, 'content/ after the kill = all old');

    setup_.demo.airtable.faults.clear();
    setup_.demo.airtable.faults.releaseStalled();
    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    const line = summaryLine(next);
    s.outcome(`killed before writing; the next sync took over the dead process's lock and wrote the update`, line ?? '(no line)');
    s.intact(files(setup_.dir), setup_.next, 'content/ after the next sync = a clean sync');

    assert.equal(lockLeft, true, 'SIGKILL leaves the lock file');
    assert.equal(next.code, 0, next.stderr);
    assertOneLine(line);
    assert.match(line, /^✓ 2024_2: people: \+0 ~1 -0; papers: \+0 ~1 -0; schedule: \+0 ~1 -0/);
    assert.equal(existsSync(setup_.config.lockFile), false, 'the lock is released');
  });

  test('SIGTERM to npm run sync mid-run', LIMIT, async (t) => {
    const s = scenario(t, 'SIGTERM to `npm run sync` (as cron, systemd or a cancelled CI job send it) while Airtable › Papers stalls');
    const setup_ = await setup();
    const { faults } = setup_.demo.airtable;
    faults.add({ kind: 'stall', bytes: 20, path: `/v0/${setup_.demo.env['AIRTABLE_BASE_ID']}/Papers`, times: Infinity });
    const sync = syncProcess(setup_.demo, setup_.dir, setup_.config.file);
    await waitUntil(() => faults.log.length > 0);
    sync.child.kill('SIGTERM');
    const exit = await sync.exited;
    const lockLeft = existsSync(setup_.config.lockFile);
    const line = exit.stderr.split('\n').find((l) => /^Sync (stopped|failed)/.test(l));
    s.outcome(
      `exit ${exit.code ?? exit.signal}; lock file ${lockLeft ? 'left behind' : 'released'}`,
      line ?? '(no line: the process died silently)',
    );
    s.intact(files(setup_.dir), setup_.old, 'content/ after SIGTERM = all old');

    faults.clear();
    faults.releaseStalled();
    const next = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    s.intact(files(setup_.dir), setup_.next, 'content/ after the next sync = a clean sync');
    assert.equal(next.code, 0, next.stderr);
    // What the operator needs: a line saying the sync was stopped and content/ is unchanged, and no stale lock.
    assertOneLine(line);
    assert.match(line, /SIGTERM/);
    assert.equal(lockLeft, false, 'the lock is released on SIGTERM');
  });

  test('two syncs at once', LIMIT, async (t) => {
    const s = scenario(t, 'a second `npm run sync` while the first holds the lock (its Papers answer held until the second has exited)');
    const setup_ = await setup();
    const { faults } = setup_.demo.airtable;
    faults.add({ kind: 'hold', path: `/v0/${setup_.demo.env['AIRTABLE_BASE_ID']}/Papers`, times: 1 });
    const first = syncProcess(setup_.demo, setup_.dir, setup_.config.file);
    await waitUntil(() => existsSync(setup_.config.lockFile) && faults.log.length > 0);
    const second = await syncProcess(setup_.demo, setup_.dir, setup_.config.file).exited;
    const during = visible(files(setup_.dir));
    faults.releaseHeld(); // Papers answers: the first sync goes on
    const done = await first.exited;
    const line = failedLine(second);
    s.outcome(`the second exited ${second.code} at once; the first finished (exit ${done.code})`, line ?? '(no line)');
    s.intact(during, setup_.old, 'content/ while the first runs = all old');
    s.intact(files(setup_.dir), setup_.next, 'content/ after the first = a clean sync');

    assert.equal(second.code, 1);
    assertOneLine(line);
    assert.match(
      line,
      new RegExp(
        `^Sync not started: another sync is running \\(pid ${first.pid} on .*\\)\\. Wait for it to finish, or stop the service\\.$`,
      ),
    );
    assert.equal(done.code, 0, done.stderr);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
