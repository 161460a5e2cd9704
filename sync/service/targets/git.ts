/**
 * The `git` target: commits the content folder, and only it, with a message that sums up the sync
 * (`content 2024_2: papers +2 ~1; schedule ~3`, the changed files in the body), then pushes it so that the host's
 * CI builds and deploys the site.
 *
 * git runs through execFile (no shell), with prompts off and English messages. A rejected push is not rebased
 * automatically: the remote then holds commits this clone lacks (a person or another sync pushed), and a rebase
 * of generated content over them can stop on conflicts halfway, leaving the service's clone mid-rebase. The commit
 * stays local, the error says what to run, and the next publish pushes it. Remote URLs are shown without userinfo.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig, TargetSettings } from '../../config.ts';
import { SECRET_ENV_VARS } from '../../config.ts';
import type { SyncReport } from '../../report.ts';
import { TargetError } from '../../errors.ts';
import type { RebuildTarget } from '../types.ts';

export type GitSettings = Extract<TargetSettings, { kind: 'git' }>;

export interface GitTargetOptions {
  /** The environment git runs in (default: process.env); GIT_AUTHOR_NAME/EMAIL etc. are read from it. */
  env?: NodeJS.ProcessEnv;
  /** Deadline of `git push` (default 2 minutes); other commands get 30 s. */
  pushTimeoutMs?: number;
}

/** The author and committer when neither git's config nor the environment names one. */
const DEFAULT_IDENTITY = { name: 'workshop-sync', email: 'sync@localhost' } as const;

const MAX_LISTED_FILES = 100;

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `https://user:token@host/x` → `https://host/x`, wherever a URL appears in a text. */
function stripUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
}

/** `papers +2 ~1; schedule ~3`: changed collections only, zero counts left out. */
function describeChanges(report: SyncReport): string {
  return Object.entries(report.collections)
    .map(([name, diff]) => {
      const parts = [`+${diff.added.length}`, `~${diff.changed.length}`, `-${diff.removed.length}`].filter((p) => !/^.0$/.test(p));
      return parts.length ? `${name} ${parts.join(' ')}` : '';
    })
    .filter(Boolean)
    .join('; ');
}

/** The first meaningful line of git's complaint, without credentials. */
function firstLine(result: GitResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^hint:/.test(l));
  // git's own verdict (`fatal: …`, `error: …`) over what a remote or hook printed before it.
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0];
  return stripUserinfo(line ?? `exit code ${result.code}`);
}

export function createGitTarget(config: ResolvedConfig, settings: GitSettings, options: GitTargetOptions = {}): RebuildTarget {
  const baseEnv: NodeJS.ProcessEnv = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of SECRET_ENV_VARS) delete baseEnv[name];
  const pushTimeoutMs = options.pushTimeoutMs ?? 120_000;

  const run = (
    cwd: string,
    args: string[],
    extra: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
    signal?: AbortSignal,
  ): Promise<GitResult> => {
    if (signal?.aborted) return Promise.reject(new TargetError('git', `aborted before git ${args[0]}; the repository is left as it was.`));
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['-C', cwd, ...args],
        { env: extra.env ?? baseEnv, timeout: extra.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, ...(signal ? { signal } : {}) },
        (error, stdout, stderr) => {
          if (signal?.aborted)
            return reject(new TargetError('git', `aborted while running git ${args[0]}; the repository is left as git left it.`));
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          if (error && code === -1) {
            const why =
              error.code === 'ENOENT'
                ? 'git is not installed or not on PATH'
                : error.killed
                  ? 'it took too long and was stopped'
                  : error.message;
            return reject(new TargetError('git', `git ${args[0]} could not run (${stripUserinfo(why)}).`));
          }
          resolve({ code, stdout, stderr });
        },
      );
    });
  };

  type Git = (args: string[], extra?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }) => Promise<GitResult>;
  /** The repository that holds the content folder, the folder as a pathspec inside it, and git run there. */
  const locate = async (
    signal?: AbortSignal,
  ): Promise<{
    repo: string;
    pathspec: string;
    git: Git;
    must: (args: string[], what: string, extra?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }) => Promise<GitResult>;
  }> => {
    const contentDir = await realpath(config.contentDir).catch(() => config.contentDir);
    const top = await run(contentDir, ['rev-parse', '--show-toplevel'], {}, signal);
    if (top.code !== 0) {
      throw new TargetError(
        'git',
        `${config.contentDir} is not inside a git repository (${firstLine(top)}). Clone the site's repository and set contentDir (or CONTENT_DIR) to its content folder, or choose another target.`,
      );
    }
    const repo = top.stdout.trim();
    const pathspec = path.relative(repo, contentDir).split(path.sep).join('/') || '.';
    const git: Git = (args, extra) => run(repo, args, extra, signal);
    const must = async (args: string[], what: string, extra?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }) => {
      const result = await git(args, extra);
      if (result.code !== 0) throw new TargetError('git', `${what} failed in ${repo}: ${firstLine(result)}`);
      return result;
    };
    return { repo, pathspec, git, must };
  };

  return {
    kind: 'git',
    async publish(report, signal) {
      const { repo, pathspec, git, must } = await locate(signal);
      await must(['add', '-A', '--', pathspec], `git add ${pathspec}`);
      const staged = (await must(['diff', '--cached', '--name-status', '--no-renames', '--', pathspec], 'git diff')).stdout
        .split('\n')
        .filter((l) => l.trim() !== '');

      let committed = '';
      if (staged.length > 0) {
        const edition = report.edition ? ` ${report.edition}` : '';
        const changes = describeChanges(report) || `${staged.length} file${staged.length === 1 ? '' : 's'}`;
        const subject = `content${edition}: ${changes}`;
        const listed = staged.slice(0, MAX_LISTED_FILES).map((l) => l.replace(/\t/, ' '));
        if (staged.length > MAX_LISTED_FILES) listed.push(`… and ${staged.length - MAX_LISTED_FILES} more`);
        const body = [`Sync: ${report.summary}`, '', ...listed].join('\n');
        // --only with the pathspec: whatever else someone staged stays out of this commit.
        await must(['commit', '--only', '--quiet', '-m', subject, '-m', body, '--', pathspec], 'git commit', {
          env: await identityEnv(git, baseEnv),
        });
        const sha = (await must(['rev-parse', '--short', 'HEAD'], 'git rev-parse')).stdout.trim();
        committed = `committed ${sha} "${subject}"`;
      }
      if (!settings.push) return committed || 'nothing to commit';

      const branch = settings.branch ?? (await currentBranch(git));
      const remoteUrl = await git(['remote', 'get-url', settings.remote]);
      if (remoteUrl.code !== 0) {
        throw new TargetError(
          'git',
          `${repo} has no remote named "${settings.remote}"${committed ? ` (${committed}, not pushed)` : ''}. Add it (git remote add ${settings.remote} <url>) or set service.target.remote.`,
        );
      }
      const where = `${settings.remote} (${stripUserinfo(remoteUrl.stdout.trim())}) ${branch}`;
      if (!committed) {
        // Nothing new; push only what an earlier, failed push left behind.
        const tracking = `refs/remotes/${settings.remote}/${branch}`;
        const known = await git(['rev-parse', '--verify', '--quiet', tracking]);
        const ahead = known.code === 0 ? Number((await git(['rev-list', '--count', `${tracking}..HEAD`])).stdout.trim()) : 0;
        if (!(ahead > 0)) return 'nothing to commit';
        committed = `nothing to commit; ${ahead} earlier commit${ahead === 1 ? '' : 's'} not pushed yet`;
      }
      const push = await git(['push', '--quiet', settings.remote, `HEAD:refs/heads/${branch}`], { timeoutMs: pushTimeoutMs });
      if (push.code !== 0) {
        const text = `${push.stderr}\n${push.stdout}`;
        if (/\[rejected\]|non-fast-forward|fetch first|Updates were rejected/i.test(text)) {
          throw new TargetError(
            'git',
            `push to ${where} was rejected: the remote has commits this clone lacks (someone pushed, or another sync runs). ${committed}; it stays local. ` +
              `Run git -C ${repo} pull --rebase ${settings.remote} ${branch} (on conflicts in ${pathspec}/, keep the sync's version), then publish again.`,
          );
        }
        throw new TargetError(
          'git',
          `push to ${where} failed (${firstLine(push)}). ${committed}; it stays local and the next publish pushes it. Check the remote's credentials and network.`,
        );
      }
      return `${committed}; pushed to ${where}`;
    },
    async buildAtStart() {
      // Content a sync (an `npm run sync` by hand, or a run whose publish was cut short) wrote but did not commit or push.
      const { pathspec, git } = await locate();
      const folder = pathspec === '.' ? 'the repository' : `${pathspec}/`;
      const status = await git(['status', '--porcelain', '--untracked-files=all', '--', pathspec]);
      const dirty = status.stdout.split('\n').filter((l) => l.trim() !== '').length;
      if (dirty > 0) return `${folder} has ${dirty} change${dirty === 1 ? '' : 's'} not committed`;
      if (!settings.push) return undefined;
      const branch = settings.branch ?? (await currentBranch(git).catch(() => undefined));
      if (branch === undefined) return undefined;
      const tracking = `refs/remotes/${settings.remote}/${branch}`;
      if ((await git(['rev-parse', '--verify', '--quiet', tracking])).code !== 0) return undefined;
      const ahead = Number((await git(['rev-list', '--count', `${tracking}..HEAD`, '--', pathspec])).stdout.trim());
      return ahead > 0 ? `${ahead} commit${ahead === 1 ? '' : 's'} of ${folder} not pushed to ${settings.remote} yet` : undefined;
    },
  };
}

/** The branch HEAD is on; a detached HEAD needs `branch` in the settings. */
async function currentBranch(git: (args: string[]) => Promise<GitResult>): Promise<string> {
  const result = await git(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (result.code !== 0 || !result.stdout.trim()) {
    throw new TargetError(
      'git',
      'HEAD is detached, so there is no current branch to push: check out a branch, or set service.target.branch in workshop.config.ts.',
    );
  }
  return result.stdout.trim();
}

/**
 * The environment for `git commit`: GIT_AUTHOR_* and GIT_COMMITTER_* as given; where neither they nor git's config
 * (user.name, user.email) name someone, GIT_AUTHOR_NAME/EMAIL, else `workshop-sync <sync@localhost>`.
 */
async function identityEnv(git: (args: string[]) => Promise<GitResult>, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const configured = async (key: string) => (await git(['config', '--get', key])).stdout.trim();
  const name = await configured('user.name');
  const email = await configured('user.email');
  const result = { ...env };
  const fill = (variable: string, hasConfig: boolean, fallback: string) => {
    if (!hasConfig && !result[variable]?.trim()) result[variable] = fallback;
  };
  fill('GIT_AUTHOR_NAME', name !== '', DEFAULT_IDENTITY.name);
  fill('GIT_AUTHOR_EMAIL', email !== '', DEFAULT_IDENTITY.email);
  fill('GIT_COMMITTER_NAME', name !== '', result['GIT_AUTHOR_NAME'] ?? DEFAULT_IDENTITY.name);
  fill('GIT_COMMITTER_EMAIL', email !== '', result['GIT_AUTHOR_EMAIL'] ?? DEFAULT_IDENTITY.email);
  return result;
}
