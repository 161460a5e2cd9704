/**
 * The `local` target: builds the site into a fresh folder, `<stateDir>/builds/<timestamp>-<n>/`, then switches
 * `siteDir` (a symlink the web server serves) to it in one rename(), so visitors see the old site or the new one,
 * never half of each. A failed or aborted build leaves the symlink where it was. The `keep` newest builds stay.
 *
 * The build runs Astro's programmatic `build()` in a child process of the same Node, not in the service's own
 * process: in-process builds leak (heap +~4 MB per build, for good, measured over 15 builds), keep ~500 MB resident,
 * cannot be stopped, and would need the service's process.env changed (the content loader reads CONTENT_DIR). The
 * child runs in its own process group and never outlives the service (build-child.ts); it builds into
 * `<timestamp>-<n>.partial/`, renamed once it succeeded, so an unfinished folder never counts among the kept builds.
 * Astro's generated `.astro/` and its cache go to a scratch folder of this target (ASTRO_SCRATCH_DIR, see
 * astro.config.mjs), never the project's own, which `npm run build` or `astro dev` may be using meanwhile.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig, TargetSettings } from '../../config.ts';
import { SECRET_ENV_VARS } from '../../config.ts';
import { TargetError } from '../../errors.ts';
import type { RebuildTarget } from '../types.ts';
import type { SyncReport } from '../../report.ts';
import { contentFingerprint } from '../../../content-store/fingerprint.ts';
import { runInGroup, WATCH_PARENT, type GroupRun } from './build-child.ts';
import { readBuiltFrom, writeBuiltFrom } from './built-from.ts';

export type LocalSettings = Extract<TargetSettings, { kind: 'local' }>;

export interface LocalTargetOptions {
  /** A build still running after this long is stopped (default 15 minutes). */
  buildTimeoutMs?: number;
}

/**
 * What the child runs: Astro's build() with the output folder from argv; a failure as one marked JSON line. It ends
 * itself (and its process group) when the service is gone: see build-child.ts.
 */
const BUILD_SCRIPT = `${WATCH_PARENT}
const { build } = await import('astro');
try {
  await build({ outDir: process.argv[1], logLevel: 'warn', mode: 'production' });
} catch (error) {
  const e = error ?? {};
  process.stderr.write('\\n@@build-error@@ ' + JSON.stringify({ message: String(e.message ?? e), hint: typeof e.hint === 'string' ? e.hint : undefined }) + '\\n');
  process.exitCode = 1;
}`;
const ERROR_MARK = '@@build-error@@ ';

const BUILD_NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)-(\d+)$/;

/** Builds under `<stateDir>/builds/`, newest first (by timestamp, then by counter). */
async function listBuilds(buildsDir: string): Promise<string[]> {
  const names = await readdir(buildsDir).catch(() => [] as string[]);
  const parsed = names.flatMap((name) => {
    const m = BUILD_NAME.exec(name);
    return m ? [{ name, at: m[1]!, n: Number(m[2]) }] : [];
  });
  parsed.sort((a, b) => b.at.localeCompare(a.at) || b.n - a.n);
  return parsed.map((p) => path.join(buildsDir, p.name));
}

/** A build folder while it is being built; renamed to its name without the suffix once the build succeeded. */
const PARTIAL = '.partial';

/**
 * Reserves a fresh, empty build folder, `<timestamp>-<n>.partial`, with n counting up from 1 until the name is free
 * (and the finished name too). Unfinished folders never count among the builds kept (a build cut short by kill -9
 * leaves one): the next good build removes them.
 */
async function reserveBuildDir(buildsDir: string): Promise<{ building: string; done: string }> {
  await mkdir(buildsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-');
  for (let n = 1; ; n++) {
    const done = path.join(buildsDir, `${stamp}-${n}`);
    if (existsSync(done)) continue;
    try {
      await mkdir(`${done}${PARTIAL}`);
      return { building: `${done}${PARTIAL}`, done };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Unfinished build folders left by a build that never ended (the service was killed). */
async function listPartial(buildsDir: string): Promise<string[]> {
  const names = await readdir(buildsDir).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith(PARTIAL)).map((name) => path.join(buildsDir, name));
}

/** The build siteDir serves now (absolute), or undefined when there is no symlink yet. Refuses a real folder. */
async function currentBuild(siteDir: string, shown: string): Promise<string | undefined> {
  let stats;
  try {
    stats = await lstat(siteDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!stats.isSymbolicLink()) {
    throw new TargetError(
      'local',
      `${shown} exists and is a real ${stats.isDirectory() ? 'folder' : 'file'}, not a symlink. The local target serves each build ` +
        `through a symlink and never deletes what it did not make: move it away (e.g. mv ${shown} ${shown}.before-sync) and publish again.`,
    );
  }
  return path.resolve(path.dirname(siteDir), await readlink(siteDir));
}

/** Points siteDir at `target` atomically: a new symlink beside it, renamed over it. */
async function switchSymlink(siteDir: string, target: string): Promise<void> {
  await mkdir(path.dirname(siteDir), { recursive: true });
  const temp = `${siteDir}.switch-${process.pid}-${Date.now()}`;
  await symlink(path.relative(path.dirname(siteDir), target), temp, 'dir');
  try {
    await rename(temp, siteDir);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The first lines of what went wrong: the child's marked error, else the tail of its output. */
function firstErrorLines(stderr: string, stdout: string): string {
  const plain = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const marked = plain(stderr)
    .split('\n')
    .find((line) => line.startsWith(ERROR_MARK));
  if (marked) {
    try {
      const { message, hint } = JSON.parse(marked.slice(ERROR_MARK.length)) as { message: string; hint?: string };
      const lines = message
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(0, 6);
      return [...lines, ...(hint ? [`Hint: ${hint.split('\n')[0]}`] : [])].join('\n');
    } catch {
      // Fall through to the raw output.
    }
  }
  const lines = plain(`${stderr}\n${stdout}`)
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.slice(-6).join('\n') || '(the build printed nothing)';
}

/** Runs the build in a child process (its own process group); resolves when it exits. */
function runBuild(cwd: string, outDir: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<GroupRun> {
  return runInGroup(process.execPath, ['--input-type=module', '--eval', BUILD_SCRIPT, outDir], { cwd, env }, signal);
}

/** `.sync/builds/…` when inside the project, else the absolute path. */
function shownPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function createLocalTarget(config: ResolvedConfig, settings: LocalSettings, options: LocalTargetOptions = {}): RebuildTarget {
  const { root } = config;
  const stateDir = path.resolve(root, config.service.stateDir);
  const buildsDir = path.join(stateDir, 'builds');
  const siteDir = path.resolve(root, settings.siteDir);
  const shownSite = shownPath(root, siteDir);
  const buildTimeoutMs = options.buildTimeoutMs ?? 15 * 60_000;
  // Astro resolves its own packages from its root, so the scratch folder must lie inside the project.
  const stateInsideRoot = shownPath(root, stateDir) !== stateDir;
  const scratchParent = path.join(root, '.scratch');

  return {
    kind: 'local',
    async publish(_report: SyncReport, signal?: AbortSignal): Promise<string> {
      if (signal?.aborted) throw new TargetError('local', 'aborted before the build started; nothing changed.');
      const previous = await currentBuild(siteDir, shownSite);
      const servedBefore = previous ? `${shownSite} still serves ${shownPath(root, previous)}` : `${shownSite} was not created`;
      // What this build is made from (content/ does not change meanwhile: the sync that writes it holds the lock).
      const content = await contentFingerprint(config.contentDir);
      const { building, done: outDir } = await reserveBuildDir(buildsDir);
      // Kept across builds (its image cache saves work) when the state folder is in the project; else one per build.
      const scratch = stateInsideRoot
        ? path.join(stateDir, 'astro')
        : await mkdir(scratchParent, { recursive: true }).then(() => mkdtemp(path.join(scratchParent, 'sync-build-')));
      await mkdir(scratch, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CONTENT_DIR: config.contentDir,
        OUT_DIR: building,
        ASTRO_SCRATCH_DIR: scratch,
        ASTRO_TELEMETRY_DISABLED: '1',
        NO_COLOR: '1',
      };
      for (const name of [...SECRET_ENV_VARS, 'NODE_TEST_CONTEXT']) delete env[name];
      const timeout = AbortSignal.timeout(buildTimeoutMs);
      const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const started = performance.now();
      let run: GroupRun;
      try {
        run = await runBuild(root, building, env, stop);
      } catch (error) {
        await rm(building, { recursive: true, force: true });
        if (timeout.aborted)
          throw new TargetError(
            'local',
            `the build took longer than ${Math.round(buildTimeoutMs / 1000)} s and was stopped; ${servedBefore}.`,
          );
        if (signal?.aborted) throw new TargetError('local', `the build was aborted; ${servedBefore}.`, { cause: error });
        throw new TargetError('local', `could not start the build (${(error as Error).message}); ${servedBefore}.`, { cause: error });
      } finally {
        if (!stateInsideRoot) await rm(scratch, { recursive: true, force: true });
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (run.code !== 0) {
        await rm(building, { recursive: true, force: true });
        throw new TargetError(
          'local',
          `the site build failed, so ${servedBefore}. Fix what the build reports; the next run builds again.\n${firstErrorLines(run.stderr, run.stdout)}`,
        );
      }
      try {
        await rename(building, outDir);
        await switchSymlink(siteDir, outDir);
      } catch (error) {
        await rm(building, { recursive: true, force: true });
        await rm(outDir, { recursive: true, force: true });
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new TargetError(
          'local',
          `the build succeeded but ${shownSite} could not be pointed at it (${code}); ${servedBefore}. Check that the service may write to ${path.dirname(siteDir)}.`,
          { cause: error },
        );
      }
      const removed: string[] = [];
      const problems: string[] = [];
      await writeBuiltFrom(stateDir, { build: path.basename(outDir), content }).catch((error: unknown) =>
        problems.push(
          `could not note what the build was made from (${(error as NodeJS.ErrnoException).code ?? String(error)}), so the next start builds again`,
        ),
      );
      for (const old of (await listBuilds(buildsDir)).slice(settings.keep)) {
        if (old === outDir) continue;
        await rm(old, { recursive: true, force: true }).then(
          () => removed.push(old),
          (error: unknown) =>
            problems.push(`could not remove ${shownPath(root, old)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`),
        );
      }
      const unfinished = await listPartial(buildsDir);
      for (const left of unfinished) {
        await rm(left, { recursive: true, force: true }).catch((error: unknown) =>
          problems.push(`could not remove ${shownPath(root, left)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`),
        );
      }
      const pruned =
        (removed.length ? `; removed ${removed.length} old build${removed.length === 1 ? '' : 's'}` : '') +
        (unfinished.length ? `; removed ${unfinished.length} unfinished build folder${unfinished.length === 1 ? '' : 's'}` : '');
      return `built in ${seconds} s; ${shownSite} → ${shownPath(root, outDir)}${pruned}${problems.length ? `; ${problems.join('; ')}` : ''}`;
    },
    async buildAtStart(): Promise<string | undefined> {
      const served = await currentBuild(siteDir, shownSite);
      if (!served) return `${shownSite} does not exist yet`;
      if (!existsSync(served)) return `${shownSite} points at ${shownPath(root, served)}, which does not exist`;
      const note = await readBuiltFrom(stateDir);
      if (note?.build !== path.basename(served) || path.dirname(served) !== buildsDir)
        return `nothing tells which content ${shownSite} was built from`;
      if (note.content !== (await contentFingerprint(config.contentDir)))
        return `${shownSite} was built from other content than ${shownPath(root, config.contentDir)}/ holds now`;
      return undefined;
    },
  };
}
