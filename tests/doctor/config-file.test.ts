/**
 * workshop.config.ts as doctor and setup write it: a complete file for a new workshop (importable from any folder,
 * formatted as prettier formats it, the same bytes for the same settings) and the mapping block that --write replaces,
 * leaving the rest of the file as it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as prettier from 'prettier';
import { loadConfig } from '../../sync/config.ts';
import { renderConfigFile, writeMapping } from '../../sync/doctor/config-file.ts';
import { ConfigError } from '../../sync/errors.ts';
import type { TemplateOverrides } from '../../sync/template.ts';
import { ROOT } from '../integration/helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'doctor-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MAPPING: TemplateOverrides = {
  // Written in another order than the template's: the file has the template's.
  schedule: { columns: { room: null, date: 'Day' } },
  papers: {
    ids: { columns: { title: 'fldTitle000000000', id: 'fldPaperId0000000' }, table: 'tblPapers00000000' },
    columns: { title: "Paper's Title", award: null },
    table: 'Submissions',
  },
};

async function isPrettier(text: string): Promise<boolean> {
  const options = await prettier.resolveConfig(path.join(ROOT, 'workshop.config.ts'));
  return prettier.check(text, { ...options, parser: 'typescript' });
}

test('a new config file: importable from a temporary folder, prettier-formatted, in the template order', async () => {
  const file = path.join(dir, 'nested', '..', 'new.config.ts');
  const text = renderConfigFile(file, {
    edition: '2026',
    sources: {
      airtable: { baseId: 'appNewWorkshop001' },
      publishedCsv: { urls: { 'Talks & more': 'https://example.org/pub?output=csv' } },
    },
    tables: { schedule: 'published-csv', organizers: 'airtable' },
    mapping: MAPPING,
  });
  assert.equal(
    text,
    renderConfigFile(file, {
      edition: '2026',
      sources: {
        airtable: { baseId: 'appNewWorkshop001' },
        publishedCsv: { urls: { 'Talks & more': 'https://example.org/pub?output=csv' } },
      },
      tables: { organizers: 'airtable', schedule: 'published-csv' },
      mapping: MAPPING,
    }),
  );
  assert.ok(await isPrettier(text), text);
  assert.match(text, /import \{ defineConfig \} from '(\.\.\/)+.*sync\/config\.ts';/);
  // Tables and fields as the template orders them, ids last.
  assert.ok(text.indexOf('papers: {') < text.indexOf('schedule: {'));
  assert.ok(text.indexOf("table: 'Submissions'") < text.indexOf('title: "Paper\'s Title"'));
  assert.ok(text.indexOf("id: 'fldPaperId0000000'") < text.indexOf("title: 'fldTitle000000000'"));
  assert.ok(text.indexOf("date: 'Day'") < text.indexOf('room: null'));

  writeFileSync(file, text);
  const config = await loadConfig(ROOT, file, {});
  assert.equal(config.edition, '2026');
  assert.equal(config.sources.airtable.baseId, 'appNewWorkshop001');
  assert.equal(config.tables.schedule, 'published-csv');
  assert.equal(config.template.papers.table, 'Submissions');
  assert.equal(config.template.papers.columns.title, "Paper's Title");
  assert.equal(config.template.papers.columns.award, undefined);
  assert.equal(config.template.schedule.columns.date, 'Day');
});

test('writeMapping replaces the marked block only, and its output stays prettier-formatted', async () => {
  const file = path.join(dir, 'marked.config.ts');
  const text = renderConfigFile(file, { sources: {}, tables: { programCommittee: 'none' }, mapping: {} }).replace(
    "  // onInvalidRow: 'fail',",
    "  // onInvalidRow: 'fail',\n  maxRemovalShare: 0.4, // the organizer's own setting",
  );
  writeFileSync(file, text);
  writeMapping(file, MAPPING);
  const written = readFileSync(file, 'utf8');
  assert.ok(await isPrettier(written), written);
  assert.match(written, /maxRemovalShare: 0\.4, \/\/ the organizer's own setting/);
  assert.equal(
    written.replace(/\/\/ doctor:mapping:start[^]*\/\/ doctor:mapping:end/, ''),
    text.replace(/\/\/ doctor:mapping:start[^]*\/\/ doctor:mapping:end/, ''),
  );
  const config = await loadConfig(ROOT, file, {});
  assert.equal(config.template.papers.table, 'Submissions');
  assert.equal(config.maxRemovalShare, 0.4);
  // Written again with the same mapping: the same bytes.
  writeMapping(file, MAPPING);
  assert.equal(readFileSync(file, 'utf8'), written);
});

test("the repository's workshop.config.ts has the markers, so --write works on a fresh clone", () => {
  const text = readFileSync(path.join(ROOT, 'workshop.config.ts'), 'utf8');
  assert.match(text, /\/\/ doctor:mapping:start\nconst mapping = [^]*satisfies TemplateOverrides;\n\/\/ doctor:mapping:end/);
  assert.match(text, /template: mapping,/);
});

test('a file without the markers is left as it is; the error says what to paste where', () => {
  const file = path.join(dir, 'plain.config.ts');
  const before =
    "import { defineConfig } from './sync/config.ts';\nexport default defineConfig({ template: { papers: { table: 'Talks' } } });\n";
  writeFileSync(file, before);
  assert.throws(
    () => writeMapping(file, MAPPING),
    (error: unknown) =>
      error instanceof ConfigError &&
      /left as it is\. Paste this block above `export default defineConfig\(`/.test(error.message) &&
      /import type \{ TemplateOverrides \} from '.*sync\/template\.ts';/.test(error.message) &&
      error.message.includes("// doctor:mapping:start\nconst mapping = {\n  papers: {\n    table: 'Submissions',"),
  );
  assert.equal(readFileSync(file, 'utf8'), before);
});
