import { describe, expect, it } from 'vitest';
import { buildCollection } from './iiif-collection.ts';

const base = 'https://koleksi.example.go.id';
const entries = Array.from({ length: 7 }, (_, i) => ({ id: `item${i}abc`, title: `Buku ${i}` }));

describe('IIIF Collection', () => {
  it('lists manifests directly while they fit in one part', () => {
    const c = buildCollection(base, { name: 'Koleksi Lokal' }, entries.slice(0, 3), undefined, 3);
    expect(c?.id).toBe(`${base}/iiif/collection/Koleksi%20Lokal`);
    expect(c?.items.map((i) => [i.type, i.id, i.label])).toEqual(
      entries.slice(0, 3).map((e) => ['Manifest', `${base}/iiif/${e.id}/manifest`, { none: [e.title] }]),
    );
  });

  it('pages a larger one into parts, each part of the whole and every item in exactly one part', () => {
    const top = buildCollection(base, {}, entries, undefined, 3);
    expect(top?.items.map((i) => [i.type, i.id])).toEqual([
      ['Collection', `${base}/iiif/collection?part=1`],
      ['Collection', `${base}/iiif/collection?part=2`],
      ['Collection', `${base}/iiif/collection?part=3`],
    ]);
    const seen: string[] = [];
    for (const n of [1, 2, 3]) {
      const part = buildCollection(base, {}, entries, n, 3);
      expect(part?.id).toBe(`${base}/iiif/collection?part=${n}`);
      expect(part?.partOf?.[0]?.id).toBe(`${base}/iiif/collection`);
      expect(part?.label.en?.[0]).toBe(`All items, part ${n}`);
      seen.push(...(part?.items ?? []).map((i) => i.id));
    }
    expect(seen).toEqual(entries.map((e) => `${base}/iiif/${e.id}/manifest`));
    expect(buildCollection(base, {}, entries, 4, 3)).toBeNull();
    expect(buildCollection(base, {}, entries, 0, 3)).toBeNull();
  });

  it('names the library as provider when its name is configured', () => {
    const c = buildCollection(base, { libraryName: 'Perpustakaan Kota Malang' }, entries, undefined, 10);
    expect(c?.provider?.[0]?.label).toEqual({ none: ['Perpustakaan Kota Malang'] });
    expect(c?.requiredStatement.value).toEqual({ none: ['Perpustakaan Kota Malang'] });
  });
});
