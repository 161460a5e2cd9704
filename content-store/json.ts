/** Deterministic JSON: keys sorted at every level, two-space indent, a trailing newline. Same input, same bytes. */
import { createHash } from 'node:crypto';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** One value as the collection files print it: keys sorted, two-space indent, no trailing newline. */
export function entryJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

/** An entry's fingerprint: the SHA-256 of its `entryJson` text and a line break. */
export function fingerprintOf(entryText: string): string {
  return createHash('sha256').update(entryText).update('\n').digest('base64');
}

/**
 * The array of these entries' `entryJson` texts, as `entryJson` prints an array plus a final line break, chunk by chunk: a large
 * collection (50,000 papers) is never held as one string.
 */
export function* arrayChunks(texts: Iterable<string>): Generator<string> {
  let first = true;
  for (const text of texts) {
    yield `${first ? '[\n' : ',\n'}  ${text.replaceAll('\n', '\n  ')}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

const collator = new Intl.Collator('en', { numeric: true });

/** The stable order of ids: numeric-aware ("2" before "10"), then by code unit so that no two ids tie. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
