/**
 * CSV text → rows of cells, with csv-parse: quoted fields with commas, doubled quotes and line breaks; CRLF, LF or CR
 * line ends; a BOM dropped; a stray quote inside a cell kept as it is. Blank lines stay (as a row of one empty cell),
 * so row numbers are the sheet's.
 */
import { parse } from 'csv-parse/sync';

/** The rows of `text`. Throws an Error whose message says what is wrong (e.g. a quoted field is not closed). */
export function readCsv(text: string): string[][] {
  try {
    return parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED')
      throw new Error('a quoted field is not closed: the file is cut off or has a stray quote', { cause: error });
    throw error;
  }
}
