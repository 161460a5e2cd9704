/**
 * A deterministic, synthetic workshop for the sync benchmark, as the emulators serve it: an Airtable base with
 * Organizers and Speakers (every person with a JPEG photo of 10–40 KB) and Papers (all accepted, with the private
 * columns a real base has), and a Schedule tab of talks in 4 parallel rooms on the edition's day (2024-07-18, as in
 * content/2024_2/edition.json). Same options, same bytes: a seeded PRNG (mulberry32), never Math.random.
 * With `linkedAuthors`, Authors is a link column instead of text: every cell a list of 2–4 record ids of a People
 * table (its first field, Name, the primary field), the rest of the edition unchanged.
 *
 *   const seed = syncSeed({ papers: 5000, people: 300, schedule: 200 });
 *   const linked = syncSeed({ papers: 5000, people: 300, schedule: 200, linkedAuthors: 2000 });
 *   await startAirtableEmulator({ bases: { [seed.baseId]: seed.tables } });
 */
import type { SeedTable } from '../dev/emulators/airtable/index.ts';
import { mulberry32 } from './generate-edition.ts';

export interface SyncSeedOptions {
  papers: number;
  /** Organizers (one in fifteen) and speakers, all with a photo. */
  people: number;
  /** Schedule rows (plus the header row). */
  schedule: number;
  /** People in a People table that Authors links to (2–4 each); text authors ("A, B and C") without it. */
  linkedAuthors?: number;
  seed?: number;
}

export interface SyncSeed {
  baseId: string;
  tables: Record<string, SeedTable>;
  /** The Schedule tab, header row first, cells as Sheets shows them. */
  scheduleRows: string[][];
  /** Records per Airtable table, for the floor. */
  records: Record<string, number>;
  photoBytes: number;
  /** With `linkedAuthors`: the People table's names, what papers.json must show instead of record ids. */
  linkedNames?: string[];
}

export const BENCH_BASE_ID = 'appBenchSync00001';

const FIRST =
  'Ada Bao Carmen Dmitri Elif Farah Goran Hana Ines Jun Kofi Lena Mateo Nadia Omar Priya Quentin Rosa Sven Tariq Uma Viktor Wen Ximena Yusuf Zofia Aiko Bruno Chloe Darius Esra Felix Greta Hugo Ilse Jonas Keiko Luca Mira Nils'.split(
    ' ',
  );
const LAST =
  'Abara Bergstrom Castellanos Dubois Eriksen Fonseca Gallagher Haddad Ivanova Jorgensen Kowalczyk Lindqvist Moreau Nakamura Okonkwo Petrov Quispe Rahman Schreiber Takahashi Urquhart Valdivia Wojcik Xiong Yamada Zielinski Achterberg Bianchi Chowdhury Delacroix Esposito Fitzgerald Gutierrez Hoffmann Iglesias Jankowski'.split(
    ' ',
  );
const WORDS =
  'personalized language models retrieval user profiles preference alignment evaluation benchmark dataset recommendation dialogue memory adaptation efficient fine-tuning privacy federated learning prompt generation ranking search intent session embeddings feedback reward calibration fairness robustness multilingual summarization agents planning knowledge graphs reasoning long-context compression distillation'.split(
    ' ',
  );
const AFFILIATIONS = [
  'University of Example',
  'Institute of Placeholder Studies',
  'Fictional Labs',
  'Sample Research Center',
  'Demo Polytechnic',
  'Mock AI Lab',
];

/** JPEG-signature bytes (SOI, a JFIF APP0 segment, filler, EOI): what the mirror step sniffs, not a decodable image. */
function jpeg(size: number, random: () => number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]).copy(bytes);
  bytes[size - 2] = 0xff;
  bytes[size - 1] = 0xd9;
  return bytes;
}

/** The People table of linked authors: ids `recPeople00000001`… (deterministic), Name (the primary field) first. */
function peopleTable(count: number, random: () => number): { table: SeedTable; ids: string[]; names: string[] } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ids = Array.from({ length: count }, (_, i) => `recPeople${String(i + 1).padStart(8, '0')}`);
  const names = ids.map(() => `${pick(FIRST)} ${String.fromCharCode(65 + Math.floor(random() * 26))}. ${pick(LAST)}`);
  const records = ids.map((id, i) => ({ id, fields: { Name: names[i]!, Affiliation: pick(AFFILIATIONS) } }));
  return { table: { id: 'tblBenchPeople001', fields: ['Name', 'Affiliation'], records }, ids, names };
}

/** 2–4 distinct record ids of `ids`: one Authors link cell. */
function linkCell(ids: readonly string[], random: () => number): string[] {
  const cell = new Set<string>();
  const size = 2 + Math.floor(random() * 3);
  while (cell.size < size) cell.add(ids[Math.floor(random() * ids.length)]!);
  return [...cell];
}

export function syncSeed({ papers, people, schedule, linkedAuthors, seed = 5 }: SyncSeedOptions): SyncSeed {
  const random = mulberry32(seed);
  // Its own PRNG, so that the rest of the edition is the same bytes with text or linked authors.
  const linkRandom = mulberry32(seed + 1);
  const linked = linkedAuthors ? peopleTable(linkedAuthors, linkRandom) : undefined;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (n: number) => {
    const text = words(n);
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };

  const names: string[] = [];
  for (const first of FIRST) for (const last of LAST) names.push(`${first} ${last}`);
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j]!, names[i]!];
  }
  if (people > names.length) throw new RangeError(`at most ${names.length} people`);

  let photoBytes = 0;
  const photo = (name: string) => {
    const data = jpeg(10_240 + Math.floor(random() * 30_720), random);
    photoBytes += data.length;
    return [{ filename: `${name.toLowerCase().replace(/ /g, '-')}.jpg`, type: 'image/jpeg', data, width: 480, height: 480 }];
  };
  const organizerCount = Math.max(1, Math.round(people / 15));
  const organizers = names.slice(0, organizerCount).map((name, i) => ({
    fields: {
      Name: name,
      Affiliation: pick(AFFILIATIONS),
      Role: i === 0 ? 'General Chair' : 'Program Chair',
      Photo: photo(name),
      Homepage: `https://example.org/people/${i + 1}`,
      Email: `organizer-${i + 1}@example.org`,
      Order: i + 1,
    },
  }));
  const speakerNames = names.slice(organizerCount, people);
  const speakers = speakerNames.map((name, i) => ({
    fields: {
      Name: name,
      Affiliation: pick(AFFILIATIONS),
      Kind: i < 10 ? 'Keynote' : i % 3 === 0 ? 'Panelist' : 'Invited',
      'Talk Title': sentence(6),
      Abstract: sentence(60),
      Bio: sentence(40),
      Photo: photo(name),
      Homepage: `https://example.org/speakers/${i + 1}`,
      Email: `speaker-${i + 1}@example.org`,
      Order: i + 1,
    },
  }));
  const titles: string[] = [];
  const paperRecords = Array.from({ length: papers }, (_, i) => {
    const title = sentence(9).replace(/\.$/, '');
    titles.push(title);
    const authors = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(FIRST) + ' ' + pick(LAST));
    return {
      fields: {
        'Paper ID': i + 1,
        Title: title,
        Authors: linked ? linkCell(linked.ids, linkRandom) : `${authors.slice(0, -1).join(', ')} and ${authors.at(-1)}`,
        Abstract: `${sentence(70)} ${sentence(70)}`,
        PDF: `https://example.org/papers/${i + 1}.pdf`,
        ...(random() < 0.5 ? { arXiv: `https://arxiv.org/abs/2402.${String(10000 + i).slice(-5)}` } : {}),
        ...(random() < 0.3 ? { Code: `https://github.com/example/paper-${i + 1}` } : {}),
        Status: 'Accepted',
        ...(random() < 0.01 ? { Award: 'Best Paper' } : {}),
        Presentation: pick(['Oral', 'Poster', 'Lightning']),
        Score: Math.round(random() * 50) / 10,
        'Reviewer notes': `${sentence(20)} (private)`,
      },
    };
  });

  // 4 rooms, 10-minute talks from 8:00: a paper talk, every fifth slot an invited talk by a speaker.
  const time = (minutes: number) => {
    const h = Math.floor(minutes / 60);
    return `${((h + 11) % 12) + 1}:${String(minutes % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  };
  const scheduleRows: string[][] = [['Date', 'Start', 'End', 'Title', 'Kind', 'Speaker', 'Paper ID', 'Room']];
  for (let i = 0; i < schedule; i++) {
    const start = 8 * 60 + Math.floor(i / 4) * 10;
    const room = `Room ${(i % 4) + 1}`;
    const speaker = speakerNames[i % Math.max(1, speakerNames.length)];
    if (i % 5 === 4 && speaker)
      scheduleRows.push(['7/18/2024', time(start), time(start + 10), `Invited talk by ${speaker}`, 'Invited Talk', speaker, '', room]);
    else {
      const paper = i % papers;
      scheduleRows.push([
        '7/18/2024',
        time(start),
        time(start + 10),
        `Paper talk - ${titles[paper]}`,
        'Paper',
        '',
        String(paper + 1),
        room,
      ]);
    }
  }

  const table = (fields: string[], records: { fields: Record<string, unknown> }[]): SeedTable => ({ fields, records });
  return {
    baseId: BENCH_BASE_ID,
    tables: {
      Organizers: table(['Name', 'Affiliation', 'Role', 'Photo', 'Homepage', 'Email', 'Order'], organizers),
      Speakers: table(['Name', 'Affiliation', 'Kind', 'Talk Title', 'Abstract', 'Bio', 'Photo', 'Homepage', 'Email', 'Order'], speakers),
      Papers: table(
        ['Paper ID', 'Title', 'Authors', 'Abstract', 'PDF', 'arXiv', 'Code', 'Status', 'Award', 'Presentation', 'Score', 'Reviewer notes'],
        paperRecords,
      ),
      ...(linked ? { People: linked.table } : {}),
    },
    scheduleRows,
    records: {
      Organizers: organizers.length,
      Speakers: speakers.length,
      Papers: paperRecords.length,
      ...(linked ? { People: linked.names.length } : {}),
    },
    photoBytes,
    ...(linked ? { linkedNames: linked.names } : {}),
  };
}
