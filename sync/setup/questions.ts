/**
 * The questions of `npm run setup`, each also a flag: asked in turn on a terminal (a flag given answers its question;
 * a wrong answer is said and asked again), or all taken from the flags and defaults (`--yes`, or no terminal), where
 * every missing or wrong answer is listed at once. Credentials are asked in credentials.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { dateField, SAFE_WEB } from '../../src/model/fields.ts';
import { editionSchema } from '../../src/model/edition.ts';
import type { SetupFlags } from './args.ts';
import type { Prompter } from './prompt.ts';
import { parseAirtableBase, parseSheet, type Parsed, type SheetSource } from './source-urls.ts';
import { parseTimeZone } from './time-zones.ts';

/** The answers, checked and normalized. */
export interface SetupAnswers {
  title: string;
  shortTitle: string;
  start: string;
  end: string;
  venue: { name?: string; city: string; country?: string };
  timeZone: string;
  hostConference: { name: string; url: string };
  edition: string;
  airtable?: { baseId: string };
  sheet?: SheetSource;
  programCommittee: boolean;
}

/** What the checks need beyond the answers. */
export interface QuestionContext {
  contentDir: string;
  /** --force: an existing edition may be overwritten. */
  force: boolean;
}

type Key =
  | 'title'
  | 'shortTitle'
  | 'start'
  | 'end'
  | 'venue'
  | 'city'
  | 'country'
  | 'timeZone'
  | 'hostName'
  | 'hostUrl'
  | 'edition'
  | 'airtable'
  | 'sheet';
type Raw = Partial<Record<Key, string>>;

interface Question {
  key: Key;
  flag: keyof SetupFlags;
  prompt: string;
  required: boolean;
  /** The answer when none is given (shown in brackets on a terminal). */
  fallback?: (raw: Raw) => string | undefined;
  /** The answer normalized, or what is wrong with it. */
  check: (value: string, raw: Raw, ctx: QuestionContext) => Parsed<string>;
}

const ok = (value: string): Parsed<string> => ({ ok: true, value });
const line = (value: string): Parsed<string> =>
  /[\r\n]/.test(value)
    ? { ok: false, error: 'must be a single line' }
    : value.trim() === ''
      ? { ok: false, error: 'must not be empty' }
      : ok(value.trim());

function date(value: string): Parsed<string> {
  return dateField.safeParse(value.trim()).success
    ? ok(value.trim())
    : { ok: false, error: `${JSON.stringify(value)} is not a date written as YYYY-MM-DD (e.g. 2025-07-17)` };
}

/** "2025" + "Data for Good!" → "2025-data-for-good". */
export function defaultEditionId(start: string | undefined, shortTitle: string | undefined): string | undefined {
  const year = /^\d{4}/.exec(start ?? '')?.[0];
  const slug = (shortTitle ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  if (!year) return undefined;
  return slug ? `${year}-${slug}` : year;
}

const ID_SHAPE = editionSchema.shape.id;

const sourceCheck =
  <T>(parse: (text: string) => Parsed<T>) =>
  (value: string): Parsed<string> => {
    const parsed = parse(value);
    return parsed.ok ? ok(value.trim()) : parsed;
  };

const QUESTIONS: readonly Question[] = [
  { key: 'title', flag: 'title', prompt: 'Full title of the workshop', required: true, check: line },
  {
    key: 'shortTitle',
    flag: 'short-title',
    prompt: 'Short title (header, browser tab)',
    required: true,
    fallback: (r) => r.title,
    check: line,
  },
  { key: 'start', flag: 'start', prompt: 'First day (YYYY-MM-DD)', required: true, check: date },
  {
    key: 'end',
    flag: 'end',
    prompt: 'Last day (YYYY-MM-DD)',
    required: true,
    fallback: (r) => r.start,
    check: (value, raw) => {
      const parsed = date(value);
      if (parsed.ok && raw.start !== undefined && parsed.value < raw.start)
        return { ok: false, error: `the last day, ${parsed.value}, is before the first, ${raw.start}` };
      return parsed;
    },
  },
  { key: 'venue', flag: 'venue', prompt: 'Venue name (optional)', required: false, check: line },
  { key: 'city', flag: 'city', prompt: 'City', required: true, check: line },
  { key: 'country', flag: 'country', prompt: 'Country (optional)', required: false, check: line },
  { key: 'timeZone', flag: 'time-zone', prompt: 'Time zone of the venue (IANA, e.g. Europe/Berlin)', required: true, check: parseTimeZone },
  { key: 'hostName', flag: 'host-name', prompt: 'Host conference (e.g. SIGIR 2025)', required: true, check: line },
  {
    key: 'hostUrl',
    flag: 'host-url',
    prompt: "Host conference's address (https://…)",
    required: true,
    check: (value) =>
      SAFE_WEB.test(value.trim()) ? ok(value.trim()) : { ok: false, error: `${JSON.stringify(value)} is not an http:// or https:// link` },
  },
  {
    key: 'edition',
    flag: 'edition',
    prompt: 'Edition id (its folder under content/ and its URL)',
    required: true,
    fallback: (r) => defaultEditionId(r.start, r.shortTitle),
    check: (value, _raw, ctx) => {
      const id = value.trim();
      const shape = ID_SHAPE.safeParse(id);
      if (!shape.success) return { ok: false, error: `${JSON.stringify(id)}: ${shape.error.issues[0]?.message ?? 'not an id'}` };
      const file = path.join(ctx.contentDir, id, 'edition.json');
      if (existsSync(file) && !ctx.force) {
        return { ok: false, error: `${file} exists already: choose another edition id, or give --force to overwrite its settings` };
      }
      return ok(id);
    },
  },
  {
    key: 'airtable',
    flag: 'airtable',
    prompt: "Airtable base: its address from the browser's bar (https://airtable.com/app…) or id (empty: none)",
    required: false,
    check: sourceCheck(parseAirtableBase),
  },
  {
    key: 'sheet',
    flag: 'sheet',
    prompt: 'Google Sheet: its edit link, published link (pubhtml or CSV) or id (empty: none)',
    required: false,
    check: sourceCheck(parseSheet),
  },
];

/** What is wrong with the sources together (one of them at least; a published tab gives the schedule only). */
function sourcesProblem(raw: Raw): string | undefined {
  if (raw.airtable === undefined && raw.sheet === undefined) {
    return 'no source: give the Airtable base (--airtable), the Google Sheet (--sheet), or both';
  }
  const sheet = raw.sheet === undefined ? undefined : parseSheet(raw.sheet);
  if (raw.airtable === undefined && sheet?.ok && sheet.value.kind === 'published-csv') {
    return "a published link gives the schedule only: give the Airtable base too (--airtable), or the sheet's edit link (--sheet) to read every table from it";
  }
  return undefined;
}

function assemble(
  raw: Required<Pick<Raw, 'title' | 'shortTitle' | 'start' | 'end' | 'city' | 'timeZone' | 'hostName' | 'hostUrl' | 'edition'>> & Raw,
  programCommittee: boolean,
): SetupAnswers {
  const airtable = raw.airtable === undefined ? undefined : parseAirtableBase(raw.airtable);
  const sheet = raw.sheet === undefined ? undefined : parseSheet(raw.sheet);
  return {
    title: raw.title,
    shortTitle: raw.shortTitle,
    start: raw.start,
    end: raw.end,
    venue: {
      ...(raw.venue === undefined ? {} : { name: raw.venue }),
      city: raw.city,
      ...(raw.country === undefined ? {} : { country: raw.country }),
    },
    timeZone: raw.timeZone,
    hostConference: { name: raw.hostName, url: raw.hostUrl },
    edition: raw.edition,
    ...(airtable?.ok ? { airtable: airtable.value } : {}),
    ...(sheet?.ok ? { sheet: sheet.value } : {}),
    programCommittee,
  };
}

function complete(raw: Raw): raw is Parameters<typeof assemble>[0] {
  return QUESTIONS.every((q) => !q.required || raw[q.key] !== undefined);
}

const flagValue = (flags: SetupFlags, q: Question): string | undefined => {
  const value = flags[q.flag];
  return typeof value === 'string' ? value : undefined;
};

/** Answers from the flags and defaults alone; `missing`: the flags to give, `errors`: what is wrong with those given. */
export function answersFromFlags(
  flags: SetupFlags,
  ctx: QuestionContext,
): { ok: true; answers: SetupAnswers } | { ok: false; missing: string[]; errors: string[] } {
  const raw: Raw = {};
  const missing: string[] = [];
  const errors: string[] = [];
  for (const q of QUESTIONS) {
    const given = flagValue(flags, q) ?? q.fallback?.(raw);
    if (given === undefined || given.trim() === '') {
      // A default derived from another answer is missing only for want of that one, which is listed.
      if (q.required && q.fallback === undefined) missing.push(`--${q.flag}`);
      continue;
    }
    const checked = q.check(given, raw, ctx);
    if (checked.ok) raw[q.key] = checked.value;
    else errors.push(`--${q.flag}: ${checked.error}`);
  }
  if (flags.airtable === undefined && flags.sheet === undefined) missing.push('--airtable or --sheet (or both)');
  else if (errors.length === 0) {
    const sources = sourcesProblem(raw);
    if (sources) errors.push(sources);
  }
  if (missing.length > 0 || errors.length > 0 || !complete(raw)) return { ok: false, missing, errors };
  return { ok: true, answers: assemble(raw, !flags['no-program-committee']) };
}

/** Yes or no, with a default for an empty answer; asked again until it is one. */
export async function askYesNo(prompter: Prompter, say: (line: string) => void, question: string, byDefault: boolean): Promise<boolean> {
  for (;;) {
    const answer = (await prompter.ask(`${question} [${byDefault ? 'Y/n' : 'y/N'}] `)).toLowerCase();
    if (answer === '') return byDefault;
    if (['y', 'yes'].includes(answer)) return true;
    if (['n', 'no'].includes(answer)) return false;
    say('  Answer y or n.');
  }
}

/** Answers asked on a terminal, the flags given answering their questions. */
export async function askAnswers(
  flags: SetupFlags,
  ctx: QuestionContext,
  prompter: Prompter,
  say: (line: string) => void,
): Promise<SetupAnswers> {
  const raw: Raw = {};
  const ask = async (q: Question, first: boolean) => {
    let given = first ? flagValue(flags, q) : undefined;
    for (;;) {
      if (given === undefined) {
        const fallback = q.fallback?.(raw);
        const typed = await prompter.ask(`${q.prompt}${fallback ? ` [${fallback}]` : ''}: `);
        given = typed === '' ? fallback : typed;
      }
      if (given === undefined || given.trim() === '') {
        if (!q.required) return;
        say('  This one is needed.');
      } else {
        const checked = q.check(given, raw, ctx);
        if (checked.ok) {
          raw[q.key] = checked.value;
          return;
        }
        say(`  ${checked.error}`);
      }
      given = undefined;
    }
  };
  for (const q of QUESTIONS) await ask(q, true);
  for (let problem = sourcesProblem(raw); problem !== undefined; problem = sourcesProblem(raw)) {
    say(`  ${problem}.`);
    delete raw.airtable;
    delete raw.sheet;
    for (const q of QUESTIONS.filter((q) => q.key === 'airtable' || q.key === 'sheet')) await ask(q, false);
  }
  const programCommittee = flags['no-program-committee']
    ? false
    : await askYesNo(prompter, say, 'Is there a program committee table?', true);
  if (!complete(raw)) throw new Error('a required answer is missing');
  return assemble(raw, programCommittee);
}
