import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { createEmbeddedSearchIndex } from './embedded.search-index.ts';
import { allowedTypos, createTypoTolerance, editDistance, indexWords } from './typo-tolerance.ts';

const dir = tempDir('pindai-typo-');
const open: Database.Database[] = [];
afterAll(() => {
  for (const db of open) db.close();
});

describe('editDistance (Damerau–Levenshtein, bounded)', () => {
  it('counts inserts, deletes, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('perpustakaan', 'perpustakaan', 2)).toBe(0);
    expect(editDistance('perpustakan', 'perpustakaan', 2)).toBe(1);
    expect(editDistance('perpustakaam', 'perpustakaan', 2)).toBe(1);
    expect(editDistance('prepustakaan', 'perpustakaan', 2)).toBe(1);
    expect(editDistance('perpustkaam', 'perpustakaan', 2)).toBe(2);
    expect(editDistance('kopi', 'kopi susu', 2)).toBe(3);
    expect(editDistance('pertusdakaam', 'perpustakaan', 2)).toBe(3);
  });

  it('allows one edit for 5–8 letters, two from 9, none under 5', () => {
    expect([4, 5, 8, 9, 20].map(allowedTypos)).toEqual([0, 1, 1, 2, 2]);
  });

  it('sees words as the FTS tokenizer does', () => {
    expect(indexWords('Café PÉRAK, 2015-an')).toEqual(['cafe', 'perak', '2015', 'an']);
  });
});

describe('vocabulary lookups', () => {
  it('finds close words of the same first letter and near length, closest first', () => {
    const db = new Database(path.join(dir, 'vocab.sqlite'));
    open.push(db);
    const typos = createTypoTolerance(db);
    typos.addWords(['Perpustakaan pustakawan pemustaka perpustakaan-nya persatuan buku', 'Bérpustakaan']);
    expect(typos.corrections('perpustakan')).toEqual(['perpustakaan']);
    expect(typos.corrections('Pemustaku')).toEqual(['pemustaka']);
    // First letter differs: not looked at. Short words are not corrected.
    expect(typos.corrections('ferpustakaan')).toEqual([]);
    expect(typos.corrections('bukk')).toEqual([]);
    expect(typos.corrections('erpustakaan')).toEqual([]);
    expect(typos.corrections('berpustakan')).toEqual(['berpustakaan']);
  });
});

describe('schema upgrade', () => {
  it('fills the vocabulary from an index built before it existed', async () => {
    const file = path.join(dir, 'old.sqlite');
    const index = createEmbeddedSearchIndex(file);
    await index.upsertItem(
      {
        itemId: 'a',
        nomorInduk: 'A-1',
        title: 'Sejarah Perpustakaan',
        pageCount: 1,
        publishedAt: '2024-01-01T00:00:00Z',
      },
      [{ itemId: 'a', page: 1, text: 'Layanan sirkulasi untuk pemustaka.' }],
    );
    await index.close();
    // As an index of schema 2 would be: no vocabulary.
    const db = new Database(file);
    db.exec('DROP TABLE vocab');
    db.pragma('user_version = 2');
    db.close();
    const reopened = createEmbeddedSearchIndex(file);
    expect((await reopened.search({ q: 'sirkulsai ' })).hits.map((h) => h.page)).toEqual([1]);
    // The title says Perpustakaan; page 1's pemustaka is another form of the same root, ranked after.
    expect((await reopened.search({ q: 'perpustakan ' })).hits.map((h) => h.page)).toEqual([null, 1]);
    await reopened.close();
  });
});

describe('long prefixes expanded through the vocabulary', () => {
  it('finds the same pages as FTS5 prefix matching, with few or many words behind the prefix', async () => {
    const index = createEmbeddedSearchIndex(path.join(dir, 'prefix.sqlite'));
    const many = Array.from({ length: 80 }, (_, i) => `perpus${i}`);
    await index.upsertItem(
      { itemId: 'p', nomorInduk: 'P-1', title: 'Daftar', pageCount: 3, publishedAt: '2024-01-01T00:00:00Z' },
      [
        { itemId: 'p', page: 1, text: 'Perpustakaan daerah dan Perpusnas.' },
        { itemId: 'p', page: 2, text: 'Soerabaja, Tjeritera lama.' },
        { itemId: 'p', page: 3, text: many.join(' ') },
      ],
    );
    const pages = async (q: string) => (await index.search({ q })).hits.map((h) => h.page).sort();
    // "perpustak" has one word behind it, "perpus" more than the expansion takes (FTS5 prefix).
    expect(await pages('perpustak')).toEqual([1]);
    expect(await pages('perpusn')).toEqual([1]);
    expect(await pages('perpus')).toEqual([1, 3]);
    // Old spellings still fold through the prefix ("cerit" → "tjeritera", "surab" → "soerabaja").
    expect(await pages('cerit')).toEqual([2]);
    expect(await pages('surab')).toEqual([2]);
    expect((await index.search({ q: 'perpustak' })).hits[0]?.snippet).toContain('<mark>Perpustakaan</mark>');
    await index.close();
  });
});
