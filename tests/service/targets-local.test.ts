/**
 * The `local` target with real Astro builds of a temporary copy of content/: siteDir is a symlink switched to each
 * new build; changed content shows in the next build (builds run one after another from this one process); a failed
 * or aborted build leaves the previous site live; only `keep` builds stay; a real folder at siteDir is never touched.
 * Astro's root stays the project; the state folder lies under .scratch/ (git-ignored), the site symlink in /tmp.
 * About five builds of a few seconds each.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SyncReport } from '../../sync/report.ts';
import { createTarget } from '../../sync/service/targets/index.ts';
import { TargetError } from '../../sync/errors.ts';
import { configFor, contentCopy, EDITION, ROOT } from '../integration/helpers.ts';

const report: SyncReport = {
  edition: EDITION,
  ok: true,
  dryRun: false,
  changed: true,
  summary: 'papers: +0 ~1 -0',
  collections: {
    people: { added: [], changed: [], removed: [], before: 0, after: 0 },
    papers: { added: [], changed: ['1'], removed: [], before: 2, after: 2 },
    schedule: { added: [], changed: [], removed: [], before: 0, after: 0 },
  },
  photos: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
  paperFiles: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
  files: [],
  errors: [],
  warnings: [],
  problems: [],
  durationMs: 0,
};

const temps: string[] = [];
const temp = (parent: string, prefix: string) => {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, prefix));
  temps.push(dir);
  return dir;
};
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

let content = '';
const papersFile = () => path.join(content, EDITION, 'papers.json');
type Paper = Record<string, unknown> & { title: string };
const editPapers = (edit: (papers: Paper[]) => void) => {
  const papers = JSON.parse(readFileSync(papersFile(), 'utf8')) as Paper[];
  edit(papers);
  writeFileSync(papersFile(), JSON.stringify(papers, null, 2));
};
const setTitle = (title: string) => editPapers((papers) => (papers[0]!.title = title));
const papersPage = (site: string) => readFileSync(path.join(site, EDITION, 'papers', 'index.html'), 'utf8');

describe('local target', () => {
  let stateDir = '';
  let siteDir = '';
  const builds = () => readdirSync(path.join(stateDir, 'builds')).sort();
  const target = () => createTarget(configFor({}, content, { service: { stateDir, target: { kind: 'local', siteDir, keep: 2 } } }));

  before(() => {
    content = contentCopy();
    temps.push(content);
    // Inside the project (Astro resolves its packages from the scratch root kept in the state folder), git-ignored.
    stateDir = temp(path.join(ROOT, '.scratch'), 'targets-local-');
    siteDir = path.join(temp(tmpdir(), 'targets-local-site-'), 'site');
  });

  test('refuses a real folder at siteDir and leaves it as it was, without building', async () => {
    mkdirSync(siteDir);
    writeFileSync(path.join(siteDir, 'index.html'), 'hand-made');
    await assert.rejects(target().publish(report), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, /^local: .*site exists and is a real folder, not a symlink.*move it away/s);
      return true;
    });
    assert.equal(readFileSync(path.join(siteDir, 'index.html'), 'utf8'), 'hand-made');
    assert.equal(existsSync(path.join(stateDir, 'builds')), false);
    rmSync(siteDir, { recursive: true });
  });

  let first = '';
  test('the first publish builds into <stateDir>/builds/<timestamp>-<n>/ and points siteDir at it', async () => {
    setTitle('Zebra Embeddings, First Edition');
    const line = await target().publish(report);
    assert.ok(lstatSync(siteDir).isSymbolicLink());
    first = realpathSync(siteDir);
    assert.equal(path.dirname(first), realpathSync(path.join(stateDir, 'builds')));
    assert.match(path.basename(first), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-1$/);
    assert.match(line, /^built in \d+\.\d s; \S+ → \.scratch\/targets-local-\w+\/builds\/\S+$/);
    assert.ok(existsSync(path.join(siteDir, 'index.html')));
    assert.match(papersPage(siteDir), /Zebra Embeddings, First Edition/);
  });

  let second = '';
  test('a publish after a title change switches siteDir to a new folder with the new title; the old build stays', async () => {
    setTitle('Zebra Embeddings, Second Edition');
    await target().publish(report);
    second = realpathSync(siteDir);
    assert.notEqual(second, first);
    assert.match(papersPage(siteDir), /Zebra Embeddings, Second Edition/);
    assert.doesNotMatch(papersPage(siteDir), /First Edition/);
    assert.match(papersPage(first), /Zebra Embeddings, First Edition/);
    assert.deepEqual(builds(), [path.basename(first), path.basename(second)]);
  });

  test('a failed build (a paper without authors) names the problem; siteDir still serves the previous build', async () => {
    editPapers((papers) => {
      papers[0]!.title = 'Zebra Embeddings, Broken Edition';
      delete papers[0]!['authors'];
    });
    await assert.rejects(target().publish(report), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, /^local: the site build failed, so \S+ still serves \.scratch\/targets-local-\w+\/builds\/\S+\./);
      assert.match(error.message, /papers\.json, entry 1 \(id "\w+"\): field "authors" is missing/);
      return true;
    });
    assert.equal(realpathSync(siteDir), second);
    assert.match(papersPage(siteDir), /Zebra Embeddings, Second Edition/);
    assert.deepEqual(builds(), [path.basename(first), path.basename(second)], 'the failed build folder is removed');
  });

  test('the next good publish keeps the 2 newest builds: the oldest goes, the live one stays', async () => {
    const authors = (JSON.parse(readFileSync(path.join(ROOT, 'content', EDITION, 'papers.json'), 'utf8')) as Paper[])[0]!['authors'];
    editPapers((papers) => {
      papers[0]!.title = 'Zebra Embeddings, Third Edition';
      papers[0]!['authors'] = authors;
    });
    const line = await target().publish(report);
    const third = realpathSync(siteDir);
    assert.match(line, /; removed 1 old build$/);
    assert.deepEqual(builds(), [path.basename(second), path.basename(third)]);
    assert.equal(existsSync(first), false);
    assert.match(papersPage(siteDir), /Zebra Embeddings, Third Edition/);
  });

  test('an abort stops the build: TargetError, siteDir unchanged, no partial folder left', async () => {
    const live = realpathSync(siteDir);
    const before = builds();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('service stopping')), 400);
    const started = Date.now();
    await assert.rejects(target().publish(report, controller.signal), (error: unknown) => {
      assert.ok(error instanceof TargetError);
      assert.match(error.message, /^local: the build was aborted; \S+ still serves /);
      return true;
    });
    assert.ok(Date.now() - started < 2_500, 'the child build is stopped, not waited for');
    assert.equal(realpathSync(siteDir), live);
    assert.deepEqual(builds(), before);
    // Already aborted: nothing starts.
    await assert.rejects(
      target().publish(report, AbortSignal.abort(new Error('stopped'))),
      /^TargetError: local: aborted before the build started; nothing changed\.$/,
    );
    assert.deepEqual(builds(), before);
  });
});

test('a state folder outside the project builds with a one-off scratch folder, removed afterwards', async () => {
  content = contentCopy();
  temps.push(content);
  const stateDir = temp(tmpdir(), 'targets-local-state-');
  const siteDir = path.join(stateDir, 'public');
  const scratchDirs = () =>
    readdirSync(path.join(ROOT, '.scratch'))
      .filter((n) => n.startsWith('sync-build-'))
      .sort();
  const scratchBefore = scratchDirs();
  setTitle('Zebra Embeddings, Outside Edition');
  const target = createTarget(configFor({}, content, { service: { stateDir, target: { kind: 'local', siteDir, keep: 3 } } }));
  const line = await target.publish(report);
  assert.match(line, new RegExp(`^built in \\d+\\.\\d s; ${stateDir}/public → ${stateDir}/builds/\\S+$`));
  assert.match(papersPage(siteDir), /Zebra Embeddings, Outside Edition/);
  assert.equal(readdirSync(stateDir).sort().join(','), 'builds,public,site-built-from.json');
  assert.deepEqual(scratchDirs(), scratchBefore);
});
