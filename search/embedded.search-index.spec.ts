import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runSearchIndexContract } from '../test/contracts/search-index.contract.ts';
import { createEmbeddedSearchIndex } from './embedded.search-index.ts';
import type { ItemDocument, PageDocument, SearchIndex } from './search-index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pindai-search-'));
let fileNo = 0;
const freshPath = (): string => path.join(dir, `index-${++fileNo}`, 'index.sqlite');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

runSearchIndexContract('embedded (SQLite FTS5)', async () => createEmbeddedSearchIndex(freshPath()));

const book = (itemId: string, title = 'Buku Contoh'): ItemDocument => ({
  itemId,
  nomorInduk: `NI-${itemId}`,
  title,
  pageCount: 0,
  publishedAt: '2024-05-01T08:00:00.000Z',
});

describe('embedded search index', () => {
  const open: SearchIndex[] = [];
  const make = (dbPath = freshPath()): SearchIndex => {
    const index = createEmbeddedSearchIndex(dbPath);
    open.push(index);
    return index;
  };
  afterEach(async () => {
    for (const index of open.splice(0)) await index.close();
  });

  it('keeps its own SQLite file in WAL mode and survives a reopen', async () => {
    const dbPath = freshPath();
    const index = make(dbPath);
    await index.upsertItem(book('a'), [{ itemId: 'a', page: 1, text: 'Tjerita rakjat dari Madoera.' }]);
    await index.close();

    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(4);
    raw.close();

    const reopened = make(dbPath);
    expect(await reopened.countDocuments()).toEqual({ items: 1, pages: 1 });
    expect((await reopened.search({ q: 'madura' })).hits[0]).toMatchObject({ itemId: 'a', page: 1 });
  });

  it('upgrades a schema 1 index in place, filling in title sort keys', async () => {
    const dbPath = freshPath();
    const index = make(dbPath);
    await index.upsertItem(book('a', 'Zaman Baru'), [{ itemId: 'a', page: 1, text: 'kota' }]);
    await index.upsertItem(book('b', 'Ébauche Lama'), [{ itemId: 'b', page: 1, text: 'kota' }]);
    await index.close();
    const raw = new Database(dbPath);
    raw.exec('ALTER TABLE items DROP COLUMN title_sort');
    raw.pragma('user_version = 1');
    raw.close();

    const upgraded = make(dbPath);
    const r = await upgraded.search({ q: 'kota', sort: 'title', groupBy: 'item' });
    expect(r.items.map((i) => i.itemId)).toEqual(['b', 'a']);
    expect(await upgraded.countDocuments()).toEqual({ items: 2, pages: 2 });
  });

  it('upgrades a schema 3 index (no stem column) in place, so word forms are found', async () => {
    const dbPath = freshPath();
    const index = make(dbPath);
    await index.upsertItem(book('a', 'Kisah'), [
      { itemId: 'a', page: 1, text: 'Nenek bercerita tentang sawah.' },
    ]);
    await index.close();
    const raw = new Database(dbPath);
    raw.exec(`CREATE VIRTUAL TABLE docs3 USING fts5(title, meta, body, fold,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
      INSERT INTO docs3 (rowid, title, meta, body, fold) SELECT rowid, title, meta, body, fold FROM docs;
      DROP TABLE docs; ALTER TABLE docs3 RENAME TO docs;`);
    raw.pragma('user_version = 3');
    raw.close();

    const upgraded = make(dbPath);
    expect((await upgraded.search({ q: 'cerita' })).hits.map((h) => h.page)).toEqual([1]);
    expect((await upgraded.search({ q: 'sawah' })).hits.map((h) => h.page)).toEqual([1]);
    await upgraded.close();
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'docs_v3'").get()).toEqual({
      n: 0,
    });
    check.close();
  });

  it('says which words it corrected, and only when it did', async () => {
    const index = make();
    await index.upsertItem(book('a', 'Sejarah Perpustakaan'), [
      { itemId: 'a', page: 1, text: 'Koleksi lama.' },
    ]);
    const r = await index.search({ q: 'sejarah perpustkaan' });
    expect(r.total).toBeGreaterThan(0);
    expect(r.corrections).toEqual([{ from: 'perpustkaan', to: 'perpustakaan' }]);
    expect((await index.search({ q: 'sejarah perpustakaan' })).corrections).toBeUndefined();
    expect((await index.search({ q: 'sejarah rendangg' })).corrections).toBeUndefined();
  });

  it('refuses an index written by a newer schema', () => {
    const dbPath = freshPath();
    make(dbPath);
    const raw = new Database(dbPath);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => createEmbeddedSearchIndex(dbPath)).toThrow(/schema 99/);
  });

  it('rejects malformed page lists without touching the index', async () => {
    const index = make();
    await index.upsertItem(book('a'), [{ itemId: 'a', page: 1, text: 'satu' }]);
    const bad: PageDocument[][] = [
      [{ itemId: 'b', page: 1, text: 'salah' }],
      [{ itemId: 'a', page: 0, text: 'nol' }],
      [{ itemId: 'a', page: 1.5, text: 'pecahan' }],
      [
        { itemId: 'a', page: 2, text: 'dua' },
        { itemId: 'a', page: 2, text: 'dua lagi' },
      ],
    ];
    for (const pages of bad) {
      await expect(index.upsertItem(book('a'), pages)).rejects.toMatchObject({ code: 'SEARCH_BAD_DOCUMENT' });
    }
    expect(await index.countDocuments()).toEqual({ items: 1, pages: 1 });
    expect((await index.search({ q: 'satu' })).total).toBe(1);
  });

  it('skips blank pages', async () => {
    const index = make();
    await index.upsertItem(book('a'), [
      { itemId: 'a', page: 1, text: '  \n ' },
      { itemId: 'a', page: 2, text: 'isi' },
    ]);
    expect(await index.countDocuments()).toEqual({ items: 1, pages: 1 });
  });

  it('ranks a match through diacritics like an exact one (tokenizer, not only the folded column)', async () => {
    const index = make();
    await index.upsertItem(book('a'), [{ itemId: 'a', page: 1, text: 'Ulasan café di Bandung.' }]);
    await index.upsertItem(book('b'), [{ itemId: 'b', page: 1, text: 'Ulasan cafe di Bandung.' }]);
    const r = await index.search({ q: 'cafe ' });
    expect(r.hits).toHaveLength(2);
    expect(r.hits[0]?.score).toBeCloseTo(r.hits[1]?.score ?? 0, 12);
  });

  it('matches decomposed accents (combining marks) in text and query', async () => {
    const index = make();
    await index.upsertItem(book('a'), [{ itemId: 'a', page: 1, text: 'Kamus lafal be\u0301be\u0301k.' }]);
    expect((await index.search({ q: 'bebek' })).total).toBe(1);
    expect((await index.search({ q: 'be\u0301be\u0301k' })).total).toBe(1);
    expect((await index.search({ q: 'bébék' })).hits[0]?.snippet).toBe('Kamus lafal <mark>bébék</mark>.');
  });

  it('keeps exact spellings above j/y spelling-key collisions (raya vs raja)', async () => {
    const index = make();
    await index.upsertItem(book('a'), [{ itemId: 'a', page: 1, text: 'Sang raja bertitah di balairung.' }]);
    await index.upsertItem(book('b'), [{ itemId: 'b', page: 1, text: 'Jalan raya menuju balairung.' }]);
    const raya = await index.search({ q: 'raya ' });
    expect(raya.hits.map((h) => h.itemId)).toEqual(['b', 'a']);
    expect(raya.hits[0]?.snippet).toContain('<mark>raya</mark>');
    const raja = await index.search({ q: 'raja ' });
    expect(raja.hits.map((h) => h.itemId)).toEqual(['a', 'b']);
  });

  it('does not let marker characters in page text forge <mark>', async () => {
    const index = make();
    await index.upsertItem(book('a'), [
      { itemId: 'a', page: 1, text: 'palsu \uE000tanda\uE001 dan kata benar' },
    ]);
    const snippet = (await index.search({ q: 'benar' })).hits[0]?.snippet;
    expect(snippet).toBe('palsu tanda dan kata <mark>benar</mark>');
  });

  it('marks both words of an old-spelling phrase on the original text', async () => {
    const index = make();
    await index.upsertItem(book('a'), [
      { itemId: 'a', page: 1, text: 'Di pasar Tandjoeng Perak orang mendjoeal ikan.' },
    ]);
    const r = await index.search({ q: '"tanjung perak"' });
    expect(r.hits[0]?.snippet).toBe(
      'Di pasar <mark>Tandjoeng</mark> <mark>Perak</mark> orang mendjoeal ikan.',
    );
  });

  it('cuts long pages to a window around the matches', async () => {
    const index = make();
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    await index.upsertItem(book('a'), [
      { itemId: 'a', page: 1, text: `${filler} Kota Soerabaja ramai. ${filler}` },
    ]);
    const snippet = (await index.search({ q: 'surabaya' })).hits[0]?.snippet ?? '';
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet).toContain('Kota <mark>Soerabaja</mark> ramai.');
    expect(snippet.split(' ').length).toBeLessThan(40);
  });

  it('clamps limit to 100 and keeps total exact', async () => {
    const index = make();
    const pages = Array.from({ length: 150 }, (_, i) => ({
      itemId: 'a',
      page: i + 1,
      text: `halaman ${i + 1} arsip`,
    }));
    await index.upsertItem(book('a'), pages);
    const r = await index.search({ q: 'arsip', limit: 1000 });
    expect(r.hits).toHaveLength(100);
    expect(r.total).toBe(150);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]?.pages).toHaveLength(10);
    expect((await index.search({ q: 'arsip' })).hits).toHaveLength(20);
  });

  it('indexes a large item (2,000 pages) in one upsert', async () => {
    const index = make();
    const text = 'Pemerintah daerah membangun perpustakaan desa untuk meningkatkan minat baca warga. '.repeat(
      25,
    );
    const pages = Array.from({ length: 2000 }, (_, i) => ({ itemId: 'big', page: i + 1, text }));
    await index.upsertItem(book('big', 'Laporan Tahunan'), pages);
    const r = await index.search({ q: 'perpustakaan desa' });
    expect(r.total).toBe(2000);
    expect((await index.countDocuments()).pages).toBe(2000);
  });
});
