/**
 * Progress while a sync runs: on a terminal, one live line per source table (records, pages, time waiting on the
 * rate limit, retries) plus photos, redrawn in place; elsewhere (CI, cron, logs) plain lines, one per finished page.
 */
import type { SyncEvent } from './report.ts';

export interface Progress {
  onEvent(event: SyncEvent): void;
  /** Leaves the terminal clean for the summary. */
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, live = Boolean(stream.isTTY)): Progress {
  const lines = new Map<string, string>();
  let drawn = 0;
  const redraw = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    for (const line of lines.values()) stream.write(`\x1b[2K${line}\n`);
    drawn = lines.size;
  };
  const say = (key: string, line: string) => {
    if (live) {
      lines.set(key, line);
      redraw();
    } else if (lines.get(key) !== line) {
      lines.set(key, line);
      stream.write(`${line}\n`);
    }
  };
  return {
    onEvent(event) {
      if (event.type === 'table') {
        const waited = event.waitedMs > 0 ? `, ${(event.waitedMs / 1000).toFixed(1)} s waiting on the rate limit` : '';
        const retries = event.retries > 0 ? `, ${event.retries} ${event.retries === 1 ? 'retry' : 'retries'}` : '';
        say(
          `${event.source}/${event.table}`,
          `${event.source} › ${event.table}: ${event.records} records, ${event.pages} ${event.pages === 1 ? 'page' : 'pages'}${waited}${retries}`,
        );
      } else if (event.type === 'photos') {
        say('photos', `Photos: ${event.done} of ${event.total} mirrored`);
      }
    },
    done() {
      lines.clear();
      drawn = 0;
    },
  };
}
