/**
 * Makes the configured sources, each once and only when a table uses it, so unused ones need no credentials. A
 * source's module (and its client library) is loaded only when a table of the config comes from it: a sync without a
 * Google Sheet never loads @googleapis/sheets and google-auth-library, which take about 150 ms of its start-up.
 */
import type { ResolvedConfig, SourceKind } from '../config.ts';
import { createThrottles } from '../http/throttle.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { ConfigError } from '../errors.ts';
import type { Source } from './types.ts';

/**
 * Airtable counts 5 requests a second per base, whoever sends them: one throttle per base for the whole process, so
 * that a sync started right after another (the service's coalesced runs) cannot open with a burst either.
 */
const throttleFor = createThrottles();

/** The process's one throttle for an Airtable base (at an endpoint): whatever in the process asks that base uses it. */
export const airtableThrottle = (endpointUrl: string | undefined, baseId: string | undefined) =>
  throttleFor(`${endpointUrl ?? ''} ${baseId ?? ''}`);

/**
 * Loads and makes the sources that the config's tables come from, all of them before the first request, and returns
 * them by kind. Before, not while the first requests are on their way: the throttle counts a request from when it
 * starts, so a process busy loading or setting up code then sends them later than counted, and the next second's
 * requests can reach Airtable within the same second (a 429 and its 30 s penalty: docs/reliability.md, "Rate-limit
 * margin"). A missing credential also stops the sync before any request.
 */
export async function sourceFactory(config: ResolvedConfig, policy?: RetryPolicy): Promise<(kind: SourceKind) => Source> {
  const uses = (kind: SourceKind) => Object.values(config.tables).includes(kind);
  const [airtable, googleSheets, publishedCsv, localFiles] = await Promise.all([
    uses('airtable') ? import('./airtable.ts') : undefined,
    uses('google-sheets') ? import('./google-sheets.ts') : undefined,
    uses('published-csv') ? import('./published-csv.ts') : undefined,
    uses('local-files') ? import('./local-files.ts') : undefined,
  ]);
  /** A bug, not a setting: only the tables of the config are read. */
  const unused = (kind: SourceKind) => new Error(`no table of the config comes from ${kind}, so its source was not loaded`);
  const made = new Map<SourceKind, Source>();
  const common = { ...(policy ? { policy } : {}) };
  const make = (kind: SourceKind): Source => {
    const { sources, secrets } = config;
    switch (kind) {
      case 'airtable':
        if (!airtable) throw unused(kind);
        return airtable.airtableSource({
          token: secrets.airtableToken,
          baseId: sources.airtable.baseId,
          endpointUrl: sources.airtable.endpointUrl,
          throttle: airtableThrottle(sources.airtable.endpointUrl, sources.airtable.baseId),
          requestTimeoutMs: config.requestTimeoutMs,
          ...common,
        });
      case 'google-sheets':
        if (!googleSheets) throw unused(kind);
        return googleSheets.googleSheetsSource({
          spreadsheetId: sources.googleSheets.spreadsheetId,
          apiKey: secrets.googleApiKey,
          serviceAccount: secrets.googleServiceAccount,
          rootUrl: sources.googleSheets.rootUrl,
          timeoutMs: config.requestTimeoutMs,
          ...common,
        });
      case 'published-csv':
        if (!publishedCsv) throw unused(kind);
        return publishedCsv.publishedCsvSource({ urls: sources.publishedCsv.urls, timeoutMs: config.requestTimeoutMs, ...common });
      case 'local-files':
        if (!localFiles) throw unused(kind);
        if (!sources.localFiles)
          throw new ConfigError('A table comes from local files, but sources.localFiles.dir is not set in workshop.config.ts.');
        return localFiles.localFilesSource({ dir: sources.localFiles.dir });
    }
  };
  for (const kind of new Set(Object.values(config.tables))) if (kind !== 'none') made.set(kind, make(kind));
  // Node loads its fetch (undici: the schema request, photos, published CSVs) on its first call: ~55 ms, here.
  await (await fetch('data:,')).arrayBuffer();
  return (kind) => {
    const source = made.get(kind);
    if (!source) throw unused(kind);
    return source;
  };
}
