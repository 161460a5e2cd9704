/**
 * Clickable problems on a terminal: a line whose problem has a link (ReportedProblem.url) is wrapped in an OSC 8
 * hyperlink, which terminals that support it (iTerm2, GNOME Terminal, Windows Terminal, VS Code, kitty…) show as a
 * link and others show as plain text. Only when the output is a terminal and colour is not turned off (NO_COLOR, a
 * `dumb` TERM): never an escape in a log file or a CI log.
 */
import type { ReportedProblem } from './report.ts';

/** Whether lines written to `stream` may carry OSC 8 hyperlinks. */
export function supportsHyperlinks(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

/** An http(s) address with nothing a terminal would read as the end of the escape or as another control. */
export function isWebLink(url: string): boolean {
  return /^https?:\/\/[^\s\u0000-\u001F\u007F-\u009F]+$/.test(url);
}

/** `text` shown as a link to `url` (OSC 8; ESC \ ends each part). */
export function hyperlink(text: string, url: string): string {
  return `\u001B]8;;${url}\u001B\\${text}\u001B]8;;\u001B\\`;
}

/**
 * A function that makes a printed line (as in SyncReport.errors or .warnings) a link to its problem's record or cell,
 * when `enabled` and the line's problem has one; other lines stay as they are.
 */
export function problemLinker(problems: readonly ReportedProblem[], enabled: boolean): (line: string) => string {
  if (!enabled) return (line) => line;
  const urls = new Map(problems.flatMap((p) => (p.url !== undefined && isWebLink(p.url) ? [[p.text, p.url] as const] : [])));
  return (line) => {
    const url = urls.get(line);
    return url === undefined ? line : hyperlink(line, url);
  };
}
