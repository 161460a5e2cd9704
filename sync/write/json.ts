/** Deterministic JSON: keys sorted at every level, two-space indent, a trailing newline. Same input, same bytes. */

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

export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * `stableJson(entries)`, byte for byte, as a series of chunks made one entry at a time: a large collection (50,000
 * papers) is never held as one string, nor copied whole with sorted keys.
 */
export function* stableJsonChunks(entries: readonly unknown[]): Generator<string> {
  if (entries.length === 0) {
    yield '[]\n';
    return;
  }
  for (const [i, entry] of entries.entries()) {
    yield `${i === 0 ? '[\n' : ',\n'}  ${JSON.stringify(sortKeys(entry), null, 2).replaceAll('\n', '\n  ')}`;
  }
  yield '\n]\n';
}

const collator = new Intl.Collator('en', { numeric: true });

/** Entries in the stable order of their ids (numeric-aware: "2" before "10"). */
export function byId<T extends { id: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => collator.compare(a.id, b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
