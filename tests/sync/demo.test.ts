/**
 * dev/demo/: the demo edition as the spreadsheets hold it maps to the committed content/2024_2 (which the sync wrote:
 * entries in id order, photos mirrored under their attachment id and size), with the warnings the seed's dirty data
 * deserves and no error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { demoBase, demoSheet } from '../../dev/demo/load.ts';
import { demoRows } from '../helpers/demo-rows.ts';
import { formatProblem } from '../../sync/problems.ts';
import { paperFileName } from '../../sync/steps/paper-files.ts';
import { photoFileName } from '../../sync/steps/photo-downloads.ts';
import { byId, checkEdition, mapEdition } from './fixtures.ts';
import type { Paper, Person, ScheduleItem } from '../../src/model/index.ts';

const committed = <T>(file: string): T[] =>
  JSON.parse(readFileSync(new URL(`../../content/2024_2/${file}`, import.meta.url), 'utf8')) as T[];
/** Entries as the sync writes them: in id order, without undefined fields. */
const asWritten = <T extends { id: string }>(entries: T[]): T[] => JSON.parse(JSON.stringify(byId(entries))) as T[];

const rows = demoRows();
const edition = mapEdition(rows);
const warnings = checkEdition(edition, rows);

describe('the demo spreadsheets (dev/demo)', () => {
  it('are shaped as the APIs return them', () => {
    const base = demoBase();
    assert.match(base.id, /^app[A-Za-z0-9]{14}$/);
    assert.deepEqual(
      base.tables.map((t) => t.name),
      ['Organizers', 'Speakers', 'Papers', 'Program Committee', 'People'],
    );
    for (const table of base.tables) {
      assert.match(table.id, /^tbl[A-Za-z0-9]{14}$/);
      for (const record of table.records) {
        assert.match(record.id, /^rec[A-Za-z0-9]{14}$/);
        assert.ok(!Number.isNaN(Date.parse(record.createdTime ?? '')));
        for (const [column, value] of Object.entries(record.fields)) {
          assert.ok(value !== '' && value !== false && !(Array.isArray(value) && value.length === 0), `empty ${column} is omitted`);
          assert.ok(
            table.fields.some((f) => f.name === column),
            `${column} is a field of ${table.name}`,
          );
        }
      }
    }
    const sheet = demoSheet();
    assert.deepEqual(sheet.values[0], ['Date', 'Start', 'End', 'Title', 'Kind', 'Speaker', 'Paper ID', 'Room']);
    assert.ok(sheet.values.flat().every((cell) => typeof cell === 'string'));
    const blank = sheet.values.findIndex((r) => r.length === 0);
    assert.ok(blank > 1 && blank < sheet.values.length - 1, 'a blank row in the middle');
    assert.equal(sheet.values[2]?.[5], 'Marc Najork');
  });

  it('map without errors', () => {
    assert.deepEqual(edition.problems.map(formatProblem), []);
    assert.ok(warnings.every((w) => w.severity === 'warning'));
  });

  it('give the committed people (photos as attachments, mirrored to ./photos/<attachment id>-<size>.<ext>)', () => {
    const photoOf = (p: (typeof edition.people)[number]) =>
      p.photo && `./photos/${photoFileName(p.photo.attachmentId, p.photo.size ?? -1, p.photo.type ?? '')}`;
    const mapped = edition.people.map((p) => (p.photo ? { ...p.data, photo: photoOf(p) } : p.data));
    assert.deepEqual(asWritten(mapped), committed<Person>('people.json'));
    assert.deepEqual(
      edition.people.filter((p) => p.photo).map((p) => [p.data.id, p.photo?.type, p.photo?.size]),
      [
        ['alex-example', 'image/jpeg', 6595],
        ['sam-sample', 'image/jpeg', 6576],
      ],
    );
    // The committed photos are the demo's attachments, byte for byte.
    for (const person of edition.people.filter((p) => p.photo)) {
      const file = readFileSync(new URL(`../../content/2024_2/${photoOf(person)!.slice(2)}`, import.meta.url));
      assert.deepEqual(file, readFileSync(new URL(`../../dev/demo/photos/${person.photo!.filename}`, import.meta.url)), person.data.id);
    }
  });

  it('give exactly the committed papers: only the accepted ones, a PDF attachment mirrored to ./files/', () => {
    const fileOf = new Map(
      edition.paperFiles.map((f) => [
        f.paperId,
        { [f.kind]: `./files/${paperFileName(f.paperId, f.kind, f.attachment.attachmentId, 'pdf')}` },
      ]),
    );
    assert.deepEqual(
      edition.papers.map((p) => (fileOf.has(p.data.id) ? { ...p.data, files: fileOf.get(p.data.id) } : p.data)),
      committed<Paper>('papers.json'),
    );
    assert.deepEqual(
      edition.paperFiles.map((f) => [f.paperId, f.kind, f.attachment.type]),
      [['2', 'pdf', 'application/pdf']],
    );
    // The committed file is the demo's attachment, byte for byte.
    for (const file of edition.paperFiles) {
      const committedFile = readFileSync(
        new URL(`../../content/2024_2/${fileOf.get(file.paperId)![file.kind]!.slice(2)}`, import.meta.url),
      );
      assert.deepEqual(committedFile, readFileSync(new URL(`../../dev/demo/files/${file.attachment.filename}`, import.meta.url)));
    }
  });

  it('give the committed schedule: titles, times and kinds in order; speakers but the misspelt one', () => {
    const expected = committed<ScheduleItem>('schedule.json');
    const simple = (s: ScheduleItem) => ({ title: s.title, start: s.start, end: s.end, kind: s.kind });
    assert.deepEqual(
      edition.schedule.map((s) => simple(s.data)),
      expected.map(simple),
    );
    assert.deepEqual(asWritten(edition.schedule.map((s) => s.data)), expected);
    // "Marc Najork" matches no one: no speaker is guessed for his keynote; the other talks link theirs.
    const speakers = (s: ScheduleItem) => s.speakers ?? [];
    assert.deepEqual(
      edition.schedule.filter((s) => s.data.title === 'Keynote by Marc Najork').map((s) => speakers(s.data)),
      [[]],
    );
    assert.deepEqual(
      edition.schedule.filter((s) => speakers(s.data).length > 0).map((s) => [s.data.title, speakers(s.data)]),
      [
        ['Keynote by Luna Dong', ['xin-luna-dong']],
        ['Invited Talk by Derek Cheng', ['derek-zhiyuan-cheng']],
        ['Invited Talk by Julian McAuley (virtual talk)', ['julian-mcauley']],
      ],
    );
    assert.equal(new Set(edition.schedule.map((s) => s.data.id)).size, expected.length);
    assert.equal(edition.schedule[0]?.data.id, '2024-07-18-0900-opening-remarks');
  });

  it('warn about Marc/Mark Najork and the overlapping paper talks at 3:00 PM and 3:15 PM', () => {
    const text = warnings.map(formatProblem);
    assert.ok(
      text.some(
        (l) =>
          l.startsWith('Google Sheets › Schedule › row 3 › "Speaker": "Marc Najork" matches no one') &&
          l.includes('did you mean "Mark Najork"?'),
      ),
      text.join('\n'),
    );
    // One problem, one warning: the spelling check does not repeat the reference's.
    assert.equal(text.filter((l) => l.includes('Marc Najork')).length, 1, text.join('\n'));
    const overlaps = text.filter((l) => l.includes(' overlaps '));
    assert.equal(overlaps.length, 2, overlaps.join('\n'));
    assert.match(
      overlaps[0]!,
      /^Google Sheets › Schedule › row 12 › "Start": "Paper talk - Teach LLMs[^"]*" \(3:00 PM–3:15 PM\) overlaps "Paper talk - LaMP[^"]*" \(2:45 PM–3:30 PM, row 11\)/,
    );
    assert.match(overlaps[1]!, /\(3:15 PM–3:30 PM\) overlaps "Paper talk - LaMP/);
    assert.equal(warnings.length, 3, text.join('\n'));
  });

  it('never publish private columns or unaccepted papers', () => {
    const out = JSON.stringify({ people: edition.people, papers: edition.papers, schedule: edition.schedule, warnings });
    for (const secret of [
      '@example.org',
      'Email',
      'Reviewer notes',
      '(private)',
      'Score',
      'Rejected Submission',
      'Still Under Review',
      'Pat Private',
    ]) {
      assert.ok(!out.includes(secret), `"${secret}" must not appear`);
    }
    const base = JSON.stringify(demoBase());
    for (const secret of ['Email', 'Reviewer notes', 'Score', 'Rejected', 'Under review'])
      assert.ok(base.includes(secret), `the demo base holds ${secret}`);
  });
});
