/** Warns about schedule slots that overlap in the same room (or where either has no room). */
import { formatTime12 } from '../map/dates.ts';
import type { MappedScheduleItem } from '../map/map-schedule.ts';
import { DEFAULT_TEMPLATE, type Template } from '../template.ts';
import { problemAt, type Problem } from '../problems.ts';
import { formatWhere } from '../sources/types.ts';

const clock = (local: string): string => formatTime12(local.slice(11));
const span = (item: MappedScheduleItem): string => `${clock(item.data.start)}–${clock(item.data.end)}`;

/** One warning per overlapping pair, at the later slot's Start cell, naming the earlier slot and its row. */
export function checkOverlaps(schedule: readonly MappedScheduleItem[], template: Template = DEFAULT_TEMPLATE): Problem[] {
  const items = [...schedule].sort((a, b) => a.data.start.localeCompare(b.data.start) || a.data.end.localeCompare(b.data.end));
  const problems: Problem[] = [];
  items.forEach((later, j) => {
    for (const earlier of items.slice(0, j)) {
      const overlaps = earlier.data.start < later.data.end && later.data.start < earlier.data.end;
      const sameRoom = earlier.data.room === undefined || later.data.room === undefined || earlier.data.room === later.data.room;
      if (!overlaps || !sameRoom) continue;
      problems.push(
        problemAt(
          later.origin,
          'warning',
          template.schedule.columns.start,
          `"${later.data.title}" (${span(later)}) overlaps "${earlier.data.title}" (${span(earlier)}, ${formatWhere(earlier.origin.where)}); ` +
            `if they run in parallel give them different rooms, otherwise fix the times.`,
          'overlap',
        ),
      );
    }
  });
  return problems;
}
