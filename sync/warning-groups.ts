/**
 * Many warnings alike, said as a few: the human outputs (the CLI's; the service logs counts only) show the first
 * `few` of a kind repeated more than `max` times, then "… and 37 more like this". The report itself (`--json`, /status) keeps
 * every line.
 */

export interface GroupOptions {
  /** A kind repeated more than this many times is shortened. */
  max?: number;
  /** How many of a shortened kind are shown. */
  few?: number;
}

const GROUP_MAX = 5;
const GROUP_FEW = 3;

/**
 * The lines to show, in their order: each kind's first `few` lines (all of them when the kind has at most `max`),
 * the last shown followed by `… and N more like this`. `kindOf(line)` gives a line's kind; undefined means a kind of
 * its own (never shortened).
 */
export function groupLines(lines: readonly string[], kindOf: (line: string) => string | undefined, options: GroupOptions = {}): string[] {
  const { max = GROUP_MAX, few = GROUP_FEW } = options;
  const kinds = lines.map(kindOf);
  const totals = new Map<string, number>();
  for (const kind of kinds) if (kind !== undefined) totals.set(kind, (totals.get(kind) ?? 0) + 1);
  const shown = new Map<string, number>();
  const out: string[] = [];
  lines.forEach((line, i) => {
    const kind = kinds[i];
    const total = kind === undefined ? 1 : totals.get(kind)!;
    if (kind === undefined || total <= max) {
      out.push(line);
      return;
    }
    const count = (shown.get(kind) ?? 0) + 1;
    shown.set(kind, count);
    if (count <= few) out.push(line);
    if (count === few) out.push(`… and ${total - few} more like this`);
  });
  return out;
}

/** A problem as the report lists it (report.ts ReportedProblem), as far as grouping needs it. */
interface Listed {
  text: string;
  kind?: string;
  source: string;
  table: string;
  field?: string;
}

/**
 * A report's warnings grouped: problems alike are of one kind in one column of one table (the same garbled column
 * on many rows, the same unresolved Speaker column); a line the structured problems do not list is its own group.
 */
export function groupWarnings(report: { warnings: readonly string[]; problems?: readonly Listed[] }, options: GroupOptions = {}): string[] {
  const key = (p: Listed) => [p.kind ?? 'row', p.source, p.table, p.field ?? ''].join('\u0000');
  const kinds = new Map((report.problems ?? []).map((p) => [p.text, key(p)] as const));
  return groupLines(report.warnings, (line) => kinds.get(line), options);
}
