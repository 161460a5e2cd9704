/**
 * Where each table comes from, from the sources given: the people and papers from the Airtable base (or from the
 * Google Sheet when it is the only source), the schedule from the sheet (through the API, or its published CSV),
 * or from the base when there is no sheet. `programCommittee: false` is the config's `'none'`.
 */
import { DEFAULT_TEMPLATE } from '../template.ts';
import type { SetupAnswers } from './questions.ts';

type Kind = 'airtable' | 'google-sheets' | 'published-csv';

export interface SourceSettings {
  sources: {
    airtable?: { baseId: string };
    googleSheets?: { spreadsheetId: string };
    publishedCsv?: { urls: Record<string, string> };
  };
  tables: { organizers: Kind; speakers: Kind; papers: Kind; programCommittee: Kind | 'none'; schedule: Kind };
}

export function sourceSettings(answers: SetupAnswers): SourceSettings {
  const { airtable, sheet } = answers;
  // A published tab gives the schedule only (questions.ts refuses it as the only source).
  const people: Kind = airtable ? 'airtable' : 'google-sheets';
  const schedule: Kind = sheet?.kind ?? 'airtable';
  return {
    sources: {
      ...(airtable ? { airtable: { baseId: airtable.baseId } } : {}),
      ...(sheet?.kind === 'google-sheets' ? { googleSheets: { spreadsheetId: sheet.spreadsheetId } } : {}),
      ...(sheet?.kind === 'published-csv' ? { publishedCsv: { urls: { [DEFAULT_TEMPLATE.schedule.table]: sheet.url } } } : {}),
    },
    tables: {
      organizers: people,
      speakers: people,
      papers: people,
      programCommittee: answers.programCommittee ? people : 'none',
      schedule,
    },
  };
}
