/**
 * Doctor's check of tables read from local files: `<dir>/<table>.csv` (its header row found as in a sheet) or
 * `<dir>/<table>.json` (an array of objects, whose keys are the columns).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import { readCsv } from '../sources/csv.ts';
import type { TableKey } from '../template.ts';
import { checkGrid, emptyCheck } from './grid.ts';
import type { SourceCheck, TableCheck } from './types.ts';

const LABEL = 'Local files';

/** A JSON value as a cell's text. */
const cellText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);

/** A JSON file's objects as a grid: their keys as the header row, then their values. */
function jsonGrid(text: string): string[][] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data) || !data.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new Error('it must be a JSON array of objects keyed by column name');
  }
  const keys = [...new Set(data.flatMap((r: object) => Object.keys(r)))];
  return [keys, ...data.map((r: Record<string, unknown>) => keys.map((k) => cellText(r[k])))];
}

export function checkLocalFiles(config: ResolvedConfig, keys: readonly TableKey[]): { source: SourceCheck; tables: TableCheck[] } {
  const dir = config.sources.localFiles?.dir;
  const source: SourceCheck = {
    kind: 'local-files',
    label: LABEL,
    target: `folder ${dir ?? '(none)'}`,
    ok: true,
    facts: [],
    problems: [],
    notes: [],
  };
  const full = dir === undefined ? undefined : path.resolve(config.root, dir);
  if (!full || !existsSync(full)) {
    source.ok = false;
    source.problems.push(
      dir === undefined
        ? 'A table comes from local files, but sources.localFiles.dir is not set in workshop.config.ts: set it to the folder that holds <table>.csv or <table>.json.'
        : `The folder ${dir} does not exist: create it, or fix sources.localFiles.dir in workshop.config.ts.`,
    );
  }
  const tables = keys.map((key) => {
    const check = emptyCheck(key, 'local-files', config.template[key].table);
    if (!full || !source.ok) {
      check.problems.push('not checked: no folder of local files.');
      return check;
    }
    const csv = path.join(full, `${check.name}.csv`);
    const json = path.join(full, `${check.name}.json`);
    try {
      if (existsSync(csv)) checkGrid(check, config.template, key, LABEL, readCsv(readFileSync(csv, 'utf8')));
      else if (existsSync(json)) checkGrid(check, config.template, key, LABEL, jsonGrid(readFileSync(json, 'utf8')));
      else
        check.problems.push(`Neither ${check.name}.csv nor ${check.name}.json is in ${dir ?? ''}: add one, or fix template.${key}.table.`);
    } catch (error) {
      check.problems.push(`${path.basename(existsSync(csv) ? csv : json)} cannot be read (${(error as Error).message}): fix the file.`);
    }
    check.ok = check.reachable && check.problems.length === 0;
    return check;
  });
  return { source, tables };
}
