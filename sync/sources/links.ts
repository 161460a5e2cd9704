/**
 * Links to the place to fix a problem: an Airtable record, or a Google Sheets cell. The sources build them from ids
 * they already read (the base's table ids from its schema; the tab's sheet id from `spreadsheets.get`), never with
 * an extra request; without those ids there is no link.
 */

/** `https://airtable.com/{baseId}/{tableId}/{recordId}`: the record, expanded, in the table's default view. */
export function airtableRecordUrl(baseId: string, tableId: string, recordId: string): string {
  return `https://airtable.com/${encodeURIComponent(baseId)}/${encodeURIComponent(tableId)}/${encodeURIComponent(recordId)}`;
}

/** A column's letters from its 0-based index: 0 → `A`, 25 → `Z`, 26 → `AA`, 701 → `ZZ`, 702 → `AAA`. */
export function columnLetters(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`a column index is a whole number ≥ 0, not ${index}`);
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * `https://docs.google.com/spreadsheets/d/{spreadsheetId}/edit#gid={sheetId}&range=B7`: the tab, with the cell (or,
 * without a column, the whole row: `range=7:7`) selected.
 */
export function sheetCellUrl(spreadsheetId: string, sheetId: number, row: number, column?: number): string {
  const range = column === undefined ? `${row}:${row}` : `${columnLetters(column)}${row}`;
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/edit#gid=${sheetId}&range=${range}`;
}
