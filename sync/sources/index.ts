/** Makes the configured sources, each once and only when a table uses it, so unused ones need no credentials. */
import type { ResolvedConfig, SourceKind } from '../config.ts';
import { createThrottles } from '../http/throttle.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { airtableSource } from './airtable.ts';
import { googleSheetsSource } from './google-sheets.ts';
import { localFilesSource } from './local-files.ts';
import { publishedCsvSource } from './published-csv.ts';
import { ConfigError } from '../errors.ts';
import type { Source } from './types.ts';

/**
 * Airtable counts 5 requests a second per base, whoever sends them: one throttle per base for the whole process, so
 * that a sync started right after another (the service's coalesced runs) cannot open with a burst either.
 */
const throttleFor = createThrottles();

export function sourceFactory(config: ResolvedConfig, policy?: RetryPolicy): (kind: SourceKind) => Source {
  const made = new Map<SourceKind, Source>();
  const common = { ...(policy ? { policy } : {}) };
  const make = (kind: SourceKind): Source => {
    const { sources, secrets } = config;
    switch (kind) {
      case 'airtable':
        return airtableSource({
          token: secrets.airtableToken,
          baseId: sources.airtable.baseId,
          endpointUrl: sources.airtable.endpointUrl,
          throttle: throttleFor(`${sources.airtable.endpointUrl} ${sources.airtable.baseId ?? ''}`),
          requestTimeoutMs: config.requestTimeoutMs,
          ...common,
        });
      case 'google-sheets':
        return googleSheetsSource({
          spreadsheetId: sources.googleSheets.spreadsheetId,
          apiKey: secrets.googleApiKey,
          serviceAccount: secrets.googleServiceAccount,
          rootUrl: sources.googleSheets.rootUrl,
          timeoutMs: config.requestTimeoutMs,
          ...common,
        });
      case 'published-csv':
        return publishedCsvSource({ urls: sources.publishedCsv.urls, timeoutMs: config.requestTimeoutMs, ...common });
      case 'local-files':
        if (!sources.localFiles)
          throw new ConfigError('A table comes from local files, but sources.localFiles.dir is not set in workshop.config.ts.');
        return localFilesSource({ dir: sources.localFiles.dir });
    }
  };
  return (kind) => {
    let source = made.get(kind);
    if (!source) made.set(kind, (source = make(kind)));
    return source;
  };
}
