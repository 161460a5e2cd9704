/**
 * Checks benchmark (issue #12, item 4): how many warning lines a sync prints, and how long the checks across tables
 * take, on the synthetic edition of bench/sync-seed.ts mapped in memory (no emulators, no network).
 *
 *   npm run bench:checks [-- --papers 5000 --people 300 --organizers 131 --runs 20]
 *
 * - warning lines: the seed's papers and schedule with `--organizers` organizers named "Holdout Organizer 1…N" (one
 *   affiliation), every problem the mapping and the checks give, printed as the CLI prints them (warning-groups.ts).
 *   Goal: at most 20.
 * - time: the checks across tables (duplicate ids, runChecks) for `--people` people and `--papers` papers, median of
 *   `--runs` runs after one warm-up. Goal: under 100 ms.
 */
import { parseArgs } from 'node:util';
import { checkDuplicateIds } from '../sync/checks/duplicates.ts';
import { runChecks } from '../sync/checks/index.ts';
import { checkMojibake } from '../sync/checks/mojibake.ts';
import { createEditionMapper, type MappedEdition } from '../sync/map/edition.ts';
import { reportedProblem } from '../sync/problem-links.ts';
import { formatProblem, type Problem } from '../sync/problems.ts';
import type { SourceRow } from '../sync/sources/types.ts';
import { DEFAULT_TEMPLATE, TABLE_KEYS, type TableKey } from '../sync/template.ts';
import { groupWarnings } from '../sync/warning-groups.ts';
import { syncSeed } from './sync-seed.ts';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '5000' },
    people: { type: 'string', default: '300' },
    organizers: { type: 'string', default: '131' },
    runs: { type: 'string', default: '20' },
  },
});
const papers = Number(values.papers);
const people = Number(values.people);
const organizers = Number(values.organizers);
const runs = Number(values.runs);

type Rows = Record<TableKey, SourceRow[]>;

/** The seed's Airtable records and Schedule tab as the sources give rows (photos as attachment references). */
function seedRows(): Rows {
  const seed = syncSeed({ papers, people, schedule: 200 });
  const table = (name: string, key: string): SourceRow[] =>
    (seed.tables[name]?.records ?? []).map((record, i) => {
      const fields: Record<string, unknown> = { ...record.fields };
      const photo = fields['Photo'] as { filename: string; data: Uint8Array; type: string }[] | undefined;
      if (photo)
        fields['Photo'] = photo.map((p) => ({
          id: `att${key}${i}`,
          url: `https://example.invalid/${p.filename}`,
          filename: p.filename,
          size: p.data.length,
          type: p.type,
        }));
      return { source: 'Airtable', table: name, where: { recordId: `rec${key}${String(i).padStart(12, '0')}` }, fields };
    });
  const [header, ...cells] = seed.scheduleRows;
  return {
    speakers: table('Speakers', 'S'),
    organizers: table('Organizers', 'O'),
    programCommittee: [],
    papers: table('Papers', 'P'),
    schedule: cells.map((row, i) => ({
      source: 'Google Sheets',
      table: 'Schedule',
      where: { row: i + 2 },
      fields: Object.fromEntries(header!.map((column, c) => [column, row[c] ?? ''])),
    })),
  };
}

/** The tables mapped as the sync maps them, with the mapping's problems and garbled text (pipeline.ts, steps 2–4). */
function mapRows(rows: Rows): { edition: MappedEdition; problems: Problem[] } {
  const mapper = createEditionMapper(DEFAULT_TEMPLATE);
  const garbled: Problem[] = [];
  for (const key of TABLE_KEYS) {
    const published = mapper.add(key, rows[key]);
    garbled.push(...checkMojibake(published, Object.values<string>(DEFAULT_TEMPLATE[key].columns)));
  }
  const edition = mapper.finish();
  return { edition, problems: [...TABLE_KEYS.flatMap((key) => edition.problems[key]), ...garbled] };
}

const checks = (edition: MappedEdition): Problem[] => [
  ...checkDuplicateIds(edition.papers, DEFAULT_TEMPLATE.papers.columns.id),
  ...runChecks(edition, DEFAULT_TEMPLATE),
];

// Warning lines against a base of numbered organizers.
const base = seedRows();
const holdout: Rows = {
  ...base,
  organizers: Array.from({ length: organizers }, (_, n) => ({
    source: 'Airtable',
    table: 'Organizers',
    where: { recordId: `recOrg${String(n).padStart(11, '0')}` },
    fields: { Name: `Holdout Organizer ${n + 1}`, Affiliation: 'Holdout University' },
  })),
};
const mapped = mapRows(holdout);
const problems = [...mapped.problems, ...checks(mapped.edition)];
const warnings = problems.filter((p) => p.severity === 'warning');
const report = { warnings: warnings.map(formatProblem), problems: warnings.map((p) => reportedProblem(p)) };
const shown = groupWarnings(report);
console.log(`## Warnings: ${organizers} organizers "Holdout Organizer 1…${organizers}", ${papers} papers`);
console.log(
  `  problems: ${problems.length} (${problems.length - warnings.length} errors); warning lines printed: ${shown.length} (goal ≤ 20)`,
);
for (const line of shown) console.log(`    ${line.length > 160 ? `${line.slice(0, 157)}…` : line}`);

// Time of the checks across tables.
const timed = mapRows(base).edition;
checks(timed);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  checks(timed);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`## Checks: ${timed.people.length} people, ${timed.papers.length} papers, ${timed.schedule.length} schedule rows`);
console.log(`  median of ${runs}: ${median.toFixed(1)} ms, slowest ${times.at(-1)!.toFixed(1)} ms (goal < 100 ms)`);
const ok = shown.length <= 20 && median < 100;
console.log(ok ? '✓ within both goals' : '✗ over a goal');
process.exitCode = ok ? 0 : 1;
