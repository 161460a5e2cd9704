/**
 * The edition's IANA time zone, checked against the zones the JavaScript engine knows (as the content model does),
 * written as the engine names it ("europe/berlin" → "Europe/Berlin"); a typo gets the nearest names.
 */
import { isTimeZone } from '../../src/model/fields.ts';
import { editDistance } from '../checks/edit-distance.ts';
import type { Parsed } from './source-urls.ts';

/** Up to three known zones nearest to `name`: by the whole name, or by its city alone ("Berln" → Europe/Berlin). */
function nearestTimeZones(name: string): string[] {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, '_');
  const city = (zone: string) => zone.slice(zone.lastIndexOf('/') + 1);
  const scored = [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((zone) => {
    const lower = zone.toLowerCase();
    const max = Math.max(2, Math.floor(wanted.length / 4));
    // A name with its region ("Europe/Olso") is nearer to the zones of that region than to a city elsewhere.
    const elsewhere = wanted.includes('/') ? 1 : 0;
    const distance = Math.min(editDistance(wanted, lower, max), editDistance(city(wanted), city(lower), max) + elsewhere);
    return { zone, distance, max };
  });
  const near = scored.filter((s) => s.distance <= s.max);
  const best = Math.min(...near.map((s) => s.distance));
  return near
    .filter((s) => s.distance === best)
    .map((s) => s.zone)
    .sort()
    .slice(0, 3);
}

/** The zone, with the case of its IANA name ("europe/berlin" → "Europe/Berlin"), or why not with the nearest names. */
export function parseTimeZone(raw: string): Parsed<string> {
  const name = raw.trim();
  if (name !== '' && isTimeZone(name)) {
    const known = [...Intl.supportedValuesOf('timeZone'), 'UTC'].find((zone) => zone.toLowerCase() === name.toLowerCase());
    return { ok: true, value: known ?? name };
  }
  const near = nearestTimeZones(name);
  const hint = near.length > 0 ? ` Did you mean ${near.map((z) => `"${z}"`).join(' or ')}?` : '';
  return {
    ok: false,
    error: `${JSON.stringify(name)} is not an IANA time zone name such as "America/New_York" or "Europe/Berlin".${hint}`,
  };
}
