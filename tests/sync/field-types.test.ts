/**
 * Every Airtable field type (the table of ../shared/reference/real-bases.md, the shapes of `cellFormat=json`) through
 * the real mappers: what the site shows and the line the organizer reads, read by the values' shapes (a token without
 * `schema.bases:read`) and with the base's schema (the rows carry their columns' field types). The same table is in
 * docs/sync.md, "Airtable field types".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapPaperRows } from '../../sync/map/map-papers.ts';
import { mapPeopleRows } from '../../sync/map/map-people.ts';
import type { PaperFileRef } from '../../sync/map/paper-files.ts';
import { mapScheduleRows } from '../../sync/map/map-schedule.ts';
import type { FieldType } from '../../sync/sources/types.ts';
import { customizeTemplate, DEFAULT_TEMPLATE, type Template } from '../../sync/template.ts';
import { airtableRow, lines } from './fixtures.ts';

type Table = 'Papers' | 'Speakers' | 'Schedule';

interface Case {
  /** The field's type in Airtable's metadata, and what the case shows of it. */
  type: string;
  table: Table;
  column: string;
  cell: unknown;
  /** The published value of the column's field; undefined: left out (`undefined` for a row left out, with `lines`). */
  shows: unknown;
  /** The lines the organizer reads (warnings, or the error of a required field). */
  lines?: string[];
  /** The row is not published (a required field left empty). */
  unpublished?: true;
}

const AWARD_CHECKBOX = customizeTemplate({ papers: { columns: { award: 'Best Paper' } } });

/** A valid row of each table; a case replaces one of its cells. */
const BASE: Record<Table, Record<string, unknown>> = {
  Papers: { 'Paper ID': 12, Title: 'A Paper', Authors: 'Ada Lovelace', Status: 'Accepted' },
  Speakers: { Name: 'Grace Hopper', Kind: 'Keynote' },
  Schedule: { Date: '2024-07-18', Start: '9:00 AM', End: '10:00 AM', Title: 'Opening remarks', Kind: 'Opening' },
};

const RECORD = { Papers: 'recP1', Speakers: 'recS1', Schedule: 'recT1' } as const;

const LINKED =
  "is a link to another table, which shows record ids (rec…), not names, so they are left out. Give the sync's token the schema.bases:read scope, or use a lookup of the linked table's name field instead.";
const CHECKBOX =
  'is a checkbox, which has no text to publish, so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).';
const ada = { id: 'usrAdaLovelace01', email: 'ada@example.org', name: 'Ada Lovelace' };
const alan = { id: 'usrAlanTuring001', email: 'alan@example.org', name: 'Alan Turing' };
const pdf = {
  id: 'attPDF0000000001',
  url: 'http://127.0.0.1:9/v3/u/29/29/1721300000000/AbCdEf',
  filename: '12.pdf',
  size: 482113,
  type: 'application/pdf',
  thumbnails: { small: { url: 'http://127.0.0.1:9/s', width: 28, height: 36 } },
};
const ai = (state: string, value: string | null, extra: Record<string, unknown> = {}) => ({ state, value, isStale: false, ...extra });

const at = (table: Table, column: string, message: string) => `Airtable › ${table} › ${RECORD[table]} › "${column}": ${message}`;
const atTable = (table: Table, column: string, message: string) => `Airtable › ${table} › "${column}": ${message}`;

const CASES: Case[] = [
  { type: 'singleLineText', table: 'Speakers', column: 'Affiliation', cell: ' Meta ', shows: 'Meta' },
  { type: 'multilineText', table: 'Speakers', column: 'Bio', cell: 'Mathematician.\nPoet.', shows: 'Mathematician.\nPoet.' },
  {
    type: 'richText (markdown, as written)',
    table: 'Speakers',
    column: 'Bio',
    cell: '## Ada\n**First** program.\n',
    shows: '## Ada\n**First** program.',
  },
  {
    type: 'email',
    table: 'Speakers',
    column: 'Affiliation',
    cell: 'grace@example.org',
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Affiliation',
        'is an email address, which is never published, so it is left out. Type the text to show instead, or map this field to another column (template in workshop.config.ts).',
      ),
    ],
  },
  {
    type: 'email, link',
    table: 'Papers',
    column: 'Code',
    cell: 'ada@example.org',
    shows: undefined,
    lines: [
      at(
        'Papers',
        'Code',
        "is an email address, which is never published, so it is left out. Put a web page's address (https://…) in the cell instead.",
      ),
    ],
  },
  { type: 'url', table: 'Papers', column: 'Code', cell: 'https://github.com/example/code', shows: 'https://github.com/example/code' },
  { type: 'phoneNumber', table: 'Speakers', column: 'Affiliation', cell: '(415) 555-0199', shows: '(415) 555-0199' },
  { type: 'singleSelect', table: 'Papers', column: 'Presentation', cell: 'Oral', shows: 'oral' },
  { type: 'singleSelect (speaker Kind)', table: 'Speakers', column: 'Kind', cell: 'Panelist', shows: ['panelist'] },
  // Every value (a person can hold several roles): the role, then the others, in the order of the page's sections.
  {
    type: 'multipleSelects, every value (speaker Kind)',
    table: 'Speakers',
    column: 'Kind',
    cell: ['Panelist', 'Invited'],
    shows: ['invited', 'panelist'],
  },
  {
    type: 'multipleSelects, one value read (paper Presentation)',
    table: 'Papers',
    column: 'Presentation',
    cell: ['Poster', 'Lightning'],
    shows: 'poster',
    lines: [
      at(
        'Papers',
        'Presentation',
        'holds 2 values ("Poster", "Lightning") where one is read, so "Poster" is used and "Lightning" left out. Keep one value in this cell.',
      ),
    ],
  },
  {
    type: 'multipleSelects, one value read (schedule Kind)',
    table: 'Schedule',
    column: 'Kind',
    cell: ['Keynote', 'Panel'],
    shows: 'keynote',
    lines: [
      at(
        'Schedule',
        'Kind',
        'holds 2 values ("Keynote", "Panel") where one is read, so "Keynote" is used and "Panel" left out. Keep one value in this cell.',
      ),
    ],
  },
  { type: 'multipleSelects, text', table: 'Speakers', column: 'Affiliation', cell: ['Meta', 'Stanford'], shows: 'Meta, Stanford' },
  {
    type: 'multipleSelects, a list (schedule Speaker)',
    table: 'Schedule',
    column: 'Speaker',
    cell: ['Ada Lovelace', 'Alan Turing'],
    shows: ['Ada Lovelace', 'Alan Turing'],
  },
  { type: 'checkbox, paper award (column "Best Paper")', table: 'Papers', column: 'Best Paper', cell: true, shows: 'Best Paper' },
  {
    type: 'checkbox, text',
    table: 'Speakers',
    column: 'Affiliation',
    cell: true,
    shows: undefined,
    lines: [at('Speakers', 'Affiliation', CHECKBOX)],
  },
  { type: 'number', table: 'Speakers', column: 'Order', cell: 2, shows: 2 },
  { type: 'percent (0.5 = 50 %)', table: 'Speakers', column: 'Affiliation', cell: 0.5, shows: '0.5' },
  { type: 'currency', table: 'Speakers', column: 'Affiliation', cell: 250, shows: '250' },
  { type: 'rating', table: 'Speakers', column: 'Order', cell: 4, shows: 4 },
  { type: 'duration (seconds)', table: 'Speakers', column: 'Affiliation', cell: 5400, shows: '5400' },
  { type: 'autoNumber', table: 'Papers', column: 'Paper ID', cell: 12, shows: '12' },
  { type: 'count', table: 'Speakers', column: 'Order', cell: 3, shows: 3 },
  { type: 'date', table: 'Schedule', column: 'Date', cell: '2024-07-19', shows: '2024-07-19T09:00' },
  {
    type: 'dateTime (as given, UTC)',
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-07-18T13:00:00.000Z',
    shows: '2024-07-18T13:00:00.000Z',
  },
  { type: 'createdTime', table: 'Speakers', column: 'Affiliation', cell: '2024-05-02T08:15:00.000Z', shows: '2024-05-02T08:15:00.000Z' },
  {
    type: 'lastModifiedTime',
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-06-30T21:04:11.000Z',
    shows: '2024-06-30T21:04:11.000Z',
  },
  { type: 'singleCollaborator', table: 'Schedule', column: 'Speaker', cell: ada, shows: ['Ada Lovelace'] },
  { type: 'createdBy', table: 'Papers', column: 'Authors', cell: ada, shows: ['Ada Lovelace'] },
  { type: 'lastModifiedBy', table: 'Speakers', column: 'Name', cell: alan, shows: 'Alan Turing' },
  { type: 'multipleCollaborators', table: 'Papers', column: 'Authors', cell: [ada, alan], shows: ['Ada Lovelace', 'Alan Turing'] },
  {
    type: 'multipleCollaborators, one without a name',
    table: 'Speakers',
    column: 'Affiliation',
    cell: [{ id: 'usrNoName0000001', email: 'x@example.org' }],
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Affiliation',
        "is a collaborator without a name in Airtable (an email is never published), so it is left out. Type the person's name in a text field instead.",
      ),
    ],
  },
  {
    type: 'multipleRecordLinks, optional field',
    table: 'Speakers',
    column: 'Affiliation',
    cell: ['recInstitution001'],
    shows: undefined,
    lines: [atTable('Speakers', 'Affiliation', LINKED)],
  },
  {
    type: 'multipleRecordLinks, required field (Authors)',
    table: 'Papers',
    column: 'Authors',
    cell: ['rec327G1xr2i2FAC4', 'recAlanTuring0001'],
    shows: undefined,
    unpublished: true,
    lines: [at('Papers', 'Authors', LINKED)],
  },
  {
    type: 'multipleLookupValues, a list (Authors)',
    table: 'Papers',
    column: 'Authors',
    cell: ['Ada Lovelace', 'Alan Turing'],
    shows: ['Ada Lovelace', 'Alan Turing'],
  },
  { type: 'multipleLookupValues, text', table: 'Speakers', column: 'Affiliation', cell: ['MIT', 'MIT'], shows: 'MIT' },
  { type: 'multipleLookupValues, a number', table: 'Speakers', column: 'Order', cell: [7], shows: 7 },
  {
    type: 'rollup (ARRAYJOIN)',
    table: 'Papers',
    column: 'Authors',
    cell: 'Ada Lovelace, Alan Turing',
    shows: ['Ada Lovelace', 'Alan Turing'],
  },
  { type: 'rollup (a number)', table: 'Speakers', column: 'Order', cell: 5, shows: 5 },
  { type: 'formula (text)', table: 'Schedule', column: 'Room', cell: 'Room 101', shows: 'Room 101' },
  { type: 'formula (boolean false)', table: 'Speakers', column: 'Affiliation', cell: false, shows: undefined },
  {
    type: 'formula (an error)',
    table: 'Speakers',
    column: 'Affiliation',
    cell: { error: '#ERROR!' },
    shows: undefined,
    lines: [at('Speakers', 'Affiliation', 'is a formula whose result is "#ERROR!", so it is left out. Fix the formula in Airtable.')],
  },
  {
    type: "multipleAttachments, a paper's link (mirrored)",
    table: 'Papers',
    column: 'PDF',
    cell: [pdf],
    shows: 'mirrored: 12.pdf',
  },
  {
    type: "multipleAttachments, a paper's link, several files",
    table: 'Papers',
    column: 'PDF',
    cell: [pdf, { ...pdf, id: 'attPDF0000000002', filename: '12-supplement.pdf' }],
    shows: 'mirrored: 12.pdf',
    lines: [
      at(
        'Papers',
        'PDF',
        'holds 2 files; only the first, "12.pdf", is published and "12-supplement.pdf" left out. Keep one file in this cell.',
      ),
    ],
  },
  {
    type: 'multipleAttachments, another link',
    table: 'Speakers',
    column: 'Homepage',
    cell: [pdf],
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Homepage',
        'holds a file attached in Airtable ("12.pdf"); a file is published only from a paper\'s PDF, arXiv or Code column, so it is left out here. Put a web page\'s address (https://…) in this column instead.',
      ),
    ],
  },
  {
    type: 'multipleAttachments, text',
    table: 'Speakers',
    column: 'Bio',
    cell: [{ ...pdf, filename: 'bio.docx' }],
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Bio',
        'holds a file attached in Airtable ("bio.docx"), not text, so it is left out. Type the text in this column instead.',
      ),
    ],
  },
  { type: 'barcode', table: 'Schedule', column: 'Room', cell: { text: 'B-101', type: 'code128' }, shows: 'B-101' },
  {
    type: 'button, link (its URL)',
    table: 'Papers',
    column: 'Code',
    cell: { label: 'Open code', url: 'https://github.com/example/code' },
    shows: 'https://github.com/example/code',
  },
  {
    type: 'button, text (its label)',
    table: 'Speakers',
    column: 'Affiliation',
    cell: { label: 'Meta AI', url: 'https://ai.meta.com' },
    shows: 'Meta AI',
  },
  { type: 'button without a URL, link', table: 'Papers', column: 'Code', cell: { label: 'Open code', url: null }, shows: undefined },
  {
    type: 'aiText generated',
    table: 'Speakers',
    column: 'Bio',
    cell: ai('generated', 'Grace wrote the first compiler.'),
    shows: 'Grace wrote the first compiler.',
  },
  {
    type: 'aiText generated, stale',
    table: 'Speakers',
    column: 'Bio',
    cell: { ...ai('generated', 'An older draft.'), isStale: true },
    shows: 'An older draft.',
  },
  {
    type: 'aiText empty',
    table: 'Speakers',
    column: 'Bio',
    cell: ai('empty', null),
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Bio',
        'is an AI field that has generated nothing yet, so it is left out. Generate it in Airtable, or type the text in a text field.',
      ),
    ],
  },
  {
    type: 'aiText loading',
    table: 'Speakers',
    column: 'Bio',
    cell: ai('loading', null),
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Bio',
        'is an AI field that was still generating when the sync read it, so it is left out this time. Run the sync again once Airtable has generated it, or type the text in a text field.',
      ),
    ],
  },
  {
    type: 'aiText error',
    table: 'Speakers',
    column: 'Bio',
    cell: ai('error', null, { errorType: 'rateLimited' }),
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Bio',
        'is an AI field that Airtable failed to generate ("rateLimited"), so it is left out. Regenerate it in Airtable, or type the text in a text field.',
      ),
    ],
  },
  {
    type: 'aiText error, required field (Name)',
    table: 'Speakers',
    column: 'Name',
    cell: ai('error', null),
    shows: undefined,
    unpublished: true,
    lines: [
      at(
        'Speakers',
        'Name',
        'is an AI field that Airtable failed to generate, so it is left out. Regenerate it in Airtable, or type the text in a text field.',
      ),
    ],
  },
  {
    type: 'an unknown, future type',
    table: 'Speakers',
    column: 'Bio',
    cell: { hologram: 'x', frames: 3 },
    shows: undefined,
    lines: [
      at(
        'Speakers',
        'Bio',
        'holds a kind of value the sync does not know (an object with "hologram", "frames"), so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).',
      ),
    ],
  },
];

/** The model field each column feeds, as the site gets it (a schedule's speakers: the names, before resolve.ts). */
const SHOWN: Record<Table, Record<string, (entry: Record<string, unknown>) => unknown>> = {
  Papers: {
    'Paper ID': (e) => data(e)['id'],
    Authors: (e) => data(e)['authors'],
    PDF: (e) => links(e)['pdf'] ?? mirrored(e, 'pdf'),
    Code: (e) => links(e)['code'],
    Presentation: (e) => data(e)['presentation'],
    'Best Paper': (e) => data(e)['award'],
  },
  Speakers: {
    Name: (e) => data(e)['name'],
    Homepage: (e) => data(e)['homepage'],
    Affiliation: (e) => data(e)['affiliation'],
    Bio: (e) => data(e)['bio'],
    Kind: (e) => [data(e)['role'], ...((data(e)['otherRoles'] as unknown[] | undefined) ?? [])],
    Order: (e) => data(e)['order'],
  },
  Schedule: {
    Date: (e) => data(e)['start'],
    Start: (e) => data(e)['start'],
    'Paper ID': (e) => (e['refs'] as { paper?: string }).paper,
    Kind: (e) => data(e)['kind'],
    Speaker: (e) => (e['refs'] as { speakers: string[] }).speakers,
    Room: (e) => data(e)['room'],
  },
};
const data = (entry: Record<string, unknown>) => entry['data'] as Record<string, unknown>;
const links = (entry: Record<string, unknown>) => data(entry)['links'] as Record<string, unknown>;
/** A file attached in a paper's link column, as the mapping hands it to the mirror step (steps/paper-files.ts). */
const mirrored = (entry: Record<string, unknown>, kind: string) => {
  const file = (entry['files'] as PaperFileRef[] | undefined)?.find((f) => f.kind === kind);
  return file && `mirrored: ${file.attachment.filename}`;
};

/** The case's row through its table's mapper. */
function mapCase(c: Case) {
  const row = airtableRow(c.table, RECORD[c.table], { ...BASE[c.table], [c.column]: c.cell });
  const template: Template = c.column === 'Best Paper' ? AWARD_CHECKBOX : DEFAULT_TEMPLATE;
  if (c.table === 'Papers') return mapPaperRows([row], template);
  if (c.table === 'Speakers') return mapPeopleRows([row], 'speakers', template);
  return mapScheduleRows([row], template);
}

describe('Airtable field types', () => {
  const published: unknown[] = [];
  for (const c of CASES) {
    it(`${c.type} in ${c.table} › ${c.column}`, () => {
      const { entries, problems } = mapCase(c);
      assert.deepEqual(lines(problems), c.lines ?? []);
      if (c.unpublished) {
        assert.deepEqual(entries, []);
        assert.ok(problems.some((p) => p.severity === 'error'));
        return;
      }
      assert.equal(entries.length, 1);
      assert.ok(
        problems.every((p) => p.severity === 'warning'),
        'a cell that cannot be published costs that cell, not the row',
      );
      assert.deepEqual(SHOWN[c.table][c.column]!(entries[0] as unknown as Record<string, unknown>), c.shows);
      published.push(...entries.map((e) => e.data));
    });
  }

  it('covers every type of the reference table', () => {
    const types = new Set(CASES.map((c) => /^\w+/.exec(c.type)![0]));
    const reference = [
      'singleLineText',
      'multilineText',
      'email',
      'url',
      'phoneNumber',
      'richText',
      'singleSelect',
      'multipleSelects',
      'checkbox',
      'number',
      'percent',
      'currency',
      'rating',
      'duration',
      'autoNumber',
      'count',
      'date',
      'dateTime',
      'createdTime',
      'lastModifiedTime',
      'singleCollaborator',
      'createdBy',
      'lastModifiedBy',
      'multipleCollaborators',
      'multipleRecordLinks',
      'multipleLookupValues',
      'rollup',
      'formula',
      'multipleAttachments',
      'barcode',
      'button',
      'aiText',
    ];
    assert.deepEqual(
      reference.filter((t) => !types.has(t)),
      [],
    );
  });

  it('publishes no email and no record id', () => {
    const text = JSON.stringify(published);
    assert.ok(published.length > 30);
    assert.doesNotMatch(text, /@/);
    assert.doesNotMatch(text, /rec[A-Za-z0-9]{14}/);
  });

  it('says a link column that shows record ids once for the whole table, not once a row', () => {
    const rows = ['recS1', 'recS2', 'recS3'].map((id) =>
      airtableRow('Speakers', id, { ...BASE.Speakers, Affiliation: ['recInstitution001'] }),
    );
    const warned = new Set<string>();
    const first = mapPeopleRows(rows.slice(0, 2), 'speakers', DEFAULT_TEMPLATE, warned);
    const next = mapPeopleRows(rows.slice(2), 'speakers', DEFAULT_TEMPLATE, warned);
    assert.deepEqual(lines([...first.problems, ...next.problems]), [atTable('Speakers', 'Affiliation', LINKED)]);
    assert.equal(first.entries.length + next.entries.length, 3);
  });
});

/** A case read with the base's schema: the row carries its column's field type, the edition is in New York. */
interface TypedCase extends Case {
  fieldType: FieldType;
}

const ZONE = 'America/New_York';
const UNKNOWN =
  'is a field of type "hologram", which the sync does not know, so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).';

/** The types whose text depends on the schema (and the ids read as stored whatever their format). */
const TYPED: TypedCase[] = [
  {
    type: 'number, precision 2',
    fieldType: { type: 'number', precision: 2 },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 3.1,
    shows: '3.10',
  },
  {
    type: 'number, precision 0',
    fieldType: { type: 'number', precision: 0 },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 2.5,
    shows: '3',
  },
  {
    type: 'number, an Order (a number)',
    fieldType: { type: 'number', precision: 2 },
    table: 'Speakers',
    column: 'Order',
    cell: 2,
    shows: 2,
  },
  {
    type: 'duration, an Order (read as stored)',
    fieldType: { type: 'duration', durationFormat: 'h:mm' },
    table: 'Speakers',
    column: 'Order',
    cell: 3,
    shows: 3,
  },
  {
    type: 'number, a Paper ID (its digits, whatever the precision)',
    fieldType: { type: 'number', precision: 1 },
    table: 'Papers',
    column: 'Paper ID',
    cell: 12,
    shows: '12',
  },
  {
    type: "number, a session's Paper (its digits)",
    fieldType: { type: 'number', precision: 2 },
    table: 'Schedule',
    column: 'Paper ID',
    cell: 12,
    shows: '12',
  },
  {
    type: 'percent, precision 0',
    fieldType: { type: 'percent', precision: 0 },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 0.5,
    shows: '50%',
  },
  {
    type: 'percent, precision 1',
    fieldType: { type: 'percent', precision: 1 },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 0.1234,
    shows: '12.3%',
  },
  {
    type: 'currency',
    fieldType: { type: 'currency', precision: 2, symbol: '$' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 12.5,
    shows: '$12.50',
  },
  {
    type: 'currency, negative, thousands',
    fieldType: { type: 'currency', precision: 0, symbol: '€' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: -1234.5,
    shows: '-€1,235',
  },
  { type: 'rating', fieldType: { type: 'rating' }, table: 'Speakers', column: 'Affiliation', cell: 4, shows: '4' },
  { type: 'rating, an Order', fieldType: { type: 'rating' }, table: 'Speakers', column: 'Order', cell: 4, shows: 4 },
  {
    type: 'duration, h:mm',
    fieldType: { type: 'duration', durationFormat: 'h:mm' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 5400,
    shows: '1:30',
  },
  {
    type: 'duration, h:mm:ss',
    fieldType: { type: 'duration', durationFormat: 'h:mm:ss' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 5025,
    shows: '1:23:45',
  },
  {
    type: 'duration, h:mm:ss.S, under an hour',
    fieldType: { type: 'duration', durationFormat: 'h:mm:ss.S' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 225.6,
    shows: '3:45.6',
  },
  {
    type: "duration, a session's Start (h:mm since midnight)",
    fieldType: { type: 'duration', durationFormat: 'h:mm' },
    table: 'Schedule',
    column: 'Start',
    cell: 34200,
    shows: '2024-07-18T09:30',
  },
  { type: 'autoNumber', fieldType: { type: 'autoNumber' }, table: 'Papers', column: 'Paper ID', cell: 12, shows: '12' },
  { type: 'count', fieldType: { type: 'count' }, table: 'Speakers', column: 'Affiliation', cell: 3, shows: '3' },
  { type: 'date', fieldType: { type: 'date' }, table: 'Schedule', column: 'Date', cell: '2024-07-19', shows: '2024-07-19T09:00' },
  {
    type: 'dateTime, text (24 hours), on the edition’s clocks',
    fieldType: { type: 'dateTime', timeFormat: '24hour' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-07-18T13:00:00.000Z',
    shows: '2024-07-18 09:00',
  },
  {
    type: 'dateTime, text (12 hours)',
    fieldType: { type: 'dateTime', timeFormat: '12hour' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-07-18T17:05:00.000Z',
    shows: '2024-07-18 1:05 PM',
  },
  {
    type: "dateTime, a session's Start",
    fieldType: { type: 'dateTime', timeFormat: '12hour' },
    table: 'Schedule',
    column: 'Start',
    cell: '2024-07-18T13:30:00.000Z',
    shows: '2024-07-18T09:30',
  },
  {
    type: 'createdTime (a date and time)',
    fieldType: { type: 'createdTime', result: { type: 'dateTime', timeFormat: '24hour' } },
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-05-02T08:15:00.000Z',
    shows: '2024-05-02 04:15',
  },
  {
    type: 'lastModifiedTime (a date)',
    fieldType: { type: 'lastModifiedTime', result: { type: 'date' } },
    table: 'Speakers',
    column: 'Affiliation',
    cell: '2024-07-01T02:00:00.000Z',
    shows: '2024-06-30',
  },
  {
    type: 'formula (a currency)',
    fieldType: { type: 'formula', result: { type: 'currency', precision: 2, symbol: '$' } },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 12.5,
    shows: '$12.50',
  },
  {
    type: 'rollup (a percent)',
    fieldType: { type: 'rollup', result: { type: 'percent', precision: 0 } },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 0.25,
    shows: '25%',
  },
  {
    type: 'multipleLookupValues (durations)',
    fieldType: { type: 'multipleLookupValues', result: { type: 'duration', durationFormat: 'h:mm' } },
    table: 'Speakers',
    column: 'Affiliation',
    cell: [5400, 1800],
    shows: '1:30, 0:30',
  },
  {
    type: 'an unknown, future type (an object)',
    fieldType: { type: 'hologram' },
    table: 'Speakers',
    column: 'Bio',
    cell: { hologram: 'x', frames: 3 },
    shows: undefined,
    lines: [atTable('Speakers', 'Bio', UNKNOWN)],
  },
  {
    type: 'an unknown, future type (text)',
    fieldType: { type: 'hologram' },
    table: 'Speakers',
    column: 'Affiliation',
    cell: 'Meta',
    shows: undefined,
    lines: [atTable('Speakers', 'Affiliation', UNKNOWN)],
  },
  {
    type: 'an unknown, future type, required field (Name)',
    fieldType: { type: 'hologram' },
    table: 'Speakers',
    column: 'Name',
    cell: 'Grace Hopper',
    shows: undefined,
    unpublished: true,
    lines: [at('Speakers', 'Name', UNKNOWN)],
  },
];

/** The types a case of TYPED shows differently from its shape alone (the others are read as without the schema). */
const SCHEMA_DEPENDENT = ['number', 'percent', 'currency', 'rating', 'duration', 'dateTime', 'createdTime', 'lastModifiedTime'];

/** `rows` of `table` through its mapper, the edition in New York. */
function mapTyped(table: Table, rows: ReturnType<typeof airtableRow>[], template: Template = DEFAULT_TEMPLATE) {
  if (table === 'Papers') return mapPaperRows(rows, template, new Set(), { timeZone: ZONE });
  if (table === 'Speakers') return mapPeopleRows(rows, 'speakers', template, new Set(), { timeZone: ZONE });
  return mapScheduleRows(rows, template, new Set(), { timeZone: ZONE });
}

/** The case's row, carrying the types of its columns (`fieldType` for the case's own), through its table's mapper. */
function mapWithTypes(c: Case, fieldType: FieldType) {
  const row = { ...airtableRow(c.table, RECORD[c.table], { ...BASE[c.table], [c.column]: c.cell }), types: { [c.column]: fieldType } };
  return mapTyped(c.table, [row], c.column === 'Best Paper' ? AWARD_CHECKBOX : DEFAULT_TEMPLATE);
}

/** Checks what a case's row publishes and says. */
function check(c: Case, { entries, problems }: ReturnType<typeof mapWithTypes>): void {
  assert.deepEqual(lines(problems), c.lines ?? []);
  if (c.unpublished) {
    assert.deepEqual(entries, []);
    assert.ok(problems.some((p) => p.severity === 'error'));
    return;
  }
  assert.equal(entries.length, 1);
  assert.ok(problems.every((p) => p.severity === 'warning'));
  assert.deepEqual(SHOWN[c.table][c.column]!(entries[0] as unknown as Record<string, unknown>), c.shows);
}

describe('Airtable field types, with the base’s schema', () => {
  for (const c of TYPED) {
    it(`${c.type} in ${c.table} › ${c.column}`, () => check(c, mapWithTypes(c, c.fieldType)));
  }

  // Every type whose value reads the same either way: the case of the table above, its type now known.
  const unchanged = CASES.filter((c) => !SCHEMA_DEPENDENT.includes(/^\w+/.exec(c.type)![0]) && !c.type.startsWith('an unknown'));
  for (const c of unchanged) {
    it(`${c.type} in ${c.table} › ${c.column}: as without the schema`, () => check(c, mapWithTypes(c, { type: /^\w+/.exec(c.type)![0] })));
  }

  it('covers every type whose text depends on the schema, and an unknown one', () => {
    const types = new Set(TYPED.map((c) => /^\w+/.exec(c.type)![0]));
    assert.deepEqual(
      SCHEMA_DEPENDENT.filter((t) => !types.has(t)),
      [],
    );
    assert.ok(TYPED.some((c) => !['number', ...SCHEMA_DEPENDENT].includes(c.fieldType.type) && c.fieldType.type === 'hologram'));
    assert.ok(unchanged.length > 40, `${unchanged.length} cases read as without the schema`);
  });

  it('says an unknown type once for the column, not once a row; empty cells say nothing', () => {
    const types = { Affiliation: { type: 'hologram' } };
    const rows = ['recS1', 'recS2', 'recS3'].map((id, i) => ({
      ...airtableRow('Speakers', id, { ...BASE.Speakers, ...(i < 2 ? { Affiliation: 'Meta' } : {}) }),
      types,
    }));
    const warned = new Set<string>();
    const first = mapPeopleRows(rows.slice(0, 2), 'speakers', DEFAULT_TEMPLATE, warned);
    const next = mapPeopleRows(rows.slice(2), 'speakers', DEFAULT_TEMPLATE, warned);
    assert.deepEqual(lines([...first.problems, ...next.problems]), [atTable('Speakers', 'Affiliation', UNKNOWN)]);
    assert.deepEqual(
      [...first.entries, ...next.entries].map((e) => e.data.affiliation),
      [undefined, undefined, undefined],
    );
  });

  it('without the edition’s time zone, a date-time stays as Airtable gives it (UTC)', () => {
    const row = {
      ...airtableRow('Speakers', 'recS1', { ...BASE.Speakers, Affiliation: '2024-07-18T13:00:00.000Z' }),
      types: { Affiliation: { type: 'dateTime' } },
    };
    assert.equal(mapPeopleRows([row], 'speakers').entries[0]?.data.affiliation, '2024-07-18T13:00:00.000Z');
  });
});
