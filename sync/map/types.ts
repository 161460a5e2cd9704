/** The shapes every mapper returns: entries of the content model with the row each came from, and the problems. */
import type { Problem } from '../problems.ts';
import type { Origin } from '../sources/types.ts';

/** A mapped entry of the content model with the row it came from. */
export interface Mapped<T> {
  data: T;
  origin: Origin;
}

/** What every mapper returns: the valid entries and the problems found on the way. */
export interface MapResult<E> {
  entries: E[];
  problems: Problem[];
}
