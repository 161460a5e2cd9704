/**
 * The mapping doctor found, as workshop.config.ts's `template` (TemplateOverrides): only what differs from the
 * default template — table names, renamed columns, `null` for an optional column the table lacks — plus the settings
 * the config already had (a view, the accepted status, dayFirst) and, when Airtable's schema was readable, the ids of
 * the table and of its mapped fields, which keep a later rename in Airtable from breaking the sync.
 */
import { DEFAULT_TEMPLATE, TABLE_KEYS, type TableKey, type Template, type TemplateOverrides } from '../template.ts';
import { idsOf } from './match.ts';
import type { TableCheck } from './types.ts';

type Override = Record<string, unknown>;

/** The override of one table: from its check, or as configured when it was not checked (or could not be read). */
function tableOverride(template: Template, key: TableKey, check: TableCheck | undefined): Override {
  const defaults: Partial<Record<string, string>> = DEFAULT_TEMPLATE[key].columns;
  const current: Partial<Record<string, string>> = template[key].columns;
  const configured = idsOf(template, key);
  const checked = new Map((check?.reachable ? check.fields : []).map((f) => [f.field, f]));
  const columns: Record<string, string | null> = {};
  const fieldIds: Record<string, string> = {};
  for (const field of Object.keys(defaults)) {
    const f = checked.get(field);
    let column: string | null | undefined;
    if (f?.status === 'found' || f?.status === 'renamed') column = f.column;
    else if (f?.status === 'missing' && !f.required) column = null;
    // Not checked, missing required, or a question: as configured until the organizer answers.
    else column = current[field] ?? null;
    if (column !== undefined && column !== defaults[field]) columns[field] = column;
    const id = f ? f.fieldId : configured.columns[field];
    if (id !== undefined && (f === undefined || f.status === 'found' || f.status === 'renamed')) fieldIds[field] = id;
  }
  const table = template[key];
  const tableId = check?.reachable ? check.tableId : configured.table;
  const override: Override = {};
  const name = check?.name ?? table.table;
  if (name !== DEFAULT_TEMPLATE[key].table) override['table'] = name;
  if (table.view !== undefined) override['view'] = table.view;
  if (key === 'papers' && template.papers.accepted !== DEFAULT_TEMPLATE.papers.accepted) override['accepted'] = template.papers.accepted;
  if (key === 'schedule' && template.schedule.dayFirst !== undefined) override['dayFirst'] = template.schedule.dayFirst;
  if (Object.keys(columns).length > 0) override['columns'] = columns;
  if (tableId !== undefined || Object.keys(fieldIds).length > 0) {
    override['ids'] = {
      ...(tableId === undefined ? {} : { table: tableId }),
      ...(Object.keys(fieldIds).length > 0 ? { columns: fieldIds } : {}),
    };
  }
  return override;
}

/** The mapping of every table (those not checked as configured); a table as in the default template is left out. */
export function mappingFound(template: Template, checks: readonly TableCheck[]): TemplateOverrides {
  const mapping: Partial<Record<TableKey, Override>> = {};
  for (const key of TABLE_KEYS) {
    const override = tableOverride(
      template,
      key,
      checks.find((c) => c.table === key),
    );
    if (Object.keys(override).length > 0) mapping[key] = override;
  }
  return mapping;
}
