/**
 * Every Airtable field type (the table of ../shared/reference/real-bases.md, the shapes of `cellFormat=json`) through
 * the real mappers: what the site shows and the line the organizer reads. The same table is in docs/sync.md,
 * "Airtable field types".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapPaperRows } from '../../sync/map/map-papers.ts';
import { mapPeopleRows } from '../../sync/map/map-people.ts';
import { mapScheduleRows } from '../../sync/map/map-schedule.ts';
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
  url: 'https://v5.airtableusercontent.com/v3/u/29/29/1721300000000/AbCdEf',
  filename: '12.pdf',
  size: 482113,
  type: 'application/pdf',
  thumbnails: { small: { url: 'https://v5.airtableusercontent.com/s', width: 28, height: 36 } },
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
  {
    type: 'multipleSelects, one value read (speaker Kind)',
    table: 'Speakers',
    column: 'Kind',
    cell: ['Invited', 'Panelist'],
    shows: 'invited',
    lines: [
      at(
        'Speakers',
        'Kind',
        'holds 2 values ("Invited", "Panelist") where one is read, so "Invited" is used and "Panelist" left out. Keep one value in this cell.',
      ),
    ],
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
    type: 'multipleAttachments, link',
    table: 'Papers',
    column: 'PDF',
    cell: [pdf],
    shows: undefined,
    lines: [
      at(
        'Papers',
        'PDF',
        'holds a file attached in Airtable ("12.pdf"); files attached in Airtable are not published yet, so it is left out. Put the file\'s public URL (https://…) in this column instead.',
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
    PDF: (e) => links(e)['pdf'],
    Code: (e) => links(e)['code'],
    Presentation: (e) => data(e)['presentation'],
    'Best Paper': (e) => data(e)['award'],
  },
  Speakers: {
    Name: (e) => data(e)['name'],
    Affiliation: (e) => data(e)['affiliation'],
    Bio: (e) => data(e)['bio'],
    Kind: (e) => data(e)['role'],
    Order: (e) => data(e)['order'],
  },
  Schedule: {
    Date: (e) => data(e)['start'],
    Kind: (e) => data(e)['kind'],
    Speaker: (e) => (e['refs'] as { speakers: string[] }).speakers,
    Room: (e) => data(e)['room'],
  },
};
const data = (entry: Record<string, unknown>) => entry['data'] as Record<string, unknown>;
const links = (entry: Record<string, unknown>) => data(entry)['links'] as Record<string, unknown>;

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
