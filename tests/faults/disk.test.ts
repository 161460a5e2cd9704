/**
 * A full disk while `npm run sync` (its own process) writes: simulated by SYNC_TEST_DISK_FULL_AFTER
 * (tests/faults/hooked-sync.ts: the write that crosses the limit fails with ENOSPC after writing what fits) at each place that writes
 * — a photo, the second of two JSON files, the journal — and, with the operating system's own error, by a file-size
 * limit (`ulimit -f`, EFBIG). Each time content/ must keep its bytes, with no staged file left behind, the operator
 * must get one line naming the file and saying to free space, and once the disk has room the next sync writes it all.
 */
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, test } from 'node:test';
import type { DemoEmulators } from '../../dev/demo/emulators.ts';
import {
  assertOneLine,
  beforeAndAfter,
  cliConfig,
  content,
  EDITION,
  edit,
  emulators,
  failedLine,
  files,
  scenario,
  summaryLine,
  syncProcess,
  type Edits,
  type Files,
} from './helpers.ts';

const LIMIT = { timeout: 60_000 };

interface DiskFull {
  name: string;
  fault: string;
  edits: Edits;
  /** SYNC_TEST_DISK_FULL_AFTER, from the bytes the clean sync writes; or a shell prefix (`ulimit -f 1`). */
  env?: (next: Files) => Record<string, string>;
  shell?: string;
  /** The file the line names (relative to the edition) and what it says to do. */
  file: RegExp;
  says: RegExp;
}

const size = (next: Files, name: string): number => Buffer.from(next.get(`${EDITION}/${name}`) ?? '', 'base64').byteLength;
const ENOSPC =
  /the disk is full \(ENOSPC\)\. Free space on the disk that holds content\/, then sync again\. Nothing was written and the site keeps its current content\.$/;

const cases: DiskFull[] = [
  {
    name: 'disk full while staging a photo',
    fault: 'ENOSPC on the first byte (SYNC_TEST_DISK_FULL_AFTER=0): the new photo of Alex Example',
    edits: { photo: true },
    env: () => ({ SYNC_TEST_DISK_FULL_AFTER: '0' }),
    file: /photos/,
    says: ENOSPC,
  },
  {
    name: 'disk full on the second of two files',
    fault: 'ENOSPC once papers.json is staged (SYNC_TEST_DISK_FULL_AFTER = its size): schedule.json cannot be',
    edits: { paper: true, schedule: true },
    env: (next) => ({ SYNC_TEST_DISK_FULL_AFTER: String(size(next, 'papers.json')) }),
    file: /schedule\.json/,
    says: ENOSPC,
  },
  {
    name: 'disk full writing the journal',
    fault: 'ENOSPC once the changed file is staged (SYNC_TEST_DISK_FULL_AFTER = its size): the journal cannot be written',
    edits: { paper: true },
    env: (next) => ({ SYNC_TEST_DISK_FULL_AFTER: String(size(next, 'papers.json')) }),
    file: /\.sync-journal\.json/,
    says: ENOSPC,
  },
  {
    name: 'file-size limit (real EFBIG)',
    fault: '`ulimit -f 1` (1 KiB) around `npm run sync`; papers.json needs more',
    edits: { paper: true },
    shell: 'ulimit -f 1',
    file: /papers\.json/,
    says: /a file is larger than this process may write \(EFBIG\)\. Raise the file-size limit of the sync \(ulimit -f\), then sync again\. Nothing was written/,
  },
];

async function setup(edits: Edits): Promise<{ demo: DemoEmulators; old: Files; next: Files }> {
  const demo = await emulators({ airtable: { rateLimit: false } });
  edit(demo, edits);
  return { demo, ...(await beforeAndAfter(demo)) };
}

describe('disk full on write', () => {
  for (const row of cases) {
    test(row.name, LIMIT, async (t) => {
      const s = scenario(t, row.fault);
      const { demo, old, next } = await setup(row.edits);
      const dir = content();
      const config = cliConfig();
      const failed = await syncProcess(demo, dir, config.file, row.env?.(next) ?? {}, row.shell ? { shell: row.shell } : {}).exited;
      const line = failedLine(failed);
      s.outcome(`stopped (exit ${failed.code}), nothing written`, line ?? '(no line)');
      s.intact(files(dir), old, 'content/ (no staged file left)');
      const again = await syncProcess(demo, dir, config.file).exited;
      s.intact(files(dir), next, 'content/ after a sync with room = a clean sync');

      assert.equal(failed.code, 1, failed.stderr);
      assertOneLine(line);
      assert.match(line, new RegExp(`^Sync failed: could not write \\S*${EDITION}/\\S*${row.file.source}\\S*: `));
      assert.match(line, row.says);
      assert.equal(again.code, 0, again.stderr);
      assert.match(summaryLine(again) ?? '', /^✓ 2024_2: /);
    });
  }
});
