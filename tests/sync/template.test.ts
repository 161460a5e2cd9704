/** sync/template.ts: renamed columns, optional columns switched off with `null`, and what the config refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../sync/config.ts';
import { ConfigError } from '../../sync/errors.ts';
import { mapPeopleRows } from '../../sync/map/map-people.ts';
import { mapScheduleRows } from '../../sync/map/map-schedule.ts';
import { planTables } from '../../sync/steps/fetch.ts';
import { columnsOf, customizeTemplate, DEFAULT_TEMPLATE, OPTIONAL_FIELDS, optionalColumnsOf, TABLE_KEYS } from '../../sync/template.ts';
import { airtableRow, sheetRow } from './fixtures.ts';

test('every optional field is a field of its table, and no required one is optional', () => {
  for (const key of TABLE_KEYS) {
    for (const field of OPTIONAL_FIELDS[key]) assert.ok(field in DEFAULT_TEMPLATE[key].columns, `${key}.${field}`);
  }
  assert.ok(!OPTIONAL_FIELDS.papers.includes('title'));
  assert.ok(!OPTIONAL_FIELDS.schedule.includes('date'));
  assert.ok(!OPTIONAL_FIELDS.speakers.includes('name'));
});

test('null switches an optional column off: it is neither asked for nor read, and the field is empty without a word', () => {
  const template = customizeTemplate({ organizers: { columns: { order: null, position: 'Job' } }, schedule: { columns: { room: null } } });
  assert.ok(!('order' in template.organizers.columns));
  assert.deepEqual(columnsOf(template, 'organizers'), ['Name', 'Affiliation', 'Job', 'Photo', 'Homepage']);
  assert.deepEqual(optionalColumnsOf(template, 'organizers'), ['Affiliation', 'Job', 'Photo', 'Homepage']);

  const people = mapPeopleRows(
    [airtableRow('Organizers', 'recOrg00000000001', { Name: 'Ada', Job: 'Chair', Order: 'not read' })],
    'organizers',
    template,
  );
  assert.deepEqual(people.problems, [], 'a column switched off is not read, so its bad value says nothing');
  assert.deepEqual(people.entries[0]?.data, { id: 'ada', name: 'Ada', role: 'organizer', position: 'Chair' });

  const slot = { Date: '2024-07-18', Start: '9:00 AM', End: '9:10 AM', Title: 'Opening', Room: 'Hall A' };
  const schedule = mapScheduleRows([sheetRow(2, slot)], template);
  assert.equal(schedule.entries[0]?.data.room, undefined);

  const config = resolveConfig({ template: { organizers: { columns: { order: null } } } }, '/tmp', {});
  const organizers = planTables(config).find((p) => p.key === 'organizers');
  assert.ok(organizers && !organizers.spec.columns.includes('Order'), 'the source is not asked for it');
  assert.ok(organizers.spec.optional?.includes('Homepage'));
});

test('the config refuses null for a required column, an unknown field and a column name that is not text — saying where', () => {
  const refused = (overrides: unknown, pattern: RegExp) =>
    assert.throws(
      () => resolveConfig({ template: overrides }, '/tmp', {}),
      (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
    );
  refused({ papers: { columns: { title: null } } }, /template\.papers\.columns\.title cannot be null: every row needs it/);
  refused(
    { speakers: { columns: { twitter: 'Twitter' } } },
    /template\.speakers\.columns\.twitter is not a field of this table; its fields are name, /,
  );
  refused({ schedule: { columns: { room: 7 } } }, /template\.schedule\.columns\.room must be the name of a column, or null for none/);
  refused({ schedule: { columns: { date: '  ' } } }, /template\.schedule\.columns\.date must be the name of a column\./);
});
