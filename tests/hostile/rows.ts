/**
 * The hostile rows: generated cells for every table of the template (Organizers, Speakers, Papers and Program
 * Committee in Airtable, the Schedule tab in Google Sheets), each with what the sync must do with it.
 *
 * - `refused`: a bad row. The sync must name it (source › table › record id or row N › column): by default it is left
 *   out with a warning, with `onInvalidRow: 'fail'` it is an error. Its `marker` must then appear in no published file.
 * - `dropped`: reported with a warning at its location (never an error) and not published, e.g. a repeated Paper ID.
 * - `warned`: the row is published (less what is wrong with it) with a warning at its location, e.g. a cell whose
 *   shape an optional field cannot show (a checkbox, an object, a file) or an invalid value in an optional field (an
 *   unsafe link, an Order that is not whole, a 10 MB bio, a control character): one bad cell costs that cell, not the row.
 * - `published`: hostile but valid (XSS payloads in text, odd but readable types): published, and `match` says what
 *   its entry must hold, verbatim.
 */
import { readFileSync } from 'node:fs';
import { splitNames } from '../../sync/map/parse.ts';
import { DEFAULT_TEMPLATE } from '../../sync/template.ts';
import { BAD_URLS, BIDI_OVERRIDES, CONTROL_CHARACTERS, hugeString, MARKDOWN_XSS, OWASP_XSS, SCRIPTED_SVG } from './payloads.ts';

export type TableKey = 'organizers' | 'speakers' | 'papers' | 'programCommittee' | 'schedule';
type Collection = 'people' | 'papers' | 'schedule';

type Expectation =
  | { outcome: 'refused'; column: string }
  | { outcome: 'dropped'; column: string }
  | { outcome: 'warned'; column: string; collection: Collection; match: Record<string, unknown> }
  | { outcome: 'published'; collection: Collection; match: Record<string, unknown> };

export interface HostileRow {
  /** What the row tries, for failure messages. */
  label: string;
  table: TableKey;
  /** Cells by column name, as the API returns them (Schedule: strings). `undefined` leaves a cell empty. */
  cells: Record<string, unknown>;
  expect: Expectation;
  /** A unique text in one of the row's valid cells: a refused row's marker must appear in no published file. */
  marker: string;
}

const A = DEFAULT_TEMPLATE;
const S = DEFAULT_TEMPLATE.schedule.columns;
const O = A.organizers.columns;
const SP = A.speakers.columns;
const P = A.papers.columns;
const PC = A.programCommittee.columns;

/** The demo's photos: real JPEGs. */
const JPEG = readFileSync(new URL('../../dev/demo/photos/alex-example.jpg', import.meta.url));
const JPEG_2 = readFileSync(new URL('../../dev/demo/photos/sam-sample.jpg', import.meta.url));

/** A photo field that must be a mirrored file, `./photos/<letters and digits>-<size>.<ext>`. */
export const MIRRORED = Symbol('a mirrored photo');
/** A field that must be absent. */
export const ABSENT = Symbol('absent');

/** The collection a table's rows are published in. */
const COLLECTION_OF: Record<TableKey, Collection> = {
  organizers: 'people',
  speakers: 'people',
  papers: 'papers',
  programCommittee: 'people',
  schedule: 'schedule',
};

const KINDS = ['Keynote', 'Invited', 'Panelist'] as const;
const ROLE_OF: Record<(typeof KINDS)[number], string> = { Keynote: 'keynote', Invited: 'invited', Panelist: 'panelist' };

/**
 * Every hostile row, in a fixed order. `unique` (e.g. a random suffix) goes into the attachment file names that
 * try to escape the photos folder, so that the test can check that no such file appeared.
 */
export function hostileRows(unique: string): HostileRow[] {
  const rows: HostileRow[] = [];
  let n = 0;
  const nextMarker = () => `hx${String(++n).padStart(3, '0')}q`;

  /**
   * Valid cells of a row with one bad cell, with its marker in a text cell other than the bad one; `prefix` starts
   * the row's name or title.
   */
  const defaults = (table: TableKey, marker: string, bad: string, prefix = 'Refused'): Record<string, unknown> => {
    switch (table) {
      case 'organizers':
        return { [O.name]: `${prefix} ${marker}`, [bad === O.affiliation ? O.position : O.affiliation]: marker };
      case 'speakers':
        return { [SP.name]: `${prefix} ${marker}`, [SP.kind]: 'Invited', [bad === SP.affiliation ? SP.talkTitle : SP.affiliation]: marker };
      case 'papers':
        return {
          [P.id]: 5000 + n,
          [P.title]: `${prefix} ${marker}`,
          [P.authors]: 'Ada Lovelace',
          [P.status]: 'Accepted',
          [bad === P.award ? P.abstract : P.award]: marker,
        };
      case 'programCommittee':
        return bad === PC.name ? { [PC.affiliation]: marker } : { [PC.name]: `${prefix} ${marker}` };
      case 'schedule': {
        const minute = n % 60;
        const mm = String(minute).padStart(2, '0');
        return {
          [S.date]: '7/19/2024',
          [S.start]: `8:${mm} AM`,
          [S.end]: `9:${mm} AM`,
          [S.title]: `${prefix} ${marker}`,
          ...(bad === S.room ? {} : { [S.room]: marker }),
        };
      }
    }
  };

  /** What `defaults` publishes: the fields that find the row's entry (its marker among them). */
  const defaultFields = (table: TableKey, marker: string, bad: string, prefix: string): Record<string, unknown> => {
    switch (table) {
      case 'organizers':
        return { name: `${prefix} ${marker}`, role: 'organizer', [bad === O.affiliation ? 'position' : 'affiliation']: marker };
      case 'speakers':
        return { name: `${prefix} ${marker}`, role: 'invited', [bad === SP.affiliation ? 'talkTitle' : 'affiliation']: marker };
      case 'papers':
        return {
          id: String(5000 + n),
          title: `${prefix} ${marker}`,
          authors: ['Ada Lovelace'],
          [bad === P.award ? 'abstract' : 'award']: marker,
        };
      case 'programCommittee':
        return bad === PC.name
          ? { affiliation: marker, role: 'program-committee' }
          : { name: `${prefix} ${marker}`, role: 'program-committee' };
      case 'schedule':
        return { title: `${prefix} ${marker}`, ...(bad === S.room ? {} : { room: marker }) };
    }
  };

  /** A bad row: `cells` over valid defaults; the sync must report an error at `column`. */
  const refused = (table: TableKey, label: string, column: string, cells: Record<string, unknown>) => {
    const marker = nextMarker();
    rows.push({ label, table, cells: { ...defaults(table, marker, column), ...cells }, expect: { outcome: 'refused', column }, marker });
  };
  const published = (
    table: TableKey,
    label: string,
    cells: Record<string, unknown>,
    collection: Collection,
    match: Record<string, unknown>,
  ) => {
    rows.push({ label, table, cells, expect: { outcome: 'published', collection, match }, marker: nextMarker() });
  };
  const warned = (
    table: TableKey,
    label: string,
    column: string,
    cells: Record<string, unknown>,
    collection: Collection,
    match: Record<string, unknown>,
  ) => {
    rows.push({ label, table, cells, expect: { outcome: 'warned', column, collection, match }, marker: nextMarker() });
  };
  /**
   * A row with one cell an optional field cannot show or refuses (its shape or its value): `cells` over valid
   * defaults. The row must be published with `fields` over the defaults' fields (`ABSENT` for the field left out) and
   * a warning at `column`.
   */
  const leftOut = (table: TableKey, label: string, column: string, cells: Record<string, unknown>, fields: Record<string, unknown>) => {
    const marker = nextMarker();
    rows.push({
      label,
      table,
      cells: { ...defaults(table, marker, column, 'Kept'), ...cells },
      expect: {
        outcome: 'warned',
        column,
        collection: COLLECTION_OF[table],
        match: { ...defaultFields(table, marker, column, 'Kept'), ...fields },
      },
      marker,
    });
  };

  // ── XSS filter-evasion payloads in every text column of every table: published as inert text ──
  OWASP_XSS.forEach((payload, i) => {
    const text = payload.trim();
    const markdown = `${payload}\n\n${MARKDOWN_XSS[i % MARKDOWN_XSS.length]!}`;
    published('organizers', `XSS ${i}`, { [O.name]: payload, [O.affiliation]: payload, [O.position]: payload }, 'people', {
      name: text,
      affiliation: text,
      position: text,
      role: 'organizer',
    });
    const kind = KINDS[i % KINDS.length]!;
    published(
      'speakers',
      `XSS ${i}`,
      {
        [SP.name]: payload,
        [SP.affiliation]: payload,
        [SP.kind]: kind,
        [SP.talkTitle]: payload,
        [SP.abstract]: markdown,
        [SP.bio]: markdown,
      },
      'people',
      { name: text, affiliation: text, role: ROLE_OF[kind], talkTitle: text, abstract: markdown.trim(), bio: markdown.trim() },
    );
    // Authors: the payload as one author when the cell's list syntax keeps it whole, else as a list cell.
    const whole = splitNames(`Ada Lovelace and ${payload}`);
    const asText = whole.length === 2 && whole[1] === text;
    published(
      'papers',
      `XSS ${i}`,
      {
        [P.id]: 1000 + i,
        [P.title]: payload,
        [P.authors]: asText ? `Ada Lovelace and ${payload}` : ['Ada Lovelace', payload],
        [P.abstract]: markdown,
        [P.award]: payload,
        [P.status]: 'Accepted',
        [P.pdf]: `https://example.org/papers/${1000 + i}.pdf`,
      },
      'papers',
      { id: String(1000 + i), title: text, authors: ['Ada Lovelace', text], abstract: markdown.trim(), award: text },
    );
    published('programCommittee', `XSS ${i}`, { [PC.name]: payload, [PC.affiliation]: payload }, 'people', {
      name: text,
      affiliation: text,
      role: 'program-committee',
    });
    const start = 18 * 60 + 5 * i;
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    published(
      'schedule',
      `XSS ${i}`,
      { [S.date]: '7/18/2024', [S.start]: hhmm(start), [S.end]: hhmm(start + 5), [S.title]: payload, [S.kind]: 'Paper', [S.room]: payload },
      'schedule',
      {
        title: text,
        room: text,
        start: `2024-07-18T${hhmm(start)}`,
        end: `2024-07-18T${hhmm(start + 5)}`,
      },
    );
  });

  // ── javascript:, data: and vbscript: links, obfuscated, in every URL column ──
  // A link is optional: an unsafe or malformed one, a checkbox, a number or a 10 MB link is left out with a warning and
  // the row published without it (a paper with no links at all).
  const urlColumns: [TableKey, string, Record<string, unknown>][] = [
    ['organizers', O.homepage, { homepage: ABSENT }],
    ['speakers', SP.homepage, { homepage: ABSENT }],
    ['papers', P.pdf, { links: {} }],
    ['papers', P.arxiv, { links: {} }],
    ['papers', P.code, { links: {} }],
  ];
  for (const [table, column, noLink] of urlColumns) {
    for (const url of BAD_URLS) leftOut(table, `link ${JSON.stringify(url)}`, column, { [column]: url }, noLink);
    leftOut(table, 'a number as a link', column, { [column]: 42 }, noLink);
    leftOut(table, 'a checkbox as a link', column, { [column]: true }, noLink);
    leftOut(table, 'a 10 MB link', column, { [column]: `https://example.org/${hugeString(10 * 1024 * 1024, 'a')}` }, noLink);
  }
  // An http(s) link that tries to break out of its attribute: published, escaped.
  const breakout = 'https://example.org/x"onmouseover="alert(1)"y=\'';
  published('organizers', 'an attribute breakout in a link', { [O.name]: 'Link Breakout', [O.homepage]: breakout }, 'people', {
    name: 'Link Breakout',
    homepage: breakout,
  });

  // ── Wrong types where text, numbers or choices are expected ──
  // A value with no text to show is left out of an optional field (with a warning) and refused in a required one.
  // The list of objects is a collaborator and an object of no known type: the collaborator's name is shown (never
  // its id), the other object left out with a warning, in every field.
  const collaborators = [{ id: 'usr1', name: 'Ada' }, { x: 1 }];
  const wrongText: [string, unknown][] = [
    ['an object', { first: 'Ada', last: 'Lovelace' }],
    ['a checkbox', true],
    ['a list of objects', collaborators],
    ['an attachment', [{ id: 'attX', url: 'https://example.org/a.jpg', filename: 'a.jpg' }]],
  ];
  for (const [what, value] of wrongText) {
    const shown = value === collaborators ? 'Ada' : ABSENT;
    if (shown === ABSENT) refused('organizers', `${what} as Name`, O.name, { [O.name]: value });
    else leftOut('organizers', `${what} as Name`, O.name, { [O.name]: value }, { name: shown });
    leftOut('organizers', `${what} as Role`, O.position, { [O.position]: value }, { position: shown });
    leftOut('speakers', `${what} as Talk Title`, SP.talkTitle, { [SP.talkTitle]: value }, { talkTitle: shown });
    leftOut('speakers', `${what} as Bio`, SP.bio, { [SP.bio]: value }, { bio: shown });
    if (shown === ABSENT) refused('papers', `${what} as Title`, P.title, { [P.title]: value });
    else leftOut('papers', `${what} as Title`, P.title, { [P.title]: value }, { title: shown });
    leftOut('papers', `${what} as Abstract`, P.abstract, { [P.abstract]: value }, { abstract: shown });
    leftOut('programCommittee', `${what} as Affiliation`, PC.affiliation, { [PC.affiliation]: value }, { affiliation: shown });
  }
  refused('speakers', 'a number as Kind', SP.kind, { [SP.kind]: 7 });
  refused('speakers', 'an object as Kind', SP.kind, { [SP.kind]: { name: 'Keynote' } });
  refused('speakers', 'an unknown Kind', SP.kind, { [SP.kind]: 'Wizard' });
  // Presentation is optional: a value that is not one of its kinds is left out.
  leftOut('papers', 'an unknown Presentation', P.presentation, { [P.presentation]: 'Keynote' }, { presentation: ABSENT });
  leftOut('papers', 'a number as Presentation', P.presentation, { [P.presentation]: 5 }, { presentation: ABSENT });
  refused('papers', 'an object as Paper ID', P.id, { [P.id]: { value: 12 } });
  refused('papers', 'a checkbox as Paper ID', P.id, { [P.id]: true });
  refused('papers', 'a negative Paper ID', P.id, { [P.id]: -3 });
  refused('papers', 'a path as Paper ID', P.id, { [P.id]: '../../../etc/passwd' });
  refused('papers', 'a Paper ID with a space', P.id, { [P.id]: 'a b' });
  refused('papers', 'a 101-character Paper ID', P.id, { [P.id]: '1'.repeat(101) });
  refused('papers', 'a 10 MB Paper ID', P.id, { [P.id]: '7'.repeat(10 * 1024 * 1024) });
  refused('papers', 'a list of objects as Authors', P.authors, { [P.authors]: [{ name: 'Ada' }] });
  refused('papers', 'an empty name in Authors', P.authors, { [P.authors]: 'Ada Lovelace,, Alan Turing' });
  // An Order that is not a whole number, or no number to read at all: the person is published unordered.
  for (const [what, value] of [
    ['text', 'first'],
    ['a fraction', 2.5],
    ['a number past 2^53', 1e21],
    ['a checkbox', true],
    ['an object', { n: 1 }],
  ] as const) {
    leftOut('organizers', `${what} as Order`, O.order, { [O.order]: value }, { order: ABSENT });
    leftOut('speakers', `${what} as Order`, SP.order, { [SP.order]: value }, { order: ABSENT });
  }
  for (const [what, value] of [
    ['text', 'photo.jpg'],
    ['a number', 42],
    ['an attachment without a URL', [{ filename: 'x.jpg' }]],
  ] as const) {
    leftOut('organizers', `${what} as Photo`, O.photo, { [O.photo]: value }, { photo: ABSENT });
  }

  // Readable though unusual: numbers as text, lists (lookups, multiple selects) as text or as their first item.
  published('organizers', 'a number as Name', { [O.name]: 12345, [O.affiliation]: 'Numbers Inc.' }, 'people', {
    name: '12345',
    role: 'organizer',
  });
  // One value is read: the first, with a warning naming the one left out.
  warned('organizers', 'a list as Name (first item)', O.name, { [O.name]: ['Grace Hopper', 'Alan Turing'] }, 'people', {
    name: 'Grace Hopper',
    role: 'organizer',
  });
  published(
    'organizers',
    'a list as Affiliation (joined)',
    { [O.name]: 'Listed Affiliations', [O.affiliation]: ['Univ A', 'Univ B'] },
    'people',
    { name: 'Listed Affiliations', affiliation: 'Univ A, Univ B' },
  );
  published('organizers', 'numeric text as Order', { [O.name]: 'Ordered By Text', [O.order]: ' 3 ' }, 'people', {
    name: 'Ordered By Text',
    order: 3,
  });
  published('speakers', 'a list as Kind', { [SP.name]: 'Listed Kind', [SP.kind]: ['Keynote'] }, 'people', {
    name: 'Listed Kind',
    role: 'keynote',
  });
  published('speakers', 'a number as Abstract', { [SP.name]: 'Numeric Abstract', [SP.kind]: 'Invited', [SP.abstract]: 42 }, 'people', {
    name: 'Numeric Abstract',
    abstract: '42',
  });
  published(
    'papers',
    'a number as Title',
    { [P.id]: 1200, [P.title]: 12345, [P.authors]: 'Ada Lovelace', [P.status]: 'Accepted' },
    'papers',
    { id: '1200', title: '12345' },
  );
  published(
    'papers',
    'a list of texts and numbers as Authors',
    { [P.id]: 1201, [P.title]: 'Mixed Authors', [P.authors]: ['Ada Lovelace', 7], [P.status]: 'Accepted' },
    'papers',
    { id: '1201', authors: ['Ada Lovelace', '7'] },
  );
  published(
    'papers',
    'a list as Status and Presentation',
    { [P.id]: 1202, [P.title]: 'Listed Status', [P.authors]: 'Ada Lovelace', [P.status]: ['Accepted'], [P.presentation]: ['Poster'] },
    'papers',
    { id: '1202', presentation: 'poster' },
  );
  published('programCommittee', 'a number as Name', { [PC.name]: 7, [PC.affiliation]: 'Seven University' }, 'people', {
    name: '7',
    role: 'program-committee',
  });

  // ── Empty required cells (the row has other cells, so it is not a blank row) ──
  refused('organizers', 'no Name', O.name, { [O.name]: undefined });
  refused('organizers', 'a blank Name', O.name, { [O.name]: '   ' });
  refused('organizers', 'an invisible Name', O.name, { [O.name]: '\u200B\u200E\u2060' });
  refused('speakers', 'no Name', SP.name, { [SP.name]: undefined });
  refused('speakers', 'no Kind', SP.kind, { [SP.kind]: undefined });
  refused('papers', 'no Paper ID', P.id, { [P.id]: undefined });
  refused('papers', 'no Title', P.title, { [P.title]: undefined });
  refused('papers', 'no Authors', P.authors, { [P.authors]: undefined });
  refused('papers', 'an empty list as Authors', P.authors, { [P.authors]: [] });
  refused('programCommittee', 'no Name', PC.name, {});
  refused('schedule', 'no Date', S.date, { [S.date]: undefined });
  refused('schedule', 'no Start', S.start, { [S.start]: undefined });
  refused('schedule', 'no End', S.end, { [S.end]: undefined });
  refused('schedule', 'no Title', S.title, { [S.title]: undefined });

  // ── Text where dates and times are expected (a serial number such as 45491, or a date with a time, is a date) ──
  for (const date of ['tomorrow', '2024-02-30', '13/45/2024', '18', '3000000', '2024-07-18T25:00', '7/18'])
    refused('schedule', `Date ${date}`, S.date, { [S.date]: date });
  for (const time of ['25:00', '9:60 AM', 'noon', '0:00 AM', '9', '9:00 XM'])
    refused('schedule', `Start ${time}`, S.start, { [S.start]: time });
  refused('schedule', 'End before Start', S.end, { [S.start]: '10:00 AM', [S.end]: '9:00 AM' });
  refused('schedule', 'End at Start', S.end, { [S.start]: '10:00 AM', [S.end]: '10:00 AM' });

  // ── 10 MB strings in text and markdown columns: the row refused in a required field, the cell left out in another ──
  const huge = hugeString();
  refused('organizers', 'a 10 MB Name', O.name, { [O.name]: huge });
  leftOut('speakers', 'a 10 MB Bio', SP.bio, { [SP.bio]: huge }, { bio: ABSENT });
  leftOut('speakers', 'a 10 MB Talk Title', SP.talkTitle, { [SP.talkTitle]: huge }, { talkTitle: ABSENT });
  refused('papers', 'a 10 MB Title', P.title, { [P.title]: huge });
  leftOut('papers', 'a 10 MB Abstract', P.abstract, { [P.abstract]: huge }, { abstract: ABSENT });
  refused('papers', 'a 10 MB Authors', P.authors, { [P.authors]: huge });
  leftOut('programCommittee', 'a 10 MB Affiliation', PC.affiliation, { [PC.affiliation]: huge }, { affiliation: ABSENT });
  refused('schedule', 'a 10 MB Title', S.title, { [S.title]: huge });
  leftOut('schedule', 'a 10 MB Room', S.room, { [S.room]: huge }, { room: ABSENT });
  leftOut('schedule', 'a 10 MB Speaker', S.speaker, { [S.speaker]: huge }, { speakers: [] });
  // Without its Kind a slot is of the kind "other".
  leftOut('schedule', 'a 10 MB Kind', S.kind, { [S.kind]: huge }, { kind: 'other' });
  leftOut('schedule', 'a 10 MB Paper ID', S.paper, { [S.paper]: huge }, { paper: ABSENT });
  refused('papers', 'a 1,001-character Title', P.title, { [P.title]: 'T'.repeat(1001) });

  // ── Control characters and bidirectional overrides: the row refused in a required field, the cell left out in an
  // optional one (its field, the one that must be absent) ──
  CONTROL_CHARACTERS.forEach(({ name, char }, i) => {
    const text = `Before ${char} after`;
    const [table, column, optional] = (
      [
        ['organizers', O.name, undefined],
        ['speakers', SP.talkTitle, 'talkTitle'],
        ['papers', P.title, undefined],
        ['papers', P.abstract, 'abstract'],
        ['programCommittee', PC.affiliation, 'affiliation'],
        ['schedule', S.title, undefined],
        ['schedule', S.room, 'room'],
        ['papers', P.authors, undefined],
      ] as const
    )[i % 8]!;
    const label = `${name} in ${column}`;
    if (optional === undefined) refused(table, label, column, { [column]: text });
    else leftOut(table, label, column, { [column]: text }, { [optional]: ABSENT });
    leftOut('speakers', `${name} in Bio`, SP.bio, { [SP.bio]: `Line one\n\n${text}` }, { bio: ABSENT });
  });
  BIDI_OVERRIDES.forEach(({ name, char }) => {
    refused('organizers', `${name} in Name`, O.name, { [O.name]: `Eve ${char}gpj.exe` });
    refused('papers', `${name} in Title`, P.title, { [P.title]: `Invoice ${char}fdp.exe` });
    refused('schedule', `${name} in Title`, S.title, { [S.title]: `Talk ${char}reversed` });
  });
  // Right-to-left and left-to-right marks are how Hebrew and Arabic text is typed: published.
  published(
    'organizers',
    'a right-to-left mark in Name',
    { [O.name]: 'Noa Cohen\u200F', [O.affiliation]: 'אוניברסיטת תל אביב\u200F' },
    'people',
    {
      name: 'Noa Cohen\u200F',
      affiliation: 'אוניברסיטת תל אביב\u200F',
    },
  );
  published('programCommittee', 'a Hebrew name', { [PC.name]: 'נועה כהן', [PC.affiliation]: 'Tel Aviv University' }, 'people', {
    name: 'נועה כהן',
  });

  // ── Photos: file names that climb out of the folder, SVG with a script, an attachment that is not one ──
  const attachment = (filename: string, type: string, data: Buffer, id?: string) => [{ filename, type, data, ...(id ? { id } : {}) }];
  published(
    'organizers',
    'a photo named ../../…',
    { [O.name]: 'Dot Dot Slash', [O.photo]: attachment(`../../../../../../tmp/hostile-${unique}.jpg`, 'image/jpeg', JPEG) },
    'people',
    { name: 'Dot Dot Slash', photo: MIRRORED },
  );
  published(
    'organizers',
    'a photo with an absolute path',
    { [O.name]: 'Absolute Path', [O.photo]: attachment(`/tmp/hostile-abs-${unique}.jpg`, 'image/jpeg', JPEG_2) },
    'people',
    { name: 'Absolute Path', photo: MIRRORED },
  );
  published(
    'speakers',
    'a photo named ..\\..\\…',
    { [SP.name]: 'Back Slash', [SP.kind]: 'Invited', [SP.photo]: attachment(`..\\..\\..\\hostile-${unique}.jpg`, 'image/jpeg', JPEG) },
    'people',
    { name: 'Back Slash', photo: MIRRORED },
  );
  warned(
    'speakers',
    'an SVG with a script claimed as JPEG',
    SP.photo,
    { [SP.name]: 'Svg As Jpeg', [SP.kind]: 'Invited', [SP.photo]: attachment('portrait.jpg', 'image/jpeg', SCRIPTED_SVG) },
    'people',
    { name: 'Svg As Jpeg', photo: ABSENT },
  );
  warned(
    'organizers',
    'an SVG with a script as image/svg+xml',
    O.photo,
    { [O.name]: 'Svg As Svg', [O.photo]: attachment('portrait.svg', 'image/svg+xml', SCRIPTED_SVG) },
    'people',
    { name: 'Svg As Svg', photo: ABSENT },
  );
  warned(
    'speakers',
    'a JPEG header over garbage',
    SP.photo,
    {
      [SP.name]: 'Broken Jpeg',
      [SP.kind]: 'Invited',
      [SP.photo]: attachment('broken.jpg', 'image/jpeg', Buffer.concat([JPEG.subarray(0, 3), Buffer.from('<svg onload=alert(1)>')])),
    },
    'people',
    { name: 'Broken Jpeg', photo: ABSENT },
  );
  warned(
    'organizers',
    'a photo at a file: URL',
    O.photo,
    {
      [O.name]: 'File Url',
      [O.photo]: [{ id: 'attFileUrl0000001', filename: 'passwd.jpg', type: 'image/jpeg', size: 10, url: 'file:///etc/passwd' }],
    },
    'people',
    { name: 'File Url', photo: ABSENT },
  );
  published(
    'organizers',
    'an attachment without an id',
    {
      [O.name]: 'No Attachment Id',
      [O.photo]: [{ filename: 'x.jpg', type: 'image/jpeg', url: `data:image/jpeg;base64,${JPEG.toString('base64')}` }],
    },
    'people',
    { name: 'No Attachment Id', photo: MIRRORED },
  );
  published(
    'speakers',
    'an attachment id that is a path',
    {
      [SP.name]: 'Path Attachment Id',
      [SP.kind]: 'Invited',
      [SP.photo]: [
        { id: '../../../../tmp/att', filename: 'x.jpg', type: 'image/jpeg', url: `data:image/jpeg;base64,${JPEG_2.toString('base64')}` },
      ],
    },
    'people',
    { name: 'Path Attachment Id', photo: MIRRORED },
  );

  // ── Duplicates: a Paper ID twice (as a number and as text), one name twice in a table and across tables ──
  published(
    'papers',
    'a Paper ID, first row',
    { [P.id]: 4242, [P.title]: 'First Of Twins', [P.authors]: 'Ada Lovelace', [P.status]: 'Accepted' },
    'papers',
    { id: '4242', title: 'First Of Twins' },
  );
  dropped('papers', 'the same Paper ID, second row', P.id, {
    [P.id]: '4242',
    [P.title]: 'Second Of Twins',
    [P.authors]: 'Ada Lovelace',
    [P.status]: 'Accepted',
  });
  published('speakers', 'a name, first row', { [SP.name]: 'Twin Speaker', [SP.kind]: 'Invited', [SP.affiliation]: 'First' }, 'people', {
    id: 'twin-speaker',
    affiliation: 'First',
  });
  warned(
    'speakers',
    'the same name, second row',
    SP.name,
    { [SP.name]: 'Twin Speaker', [SP.kind]: 'Invited', [SP.affiliation]: 'Second' },
    'people',
    { id: 'twin-speaker-2', affiliation: 'Second' },
  );
  warned(
    'programCommittee',
    "a speaker's name again in Program Committee",
    PC.name,
    { [PC.name]: 'twin speaker', [PC.affiliation]: 'Third' },
    'people',
    { id: 'twin-speaker-3', affiliation: 'Third' },
  );

  // ── References in the schedule that match nothing, and an unknown kind: published, with a warning ──
  warned(
    'schedule',
    'an unknown Kind',
    S.kind,
    {
      [S.date]: '7/19/2024',
      [S.start]: '1:00 PM',
      [S.end]: '1:30 PM',
      [S.title]: 'Unknown Kind Slot',
      [S.kind]: 'Wizardry',
      [S.room]: 'K1',
    },
    'schedule',
    { title: 'Unknown Kind Slot', kind: 'other' },
  );
  warned(
    'schedule',
    'an unknown Speaker',
    S.speaker,
    {
      [S.date]: '7/19/2024',
      [S.start]: '2:00 PM',
      [S.end]: '2:30 PM',
      [S.title]: 'Nobody Slot',
      [S.speaker]: 'Nobody Known',
      [S.room]: 'K2',
    },
    'schedule',
    { title: 'Nobody Slot', speakers: [] },
  );
  warned(
    'schedule',
    'an unknown Paper ID',
    S.paper,
    {
      [S.date]: '7/19/2024',
      [S.start]: '3:00 PM',
      [S.end]: '3:30 PM',
      [S.title]: 'Missing Paper Slot',
      [S.paper]: '999999',
      [S.room]: 'K3',
    },
    'schedule',
    { title: 'Missing Paper Slot', paper: ABSENT },
  );

  return rows;

  /** A row reported with a warning and left out (its marker in Award). */
  function dropped(table: TableKey, label: string, column: string, cells: Record<string, unknown>) {
    const marker = nextMarker();
    rows.push({ label, table, cells: { ...cells, [P.award]: marker }, expect: { outcome: 'dropped', column }, marker });
  }
}

/** The table's name in its source. */
export function tableName(table: TableKey): string {
  return table === 'schedule' ? DEFAULT_TEMPLATE.schedule.table : A[table].table;
}
