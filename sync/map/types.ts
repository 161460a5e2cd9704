/** The shapes every mapper returns: entries of the content model with the row each came from, and the problems. */
import type { Problem } from '../problems.ts';
import type { Origin } from '../sources/types.ts';

/** A mapped entry of the content model with the row it came from. */
export interface Mapped<T> {
  data: T;
  origin: Origin;
}

/**
 * A row that is not blank but gave no entry (a required value missing or invalid: its problems hold the errors), with
 * the id its entry would have had, when the row says enough to make it (see keep.ts).
 */
export interface RefusedRow {
  origin: Origin;
  id?: string;
}

/** What every mapper returns: the valid entries and the problems found on the way. */
export interface MapResult<E> {
  entries: E[];
  problems: Problem[];
  /** The rows refused (the mappers always fill it). */
  refused?: RefusedRow[];
}
