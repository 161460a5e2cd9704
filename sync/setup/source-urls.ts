/**
 * The sources in the forms organizers have them, read into what the config needs: the Airtable base from the
 * address bar (`https://airtable.com/appXXX/tblYYY/viwZZZ?…`) or its id; the Google Sheet from its edit link, the
 * `pubhtml` link an iframe embeds, a CSV link, or its id. Anything else — another host, `javascript:`, a shared
 * view the API cannot read — is refused with what to give instead. Parsing never throws.
 */
import { csvLinkOf } from '../sources/published-csv.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** An Airtable base id: `app` and 14 letters or digits. */
const BASE_ID = /^app[A-Za-z0-9]{14}$/;
/** A spreadsheet id as Google writes it in links. */
const SPREADSHEET_ID = /^[A-Za-z0-9_-]{20,100}$/;

const fail = (error: string): Parsed<never> => ({ ok: false, error });

/** The input as an https URL of `host` (or `www.` + host), or a reason it is not one. */
function urlOn(input: string, host: string): Parsed<URL> {
  const text = /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : `https://${input}`;
  if (!URL.canParse(text)) return fail(`${JSON.stringify(input)} is not a link`);
  const url = new URL(text);
  if (url.protocol !== 'https:') return fail(`only an https:// link of ${host} is accepted, not a ${url.protocol} link`);
  if (url.hostname !== host && url.hostname !== `www.${host}`) return fail(`the link is on ${url.hostname}, not on ${host}`);
  if (url.username || url.password) return fail('the link must not hold a user name or password');
  return { ok: true, value: url };
}

const SHARED_VIEW =
  'shared views (shr…) cannot be read by the API. Open the base itself in Airtable and copy the address from the ' +
  "browser's bar (https://airtable.com/app…/tbl…/viw…), or give the base id (app…, in the API documentation at " +
  'https://airtable.com/developers/web/api/introduction when you pick the base)';

/** The base id from `appXXXXXXXXXXXXXX` or any link into the base (a table, a view, a record, an interface). */
export function parseAirtableBase(raw: string): Parsed<{ baseId: string }> {
  const input = raw.trim();
  if (input === '') return fail('the Airtable base is empty');
  if (BASE_ID.test(input)) return { ok: true, value: { baseId: input } };
  if (/^shr[A-Za-z0-9]+$/.test(input)) return fail(SHARED_VIEW);
  if (/^app[^./:]*$/.test(input))
    return fail(`${JSON.stringify(input)} is not a base id: a base id is "app" and 14 letters or digits (appXXXXXXXXXXXXXX)`);
  const url = urlOn(input, 'airtable.com');
  if (!url.ok) return fail(`${url.error}: give the base's address (https://airtable.com/app…) or its id (app…)`);
  const [first, second] = url.value.pathname.split('/').filter(Boolean);
  if (first?.startsWith('shr') || second?.startsWith('shr')) return fail(SHARED_VIEW);
  if (first === undefined || !BASE_ID.test(first)) {
    return fail(`the link ${url.value.origin}${url.value.pathname} does not name a base: it must start with https://airtable.com/app…`);
  }
  return { ok: true, value: { baseId: first } };
}

/** The Google Sheet, read through the Sheets API (any tab, every table) or as one tab published to the web as CSV. */
export type SheetSource =
  | { kind: 'google-sheets'; spreadsheetId: string }
  /** `url`: the tab's CSV link; `note`: what was made of the link given, to tell the organizer. */
  | { kind: 'published-csv'; url: string; note?: string };

/** `/spreadsheets/d/{id}…` (an edit, view or copy link), with `/u/1/` when signed in to several accounts. */
const SHEET_PATH = /^\/spreadsheets(?:\/u\/\d+)?\/d\/([^/]+)(?:\/.*)?$/;
/** `/spreadsheets/d/e/{pubId}/pubhtml…` or `/pub…`, or the legacy `/spreadsheets/d/{id}/pub…`. */
const PUBLISHED_PATH = /^\/spreadsheets\/d\/(?:e\/)?[^/]+\/(pubhtml|pub)(?:\/sheet)?$/;

/** The sheet from an edit link, a published link (web page or CSV), or a bare spreadsheet id. */
export function parseSheet(raw: string): Parsed<SheetSource> {
  const input = raw.trim();
  if (input === '') return fail('the Google Sheet is empty');
  if (SPREADSHEET_ID.test(input)) return { ok: true, value: { kind: 'google-sheets', spreadsheetId: input } };
  const url = urlOn(input, 'docs.google.com');
  if (!url.ok) return fail(`${url.error}: give the sheet's link (https://docs.google.com/spreadsheets/d/…) or its id`);
  const { pathname, searchParams } = url.value;
  const published = PUBLISHED_PATH.exec(pathname);
  if (published) {
    const clean = `${url.value.origin}${pathname}${url.value.search}`;
    if (published[1] === 'pub' && searchParams.get('output') === 'csv') return { ok: true, value: { kind: 'published-csv', url: clean } };
    const csv = csvLinkOf(clean);
    const gid = searchParams.get('gid');
    const tab = gid ? `the tab of that link (gid=${gid})` : 'the first tab, as the link names none';
    return {
      ok: true,
      value: {
        kind: 'published-csv',
        url: csv,
        note: `The published link becomes its CSV link ${csv}: the schedule is read from ${tab}, without credentials.`,
      },
    };
  }
  const id = SHEET_PATH.exec(pathname)?.[1];
  if (id === undefined || id === 'e' || !SPREADSHEET_ID.test(id)) {
    return fail(
      `the link ${url.value.origin}${pathname} is not a spreadsheet's: copy it from the sheet's address bar (…/spreadsheets/d/…/edit)`,
    );
  }
  return { ok: true, value: { kind: 'google-sheets', spreadsheetId: id } };
}
