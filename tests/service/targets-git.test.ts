/**
 * The `git` target with the real git, in temporary repositories: a work clone holding content/ (and other files)
 * whose origin is a local bare repository. Git runs with no global or system config, so identity is what each
 * test sets. A push to an HTTP remote goes to a local server on 127.0.0.1 that refuses it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { resolveConfig, type WorkshopConfig } from '../../sync/config.ts';
import type { SyncReport } from '../../sync/report.ts';
import { createGitTarget } from '../../sync/service/targets/git.ts';
import { createTarget } from '../../sync/service/targets/index.ts';
import { TargetError } from '../../sync/errors.ts';
import { EDITION, ROOT } from '../integration/helpers.ts';

/** No ~/.gitconfig, no /etc/gitconfig: nothing but what a test sets. */
const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  NO_PROXY: '127.0.0.1,localhost',
};
for (const name of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']) delete GIT_ENV[name];

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** git in `cwd` as a person would run it (a fixed identity for the set-up commits). */
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, '-c', 'user.name=Seed', '-c', 'user.email=seed@example.org', ...args], {
    env: GIT_ENV,
    encoding: 'utf8',
  }).trim();

interface Repos {
  work: string;
  bare: string;
}

/** A bare origin and a work clone with content/, README.md and one pushed commit on main. */
function makeRepos(): Repos {
  const bare = tempDir('targets-git-bare-');
  git(bare, 'init', '--quiet', '--bare', '-b', 'main');
  const work = tempDir('targets-git-work-');
  git(work, 'init', '--quiet', '-b', 'main');
  cpSync(path.join(ROOT, 'content'), path.join(work, 'content'), { recursive: true });
  writeFileSync(path.join(work, 'README.md'), '# Workshop\n');
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'initial');
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'push', '--quiet', 'origin', 'main');
  return { work, bare };
}

const diff = (changed: string[] = [], added: string[] = [], removed: string[] = []) => ({ added, changed, removed, before: 0, after: 0 });
function report(collections: Partial<SyncReport['collections']>): SyncReport {
  return {
    edition: EDITION,
    ok: true,
    dryRun: false,
    changed: true,
    summary: 'people: +0 ~0 -0; papers: +1 ~1 -0; schedule: +0 ~1 -0',
    collections: { people: diff(), papers: diff(), schedule: diff(), ...collections },
    photos: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
    paperFiles: { downloaded: 0, reused: 0, failed: 0, removed: 0, bytes: 0 },
    files: [],
    errors: [],
    warnings: [],
    problems: [],
    durationMs: 0,
  };
}
const papersAndSchedule = report({ papers: diff(['p1'], ['p9']), schedule: diff(['s1']) });

type TargetInput = NonNullable<NonNullable<WorkshopConfig['service']>['target']>;
const configFor = (work: string, target: TargetInput = { kind: 'git' }) => resolveConfig({ service: { target } }, work, {});
const targetIn = (work: string, settings?: TargetInput, env: NodeJS.ProcessEnv = GIT_ENV) => {
  const config = configFor(work, settings);
  if (config.service.target.kind !== 'git') throw new Error('expected a git target');
  return createGitTarget(config, config.service.target, { env });
};

/** Edits two content files, adds a photo, and touches files outside content/ (one of them staged by hand). */
function changeContent(work: string): void {
  const papers = path.join(work, 'content', EDITION, 'papers.json');
  writeFileSync(papers, JSON.stringify([{ id: 'p9', title: 'New paper' }], null, 2));
  writeFileSync(path.join(work, 'content', EDITION, 'schedule.json'), '[]\n');
  writeFileSync(path.join(work, 'content', EDITION, 'photos', 'new.webp'), 'webp');
  writeFileSync(path.join(work, 'README.md'), '# Workshop, edited by hand\n');
  writeFileSync(path.join(work, 'notes.txt'), 'staged by a person\n');
  git(work, 'add', 'notes.txt');
}

async function targetError(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => assert.fail('expected the publish to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TargetError, `not a TargetError: ${String(error)}`);
  return error;
}

test('changed content: one commit of content/ only, with a summary message, pushed to origin', async () => {
  const { work, bare } = makeRepos();
  changeContent(work);
  const before = git(work, 'rev-parse', 'HEAD');
  const line = await targetIn(work).publish(papersAndSchedule);

  const head = git(work, 'rev-parse', 'HEAD');
  assert.equal(git(work, 'rev-parse', 'HEAD~1'), before, 'exactly one new commit');
  assert.equal(git(work, 'log', '-1', '--format=%s'), 'content 2024_2: papers +1 ~1; schedule ~1');
  assert.equal(
    git(work, 'log', '-1', '--format=%b'),
    [
      'Sync: people: +0 ~0 -0; papers: +1 ~1 -0; schedule: +0 ~1 -0',
      '',
      'M content/2024_2/papers.json',
      'A content/2024_2/photos/new.webp',
      'M content/2024_2/schedule.json',
    ].join('\n'),
  );
  assert.deepEqual(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n'), [
    'content/2024_2/papers.json',
    'content/2024_2/photos/new.webp',
    'content/2024_2/schedule.json',
  ]);
  // What a person staged or edited outside content/ is left as it was.
  assert.equal(git(work, 'diff', '--cached', '--name-only'), 'notes.txt');
  assert.equal(git(work, 'diff', '--name-only'), 'README.md');
  // No identity configured anywhere: the default one.
  assert.equal(git(work, 'log', '-1', '--format=%an <%ae> / %cn <%ce>'), 'workshop-sync <sync@localhost> / workshop-sync <sync@localhost>');
  assert.equal(git(bare, 'rev-parse', 'main'), head, 'pushed');
  assert.equal(line, `committed ${head.slice(0, 7)} "content 2024_2: papers +1 ~1; schedule ~1"; pushed to origin (${bare}) main`);
});

test('createTarget wires service.target.kind git to this target', () => {
  assert.equal(createTarget(configFor(tempDir('targets-git-kind-'))).kind, 'git');
});

test('nothing changed in content/: no commit, no push, "nothing to commit"', async () => {
  const { work, bare } = makeRepos();
  writeFileSync(path.join(work, 'README.md'), 'edited, not content\n');
  const before = git(work, 'rev-parse', 'HEAD');
  assert.equal(await targetIn(work).publish(report({})), 'nothing to commit');
  assert.equal(git(work, 'rev-parse', 'HEAD'), before);
  assert.equal(git(bare, 'rev-parse', 'main'), before);
  assert.equal(git(work, 'diff', '--name-only'), 'README.md');
});

test('at start: content/ a sync wrote but did not commit, or commits not pushed, are owed; a clean, pushed clone owes nothing', async () => {
  const { work, bare } = makeRepos();
  const target = targetIn(work, { kind: 'git', push: false });
  writeFileSync(path.join(work, 'README.md'), 'edited, not content\n');
  assert.equal(await target.buildAtStart?.(), undefined, 'a change outside content/ is not owed');
  changeContent(work);
  assert.equal(await target.buildAtStart?.(), 'content/ has 3 changes not committed');
  await target.publish(report({}));
  assert.equal(await target.buildAtStart?.(), undefined, 'push: false owes no push');
  const pushing = targetIn(work);
  assert.equal(await pushing.buildAtStart?.(), '1 commit of content/ not pushed to origin yet');
  await pushing.publish(report({}));
  assert.equal(git(bare, 'rev-parse', 'main'), git(work, 'rev-parse', 'HEAD'));
  assert.equal(await pushing.buildAtStart?.(), undefined);
});

test('removed files are committed; a change outside the collections is summed up by its file count', async () => {
  const { work } = makeRepos();
  rmSync(path.join(work, 'content', EDITION, 'papers.json'));
  writeFileSync(path.join(work, 'content', EDITION, 'edition.json'), '{}\n');
  await targetIn(work, { kind: 'git', push: false }).publish(report({}));
  assert.equal(git(work, 'log', '-1', '--format=%s'), 'content 2024_2: 2 files');
  assert.match(git(work, 'log', '-1', '--format=%b'), /^D content\/2024_2\/papers\.json$/m);
});

test('identity: git config user.* wins; else GIT_AUTHOR_NAME/EMAIL for author and committer', async () => {
  const configured = makeRepos();
  git(configured.work, 'config', 'user.name', 'Configured Person');
  git(configured.work, 'config', 'user.email', 'configured@example.org');
  changeContent(configured.work);
  await targetIn(configured.work, { kind: 'git', push: false }).publish(papersAndSchedule);
  assert.equal(
    git(configured.work, 'log', '-1', '--format=%an <%ae> / %cn <%ce>'),
    'Configured Person <configured@example.org> / Configured Person <configured@example.org>',
  );

  const fromEnv = makeRepos();
  changeContent(fromEnv.work);
  const env = { ...GIT_ENV, GIT_AUTHOR_NAME: 'Env Author', GIT_AUTHOR_EMAIL: 'env@example.org' };
  await targetIn(fromEnv.work, { kind: 'git', push: false }, env).publish(papersAndSchedule);
  assert.equal(
    git(fromEnv.work, 'log', '-1', '--format=%an <%ae> / %cn <%ce>'),
    'Env Author <env@example.org> / Env Author <env@example.org>',
  );
});

test('push: false commits and does not push; branch pushes HEAD to that branch', async () => {
  const { work, bare } = makeRepos();
  const pushed = git(bare, 'rev-parse', 'main');
  changeContent(work);
  assert.match(
    await targetIn(work, { kind: 'git', push: false }).publish(papersAndSchedule),
    /^committed [0-9a-f]{7} "content 2024_2: papers \+1 ~1; schedule ~1"$/,
  );
  assert.equal(git(bare, 'rev-parse', 'main'), pushed);

  writeFileSync(path.join(work, 'content', EDITION, 'schedule.json'), '[{}]\n');
  const line = await targetIn(work, { kind: 'git', branch: 'content-updates' }).publish(report({ schedule: diff(['s1']) }));
  assert.equal(git(bare, 'rev-parse', 'content-updates'), git(work, 'rev-parse', 'HEAD'));
  assert.equal(git(bare, 'rev-parse', 'main'), pushed);
  assert.match(line, /"content 2024_2: schedule ~1"; pushed to origin \(.+\) content-updates$/);
});

test('a rejected push (the remote moved on): TargetError saying to pull --rebase; the commit stays local and a later publish pushes it', async () => {
  const { work, bare } = makeRepos();
  // Someone else pushes first.
  const other = tempDir('targets-git-other-');
  git(other, 'clone', '--quiet', bare, '.');
  writeFileSync(path.join(other, 'README.md'), '# Workshop, from elsewhere\n');
  git(other, 'commit', '--quiet', '-am', 'elsewhere');
  git(other, 'push', '--quiet', 'origin', 'main');
  const theirs = git(bare, 'rev-parse', 'main');

  changeContent(work);
  const error = await targetError(targetIn(work).publish(papersAndSchedule));
  assert.match(
    error.message,
    new RegExp(
      `^git: push to origin \\(${bare}\\) main was rejected: the remote has commits this clone lacks .*committed [0-9a-f]{7} "content 2024_2: papers \\+1 ~1; schedule ~1"; it stays local\\. ` +
        `Run git -C ${work} pull --rebase origin main`,
    ),
  );
  assert.equal(git(work, 'log', '-1', '--format=%s'), 'content 2024_2: papers +1 ~1; schedule ~1');
  assert.equal(git(bare, 'rev-parse', 'main'), theirs);

  // Nothing new, but the earlier commit is still unpushed: the push is tried again, and rejected again.
  await targetError(targetIn(work).publish(report({})));
  // After the pull --rebase the message asks for, the next publish pushes it.
  git(work, 'stash', '--quiet');
  git(work, 'pull', '--quiet', '--rebase', 'origin', 'main');
  const line = await targetIn(work).publish(report({}));
  assert.match(line, /^nothing to commit; 1 earlier commit not pushed yet; pushed to origin/);
  assert.equal(git(bare, 'rev-parse', 'main'), git(work, 'rev-parse', 'HEAD'));
  assert.equal(git(bare, 'log', '-2', '--format=%s', 'main'), 'content 2024_2: papers +1 ~1; schedule ~1\nelsewhere');
});

test('a remote that refuses the push: TargetError without the credentials in the remote URL', async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('forbidden');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { work } = makeRepos();
    const port = (server.address() as AddressInfo).port;
    git(work, 'remote', 'set-url', 'origin', `http://deploy:s3cretTOKEN@127.0.0.1:${port}/site.git`);
    changeContent(work);
    const error = await targetError(targetIn(work).publish(papersAndSchedule));
    assert.ok(hits.length >= 1 && hits.every((h) => h.startsWith('GET /site.git/info/refs')), hits.join(', '));
    assert.doesNotMatch(error.message, /s3cretTOKEN|deploy@/);
    assert.match(
      error.message,
      new RegExp(
        `^git: push to origin \\(http://127\\.0\\.0\\.1:${port}/site\\.git\\) main failed \\(.*403.*\\)\\. committed [0-9a-f]{7} .*it stays local`,
      ),
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('content outside any repository, or a detached HEAD: a TargetError that says what to do', async () => {
  const plain = tempDir('targets-git-plain-');
  cpSync(path.join(ROOT, 'content'), path.join(plain, 'content'), { recursive: true });
  const outside = await targetError(targetIn(plain).publish(papersAndSchedule));
  assert.match(outside.message, /^git: \S+\/content is not inside a git repository \(.*\)\. Clone the site's repository/);

  const { work } = makeRepos();
  git(work, 'checkout', '--quiet', '--detach');
  changeContent(work);
  const detached = await targetError(targetIn(work).publish(papersAndSchedule));
  assert.match(detached.message, /^git: HEAD is detached, so there is no current branch to push: .*set service\.target\.branch/);
});

test('an aborted publish runs no git command and changes nothing', async () => {
  const { work } = makeRepos();
  changeContent(work);
  const before = git(work, 'rev-parse', 'HEAD');
  const error = await targetError(targetIn(work).publish(papersAndSchedule, AbortSignal.abort(new Error('service stopping'))));
  assert.equal(error.message, 'git: aborted before git rev-parse; the repository is left as it was.');
  assert.equal(git(work, 'rev-parse', 'HEAD'), before);
  assert.equal(git(work, 'diff', '--cached', '--name-only'), 'notes.txt', 'content/ was not staged');
});
