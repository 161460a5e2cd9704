/**
 * The sync's typed configuration: `workshop.config.ts` at the project root (defineConfig), parsed once with zod,
 * then completed from the environment. Secrets (tokens, keys) come only from the environment and are kept apart,
 * in `secrets`, which nothing prints or writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'astro/zod';
import { customizeTemplate, type Template, type TemplateOverrides } from './map/template.ts';
import { ConfigError } from './sources/errors.ts';
import type { ServiceAccountKey } from './sources/google-sheets.ts';

/** Where a table comes from. */
export const SOURCE_KINDS = ['airtable', 'google-sheets', 'published-csv', 'local-files'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
const sourceKind = z.enum(SOURCE_KINDS);

const configSchema = z.strictObject({
  /** The content folder; CONTENT_DIR overrides it. */
  contentDir: z.string().default('content'),
  /** The edition (folder under content/) that the sync fills; by default the newest, by its dates. */
  edition: z.string().optional(),
  sources: z
    .strictObject({
      /** The Airtable base. The token comes from AIRTABLE_TOKEN only. */
      airtable: z.strictObject({ baseId: z.string().optional(), endpointUrl: z.string().optional() }).default({}),
      /** The Google Sheet. Credentials come from GOOGLE_API_KEY or GOOGLE_APPLICATION_CREDENTIALS only. */
      googleSheets: z.strictObject({ spreadsheetId: z.string().optional(), rootUrl: z.string().optional() }).default({}),
      /** Tabs published to the web as CSV: tab name → URL. */
      publishedCsv: z.strictObject({ urls: z.record(z.string(), z.string()).default({}) }).default({ urls: {} }),
      /** A folder of `<table>.csv` or `<table>.json` files. */
      localFiles: z.strictObject({ dir: z.string() }).optional(),
    })
    .default({ airtable: {}, googleSheets: {}, publishedCsv: { urls: {} } }),
  /** Which source each table or tab comes from. Any table can come from any source. */
  tables: z
    .strictObject({
      organizers: sourceKind.default('airtable'),
      speakers: sourceKind.default('airtable'),
      papers: sourceKind.default('airtable'),
      /** `none`: the edition has no program committee table. */
      programCommittee: z.union([sourceKind, z.literal('none')]).default('airtable'),
      schedule: sourceKind.default('google-sheets'),
    })
    .default({ organizers: 'airtable', speakers: 'airtable', papers: 'airtable', programCommittee: 'airtable', schedule: 'google-sheets' }),
  /** Renamed tables and columns; see sync/map/template.ts for every name. */
  template: z.custom<TemplateOverrides>((v) => typeof v === 'object' && v !== null, 'must be an object of renamed tables and columns').default({}),
  /** `fail` (default): any bad row fails the sync and nothing is written. `skip`: bad rows are left out, with warnings. */
  onInvalidRow: z.enum(['fail', 'skip']).default('fail'),
  /** Refuse a sync that would remove more than this share of a collection, unless forced. */
  maxRemovalShare: z.number().min(0).max(1).default(0.5),
  photos: z
    .strictObject({
      /** Largest photo accepted, in bytes. */
      maxBytes: z.number().int().positive().default(5_000_000),
      /** Accepted types; SVG is never accepted (it can carry scripts). */
      types: z.array(z.enum(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'])).default(['image/jpeg', 'image/png', 'image/webp']),
    })
    .default({ maxBytes: 5_000_000, types: ['image/jpeg', 'image/png', 'image/webp'] }),
  /** Deadline of one request, body included, in ms. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
});

/** What `workshop.config.ts` exports. Every field is optional. */
export type WorkshopConfig = z.input<typeof configSchema>;

/** Types the config file; returns it unchanged. */
export function defineConfig(config: WorkshopConfig): WorkshopConfig {
  return config;
}

/** Credentials, from the environment only. Never printed, never written. */
export interface Secrets {
  airtableToken: string | undefined;
  googleApiKey: string | undefined;
  googleServiceAccount: ServiceAccountKey | undefined;
}

export type ResolvedConfig = z.output<typeof configSchema> & {
  /** The project root: relative paths are resolved against it. */
  root: string;
  template: Template;
  secrets: Secrets;
};

function readServiceAccount(file: string | undefined): ServiceAccountKey | undefined {
  if (!file) return undefined;
  let key: Partial<ServiceAccountKey>;
  try {
    key = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServiceAccountKey>;
  } catch (error) {
    throw new ConfigError(`GOOGLE_APPLICATION_CREDENTIALS names ${file}, which is not a readable JSON key file (${(error as Error).message.split('\n')[0]}).`);
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new ConfigError(`${file} is not a service-account key: it lacks client_email or private_key. Create a JSON key for the service account and point GOOGLE_APPLICATION_CREDENTIALS at it.`);
  }
  return { client_email: key.client_email, private_key: key.private_key };
}

/** Validates the config file's value and completes it from the environment. */
export function resolveConfig(input: unknown, root: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`workshop.config.ts is invalid — ${issues.join('; ')}.`);
  }
  const config = parsed.data;
  const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const airtable = {
    baseId: set(env['AIRTABLE_BASE_ID']) ?? config.sources.airtable.baseId,
    endpointUrl: set(env['AIRTABLE_ENDPOINT_URL']) ?? config.sources.airtable.endpointUrl ?? 'https://api.airtable.com',
  };
  const googleSheets = {
    spreadsheetId: set(env['GOOGLE_SHEETS_ID']) ?? config.sources.googleSheets.spreadsheetId,
    rootUrl: set(env['GOOGLE_SHEETS_ROOT_URL']) ?? config.sources.googleSheets.rootUrl ?? 'https://sheets.googleapis.com/',
  };
  const template = customizeTemplate(config.template);
  const urls = { ...config.sources.publishedCsv.urls };
  const tables = { ...config.tables };
  const csvUrl = set(env['GOOGLE_SHEETS_CSV_URL']);
  if (csvUrl) {
    urls[template.sheets.schedule.table] = csvUrl;
    // A published CSV and no Sheets id: the schedule comes from the CSV.
    if (tables.schedule === 'google-sheets' && !googleSheets.spreadsheetId) tables.schedule = 'published-csv';
  }
  return {
    ...config,
    contentDir: path.resolve(root, set(env['CONTENT_DIR']) ?? config.contentDir),
    sources: { ...config.sources, airtable, googleSheets, publishedCsv: { urls } },
    tables,
    root,
    template,
    secrets: {
      airtableToken: set(env['AIRTABLE_TOKEN']),
      googleApiKey: set(env['GOOGLE_API_KEY']),
      googleServiceAccount: readServiceAccount(set(env['GOOGLE_APPLICATION_CREDENTIALS'])),
    },
  };
}

/** Loads `workshop.config.ts` (or the given file) from the project root; a missing file means all defaults. */
export async function loadConfig(root: string, file = 'workshop.config.ts', env: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  const full = path.resolve(root, file);
  let value: unknown = {};
  try {
    readFileSync(full);
    value = ((await import(pathToFileURL(full).href)) as { default?: unknown }).default ?? {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return resolveConfig(value, root, env);
}
