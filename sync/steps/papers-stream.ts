/**
 * Steps 2–4 for the Papers table while it is still being fetched: each page is mapped, validated and checked for
 * garbled text as it arrives, each accepted paper goes into an EntryStore as its JSON text (spilled to a temporary
 * file), and the page is dropped. What stays in memory per paper is its id, where it came from and its fingerprint:
 * 50,000 papers are never held as rows, nor as objects, nor as text.
 */
import { checkPapersMojibake } from '../checks/index.ts';
import { mapPapers } from '../map/map-papers.ts';
import type { Template } from '../map/template.ts';
import type { Mapped, MapResult, Problem } from '../map/types.ts';
import type { RowSink } from '../sources/types.ts';
import { EntryStore } from '../write/entry-store.ts';

export interface PapersStream {
  /** Where the fetch step puts the Papers table's rows. */
  sink: RowSink;
  /** Every accepted paper's id and origin, in row order (a repeated ID too), and the problems of the rows. */
  mapped(): MapResult<Mapped<{ id: string }>>;
  /** The accepted papers, the first of each ID. */
  store(): EntryStore;
  /** Garbled-text warnings on accepted papers. */
  garbled(): Problem[];
  /** Removes the store's spill file: call it when the sync is done with the papers. */
  close(): void;
}

/** `spillFile`: where the papers' text goes while the sync runs (see EntryStore); `close` removes it. */
export function createPapersStream(template: Template, spillFile?: string): PapersStream {
  const newStore = () => new EntryStore(spillFile === undefined ? {} : { spillFile });
  let store = newStore();
  let mapped: MapResult<Mapped<{ id: string }>> = { entries: [], problems: [] };
  let garbled: Problem[] = [];
  return {
    sink: {
      add(rows) {
        const page = mapPapers(rows, template);
        for (const { data, origin } of page.entries) {
          store.add(data);
          mapped.entries.push({ data: { id: data.id }, origin });
        }
        mapped.problems.push(...page.problems);
        garbled.push(...checkPapersMojibake(rows, template));
      },
      restart() {
        store.close();
        store = newStore();
        mapped = { entries: [], problems: [] };
        garbled = [];
      },
    },
    mapped: () => mapped,
    store: () => store,
    garbled: () => garbled,
    close: () => store.close(),
  };
}
