/**
 * `npm run serve:sync` (its own process) with the git target, on content/ that the sources already match but that was
 * never committed (an `npm run sync` by hand): the run at start finds nothing new, yet commits content/ and says why
 * in one log line; started again on the committed content, it publishes nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import { configFile, scratch, spawnService, waitFor, type Scratch, type ServiceProcess } from './helpers.ts';

/** No ~/.gitconfig: the identity is the one given here. */
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Sync Test',
  GIT_AUTHOR_EMAIL: 'sync@example.org',
  GIT_COMMITTER_NAME: 'Sync Test',
  GIT_COMMITTER_EMAIL: 'sync@example.org',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], { env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();

let demo: DemoEmulators;
let where: Scratch;
let repo = '';
let file = '';

before(async () => {
  demo = await startDemoEmulators({ airtable: { rateLimit: false } });
  where = scratch();
  // A clone of the site's repository whose content/ holds what the demo sources hold, not committed yet.
  repo = mkdtempSync(path.join(tmpdir(), 'start-publish-repo-'));
  git(repo, 'init', '--quiet', '-b', 'main');
  writeFileSync(path.join(repo, 'README.md'), '# Workshop\n');
  git(repo, 'add', 'README.md');
  git(repo, 'commit', '--quiet', '-m', 'initial');
  cpSync(where.content, path.join(repo, 'content'), { recursive: true });
  file = configFile(where, { target: { kind: 'git', push: false } });
});
after(async () => {
  await demo.close();
  where.remove();
  rmSync(repo, { recursive: true, force: true });
});

/** Starts the service, waits for its start run, stops it; returns the run and the log. */
async function startOnce(): Promise<{ run: ReturnType<ServiceProcess['runs']>[number]; log: string[] }> {
  const service = spawnService(file, { ...demo.env, ...GIT_ENV, CONTENT_DIR: path.join(repo, 'content') }, 'npm');
  try {
    await waitFor(() => service.runs().length === 1, `the start run; log:\n${service.stderr.join('\n')}`, 60_000);
  } finally {
    process.kill(-service.child.pid!, 'SIGTERM');
  }
  assert.equal((await service.exited).code, 0);
  return { run: service.runs()[0]!, log: service.stderr };
}

const atStart = (log: string[]) => log.filter((l) => / at start: /.test(l));

test('content/ synced but not committed: the start run commits it and says why; started again, it publishes nothing', async () => {
  const files = git(repo, 'status', '--porcelain', '--untracked-files=all', '--', 'content').split('\n').length;
  assert.ok(files > 3, 'the content files are there, not committed');
  const first = await startOnce();
  assert.deepEqual(atStart(first.log), [`Publishing (git) at start: content/ has ${files} changes not committed.`]);
  assert.equal(first.run.result, 'published', first.run.error);
  assert.equal(first.run.summary, `no changes; published at start: content/ has ${files} changes not committed`);
  assert.equal(git(repo, 'status', '--porcelain', '--', 'content'), '', 'content/ is committed');
  assert.equal(git(repo, 'log', '-1', '--format=%s'), `content 2024_2: ${files} files`);

  const second = await startOnce();
  assert.deepEqual(atStart(second.log), []);
  assert.deepEqual([second.run.result, second.run.summary], ['unchanged', 'no changes']);
  assert.equal(git(repo, 'rev-list', '--count', 'HEAD'), '2', 'no new commit');
});
