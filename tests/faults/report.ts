/**
 * `npm run test:faults`: runs the fault suite (tests/faults/*.test.ts, with node:test's `run()`) and prints one
 * markdown table row per scenario, from what the run reported: the test's name, its `fault:`, `outcome:` and
 * `intact:` diagnostics (see helpers.ts `scenario`) and whether it passed. Exits 1 if any scenario failed; when
 * every scenario passed, also writes the table into docs/reliability.md (see doc-table.ts).
 *
 * Temporary folders in the operators' lines are shown as the paths a real project has (`content/…`, `site`,
 * `state/…`), and long lines are cut, so that the table stays readable.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from 'node:test';
import type { TestEvent } from 'node:test/reporters';
import { writeFaultTable } from './doc-table.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Files in the order of the issue's list; any other fault test file after them. */
const ORDER = ['transient', 'fatal', 'crash', 'disk', 'service'];
const found = readdirSync(here).filter((name) => name.endsWith('.test.ts'));
const rank = (name: string) => {
  const index = ORDER.indexOf(name.replace(/\.test\.ts$/, ''));
  return index < 0 ? ORDER.length : index;
};
const files = found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((name) => path.join(here, name));

interface Row {
  name: string;
  file: string;
  nesting: number;
  passed: boolean;
  error: string | undefined;
  fault: string;
  outcome: string;
  intact: string[];
}

/** Temporary folders as the paths of a real project; then at most `max` characters. */
function tidy(text: string, max: number): string {
  const plain = text
    .replace(/(?:\.\.\/)*\/?tmp\/sync-content-\w+\//g, 'content/')
    .replace(/\/?tmp\/sync-service-\w+\//g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Whether a pass/fail event is a test, not a suite: Node 22 reports `'test'`, which @types/node does not list. */
const isTest = (details: { type?: string }) => details.type === 'test';

const rows: Row[] = [];
/** The last test reported per file: its diagnostics follow it. */
const last = new Map<string, Row>();
const started = performance.now();

// The stream yields `any`; its events are the ones node:test's reporters receive.
for await (const event of run({ files }) as AsyncIterable<TestEvent>) {
  if (event.type === 'test:pass' || event.type === 'test:fail') {
    const { data } = event;
    if (!isTest(data.details) || !data.file) continue;
    const failure: { cause?: unknown; message?: string } | undefined = event.type === 'test:fail' ? event.data.details.error : undefined;
    const cause =
      failure?.cause instanceof Error ? failure.cause.message : typeof failure?.cause === 'string' ? failure.cause : failure?.message;
    const row: Row = {
      name: data.name,
      file: data.file,
      nesting: data.nesting,
      passed: event.type === 'test:pass',
      error: cause?.split('\n').find((l) => l.trim() !== ''),
      fault: '',
      outcome: '',
      intact: [],
    };
    rows.push(row);
    last.set(data.file, row);
  } else if (event.type === 'test:diagnostic') {
    const { data } = event;
    const row = data.file ? last.get(data.file) : undefined;
    if (!row || row.nesting !== data.nesting) continue;
    const [, key, value = ''] = /^(fault|outcome|intact): (.*)$/s.exec(data.message) ?? [];
    if (key === 'fault') row.fault = value;
    else if (key === 'outcome') row.outcome = value;
    else if (key === 'intact') row.intact.push(value);
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const intact = (row: Row) => (row.intact.length === 0 ? '–' : row.intact.every((v) => v.startsWith('✓')) ? '✓' : '✗');
const lines = [
  "| # | scenario | fault injected | outcome (what the sync did + the operator's line) | content intact | pass/fail |",
  '|---|---|---|---|---|---|',
  ...rows
    .map((row, i) =>
      [
        i + 1,
        cell(row.name),
        cell(tidy(row.fault, 120)),
        cell(tidy(row.outcome || (row.error ? `(no outcome: ${row.error})` : '(no outcome reported)'), 260)),
        intact(row),
        row.passed ? 'pass' : '**FAIL**',
      ].join(' | '),
    )
    .map((line) => `| ${line} |`),
];
const failed = rows.filter((row) => !row.passed);
const summary = `${rows.length} scenarios in ${files.length} files: ${rows.length - failed.length} passed, ${failed.length} failed (${seconds} s).`;
process.stdout.write(`${lines.join('\n')}\n\n${summary}\n`);
if (failed.length === 0 && rows.length > 0) {
  // Only a run where every scenario passed replaces the table in the docs.
  const doc = path.join(here, '..', '..', 'docs', 'reliability.md');
  writeFaultTable(doc, `${lines.join('\n')}\n\n${summary}`);
  process.stdout.write(`\nWrote the table into ${path.relative(process.cwd(), doc)}.\n`);
}
for (const row of failed) {
  process.stdout.write(`\nFAIL ${row.name} (${path.relative(process.cwd(), row.file)}): ${row.error ?? 'see node --test tests/faults/'}\n`);
  for (const value of row.intact.filter((v) => !v.startsWith('✓'))) process.stdout.write(`  intact: ${tidy(value, 300)}\n`);
}
process.exitCode = failed.length > 0 || rows.length === 0 ? 1 : 0;
