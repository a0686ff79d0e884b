import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { createEmbeddedSearchIndex } from './embedded.search-index.ts';
import type { ItemDocument, PageDocument, SearchIndex, SearchQuery, SearchResult } from './search-index.ts';

const dir = tempDir('pindai-counts-');
const ITEMS = 60;
const TYPES = ['buku', 'majalah', 'peta'] as const;

/**
 * 60 items of 5–9 pages. "layanan" is on every page of books and magazines, never in maps;
 * "arsip" only in items whose number is a multiple of 4; every page of even-numbered
 * items has one of 12 words "kataloga" … "katalogl". Types cycle every 3 items, years every
 * 5, so no attribute lines up with the sample's spacing.
 */
function fixture(i: number): { item: ItemDocument; pages: PageDocument[] } {
  const itemId = `k${String(i).padStart(3, '0')}`;
  const type = TYPES[i % 3] as string;
  const pageCount = 5 + (i % 5);
  const word = type === 'peta' ? 'legenda' : 'layanan';
  return {
    item: {
      itemId,
      nomorInduk: itemId,
      title: `Judul ${i}`,
      type,
      year: 1990 + (i % 5),
      language: i % 2 === 0 ? ['ind'] : ['ind', 'jav'],
      rights: i % 10 === 9 ? 'staff-only' : 'public',
      pageCount,
      publishedAt: '2024-01-01T00:00:00.000Z',
    },
    pages: Array.from({ length: pageCount }, (_, p) => ({
      itemId,
      page: p + 1,
      text: `halaman ${p} ${word} koleksi ${i % 4 === 0 ? 'arsip' : 'naskah'} daerah ${i % 2 === 0 ? `katalog${'abcdefghijkl'[(i + p) % 12]}` : ''}`,
    })),
  };
}

let exact: SearchIndex;
let sampled: SearchIndex;
let whole: SearchIndex;

beforeAll(async () => {
  // Same file, three counting policies: default (exact at this size), a forced estimate from
  // 20 of 60 items, and a forced per-item count whose sample covers every item.
  const file = path.join(dir, 'counts.sqlite');
  exact = createEmbeddedSearchIndex(file);
  for (let i = 0; i < ITEMS; i++) {
    const { item, pages } = fixture(i);
    await exact.upsertItem(item, pages);
  }
  sampled = createEmbeddedSearchIndex(file, { counts: { exactRows: 0, sampleItems: 20 } });
  whole = createEmbeddedSearchIndex(file, { counts: { exactRows: 0, sampleItems: ITEMS } });
});
afterAll(async () => {
  await Promise.all([exact, sampled, whole].map((i) => i.close()));
});

function expectNear(actual: number | undefined, expected: number, tolerance: number) {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.max(1, expected * tolerance));
}

/** Every facet value with at least `share` of the exact matching items is estimated within `tolerance`. */
function expectNearCounts(est: SearchResult, ref: SearchResult, tolerance: number, share = 0.15) {
  expectNear(est.total, ref.total, tolerance);
  expectNear(est.totalItems, ref.totalItems, tolerance);
  for (const [name, values] of Object.entries(ref.facets)) {
    for (const [v, n] of Object.entries(values)) {
      // Per value, fewer sampled items: half as loose again.
      if (n >= ref.totalItems * share && n >= 10) {
        expectNear(est.facets[name as keyof typeof est.facets][v], n, tolerance * 1.5);
      }
    }
  }
  // Nothing appears that the exact count does not have.
  for (const [name, values] of Object.entries(est.facets)) {
    for (const v of Object.keys(values))
      expect(ref.facets[name as keyof typeof ref.facets]).toHaveProperty(v);
  }
}

describe('embedded index counts: exact when narrow, estimated when broad', () => {
  // Broad queries (most items match) are estimated within a quarter (page counts vary 5–9 per
  // item, and a third of the items is sampled); a word concentrated in a sixth of
  // the items only roughly (a sample of 20 items holds ~3 of them).
  const queries: { query: SearchQuery; tolerance: number }[] = [
    { query: { q: 'layanan ' }, tolerance: 0.25 },
    { query: { q: 'koleksi daerah ' }, tolerance: 0.25 },
    { query: { q: 'layanan ', groupBy: 'item' }, tolerance: 0.25 },
    { query: { q: 'layanan ', filters: { excludeRights: ['staff-only'], yearFrom: 1991 } }, tolerance: 0.25 },
    { query: { q: 'koleksi ', filters: { type: ['buku', 'peta'] } }, tolerance: 0.25 },
    // A prefix expanding into 12 words: fewer sample blocks are walked.
    { query: { q: 'katalo' }, tolerance: 0.25 },
    { query: { q: '"koleksi arsip"' }, tolerance: 0.6 },
    { query: { q: 'layanan arsip ' }, tolerance: 0.6 },
  ];

  it.each(queries)('estimates $query.q near the exact counts, and says so', async ({ query, tolerance }) => {
    const ref = await exact.search(query);
    expect(ref.estimated).toBe(false);
    expect(ref.total).toBeGreaterThan(0);
    const est = await sampled.search(query);
    expect(est.estimated).toBe(true);
    expectNearCounts(est, ref, tolerance);
    // The same hits whatever the counting.
    expect(est.hits).toEqual(ref.hits);
  });

  it('counts exactly per item when the sample covers every filtered item', async () => {
    for (const { query } of queries) {
      const ref = await exact.search(query);
      const r = await whole.search(query);
      expect(r.estimated).toBe(false);
      expect({ total: r.total, totalItems: r.totalItems, facets: r.facets }).toEqual({
        total: ref.total,
        totalItems: ref.totalItems,
        facets: ref.facets,
      });
    }
  });

  it('honours filters in estimated counts: a filtered-out value never appears', async () => {
    const filters = { type: ['majalah', 'peta'], excludeRights: ['staff-only'] };
    const r = await sampled.search({ q: 'koleksi ', filters });
    expect(r.estimated).toBe(true);
    expect(Object.keys(r.facets.type).sort()).toEqual(['majalah', 'peta']);
    expect(r.facets.rights).toEqual({ public: expect.any(Number) });
    // Maps have no "layanan": no estimate invents them.
    const layanan = await sampled.search({ q: 'layanan ' });
    expect(layanan.estimated).toBe(true);
    expect(layanan.facets.type.peta).toBeUndefined();
    expectNear(layanan.facets.type.buku, 20, 0.2);
  });

  it('counts exactly inside one item and when a word is narrow', async () => {
    const inside = await sampled.search({ q: 'layanan ', itemId: 'k004' });
    expect(inside).toMatchObject({ estimated: false, total: 9, totalItems: 1 });
    const narrow = await exact.search({ q: 'layanan halaman 0 ' });
    expect(narrow.estimated).toBe(false);
  });

  it('never reports fewer than the page shows', async () => {
    const r = await sampled.search({ q: 'layanan ', limit: 100, groupBy: 'item' });
    expect(r.totalItems).toBeGreaterThanOrEqual(r.items.length);
    expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
  });
});

describe('estimated counts after writes', () => {
  it('see items added through the same connection and through another one', async () => {
    const file = path.join(dir, 'writes.sqlite');
    const writer = createEmbeddedSearchIndex(file);
    const reader = createEmbeddedSearchIndex(file, { counts: { exactRows: 0, sampleItems: 10 } });
    try {
      const add = async (index: SearchIndex, from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const { item, pages } = fixture(i);
          await index.upsertItem(item, pages);
        }
      };
      await add(writer, 0, 30);
      const before = await reader.search({ q: 'koleksi ' });
      expect(before).toMatchObject({ estimated: true, totalItems: 30 });
      await add(writer, 30, 60);
      expect(await reader.search({ q: 'koleksi ' })).toMatchObject({ totalItems: 60 });
      await add(reader, 60, 90);
      expect(await reader.search({ q: 'koleksi ' })).toMatchObject({ totalItems: 90 });
      await reader.removeItem('k000');
      expect((await reader.search({ q: 'koleksi ' })).totalItems).toBe(89);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
