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
      if (!isSafeUrl(token.href)) return text;
      const external = /^https?:/i.test(token.href);
      return `<a href="${escapeHtml(token.href)}"${external ? ' rel="noopener"' : ''}>${text}</a>`;
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
