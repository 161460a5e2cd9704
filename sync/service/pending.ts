/**
 * A publish still owed: `<stateDir>/publish-pending.json` holds the report of a sync that wrote content/ but whose
 * publish failed or was interrupted. The next sync then finds content/ already up to date (`changed: false`), so
 * without this note the site would never be rebuilt; with it, the next run publishes even when nothing changed.
 * Written before publishing (a crash mid-publish leaves it behind), removed once a publish succeeded.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SyncReport } from '../report.ts';
import { writeAtomic } from '../../content-store/atomic.ts';

export interface PendingPublish {
  /** The report still to publish, or undefined. */
  read(): Promise<SyncReport | undefined>;
  write(report: SyncReport): Promise<void>;
  clear(): Promise<void>;
}

export function pendingPublish(stateDir: string): PendingPublish {
  const file = path.join(stateDir, 'publish-pending.json');
  return {
    async read() {
      try {
        const report = JSON.parse(await readFile(file, 'utf8')) as SyncReport;
        return typeof report === 'object' && report !== null && Array.isArray(report.files) ? report : undefined;
      } catch {
        return undefined;
      }
    },
    write: (report) => writeAtomic(file, `${JSON.stringify(report)}\n`),
    clear: () => rm(file, { force: true }),
  };
}

/** What to publish when a publish is owed: the new report, with the files of the one still owed added. */
export function withOwed(report: SyncReport, owed: SyncReport | undefined): SyncReport {
  if (!owed) return report;
  if (!report.changed) return { ...owed, dryRun: false };
  return { ...report, files: [...new Set([...owed.files, ...report.files])] };
}
