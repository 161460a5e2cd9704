/**
 * `npm run sync`: one sync of the newest edition (or the configured one) from its spreadsheets into content/.
 *   --dry-run   print what would change, write nothing
 *   --json      print a machine-readable report on stdout (progress still goes to stderr)
 *   --force     write even when a collection would lose more than half of its entries
 *   --config F  another config file than workshop.config.ts
 *   -h, --help  print the options (sync/cli-args.ts)
 * Exit code: 0 when the sync succeeded (changed or not), 1 when it failed (content/ is untouched), 2 for a
 * configuration error or a wrong option or argument, 130/143 when stopped by SIGINT/SIGTERM before its write
 * (content/ is untouched; a write already under way completes, see content-store/journal.ts). The lock is released
 * in every case.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WriteHooks } from '../content-store/atomic.ts';
import { parseSyncArgs, USAGE } from './cli-args.ts';
import { loadConfig } from './config.ts';
import { exitCodeOf, SyncFailed } from './errors.ts';
import { problemLinker, supportsHyperlinks } from './hyperlinks.ts';
import { acquireLock, describeHolder, syncLockFile, type HeldLock } from './lock.ts';
import { runSync } from './pipeline.ts';
import { createProgress } from './progress.ts';
import type { SyncReport } from './report.ts';
import { groupWarnings } from './warning-groups.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function printHuman(report: SyncReport, out: NodeJS.WriteStream): void {
  const lines: string[] = [];
  // On a terminal, a problem's line links to its record or cell (sync/hyperlinks.ts).
  const link = problemLinker(report.problems, supportsHyperlinks(out));
  const verb = report.dryRun ? 'Would change' : 'Changed';
  lines.push(
    `${report.ok ? '✓' : '✗'} ${report.edition}: ${report.summary} (${(report.durationMs / 1000).toFixed(1)} s)${report.dryRun ? ' — dry run, nothing written' : ''}`,
  );
  if (report.firstSync) lines.push(`  ${report.firstSync}`);
  const p = report.photos;
  if (p.downloaded + p.reused + p.failed + p.removed > 0) {
    lines.push(
      `  photos: ${p.downloaded} downloaded (${Math.round(p.bytes / 1024)} KB), ${p.reused} unchanged, ${p.removed} removed, ${p.failed} failed`,
    );
  }
  const f = report.paperFiles;
  if (f.downloaded + f.reused + f.failed + f.removed > 0) {
    lines.push(
      `  paper files: ${f.downloaded} downloaded (${Math.round(f.bytes / 1024)} KB), ${f.reused} unchanged, ${f.removed} removed, ${f.failed} failed`,
    );
  }
  if (report.files.length > 0) lines.push(`  ${verb}: ${report.files.join(', ')}`);
  for (const [title, list, shown] of [
    ['Errors', report.errors, report.errors],
    ['Warnings', report.warnings, groupWarnings(report)],
  ] as const) {
    if (list.length === 0) continue;
    const all = shown.length < list.length ? '; --json lists every one' : '';
    lines.push(`${title} (${list.length}${all}):`);
    for (const line of shown) lines.push(`  - ${link(line)}`);
  }
  out.write(`${lines.join('\n')}\n`);
}

/** Exit codes for a sync stopped by a signal before its write. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * `npm run sync` with these arguments; resolves with the exit code. `hooks` lets a test step into the write (a full
 * disk, a kill at a given point).
 */
export async function runCli(args: readonly string[], hooks?: WriteHooks): Promise<number> {
  const parsed = parseSyncArgs(args);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    // A wrong option is a mistake in how the sync is run, as a configuration error is: exit 2, nothing started.
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ ok: false, error: parsed.message }, null, 2)}\n`);
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const values = parsed.args;
  const json = (value: unknown) => values.json && process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  // Ctrl-C, systemd, a cancelled CI job: stop the sync cleanly (one line, the lock released), not die mid-run.
  const stop = new AbortController();
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
  let stoppedAt = 0;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => {
    if (stoppedBy) {
      // Within a second: the same stop sent twice (a terminal's Ctrl-C reaches npm and node, and npm passes its
      // own on). Later: exit now (the lock's exit hook still removes it).
      if (Date.now() - stoppedAt >= 1_000) process.exit(SIGNAL_EXIT[signal]);
      return;
    }
    stoppedBy = signal;
    stoppedAt = Date.now();
    stop.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  // Credentials may sit in .env (never committed); variables already set win.
  if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`);
  const progress = createProgress();
  let lock: HeldLock | undefined;
  try {
    const config = await loadConfig(root, values.config);
    // One sync at a time per project, with the service's runs too (a dry run writes nothing and needs no lock).
    const attempt = values.dryRun ? undefined : await acquireLock(syncLockFile(config));
    if (attempt && !attempt.acquired) {
      const who = attempt.holder ? describeHolder(attempt.holder) : 'another process';
      process.stderr.write(`Sync not started: another sync is running (${who}). Wait for it to finish, or stop the service.\n`);
      return 1;
    }
    lock = attempt?.lock;
    const report = await runSync(config, {
      dryRun: values.dryRun,
      force: values.force,
      signal: stop.signal,
      onEvent: (e) => progress.onEvent(e),
      ...(hooks ? { hooks } : {}),
    });
    progress.done();
    if (values.json) json(report);
    else printHuman(report, process.stdout);
    return 0;
  } catch (error) {
    progress.done();
    if (stoppedBy) {
      json({ ok: false, error: `stopped by ${stoppedBy}` });
      process.stderr.write(`Sync stopped (${stoppedBy}): nothing was written and content/ is unchanged; run npm run sync again.\n`);
      return SIGNAL_EXIT[stoppedBy];
    }
    const code = exitCodeOf(error);
    if (code === undefined) throw error;
    const message = (error as Error).message;
    if (error instanceof SyncFailed) {
      if (values.json) json({ ...error.report, error: message });
      else printHuman(error.report, process.stdout);
    } else json({ ok: false, error: message });
    process.stderr.write(code === 2 ? `Configuration: ${message}\n` : `Sync failed: ${message}\n`);
    return code;
  } finally {
    // The lock first: a signal that comes meanwhile (npm's copy of a Ctrl-C) must not kill the process before it.
    await lock?.release();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
  // A request the stop abandoned (a stalled answer) would keep the process alive until its timeout: nothing is left
  // to do, the lock is released, so exit now.
  if (process.exitCode === SIGNAL_EXIT.SIGINT || process.exitCode === SIGNAL_EXIT.SIGTERM) process.exit();
}
