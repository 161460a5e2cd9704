/**
 * Markdown from spreadsheets is untrusted: it is rendered without raw HTML (escaped as text), without images
 * (no third-party requests), and with http(s)/mailto links only; any other link becomes plain text. Its headings
 * (Airtable's rich text has them) are placed below the heading of the block the text sits in.
 */
import { Marked, type Tokens, type TokensList } from 'marked';
import { isSafeUrl } from '../model/fields.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the character references markdown allows in a link destination (`&amp;`, `&#106;`, `&#x6A;`). */
function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name.toLowerCase()] ?? whole;
    const code = dec ? Number(dec) : Number.parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      // Decode first, so that the check sees what the browser will (`&#106;avascript:` is `javascript:`).
      const url = decodeReferences(token.href);
      if (!isSafeUrl(url)) return text;
      const external = /^https?:/i.test(url);
      return `<a href="${escapeHtml(url)}"${external ? ' rel="noopener"' : ''}>${text}</a>`;
    },
  },
});

/** A heading level, 1 (h1) to 6 (h6). */
export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

/**
 * Moves the headings of a text below the heading it sits under: the highest becomes `below + 1`, the others keep
 * their distance to it, and none goes past h6. So `# Early life` in a bio under a person's h3 is an h4.
 */
function placeHeadings(tokens: TokensList, below: HeadingLevel): void {
  const headings: Tokens.Heading[] = [];
  // walkTokens returns what the callback returns, for async extensions; ours returns nothing.
  void marked.walkTokens(tokens, (token) => {
    if (token.type === 'heading') headings.push(token as Tokens.Heading);
  });
  if (headings.length === 0) return;
  const shift = below + 1 - Math.min(...headings.map((h) => h.depth));
  for (const heading of headings) heading.depth = Math.min(6, Math.max(1, heading.depth + shift));
}

/**
 * Block markdown (paragraphs, lists, headings, emphasis, links) to safe HTML. `below`: the level of the heading the
 * text sits under (a person's name, a section's title); the text's own headings start one level lower. Default 1:
 * below the page's h1, so a text never adds an h1 of its own.
 */
export function renderMarkdown(source: string, below: HeadingLevel = 1): string {
  const tokens = marked.lexer(source);
  placeHeadings(tokens, below);
  return marked.parser(tokens);
}

/** One line of inline markdown (emphasis, links) to safe HTML, without a paragraph. */
export function renderInlineMarkdown(source: string): string {
  return marked.parseInline(source, { async: false });
}
