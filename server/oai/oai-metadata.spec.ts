import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/item.types.ts';
import { languageCodes, marc008, marcFieldsOf } from './oai-metadata.ts';
import { filterOfSet, setSpecsOf, setsOf, slugOf } from './oai-sets.ts';

const item = (metadata: Item['metadata']): Item =>
  ({
    id: 'abc123',
    title: 'Sejarah',
    metadata,
    pageCount: 12,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T11:22:33.456Z',
    nomorInduk: '00001/AM/2026',
  }) as Item;

describe('languages', () => {
  it('gives ISO 639-3 to Dublin Core and the MARC (639-2/B) codes to MARC', () => {
    expect(languageCodes(['ind', 'nl', 'jav', 'msa'])).toEqual({
      dc: ['ind', 'nld', 'jav', 'msa'],
      marc: ['ind', 'dut', 'jav', 'may'],
    });
  });
});

describe('MARC fixed fields', () => {
  it('writes a 24-character leader and a 40-character 008', () => {
    const { leader, fields } = marcFieldsOf({
      item: item({ year: 1952, type: 'Majalah', language: ['ind'] }),
      access: 'open',
      url: 'https://x.example/item/abc123',
      lang: 'id',
    });
    expect(leader).toHaveLength(24);
    expect(leader[7]).toBe('s');
    const f008 = fields.find((f) => f.tag === '008');
    expect(f008 && 'value' in f008 ? f008.value : '').toMatch(/^261205s1952 {4}xx {6}o {11}ind d$/);
    const f005 = fields.find((f) => f.tag === '005');
    expect(f005 && 'value' in f005 ? f005.value : '').toBe('20261205112233.4');
    expect(marc008(item({}), undefined)).toHaveLength(40);
    expect(marc008(item({}), undefined)).toContain('nuuuu');
  });
});

describe('sets', () => {
  it('slugs values: case and accents do not make another set', () => {
    expect(slugOf('Naskah Kuno (Jawi)')).toBe('naskah-kuno-jawi');
    expect(slugOf('Koleksi Lokal')).toBe(slugOf('koleksi  lokal'));
    expect(slugOf('Pérpustakaan')).toBe('perpustakaan');
    expect(setSpecsOf(item({ collection: 'Koleksi Lokal', type: '???' }))).toEqual([
      'collection:koleksi-lokal',
    ]);
  });

  it('lists parents and children, and turns a spec back into the stored values', () => {
    const values = { collections: ['Koleksi Lokal', 'koleksi lokal', 'Langka'], types: ['Buku'] };
    expect(setsOf(values, (f) => f).map((s) => s.spec)).toEqual([
      'collection',
      'collection:koleksi-lokal',
      'collection:langka',
      'type',
      'type:buku',
    ]);
    expect(filterOfSet('collection:koleksi-lokal', values)).toEqual({
      collections: ['Koleksi Lokal', 'koleksi lokal'],
      types: null,
    });
    expect(filterOfSet('type', values)).toEqual({ collections: null, types: ['Buku'] });
    expect(filterOfSet('type:peta', values)).toBeNull();
    expect(filterOfSet('collection:a:b', values)).toBeNull();
    expect(filterOfSet('rights:open', values)).toBeNull();
  });
});

describe('rights', () => {
  it("gives the item's licence URI where its metadata names one, else Copyright Not Evaluated", () => {
    const f540 = (metadata: Item['metadata']) => {
      const f = marcFieldsOf({
        item: item(metadata),
        access: 'open',
        url: 'https://x.example/item/abc123',
        lang: 'id',
      }).fields.find((x) => x.tag === '540');
      return f && 'subfields' in f ? Object.fromEntries(f.subfields).u : undefined;
    };
    expect(f540({ license: 'http://creativecommons.org/licenses/by/4.0/' })).toBe(
      'http://creativecommons.org/licenses/by/4.0/',
    );
    expect(f540({})).toBe('http://rightsstatements.org/vocab/CNE/1.0/');
  });
});
