/**
 * Detects mojibake: UTF-8 text that was decoded as Windows-1252/Latin-1 somewhere along the way ("modelsâ€™",
 * "CafÃ©"). Heuristic: count the telltale sequences, re-encode the text as Windows-1252 bytes and decode them as
 * UTF-8; if that works and leaves fewer telltales, the text was garbled and the re-decoded text is the fix.
 */
import { MAX_CELL } from '../map/parse.ts';
import { problemAt, type Problem } from '../problems.ts';
import type { SourceRow } from '../sources/types.ts';

/** Windows-1252's characters for bytes 0x80–0x9F (the rest of 0x00–0xFF is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const TELLTALE = /â€|Ã[\u0080-\u00BF]|Â[\u0080-\u00BF]|Â(?=[\s\p{P}])|Å[\u0080-\u00BF’“”šœŸ]|Ä[\u0080-\u00BF]/gu;

/** Every telltale sequence starts with one of these. */
const MAYBE_GARBLED = /[âÃÂÅÄ]/;

/** How many telltale sequences `text` holds. */
export function countTelltales(text: string): number {
  return text.match(TELLTALE)?.length ?? 0;
}

function toCp1252(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const high = CP1252_HIGH.indexOf(ch);
    if (high >= 0) bytes.push(0x80 + high);
    else if (code < 0x100) bytes.push(code);
    else return undefined;
  }
  return Uint8Array.from(bytes);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Re-decodes one run of text; undefined when it is not garbled UTF-8. */
function redecode(run: string): string | undefined {
  const bytes = toCp1252(run);
  if (!bytes) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The repaired word when `word` is garbled UTF-8 (re-decoding leaves fewer telltales), else undefined. */
function repairWord(word: string): string | undefined {
  if (countTelltales(word) === 0) return undefined;
  const fixed = redecode(word);
  return fixed !== undefined && countTelltales(fixed) < countTelltales(word) ? fixed : undefined;
}

/**
 * The repaired text when `text` looks garbled, else undefined. Works word by word (words split at ASCII spaces: a garbled no-break space is part of the word), so a correct "’" elsewhere in
 * the text does not stop the repair.
 */
export function repairMojibake(text: string): string | undefined {
  let changed = false;
  const repaired = text.replace(/[^\t\n\r ]+/g, (word) => {
    const fixed = repairWord(word);
    if (fixed === undefined) return word;
    changed = true;
    return fixed;
  });
  return changed ? repaired : undefined;
}

/** One warning per cell of `columns` that looks garbled, quoting the first garbled word and its repair. */
export function checkMojibake(rows: readonly SourceRow[], columns: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const value = row.fields[column];
      // A cell over MAX_CELL is refused by the mappers; it is not read here either.
      const texts = (Array.isArray(value) ? value : [value]).filter((t): t is string => typeof t === 'string' && t.length <= MAX_CELL);
      for (const text of texts) {
        if (!MAYBE_GARBLED.test(text)) continue; // most texts: one scan, no word splitting
        const word = text.match(/[^\t\n\r ]+/g)?.find((w) => repairWord(w) !== undefined);
        if (word === undefined) continue;
        problems.push(
          problemAt(
            row,
            'warning',
            column,
            `looks garbled: "${word}" is probably "${repairWord(word)}"; the text went through the wrong character encoding, so retype it or paste it again.`,
            'mojibake',
          ),
        );
        break;
      }
    }
  }
  return problems;
}
