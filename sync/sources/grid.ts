/** Rows of a sheet (header row first) as SourceRows: keyed by column name, blank cells left out, blank rows skipped. */
import type { SourceRow } from '../map/types.ts';

/**
 * Row numbers are the sheet's own (the header is row 1), so that messages point at the right row even after
 * blank rows, which are skipped rather than taken for the end of the data.
 */
export function rowsFromGrid(source: string, table: string, grid: readonly (readonly string[])[]): SourceRow[] {
  const [header = [], ...body] = grid;
  const columns = header.map((name) => name.trim());
  return body.flatMap((cells, index) => {
    const fields: Record<string, unknown> = {};
    columns.forEach((column, j) => {
      const value = cells[j];
      if (column && value !== undefined && value.trim() !== '' && !(column in fields)) fields[column] = value;
    });
    if (Object.keys(fields).length === 0) return [];
    return [{ source, table, where: { row: index + 2 }, fields }];
  });
}
