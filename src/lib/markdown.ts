/**
 * Markdown from spreadsheets is untrusted: it is rendered without raw HTML (escaped as text), without images
 * (no third-party requests), and with http(s)/mailto links only; any other link becomes plain text.
 */
import { Marked, type Tokens } from 'marked';
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

/** Block markdown (paragraphs, lists, emphasis, links) to safe HTML. */
export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}

/** One line of inline markdown (emphasis, links) to safe HTML, without a paragraph. */
export function renderInlineMarkdown(source: string): string {
  return marked.parseInline(source, { async: false });
}
