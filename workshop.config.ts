/**
 * The sync's configuration: where each table comes from and what the columns are called. Every field is optional;
 * the defaults are the template documented in docs/sync.md. Credentials never go here: they come from the
 * environment (AIRTABLE_TOKEN, GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS), e.g. from a .env file.
 */
import { defineConfig } from './sync/config.ts';
import type { TemplateOverrides } from './sync/template.ts';

// Renamed tables or columns, by table, e.g.:
//   papers: { table: 'Submissions', columns: { id: 'Submission #' } },
// Only the records of an Airtable view (e.g. one that hides drafts), in its order:
//   organizers: { view: 'Website' },
// `npm run doctor -- --write` replaces what is between these two markers with the mapping it finds in the base and
// the sheet (Airtable ids included, so that renaming a column in Airtable does not break the sync).
// doctor:mapping:start
const mapping = {} satisfies TemplateOverrides;
// doctor:mapping:end

export default defineConfig({
  // The edition the sync fills; by default the newest folder under content/.
  // edition: '2024_2',
  tables: {
    organizers: 'airtable',
    speakers: 'airtable',
    papers: 'airtable',
    programCommittee: 'airtable',
    schedule: 'google-sheets',
  },
  template: mapping,
  // A row without a required value is left out with a warning, its last published version kept until it is fixed
  // ('skip', the default); 'fail' stops the sync instead, and nothing is written.
  // onInvalidRow: 'fail',
});
