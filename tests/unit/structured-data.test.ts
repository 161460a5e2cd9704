/**
 * src/lib/structured-data.ts: ISO 8601 instants with the zone's offset, and JSON-LD that cannot close
 * its <script> element.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PaperEntry, PersonEntry } from '../../src/lib/edition.ts';
import { isoWithOffset, paperLd, personLd, serializeJsonLd } from '../../src/lib/structured-data.ts';
import { zonedToUtc } from '../../src/lib/time.ts';

describe('isoWithOffset', () => {
  const instant = new Date('2024-07-18T13:00:00Z');

  it('writes the wall clock of the zone with its offset', () => {
    assert.equal(isoWithOffset(instant, 'America/New_York'), '2024-07-18T09:00:00-04:00');
    assert.equal(isoWithOffset(new Date('2024-01-18T14:00:00Z'), 'America/New_York'), '2024-01-18T09:00:00-05:00');
    assert.equal(isoWithOffset(instant, 'Asia/Kolkata'), '2024-07-18T18:30:00+05:30');
    assert.equal(isoWithOffset(instant, 'UTC'), '2024-07-18T13:00:00+00:00');
    assert.equal(isoWithOffset(instant, 'Asia/Tokyo'), '2024-07-18T22:00:00+09:00');
  });

  it('handles negative and 45-minute fractional offsets', () => {
    // St John's is NDT (−02:30) in July, Marquesas −09:30 all year, Kathmandu +05:45.
    assert.equal(isoWithOffset(instant, 'America/St_Johns'), '2024-07-18T10:30:00-02:30');
    assert.equal(isoWithOffset(instant, 'Pacific/Marquesas'), '2024-07-18T03:30:00-09:30');
    assert.equal(isoWithOffset(instant, 'Asia/Kathmandu'), '2024-07-18T18:45:00+05:45');
  });

  it('writes the day of the zone when it differs from the UTC day', () => {
    assert.equal(isoWithOffset(new Date('2024-07-18T02:00:00Z'), 'America/New_York'), '2024-07-17T22:00:00-04:00');
    assert.equal(isoWithOffset(new Date('2024-12-31T20:00:00Z'), 'Asia/Tokyo'), '2025-01-01T05:00:00+09:00');
  });

  it('tells the two occurrences of a repeated hour apart by their offset', () => {
    assert.equal(isoWithOffset(new Date('2024-11-03T05:30:00Z'), 'America/New_York'), '2024-11-03T01:30:00-04:00');
    assert.equal(isoWithOffset(new Date('2024-11-03T06:30:00Z'), 'America/New_York'), '2024-11-03T01:30:00-05:00');
  });

  it('round-trips: parsing the string gives back the instant, for every hour of 2024 in several zones', () => {
    for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns']) {
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3600_000) {
        const text = isoWithOffset(new Date(t), zone);
        assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        assert.equal(Date.parse(text), t, `${zone} ${text}`);
      }
    }
  });

  it('agrees with zonedToUtc on a schedule time', () => {
    assert.equal(isoWithOffset(zonedToUtc('2024-07-18T14:45', 'America/New_York'), 'America/New_York'), '2024-07-18T14:45:00-04:00');
  });
});

describe('serializeJsonLd', () => {
  it('cannot close the script element or open a comment', () => {
    const value = { name: '</script><script>alert(1)</script>', other: '</SCRIPT >', comment: '<!-- x -->' };
    const json = serializeJsonLd(value);
    assert.doesNotMatch(json, /<\/script/i);
    assert.doesNotMatch(json, /<!--/);
    assert.doesNotMatch(json, /</);
    assert.ok(json.includes('\\u003c/script>'));
  });

  it('escapes the JavaScript line terminators U+2028 and U+2029', () => {
    const json = serializeJsonLd({ text: 'a\u2028b\u2029c' });
    assert.doesNotMatch(json, /[\u2028\u2029]/);
    assert.ok(json.includes('\\u2028') && json.includes('\\u2029'));
  });

  it('is still JSON that parses back to the same value', () => {
    const value = { '@context': 'https://schema.org', name: '</script> & <b> "quoted" \u2028', list: [1, '<', { a: '>' }] };
    assert.deepEqual(JSON.parse(serializeJsonLd(value)), value);
  });
});

describe('personLd / paperLd', () => {
  it('describes a person, with affiliation and homepage only when given', () => {
    const full = { data: { name: 'Ada Lovelace', affiliation: 'Analytical Engines', homepage: 'https://example.org/ada' } };
    assert.deepEqual(personLd(full as unknown as PersonEntry), {
      '@type': 'Person',
      name: 'Ada Lovelace',
      affiliation: { '@type': 'Organization', name: 'Analytical Engines' },
      url: 'https://example.org/ada',
    });
    assert.deepEqual(personLd({ data: { name: 'Alan Turing' } } as unknown as PersonEntry), { '@type': 'Person', name: 'Alan Turing' });
  });

  it('describes a paper with its authors in order and only the pdf/arxiv links as sameAs', () => {
    const paper = {
      data: {
        title: 'On Computable Numbers',
        authors: ['Alan Turing', 'Ada Lovelace'],
        links: { arxiv: 'https://arxiv.org/abs/0000.00000', code: 'https://example.org/code' },
      },
    } as unknown as PaperEntry;
    const view = { edition: { data: { dates: { start: '2024-07-18' }, title: 'Workshop' } } } as unknown as Parameters<typeof paperLd>[2];
    const ld = paperLd(paper, 'https://site.example/2024_2/papers/1/', view);
    assert.equal(ld['@type'], 'ScholarlyArticle');
    assert.deepEqual(ld['author'], [
      { '@type': 'Person', name: 'Alan Turing' },
      { '@type': 'Person', name: 'Ada Lovelace' },
    ]);
    assert.deepEqual(ld['sameAs'], ['https://arxiv.org/abs/0000.00000']);
    assert.equal(ld['datePublished'], '2024-07-18');
    assert.equal(ld['abstract'], undefined);
    const noLinks = paperLd({ data: { title: 'T', authors: ['A'], links: {} } } as unknown as PaperEntry, 'u', view);
    assert.equal('sameAs' in noLinks, false);
  });
});
