/**
 * The columns a table has that a missing one may have become ("Title" → "Paper Title", "Order" → "Ordre"), for the
 * message that stops a sync when a required column is not there. Compared by their letter pairs (Dice's coefficient),
 * ignoring case, accents, spaces and punctuation, so that a renamed, lengthened or misspelled column is found; a short
 * name by its edits ("Jb" → "Job"), as two-letter pairs say little about it.
 */
import { editDistance } from '../checks/edit-distance.ts';

/** How alike two names must be to be suggested. */
const THRESHOLD = 0.4;

/** Letters and digits only, lower case, accents dropped: two names with the same fold are the same name, respelled. */
export function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The adjacent letter pairs of a folded name, with how often each occurs. */
function pairs(folded: string): Map<string, number> {
  const found = new Map<string, number>();
  for (let i = 0; i < folded.length - 1; i++) {
    const pair = folded.slice(i, i + 2);
    found.set(pair, (found.get(pair) ?? 0) + 1);
  }
  return found;
}

/** 1 for the same folded name, 0 for names without a letter pair in common. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  // One edit away from a short name (a typo in "Job", "Bio", "Kind") counts as alike.
  if (Math.min(a.length, b.length) <= 5 && editDistance(a, b, 1) <= 1) return THRESHOLD;
  const [pa, pb] = [pairs(a), pairs(b)];
  let common = 0;
  for (const [pair, count] of pa) common += Math.min(count, pb.get(pair) ?? 0);
  const total = Math.max(a.length - 1, 0) + Math.max(b.length - 1, 0);
  return total === 0 ? 0 : (2 * common) / total;
}

/** Up to `limit` of `have` most like `wanted`, the most alike first; none when nothing is alike. */
export function nearestColumns(wanted: string, have: readonly string[], limit = 3): string[] {
  const target = fold(wanted);
  return [...new Set(have)]
    .map((name) => ({ name, score: similarity(target, fold(name)) }))
    .filter(({ score }) => score >= THRESHOLD)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

/**
 * The sentence that ends a "required column missing" message: the table's columns (or a note that it has none that
 * could be seen) and the nearest names, quoted.
 */
export function describeColumns(wanted: string, have: readonly string[], seenAs: string): string {
  if (have.length === 0) return `${seenAs} none.`;
  const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
  const near = nearestColumns(wanted, have);
  const listed = have.length > 40 ? `${quoted(have.slice(0, 40))} and ${have.length - 40} more` : quoted(have);
  return `${seenAs} ${listed}.${near.length > 0 ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`;
}
