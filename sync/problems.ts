/**
 * A problem with the data: where it is (source, table/tab, record or row, column) and what to do. Errors stop the
 * sync, except that with `onInvalidRow: 'skip'` (the default) a row's errors leave that row out, said as warnings;
 * warnings are reported and the sync goes on.
 */
import { formatWhere, type Origin, type Where } from './sources/types.ts';

export interface Problem {
  severity: 'error' | 'warning';
  source: string;
  table: string;
  where: Where;
  /** The column (not the model field) to look at, when there is one. */
  field?: string;
  /** What is wrong and what to do, as a sentence ending with a full stop. */
  message: string;
  /** The web address of the record or cell to fix, when the source gives one (see Page.link; problem-links.ts). */
  url?: string;
  /** What sort of problem this is, for grouping many alike (see kindOf); the checks across tables set it. */
  kind?: ProblemKind;
}

/** The kinds the checks give; `row` is a value the mapping of a row refused or changed (the default). */
export type ProblemKind = 'row' | 'unresolved-reference' | 'spelling' | 'overlap' | 'mojibake' | 'duplicate-id' | 'duplicate-name';

/** The problem's kind; problems alike are of one kind in one column of one table (warning-groups.ts). */
export function kindOf(problem: Problem): ProblemKind {
  return problem.kind ?? 'row';
}

/** Builds a problem at a row (and optionally a column). */
export function problemAt(
  origin: Origin,
  severity: Problem['severity'],
  field: string | undefined,
  message: string,
  kind?: ProblemKind,
): Problem {
  const base: Problem = { severity, source: origin.source, table: origin.table, where: origin.where, message };
  if (field !== undefined) base.field = field;
  if (kind !== undefined) base.kind = kind;
  return base;
}

/**
 * One actionable line, e.g.
 * `Airtable › Papers › rec123 › "Authors": is empty; list the authors as "A, B and C".`
 */
export function formatProblem(problem: Problem): string {
  const field = problem.field === undefined ? '' : ` › "${problem.field}"`;
  const where = formatWhere(problem.where);
  return printable(`${problem.source} › ${problem.table}${where ? ` › ${where}` : ''}${field}: ${problem.message}`);
}

/**
 * One line a terminal shows as it is: line breaks, tabs, control characters and bidirectional overrides quoted
 * from a cell are written as escapes (`\n`, `\u0007`, `\u202E`), so a cell can neither forge log lines nor
 * reorder or hide what the operator reads.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
