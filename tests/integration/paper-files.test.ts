/**
 * Files attached in papers' link columns, through `npm run sync` (node sync/cli.ts, its own process) against the demo
 * emulators: the demo's PDF attached to paper 2 is mirrored into content/<edition>/files/ once and linked; an unchanged
 * resync downloads nothing; an expired URL is refreshed; an HTML file called a PDF and a file over the limit are
 * refused with a warning (the previous file stays, or the link is left out).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoEmulators, type DemoEmulators } from '../../dev/demo/emulators.ts';
import type { SyncReport } from '../../sync/report.ts';
import { contentCopy, EDITION, readJson, ROOT, snapshot, runProcess } from './helpers.ts';

const PDF = readFileSync(path.join(ROOT, 'dev/demo/files/session-context-embedding.pdf'));
const DEMO_PDF = 'attR2pDfDemo7Xk3Q';
const PAPER_2 = 'recrEO9DSPFP2w623';
const PAPER_3 = 'recxkkDd6JrZGWFSX';
/** The limit the test's config sets (files.maxBytes). */
const MAX_BYTES = 100_000;

let demo: DemoEmulators;
/** Added to the Airtable emulator's clock; only ever moved forward. */
let clockSkewMs = 0;
let dir = '';
let state = '';
let configFile = '';
const base = () => demo.env['AIRTABLE_BASE_ID']!;
const edition = (...parts: string[]) => path.join(dir, EDITION, ...parts);
const papers = () => readJson<{ id: string; files?: Record<string, string>; links: Record<string, string> }[]>(edition('papers.json'));
const filesOf = (id: string) => papers().find((p) => p.id === id)?.files;
const downloadsOf = (attachmentId: string) =>
  demo.airtable.stats.log.filter((r) => r.method === 'GET' && r.path.startsWith(`/attachments/${attachmentId}/`)).length;

before(async () => {
  // No rate limit: back-to-back syncs in new processes would each wait out a 429 penalty (not what is tested here).
  demo = await startDemoEmulators({ airtable: { now: () => Date.now() + clockSkewMs, rateLimit: false } });
  dir = contentCopy({ empty: true });
  state = mkdtempSync(path.join(tmpdir(), 'paper-files-state-'));
  configFile = path.join(state, 'workshop.config.ts');
  // The project's lock stays free for other syncs; the file limit is small so that a test file need not be large.
  writeFileSync(configFile, `export default { service: { stateDir: ${JSON.stringify(state)} }, files: { maxBytes: ${MAX_BYTES} } };\n`);
});
after(async () => {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

/** `npm run sync -- --json` with the test's config; resolves with the exit code and the report. */
async function sync(): Promise<{ code: number | null; report: SyncReport; stderr: string }> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [path.join(ROOT, 'sync/cli.ts'), '--json', '--config', configFile], {
    ...demo.env,
    CONTENT_DIR: dir,
  });
  try {
    return { code, report: JSON.parse(stdout) as SyncReport, stderr };
  } catch {
    throw new Error(`no JSON report (exit ${code}): ${stdout}\n${stderr}`);
  }
}

/** Attaches `data` as the PDF of a paper's record (a new upload: a new attachment id). */
const attachPdf = (recordId: string, id: string, data: Buffer | string, filename = 'paper.pdf') =>
  demo.airtable.updateRecord(base(), 'Papers', recordId, { PDF: [{ id, filename, type: 'application/pdf', data }] });

test('an attached PDF is downloaded, checked and linked; an unchanged resync downloads nothing', async () => {
  const first = await sync();
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(first.report.paperFiles, { downloaded: 1, reused: 0, failed: 0, removed: 0, bytes: PDF.length });
  const files = filesOf('2');
  assert.match(files?.pdf ?? '', /^\.\/files\/2-pdf-[0-9a-f]{10}\.pdf$/);
  assert.deepEqual(readFileSync(edition(files!.pdf!)), PDF, 'the attachment, byte for byte');
  assert.equal(papers().find((p) => p.id === '2')?.links['pdf'], undefined, 'no link to the expiring Airtable URL');
  assert.equal(downloadsOf(DEMO_PDF), 1);

  const before = snapshot(dir);
  const again = await sync();
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual([again.report.changed, again.report.paperFiles.reused, again.report.paperFiles.downloaded], [false, 1, 0]);
  assert.equal(downloadsOf(DEMO_PDF), 1, 'the unchanged file is not downloaded again');
  assert.deepEqual(snapshot(dir), before);
});

test('an expired URL is refreshed by reading the record again; the replaced file goes', async () => {
  const old = filesOf('2')!.pdf!;
  attachPdf(PAPER_2, 'attPdfNew00000001', PDF, 'camera-ready.pdf');
  // The listing hands out URLs valid 2 hours; the download is held until the clock has moved 3 hours on.
  demo.airtable.inject({ kind: 'hold', path: '/attachments/attPdfNew00000001/' });
  const expired = demo.airtable.stats.expiredAttachmentUrls;
  const running = sync();
  while (!demo.airtable.faults.log.some((f) => f.kind === 'hold')) await new Promise((r) => setTimeout(r, 20));
  clockSkewMs = 3 * 3600_000;
  demo.airtable.faults.releaseHeld();
  const { code, report, stderr } = await running; // the clock stays 3 hours on: it never goes back
  assert.equal(code, 0, stderr);
  assert.equal(demo.airtable.stats.expiredAttachmentUrls, expired + 1, 'the old URL was refused');
  assert.ok(
    demo.airtable.stats.log.some((r) => r.path.startsWith(`/v0/${base()}/Papers/${PAPER_2}`)),
    'the record was read again',
  );
  assert.deepEqual([report.paperFiles.downloaded, report.paperFiles.removed], [1, 1]);
  const now = filesOf('2')!.pdf!;
  assert.notEqual(now, old, 'a new upload gets a new name');
  assert.deepEqual(readFileSync(edition(now)), PDF);
  assert.deepEqual(readdirSync(edition('files')), [path.basename(now)], 'the replaced file is deleted');
});

test('an HTML file called a PDF is refused with a warning, and the paper is published without the link', async () => {
  attachPdf(PAPER_3, 'attHtmlAsPdf00001', '<!doctype html><html><script>alert(document.cookie)</script></html>');
  const { code, report, stderr } = await sync();
  assert.equal(code, 0, stderr);
  assert.ok(
    report.warnings.includes(
      `Airtable › Papers › ${PAPER_3} › "PDF": the file "paper.pdf" of paper 3 is not a PDF by its content (an unknown type; Airtable calls it "application/pdf"); the paper is published without this link. Attach a PDF of at most 100 KB, or put the file's public URL (https://…) in the column instead.`,
    ),
    report.warnings.join('\n'),
  );
  const paper3 = papers().find((p) => p.id === '3')!;
  assert.deepEqual([paper3.files, paper3.links['pdf']], [undefined, undefined]);
  assert.deepEqual(readdirSync(edition('files')), [path.basename(filesOf('2')!.pdf!)], 'nothing else reached files/');
  assert.deepEqual(report.paperFiles.failed, 1);
});

test('a file over files.maxBytes is refused: the previously published file stays', async () => {
  const published = filesOf('2')!.pdf!;
  const large = Buffer.concat([PDF.subarray(0, 9), Buffer.alloc(MAX_BYTES, 0x20), PDF.subarray(9)]);
  attachPdf(PAPER_2, 'attPdfLarge000001', large, 'huge.pdf');
  const { code, report, stderr } = await sync();
  assert.equal(code, 0, stderr);
  assert.ok(
    report.warnings.includes(
      `Airtable › Papers › ${PAPER_2} › "PDF": the file "huge.pdf" of paper 2 is 102 KB, over the 100 KB limit; the previously published file stays. Attach a PDF of at most 100 KB, or put the file's public URL (https://…) in the column instead.`,
    ),
    report.warnings.join('\n'),
  );
  assert.equal(filesOf('2')?.pdf, published);
  assert.ok(existsSync(edition(published)));
  assert.deepEqual(readdirSync(edition('files')), [path.basename(published)]);
});
