/**
 * What `npm run doctor` found: per source (reachable? the token's access, the sheet's sharing) and per table (each
 * template field → the column found, its type, or what is missing and the nearest names), and the mapping found, ready
 * for workshop.config.ts. Every problem is a sentence that says what to do; no secret is ever part of a report.
 */
import type { SourceKind } from '../config.ts';
import type { TableKey, TemplateOverrides } from '../template.ts';

/**
 * How a template field fared. `found`: its column is there under the template's name. `renamed`: not there, but one
 * column is clearly it (the nearest name, unambiguous): proposed for the mapping. `missing`: not there (a required
 * one stops a sync; an optional one is read without). `ambiguous`: not there, and several columns could be it: a
 * question. `off`: switched off (`null`) in workshop.config.ts.
 */
type FieldStatus = 'found' | 'renamed' | 'missing' | 'ambiguous' | 'off';

export interface FieldCheck {
  /** The model field, e.g. `title`. */
  field: string;
  required: boolean;
  /** The column the template reads it from; undefined when switched off. */
  expected: string | undefined;
  status: FieldStatus;
  /** The column it is read from (found or renamed). */
  column?: string;
  /** Airtable: the field type of the schema (`singleLineText`…). */
  type?: string;
  /** Airtable: the field id (`fld…`), when the token may read the base's schema. */
  fieldId?: string;
  /** Google Sheets / a published CSV: the column's letter (`C`). */
  letter?: string;
  /** The nearest names of a missing or ambiguous field, the most alike first. */
  nearest: string[];
}

export interface TableCheck {
  table: TableKey;
  source: SourceKind;
  /** The table or tab name the template reads (configured, or the one found). */
  name: string;
  /** The table or tab was found and read. */
  reachable: boolean;
  /** The table does not exist, and need not (the program committee): a note, not a problem. */
  absent?: boolean;
  /** Airtable: the table id (`tbl…`), when the schema was readable. */
  tableId?: string;
  /** The table in its source's web page (Airtable's table, the sheet's tab), when its ids are known. */
  url?: string;
  /** Sheets / CSV: the 1-based row that holds the header (2 or more when title rows sit above it). */
  headerRow?: number;
  /** Records on the first page (never more than one page is read); `more`: there are further pages. */
  records?: { count: number; more: boolean };
  fields: FieldCheck[];
  /** The table's columns that are read into content (the mapped ones found). */
  published: string[];
  /** Every other column of the table: never read into content. */
  private: string[];
  /** False when the other columns could not be listed (Airtable without the schema.bases:read scope). */
  privateListed?: boolean;
  /** Things to fix, each saying what to do; a table with one is not ok. */
  problems: string[];
  /** Things worth knowing that do not stop a sync (a missing optional column, a proposed rename). */
  notes: string[];
  /** Fields found under another name that could be several columns: to be answered in workshop.config.ts. */
  questions: string[];
  /** A sync would read this table. */
  ok: boolean;
}

export interface SourceCheck {
  kind: SourceKind;
  /** `Airtable`, `Google Sheets`, `Published CSV`, `Local files`. */
  label: string;
  /** What it is: `base appXXXX`, `spreadsheet "Workshop 2026" (1AbC…)`. */
  target: string;
  /** Reached, and its credentials work. */
  ok: boolean;
  /** Facts, one a line: the token's scopes, the sheet's locale and tabs, how it is shared. */
  facts: string[];
  /** Things to fix, each saying what to do. */
  problems: string[];
  /** What works, but less well (a missing scope), and what it costs. */
  notes: string[];
  /** Airtable only: what the token may do, as inferred from the answers. */
  access?: {
    /** Records could be listed (scope data.records:read, and the base in the token's access list). */
    records: boolean | undefined;
    /** The base's schema could be read (scope schema.bases:read). */
    schema: boolean | undefined;
  };
}

export interface DoctorReport {
  /** A sync would succeed: every source reachable, every required column of every used table found. */
  ok: boolean;
  sources: SourceCheck[];
  tables: TableCheck[];
  /** The mapping found, as workshop.config.ts's `template`: table names, renamed columns, `null`s, Airtable ids. */
  mapping: TemplateOverrides;
}
