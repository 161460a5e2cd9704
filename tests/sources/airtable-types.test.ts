/**
 * Field types from the base's schema, through the real client against the Airtable emulator: with `schema.bases:read`
 * the rows carry their mapped columns' types and options, and the mapping shows a currency as `$12.50`, a duration as
 * `1:30`, a percent as `50%`, a date-time on the edition's clocks, and leaves out a type it does not know (one
 * warning for the column); without the scope every cell is read by its shape, as before (`12.5`, `5400`, `0.5`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAirtableEmulator, type AirtableEmulator, type SeedTable } from '../../dev/emulators/airtable/index.ts';
import { mapPeopleRows } from '../../sync/map/map-people.ts';
import { formatProblem } from '../../sync/problems.ts';
import { createThrottle } from '../../sync/http/throttle.ts';
import { airtableSource } from '../../sync/sources/airtable.ts';
import { columnTypes, fieldType } from '../../sync/sources/airtable-types.ts';
import type { SourceRow, TableSpec } from '../../sync/sources/types.ts';
import { columnsOf, customizeTemplate } from '../../sync/template.ts';

const BASE = 'appFieldTypes0001';
const ZONE = 'America/New_York';
/** Speakers whose columns are of the types that Airtable shows with their options. */
const TEMPLATE = customizeTemplate({
  speakers: {
    columns: { affiliation: 'Fee', talkTitle: 'Length', abstract: 'Share', bio: 'Since', homepage: 'Scan', order: 'Stars', photo: null },
  },
});
const SPEC: TableSpec = { name: 'Speakers', columns: columnsOf(TEMPLATE, 'speakers') };

/** The table as the organizers have it, types and options as Airtable's metadata API gives them. */
const SPEAKERS: SeedTable = {
  types: {
    Name: { type: 'singleLineText' },
    Kind: { type: 'singleSelect', options: { choices: [{ id: 'selKeynote', name: 'Keynote', color: 'blueLight2' }] } },
    Fee: { type: 'currency', options: { precision: 2, symbol: '$' } },
    Length: { type: 'duration', options: { durationFormat: 'h:mm' } },
    Share: { type: 'percent', options: { precision: 0 } },
    Since: {
      type: 'dateTime',
      options: { dateFormat: { name: 'iso', format: 'YYYY-MM-DD' }, timeFormat: { name: '12hour', format: 'h:mma' }, timeZone: 'client' },
    },
    Scan: { type: 'hologram', options: { frames: 24 } },
    Stars: { type: 'rating', options: { max: 5, icon: 'star', color: 'yellowBright' } },
    Notes: { type: 'number', options: { precision: 3 } },
  },
  records: ['Ada Lovelace', 'Grace Hopper'].map((Name, i) => ({
    fields: {
      Name,
      Kind: 'Keynote',
      Fee: 12.5 + i,
      Length: 5400,
      Share: 0.5,
      Since: '2024-07-18T13:00:00.000Z',
      Scan: { hologram: 'x', frames: 24 },
      Stars: 4,
      Notes: 1.5,
    },
  })),
};

let airtable: AirtableEmulator;
let refused: AirtableEmulator;

before(async () => {
  const bases = { [BASE]: { Speakers: SPEAKERS } };
  airtable = await startAirtableEmulator({ bases, rateLimit: false });
  refused = await startAirtableEmulator({ bases, rateLimit: false, schemaAccess: false });
});

after(async () => {
  await Promise.all([airtable.close(), refused.close()]);
});

async function rowsOf(emulator: AirtableEmulator, spec: TableSpec = SPEC): Promise<SourceRow[]> {
  const source = airtableSource({
    token: emulator.token,
    baseId: BASE,
    endpointUrl: emulator.url,
    throttle: createThrottle({ limit: 50, intervalMs: 100 }),
  });
  const rows: SourceRow[] = [];
  for await (const page of source.pages(spec)) rows.push(...page.rows);
  return rows;
}

/** What the speakers' page shows of each row, and the lines the organizer reads. */
function mapped(rows: SourceRow[]) {
  const { entries, problems } = mapPeopleRows(rows, 'speakers', TEMPLATE, new Set(), { timeZone: ZONE });
  return {
    shown: entries.map(({ data }) => [data.affiliation, data.talkTitle, data.abstract, data.bio, data.homepage, data.order]),
    lines: problems.map(formatProblem),
  };
}

describe('the schema readable (schema.bases:read)', () => {
  test('the rows carry the mapped columns’ types with the options that matter, one object for the table', async () => {
    const rows = await rowsOf(airtable);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0]!.types, {
      Name: { type: 'singleLineText' },
      Kind: { type: 'singleSelect' },
      Fee: { type: 'currency', precision: 2, symbol: '$' },
      Length: { type: 'duration', durationFormat: 'h:mm' },
      Share: { type: 'percent', precision: 0 },
      Since: { type: 'dateTime', timeFormat: '12hour' },
      Scan: { type: 'hologram' },
      Stars: { type: 'rating' },
    });
    assert.equal(rows[1]!.types, rows[0]!.types, 'shared by the rows, not copied');
    assert.equal('Notes' in rows[0]!.types, false, 'an unmapped column is not described');
  });

  test('the cells are shown as Airtable shows them; an unknown type is left out, said once for the column', async () => {
    const { shown, lines } = mapped(await rowsOf(airtable));
    assert.deepEqual(shown, [
      ['$12.50', '1:30', '50%', '2024-07-18 9:00 AM', undefined, 4],
      ['$13.50', '1:30', '50%', '2024-07-18 9:00 AM', undefined, 4],
    ]);
    assert.deepEqual(lines, [
      'Airtable › Speakers › "Scan": is a field of type "hologram", which the sync does not know, so it is left out. Make it a text field in Airtable, or map this field to a text column (template in workshop.config.ts).',
    ]);
  });

  test('the schema is read once, before the first page is handed on, however many pages and listings', async () => {
    for (let i = 0; i < 120; i++) airtable.addRecord(BASE, 'Speakers', { Name: `Speaker ${i}`, Kind: 'Keynote', Fee: i });
    airtable.resetStats();
    try {
      const rows = await rowsOf(airtable);
      assert.equal(rows.length, 122);
      assert.ok(
        rows.every((row) => row.types?.['Fee']?.type === 'currency'),
        'every row of every page has its types',
      );
      const meta = airtable.stats.log.filter((l) => l.path.startsWith('/v0/meta/'));
      assert.equal(meta.length, 1, 'one schema request for two pages');
      assert.ok(airtable.stats.log.indexOf(meta[0]!) < airtable.stats.log.length - 1, 'asked before the second page');
    } finally {
      for (const record of airtable.records(BASE, 'Speakers').slice(2)) airtable.deleteRecord(BASE, 'Speakers', record.id);
    }
  });
});

describe('the schema refused (a token without schema.bases:read)', () => {
  test('no types: every cell is read by its shape, as before (digits, the date-time as Airtable gives it)', async () => {
    const rows = await rowsOf(refused);
    assert.equal(rows[0]!.types, undefined);
    const { shown, lines } = mapped(rows);
    assert.deepEqual(shown, [
      ['12.5', '5400', '0.5', '2024-07-18T13:00:00.000Z', undefined, 4],
      ['13.5', '5400', '0.5', '2024-07-18T13:00:00.000Z', undefined, 4],
    ]);
    assert.equal(lines.length, 2, 'the unknown object is said for each row, by its keys');
    assert.match(lines[0]!, /› "Scan": holds a kind of value the sync does not know \(an object with "hologram", "frames"\)/);
  });
});

describe('the emulator’s metadata', () => {
  test('serves a seeded type with its options, keeps it through a rename, drops it with the field', async () => {
    const fields = async () => {
      const response = await fetch(`${airtable.url}/v0/meta/bases/${BASE}/tables`, {
        headers: { authorization: `Bearer ${airtable.token}` },
      });
      const body = (await response.json()) as { tables: { fields: { name: string; type: string; options?: unknown }[] }[] };
      return body.tables[0]!.fields;
    };
    const fee = (await fields()).find((f) => f.name === 'Fee');
    assert.deepEqual([fee?.type, fee?.options], ['currency', { precision: 2, symbol: '$' }]);
    airtable.renameField(BASE, 'Speakers', 'Fee', 'Price');
    try {
      const price = (await fields()).find((f) => f.name === 'Price');
      assert.deepEqual([price?.type, price?.options], ['currency', { precision: 2, symbol: '$' }]);
    } finally {
      airtable.renameField(BASE, 'Speakers', 'Price', 'Fee');
    }
    assert.equal((await fields())[0]!.name, 'Name', 'the primary field stays the first seeded one');
    airtable.deleteField(BASE, 'Speakers', 'Notes');
    assert.equal(
      (await fields()).some((f) => f.name === 'Notes'),
      false,
    );
  });
});

describe('fieldType and columnTypes', () => {
  test('keep the options that change how a value is shown, nothing else', () => {
    assert.deepEqual(fieldType({ type: 'currency', options: { precision: 2, symbol: '€', extra: true } }), {
      type: 'currency',
      precision: 2,
      symbol: '€',
    });
    assert.deepEqual(fieldType({ type: 'number', options: { precision: 99 } }), { type: 'number' }, 'a precision out of range is dropped');
    assert.deepEqual(
      fieldType({
        type: 'formula',
        options: { formula: '{Fee}*2', isValid: true, result: { type: 'currency', options: { precision: 0, symbol: '$' } } },
      }),
      { type: 'formula', result: { type: 'currency', precision: 0, symbol: '$' } },
    );
    assert.deepEqual(
      fieldType({ type: 'rollup', options: { result: { type: 'formula', options: { result: { type: 'percent' } } } } }),
      { type: 'rollup', result: { type: 'formula' } },
      'a result of a result is not read',
    );
    assert.equal(fieldType({ options: {} }), undefined);
  });

  test('columnTypes: the table by name or id, only the columns asked for; no such table, none', () => {
    const schema = {
      tables: [
        {
          id: 'tblSpeakers000001',
          name: 'Speakers',
          primaryFieldId: 'fld1',
          fields: [
            { id: 'fld1', name: 'Name', type: 'singleLineText' },
            { id: 'fld2', name: 'Share', type: 'percent', options: { precision: 1 } },
          ],
        },
      ],
    };
    assert.deepEqual(columnTypes(schema, { name: 'tblSpeakers000001', columns: ['Share', 'Gone'] }), {
      Share: { type: 'percent', precision: 1 },
    });
    assert.equal(columnTypes(schema, { name: 'Talks', columns: ['Share'] }), undefined);
  });
});
