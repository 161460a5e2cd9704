/**
 * The sync's typed configuration: `workshop.config.ts` at the project root (defineConfig), parsed once with zod,
 * then completed from the environment. Secrets (tokens, keys) come only from the environment and are kept apart,
 * in `secrets`, which nothing prints or writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'astro/zod';
import { ConfigError } from './errors.ts';
import { AIRTABLE_API, SHEETS_API } from './sources/endpoints.ts';
import { customizeTemplate, type Template, type TemplateOverrides } from './template.ts';
import type { ServiceAccountKey } from './sources/google-sheets.ts';

/** Where a table comes from. */
const SOURCE_KINDS = ['airtable', 'google-sheets', 'published-csv', 'local-files'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
const sourceKind = z.enum(SOURCE_KINDS);

/** Where a sync that changed content goes: see sync/service/targets/. */
const targetSchema = z.discriminatedUnion('kind', [
  /** Astro's build() into a fresh folder, then `siteDir` (a symlink) is switched to it atomically. */
  z.strictObject({ kind: z.literal('local'), siteDir: z.string().default('site'), keep: z.number().int().min(1).default(3) }),
  /** POST to a deploy hook (Netlify, Vercel, Cloudflare Pages); the URL, which holds a secret, comes from DEPLOY_HOOK_URL. */
  z.strictObject({ kind: z.literal('deploy-hook') }),
  /** Commit content/ with a message summarizing the diff, and push (a CI deploy then builds). */
  z.strictObject({
    kind: z.literal('git'),
    remote: z.string().default('origin'),
    branch: z.string().optional(),
    push: z.boolean().default(true),
  }),
  /** Sync only. */
  z.strictObject({ kind: z.literal('none') }),
]);

const SERVICE_DEFAULTS = {
  cron: '*/10 * * * *',
  target: { kind: 'local', siteDir: 'site', keep: 3 },
  trigger: { host: '127.0.0.1', public: false, debounceMs: 5_000 },
  alarm: { afterFailures: 3 },
  stateDir: '.sync',
} as const;

const serviceSchema = z.strictObject({
  /** node-cron expression (5 or 6 fields); SYNC_CRON overrides it. */
  cron: z.string().default(SERVICE_DEFAULTS.cron),
  /** IANA zone the cron expression is read in (default: the machine's); SYNC_TZ overrides it. */
  timeZone: z.string().optional(),
  target: targetSchema.default(SERVICE_DEFAULTS.target),
  /** `POST /trigger`, `GET /healthz`, `GET /status`; off unless a port is set (SYNC_PORT). The secret: SYNC_TRIGGER_SECRET. */
  trigger: z
    .strictObject({
      port: z.number().int().min(0).max(65_535).optional(),
      host: z.string().default(SERVICE_DEFAULTS.trigger.host),
      /**
       * A `host` other than loopback (`0.0.0.0`, `""`, `::`, a LAN address) is refused unless this is true (SYNC_PUBLIC=1
       * overrides it); public, the endpoint needs SYNC_TRIGGER_SECRET and `GET /status` needs it too.
       */
      public: z.boolean().default(SERVICE_DEFAULTS.trigger.public),
      /** A burst of triggers within this quiet time makes one run. */
      debounceMs: z.number().int().min(0).default(SERVICE_DEFAULTS.trigger.debounceMs),
    })
    .default(SERVICE_DEFAULTS.trigger),
  /** After this many failed runs in a row, run `command` and/or POST SYNC_ALARM_WEBHOOK, once per streak. */
  alarm: z
    .strictObject({ afterFailures: z.number().int().min(1).default(SERVICE_DEFAULTS.alarm.afterFailures), command: z.string().optional() })
    .default(SERVICE_DEFAULTS.alarm),
  /** The lock file, status.json and local builds live here (relative to the project root). */
  stateDir: z.string().default(SERVICE_DEFAULTS.stateDir),
});

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
  /** Renamed tables and columns, by table (organizers, speakers, papers, programCommittee, schedule); see sync/template.ts. */
  template: z
    .custom<TemplateOverrides>((v) => typeof v === 'object' && v !== null, 'must be an object of renamed tables and columns')
    .refine((v) => !('airtable' in v) && !('sheets' in v), {
      message:
        'is keyed by table now: write template.papers, template.schedule… instead of template.airtable.papers, template.sheets.schedule (template.sheets.dayFirst is template.schedule.dayFirst)',
    })
    .default({}),
  /**
   * What a row without a required value (or with an invalid one) does. `skip` (default): the row is left out with a
   * warning, and the entry it gave in the last sync stays published as it was until the row is fixed. `fail`: the
   * sync stops and nothing is written (strict). An invalid optional value costs only that value, in both modes.
   */
  onInvalidRow: z.enum(['fail', 'skip']).default('skip'),
  /** Refuse a sync that would remove more than this share of a collection, unless forced. */
  maxRemovalShare: z.number().min(0).max(1).default(0.5),
  photos: z
    .strictObject({
      /** Largest photo accepted, in bytes. */
      maxBytes: z.number().int().positive().default(5_000_000),
      /** Accepted types; SVG is never accepted (it can carry scripts). */
      types: z
        .array(z.enum(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']))
        .default(['image/jpeg', 'image/png', 'image/webp']),
    })
    .default({ maxBytes: 5_000_000, types: ['image/jpeg', 'image/png', 'image/webp'] }),
  /** Files attached in a paper's link columns (a PDF in the PDF column), mirrored like photos; see docs/sync.md. */
  files: z
    .strictObject({
      /** Largest file accepted, in bytes; a larger one is left out (the download stops at this size). */
      maxBytes: z.number().int().positive().default(20_000_000),
    })
    .default({ maxBytes: 20_000_000 }),
  /** Deadline of one request, body included, in ms. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** The scheduled service (`npm run serve:sync`); see sync/service/. */
  service: serviceSchema.default(SERVICE_DEFAULTS),
});

/** What `workshop.config.ts` exports. Every field is optional. */
export type WorkshopConfig = z.input<typeof configSchema>;

/** Types the config file; returns it unchanged. */
export function defineConfig(config: WorkshopConfig): WorkshopConfig {
  return config;
}

/** The environment variables that hold credentials: child processes (builds, git, alarm commands) never get them. */
export const SECRET_ENV_VARS = [
  'AIRTABLE_TOKEN',
  'GOOGLE_API_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'SYNC_TRIGGER_SECRET',
  'DEPLOY_HOOK_URL',
  'SYNC_ALARM_WEBHOOK',
] as const;

/** Credentials, from the environment only. Never printed, never written. */
export interface Secrets {
  airtableToken: string | undefined;
  googleApiKey: string | undefined;
  googleServiceAccount: ServiceAccountKey | undefined;
  /** SYNC_TRIGGER_SECRET: what `POST /trigger` must present. */
  triggerSecret: string | undefined;
  /** DEPLOY_HOOK_URL: deploy hook URLs embed their own secret. */
  deployHookUrl: string | undefined;
  /** SYNC_ALARM_WEBHOOK: may embed a token (e.g. a Slack webhook). */
  alarmWebhook: string | undefined;
}

export type ServiceSettings = z.output<typeof serviceSchema>;
export type TargetSettings = ServiceSettings['target'];

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
    throw new ConfigError(
      `GOOGLE_APPLICATION_CREDENTIALS names ${file}, which is not a readable JSON key file (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new ConfigError(
      `${file} is not a service-account key: it lacks client_email or private_key. Create a JSON key for the service account and point GOOGLE_APPLICATION_CREDENTIALS at it.`,
    );
  }
  return { client_email: key.client_email, private_key: key.private_key };
}

const envNumber = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, not "${value}".`);
  return n;
};

const envBoolean = (name: string, value: string | undefined): boolean | undefined => {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be 1 (or true) or 0 (or false), not "${value}".`);
};

/** SYNC_* variables over the config file's `service`. */
function resolveService(service: ServiceSettings, env: NodeJS.ProcessEnv): ServiceSettings {
  const set = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const targetKind = set(env['SYNC_TARGET']);
  let target = service.target;
  if (targetKind !== undefined && targetKind !== target.kind) {
    const parsed = targetSchema.safeParse({ kind: targetKind });
    if (!parsed.success) throw new ConfigError(`SYNC_TARGET must be local, deploy-hook, git or none, not "${targetKind}".`);
    target = parsed.data;
  }
  const port = envNumber('SYNC_PORT', env['SYNC_PORT']);
  const publicFlag = envBoolean('SYNC_PUBLIC', env['SYNC_PUBLIC']);
  const after = envNumber('SYNC_ALARM_AFTER', env['SYNC_ALARM_AFTER']);
  const command = set(env['SYNC_ALARM_COMMAND']);
  const cron = set(env['SYNC_CRON']) ?? service.cron;
  const timeZone = set(env['SYNC_TZ']) ?? service.timeZone;
  return {
    ...service,
    cron,
    ...(timeZone === undefined ? {} : { timeZone }),
    target,
    trigger: { ...service.trigger, ...(port === undefined ? {} : { port }), ...(publicFlag === undefined ? {} : { public: publicFlag }) },
    alarm: { ...service.alarm, ...(after === undefined ? {} : { afterFailures: after }), ...(command === undefined ? {} : { command }) },
  };
}

/**
 * The credentials in `env`. The service account's key file is read (and may fail with a ConfigError) unless
 * `readKeyFile` is false, as for scrubbing an error line when the config could not even be read.
 */
export function secretsFrom(env: NodeJS.ProcessEnv, readKeyFile = true): Secrets {
  const set = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  return {
    airtableToken: set('AIRTABLE_TOKEN'),
    googleApiKey: set('GOOGLE_API_KEY'),
    googleServiceAccount: readKeyFile ? readServiceAccount(set('GOOGLE_APPLICATION_CREDENTIALS')) : undefined,
    triggerSecret: set('SYNC_TRIGGER_SECRET'),
    deployHookUrl: set('DEPLOY_HOOK_URL'),
    alarmWebhook: set('SYNC_ALARM_WEBHOOK'),
  };
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
    endpointUrl: set(env['AIRTABLE_ENDPOINT_URL']) ?? config.sources.airtable.endpointUrl ?? AIRTABLE_API,
  };
  const googleSheets = {
    spreadsheetId: set(env['GOOGLE_SHEETS_ID']) ?? config.sources.googleSheets.spreadsheetId,
    rootUrl: set(env['GOOGLE_SHEETS_ROOT_URL']) ?? config.sources.googleSheets.rootUrl ?? SHEETS_API,
  };
  const template = customizeTemplate(config.template);
  const urls = { ...config.sources.publishedCsv.urls };
  const tables = { ...config.tables };
  const csvUrl = set(env['GOOGLE_SHEETS_CSV_URL']);
  if (csvUrl) {
    urls[template.schedule.table] = csvUrl;
    // A published CSV and no Sheets id: the schedule comes from the CSV.
    if (tables.schedule === 'google-sheets' && !googleSheets.spreadsheetId) tables.schedule = 'published-csv';
  }
  const service = resolveService(config.service, env);
  return {
    ...config,
    service,
    contentDir: path.resolve(root, set(env['CONTENT_DIR']) ?? config.contentDir),
    sources: { ...config.sources, airtable, googleSheets, publishedCsv: { urls } },
    tables,
    root,
    template,
    secrets: secretsFrom(env),
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
