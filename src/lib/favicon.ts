/**
 * The site's icon (/favicon.svg): the workshop's initials in the site's accent colours, made at build time from the
 * newest edition's short title. The title comes from a spreadsheet, so it is escaped, and stripped of what XML
 * cannot hold at all.
 */

/** Words left out of the initials ("LLM for Individuals" → "LI"). */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'at', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The first letters (or digits) of the title's first two significant words, upper-cased: "LLM" → "L", "Data & Society" → "DS". */
export function initials(title: string): string {
  const words = title
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{M}'’]+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((word) => word !== '');
  const significant = words.filter((word) => !SMALL_WORDS.has(word.toLowerCase()));
  const chosen = (significant.length > 0 ? significant : words).slice(0, 2);
  return chosen.map((word) => (graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '').toLocaleUpperCase('en')).join('');
}

/** Text for an XML attribute or element: escaped, without the characters XML 1.0 forbids even escaped. */
function xmlText(text: string): string {
  return text
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface FaviconColours {
  /** The square. */
  background: string;
  /** The initials. */
  text: string;
}

/** `--accent` and `--accent-fg` of the stylesheet's first (light) `:root` block. */
export function coloursFromCss(css: string): FaviconColours {
  const colour = (name: string) => {
    const found = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,8})\\s*;`).exec(css)?.[1];
    if (!found)
      throw new Error(
        `src/styles/global.css has no "--${name}: #rrggbb;" colour, which the favicon uses; add it back or change src/lib/favicon.ts.`,
      );
    return found;
  };
  return { background: colour('accent'), text: colour('accent-fg') };
}

/** A 64×64 rounded square with the title's initials, and the title as its accessible name. */
export function faviconSvg(title: string, colours: FaviconColours): string {
  const letters = initials(title);
  const size = letters.length > 1 ? 30 : 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="${xmlText(title)}">`,
    `<title>${xmlText(title)}</title>`,
    `<rect width="64" height="64" rx="12" fill="${colours.background}"/>`,
    `<text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="${size}" font-weight="700" fill="${colours.text}">${xmlText(letters)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
