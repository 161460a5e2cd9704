/**
 * The entries the last sync wrote to content/<edition>, found by id, for the rows refused this time (see
 * map/keep.ts). A collection file is read an entry at a time (50,000 papers are never held), and only when a refused
 * row asks for it; a missing or damaged file finds nothing. A person's photo whose file is gone is left out of the
 * entry found, so that a kept person never names a photo the site cannot show.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonArray } from '../../content-store/json-read.ts';
import { FILES } from '../../src/model/index.ts';
import type { PublishedEntries } from '../map/keep.ts';
import type { Collection } from '../report.ts';

const isEntry = (value: unknown): value is Record<string, unknown> & { id: string } =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';

/** The entry, without a photo whose file is not in `photosDir` (a photo is `./photos/<file>`). */
function withExistingPhoto(entry: Record<string, unknown>, photosDir: string): Record<string, unknown> {
  const { photo, ...rest } = entry;
  if (photo === undefined) return entry;
  const file = typeof photo === 'string' ? path.basename(photo) : '';
  return file !== '' && photo === `./photos/${file}` && existsSync(path.join(photosDir, file)) ? entry : rest;
}

/** The last published entries of the edition folder `dir`. */
export function publishedEntries(dir: string): PublishedEntries {
  return {
    find(collection: Collection, ids: ReadonlySet<string>) {
      const found = new Map<string, unknown>();
      const file = path.join(dir, FILES[collection]);
      if (ids.size === 0 || !existsSync(file)) return found;
      try {
        for (const value of readJsonArray(file)) {
          if (!isEntry(value) || !ids.has(value.id) || found.has(value.id)) continue;
          found.set(value.id, collection === 'people' ? withExistingPhoto(value, path.join(dir, 'photos')) : value);
        }
      } catch {
        return new Map(); // a damaged file: as if nothing had been published
      }
      return found;
    },
  };
}
