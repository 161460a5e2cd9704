/** Levenshtein distance, for spotting one name spelled two ways. */

/**
 * The number of single-character insertions, deletions or substitutions turning `a` into `b`. With `max`, only
 * the diagonal band of width `max` is computed and the result is `max + 1` as soon as the distance must exceed it:
 * names of very different lengths (or a 10 MB "name") cost nothing, and a compared pair costs O(length × max).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const band = Number.isFinite(max) ? max : Math.max(a.length, b.length);
  const over = Number.isFinite(max) ? max + 1 : Number.MAX_SAFE_INTEGER;
  let previous = new Float64Array(b.length + 1).fill(over);
  let current = new Float64Array(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, band); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    // Only [from - 1, to + 1] is written; the next row reads no further than that.
    current[from - 1] = from === 1 && i <= band ? i : over;
    if (to + 1 <= b.length) current[to + 1] = over;
    let best = current[from - 1]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, over);
}
