/**
 * Puts the table that `npm run test:faults` prints into docs/reliability.md, between the comments
 * `<!-- fault-table:start -->` and `<!-- fault-table:end -->`, so that the page shows the last passing run.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- fault-table:start -->';
const END = '<!-- fault-table:end -->';

/** `text` with everything between the two markers replaced by `table`; throws when a marker is missing. */
function replaceBetweenMarkers(text: string, table: string, file: string): string {
  const start = text.indexOf(START);
  const end = start < 0 ? -1 : text.indexOf(END, start + START.length);
  if (end < 0) {
    throw new Error(
      `${file} lacks "${START}" followed by "${END}", so the fault table was not written there. Put both markers back around the table and run npm run test:faults again.`,
    );
  }
  return `${text.slice(0, start + START.length)}\n\n${table.trim()}\n\n${text.slice(end)}`;
}

/** Replaces the fault table in `file` (a markdown page holding both markers) with `table`. */
export function writeFaultTable(file: string, table: string): void {
  writeFileSync(file, replaceBetweenMarkers(readFileSync(file, 'utf8'), table, file));
}
