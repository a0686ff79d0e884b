import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { BROAD_TERM_ROWS, columnStats, TOTAL_PROBE } from './bounded-ranking.ts';
import { createEmbeddedSearchIndex } from './embedded.search-index.ts';
import type { ItemDocument, PageDocument, SearchIndex } from './search-index.ts';

const dir = tempDir('pindai-bounded-');
const indexes: SearchIndex[] = [];
afterAll(async () => {
  await Promise.all(indexes.map((i) => i.close()));
});

const book = (itemId: string, title: string): ItemDocument => ({
  itemId,
  nomorInduk: itemId,
  title,
  pageCount: 0,
  publishedAt: '2024-01-01T00:00:00.000Z',
});

/** `items` books of `pages` pages each; every page holds "layanan" once among filler words. */
async function build(name: string, items: number, pages: number, extra?: (i: number, p: number) => string) {
  const index = createEmbeddedSearchIndex(path.join(dir, `${name}.sqlite`));
  indexes.push(index);
  for (let i = 0; i < items; i++) {
    const itemId = `b${String(i).padStart(4, '0')}`;
    const docs: PageDocument[] = Array.from({ length: pages }, (_, p) => ({
      itemId,
      page: p + 1,
      text: `halaman ${p} buku ${i} layanan koleksi arsip naskah ${extra?.(i, p) ?? ''}`,
    }));
    await index.upsertItem({ ...book(itemId, `Buku ${i}`), pageCount: pages }, docs);
  }
  return index;
}

describe('bounded ranking of broad queries', () => {
  it('ranks a page repeating the word and a title match above pages that mention it once', async () => {
    const rows = BROAD_TERM_ROWS * 3;
    const index = await build('rank', rows / 100, 100, (i, p) =>
      i === rows / 100 - 1 && p === 40 ? 'layanan layanan layanan layanan' : '',
    );
    // The newest item has "layanan" in its title.
    await index.upsertItem({ ...book('zz-title', 'Pedoman Layanan Perpustakaan'), pageCount: 1 }, [
      { itemId: 'zz-title', page: 1, text: 'isi tanpa kata itu' },
    ]);
    const r = await index.search({ q: 'layanan ' });
    expect(r.total).toBe(rows + 1);
    expect(r.hits[0]).toMatchObject({ itemId: 'zz-title', page: null });
    expect(r.hits[1]).toMatchObject({ itemId: `b${String(rows / 100 - 1).padStart(4, '0')}`, page: 41 });
    expect(r.hits[0]?.snippet).toContain('<mark>Layanan</mark>');
    expect(r.hits[1]?.snippet).toContain('<mark>layanan</mark>');
    expect(r.hits).toHaveLength(20);
    // Paging walks the same ranking without repeats.
    const next = await index.search({ q: 'layanan ', offset: 20 });
    const seen = new Set(r.hits.map((h) => `${h.itemId}/${h.page}`));
    expect(next.hits.some((h) => seen.has(`${h.itemId}/${h.page}`))).toBe(false);
    // Filters still apply on the bounded path.
    const one = await index.search({ q: 'layanan ', itemId: 'b0001' });
    expect(one.total).toBe(100);
    expect(new Set(one.hits.map((h) => h.itemId))).toEqual(new Set(['b0001']));
  });

  it('keeps totals and facets exact beyond the ranked candidates', async () => {
    const pages = TOTAL_PROBE * 6;
    // Half of the pages hold "langka".
    const index = await build('total', pages / 500, 500, (_, p) => (p % 2 === 0 ? 'langka' : ''));
    const r = await index.search({ q: 'langka ' });
    expect(r.total).toBe(pages / 2);
    expect(r.totalItems).toBe(pages / 500);
    expect(r.hits).toHaveLength(20);
    expect(r.hits.every((h) => h.snippet.includes('<mark>langka</mark>'))).toBe(true);
  }, 60_000);

  it('pages over items on the bounded path: each item once, its pages best first', async () => {
    const index = await build('items', BROAD_TERM_ROWS / 50 + 2, 50, (i, p) =>
      i === 3 && p === 7 ? 'layanan layanan layanan' : '',
    );
    const r = await index.search({ q: 'layanan ', groupBy: 'item', limit: 5 });
    expect(r.items).toHaveLength(5);
    expect(new Set(r.items.map((i) => i.itemId)).size).toBe(5);
    expect(r.totalItems).toBe(BROAD_TERM_ROWS / 50 + 2);
    // Hits come grouped in item order, at most 10 pages per item.
    const order = r.hits.map((h) => h.itemId).filter((id, k, all) => all.indexOf(id) === k);
    expect(order).toEqual(r.items.map((i) => i.itemId));
    for (const item of r.items) expect(item.pages.length).toBeLessThanOrEqual(10);
    const next = await index.search({ q: 'layanan ', groupBy: 'item', limit: 5, offset: 5 });
    expect(next.items.some((i) => r.items.some((j) => j.itemId === i.itemId))).toBe(false);
    // The page repeating the word leads its item, found even though the item is not the newest.
    const three = await index.search({ q: 'layanan ', itemId: 'b0003', groupBy: 'item' });
    expect(three.items[0]?.pages[0]).toBe(8);
  });
});

describe('column statistics for BM25', () => {
  const word = (w: string, prefix = false) => ({ words: [w], prefix });
  it('counts whole tokens and prefixes in ASCII text as the tokenizer sees them', () => {
    const text = 'Buku bukunya ebuku buku. BUKU-buku 2buku buku2';
    // Tokens: buku bukunya ebuku buku buku buku 2buku buku2.
    expect(columnStats(text, [word('buku'), word('buku', true), word('ebuku')])).toEqual({
      length: 8,
      tf: [4, 6, 1],
    });
    expect(columnStats('', [word('buku')])).toEqual({ length: 0, tf: [0] });
  });
  it('gives the same counts on the tokenizing path (diacritics, phrases)', () => {
    expect(
      columnStats('Búku bukunya ebuku buku. BUKU-buku 2buku buku2', [word('buku'), word('buku', true)]),
    ).toEqual({
      length: 8,
      tf: [4, 6],
    });
    expect(
      columnStats('buku induk dan buku induk lama', [{ words: ['buku', 'induk'], prefix: false }]),
    ).toEqual({
      length: 6,
      tf: [2],
    });
  });
});
