/**
 * Local files: a table is `<dir>/<name>.csv` (its header row near the top, found as in a sheet: see rowsFromSheet) or
 * `<dir>/<name>.json` (an array of objects keyed by column name). For organizers who export by hand, and for tests.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, SourceError } from '../errors.ts';
import { readCsv } from './csv.ts';
import { readSheet, type SheetTable } from './rows.ts';
import type { Source, TableSpec } from './types.ts';

const LABEL = 'Local files';

export function localFilesSource(options: { dir: string }): Source {
  const { dir } = options;
  if (!existsSync(dir))
    throw new ConfigError(`The local data folder ${dir} does not exist: create it or fix its path in workshop.config.ts.`);

  async function readTable({ name, columns, optional }: TableSpec): Promise<SheetTable> {
    const csv = path.join(dir, `${name}.csv`);
    const json = path.join(dir, `${name}.json`);
    try {
      if (existsSync(csv))
        return readSheet(LABEL, name, readCsv(await readFile(csv, 'utf8')), { columns, ...(optional ? { optional } : {}) });
      if (existsSync(json)) {
        const data: unknown = JSON.parse(await readFile(json, 'utf8'));
        if (!Array.isArray(data) || !data.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
          throw new Error('it must be a JSON array of objects keyed by column name');
        }
        // Row numbers count like a sheet: the first object is row 2.
        const rows = data.map((fields: Record<string, unknown>, i) => ({ source: LABEL, table: name, where: { row: i + 2 }, fields }));
        return { rows, missing: [], columnIndex: new Map() };
      }
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new SourceError(
        LABEL,
        name,
        `cannot read ${path.basename(existsSync(csv) ? csv : json)}: ${(error as Error).message}.`,
        undefined,
        error,
      );
    }
    throw new SourceError(LABEL, name, `neither ${name}.csv nor ${name}.json is in ${dir}.`);
  }

  return {
    label: LABEL,
    async *pages(spec) {
      const { rows, missing } = await readTable(spec);
      yield { rows, missing, waitedMs: 0, retries: 0 };
    },
  };
}
