import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { foldOldSpelling, foldText, spellingKey } from './ejaan.ts';
import { buildMatchExpression, MAX_QUERY_TERMS, parseQuery } from './query-parse.ts';

describe('parseQuery', () => {
  it('splits words, lowercases, and makes the last word a prefix while typing', () => {
    expect(parseQuery('Naskah Kuno pemust')).toEqual([
      { words: ['naskah'], prefix: false },
      { words: ['kuno'], prefix: false },
      { words: ['pemust'], prefix: true },
    ]);
  });

  it('drops the prefix after a space or punctuation, and for one-letter words', () => {
    expect(parseQuery('pemust ').at(-1)?.prefix).toBe(false);
    expect(parseQuery('pemust,').at(-1)?.prefix).toBe(false);
    expect(parseQuery('kopi b').at(-1)).toEqual({ words: ['b'], prefix: false });
  });

  it('keeps quoted text together as a phrase', () => {
    expect(parseQuery('"Tanjung Perak" kapal')).toEqual([
      { words: ['tanjung', 'perak'], prefix: false, quoted: true },
      { words: ['kapal'], prefix: true },
    ]);
    expect(parseQuery('kapal "tanjung pe')).toEqual([
      { words: ['kapal'], prefix: false },
      { words: ['tanjung', 'pe'], prefix: true, quoted: true },
    ]);
    expect(parseQuery('“tanjung perak”')).toEqual([
      { words: ['tanjung', 'perak'], prefix: false, quoted: true },
    ]);
  });

  it('marks a quoted word as this form only, apart from the same word unquoted', () => {
    expect(parseQuery('"cerita" cerita')).toEqual([
      { words: ['cerita'], prefix: false, quoted: true },
      { words: ['cerita'], prefix: true },
    ]);
  });

  it('treats operators and punctuation as plain words or separators', () => {
    expect(parseQuery('title:foo -x NEAR(a b) c*')).toEqual([
      { words: ['title'], prefix: false },
      { words: ['foo'], prefix: false },
      { words: ['x'], prefix: false },
      { words: ['near'], prefix: false },
      { words: ['a'], prefix: false },
      { words: ['b'], prefix: false },
      { words: ['c'], prefix: false },
    ]);
  });

  it('returns no terms for input without words', () => {
    for (const q of ['', '   ', '"', '""', '()', '*', '-', ':', '!!!', '🙂'])
      expect(parseQuery(q)).toEqual([]);
  });

  it('keeps digits and letters with diacritics, and drops duplicates', () => {
    expect(parseQuery('café 1930 café ')).toEqual([
      { words: ['café'], prefix: false },
      { words: ['1930'], prefix: false },
    ]);
  });

  it('bounds the number of terms', () => {
    expect(parseQuery(Array.from({ length: 100 }, (_, i) => `kata${i}`).join(' '))).toHaveLength(
      MAX_QUERY_TERMS,
    );
  });
});

describe('buildMatchExpression', () => {
  it('quotes every word and ANDs the terms', () => {
    expect(buildMatchExpression('naskah "tanjung perak" pemust')).toBe(
      '"naskah" AND "tanjung perak" AND "pemust"*',
    );
    expect(buildMatchExpression(' ?! ')).toBeNull();
  });

  it('adds the folded spelling on its own column', () => {
    const columns = { exact: ['title', 'body'], folded: 'fold', fold: spellingKey };
    expect(buildMatchExpression('Soerabaja tj', columns)).toBe(
      '({title body} : "soerabaja" OR fold : "surabaja") AND ({title body} : "tj"* OR fold : "c")',
    );
  });

  describe('against a real FTS5 table', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pindai-query-'));
    const db = new Database(path.join(dir, 'q.sqlite'));
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(body, fold, tokenize = 'unicode61 remove_diacritics 2')`);
    db.prepare('INSERT INTO t (body, fold) VALUES (?, ?)').run(
      'Naskah kuno dari Soerabaja',
      foldText('Naskah kuno dari Soerabaja'),
    );
    const columns = { exact: ['body'], folded: 'fold', fold: spellingKey };
    const run = (q: string): number => {
      const match = buildMatchExpression(q, columns);
      return match === null
        ? 0
        : (db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?').pluck().get(match) as number);
    };
    afterAll(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('never produces an expression FTS5 rejects', () => {
      const nasty = [
        '"',
        '(',
        ')',
        'a AND',
        'AND OR NOT',
        'NEAR(',
        'NEAR(a b, 1)',
        '*',
        '-x',
        'title:foo',
        '{body}: naskah',
        '^naskah',
        "'; DROP TABLE t; --",
        '\u0000',
        'naskah '.repeat(3000),
      ];
      const alphabet = [
        'a',
        'é',
        ' ',
        '"',
        '(',
        ')',
        '*',
        '-',
        ':',
        '^',
        '{',
        '}',
        '+',
        'N',
        'E',
        'A',
        'R',
        '1',
        '\u0301',
      ];
      let seed = 42;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let i = 0; i < 500; i++) {
        const len = Math.floor(random() * 20);
        nasty.push(
          Array.from({ length: len }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
        );
      }
      for (const q of nasty) expect(() => run(q), JSON.stringify(q)).not.toThrow();
    });

    it('matches original and folded spellings', () => {
      expect(run('naskah surabaya')).toBe(1);
      expect(run('Soerab')).toBe(1);
      expect(run('surab')).toBe(1);
      expect(run('"kuno dari"')).toBe(1);
      expect(run('"dari kuno"')).toBe(0);
    });
  });
});

describe('ejaan lama', () => {
  it('folds old digraphs to modern spelling', () => {
    expect(foldOldSpelling('soerabaja')).toBe('surabaja');
    expect(foldOldSpelling('djakarta')).toBe('jakarta');
    expect(foldOldSpelling('tjerita')).toBe('cerita');
    expect(foldOldSpelling('njonja')).toBe('nyonya');
    expect(foldOldSpelling('sjarat')).toBe('syarat');
    expect(foldOldSpelling('achir')).toBe('akhir');
    expect(foldOldSpelling('mendjadi')).toBe('menjadi');
  });

  it('leaves modern ny, sy, kh and a lone j alone', () => {
    for (const w of ['nyonya', 'syarat', 'akhir', 'jakarta', 'surabaya']) expect(foldOldSpelling(w)).toBe(w);
  });

  it('gives old and modern spellings the same key', () => {
    const pairs = [
      ['Soerabaja', 'Surabaya'],
      ['Djakarta', 'Jakarta'],
      ['tjerita', 'cerita'],
      ['Njonja', 'nyonya'],
      ['mendjadi', 'menjadi'],
      ['rakjat', 'rakyat'],
      ['Jogjakarta', 'Yogyakarta'],
      ['achir', 'akhir'],
      ['café', 'cafe'],
    ];
    for (const [old, modern] of pairs)
      expect(spellingKey(old ?? ''), `${old} / ${modern}`).toBe(spellingKey(modern ?? ''));
  });

  it('folds text word by word, keeping separators', () => {
    expect(foldText('Kota Soerabaja, 1930 — tjerita!')).toBe('kota surabaja, 1930 — cerita!');
  });
});
