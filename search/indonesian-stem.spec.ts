import { describe, expect, it } from 'vitest';
import { candidateStems, sameRoot, snowballStemId } from './indonesian-stem.ts';
import {
  DISTINCT_WORDS,
  HELD_OUT_DISTINCT,
  HELD_OUT_FAMILIES,
  WORD_FAMILIES,
} from './indonesian-word-forms.ts';
import { measureConflation, pairsOf } from './word-forms.ts';

const snowball = (a: string, b: string) => snowballStemId(a) === snowballStemId(b);

describe('Indonesian word forms', () => {
  it('lists at least 60 labelled pairs, with look-alikes that must stay apart', () => {
    const pairs = pairsOf(WORD_FAMILIES, DISTINCT_WORDS);
    expect(pairs.length).toBeGreaterThanOrEqual(60);
    expect(pairs.filter((p) => !p.same).length).toBeGreaterThanOrEqual(15);
    // Decided and documented: a librarian is not the books.
    expect(DISTINCT_WORDS).toContainEqual(
      expect.objectContaining({ a: 'pustaka', b: 'pustakawan', same: false }),
    );
  });

  it('finds the roots a nasal prefix hid, which Snowball alone loses', () => {
    expect(snowballStemId('menulis')).toBe('ulis');
    expect(candidateStems('menulis')).toContain('tulis');
    expect(candidateStems('memakan')).toContain('makan');
    expect(candidateStems('mengirim')).toContain('kirim');
    expect(candidateStems('penyanyi')).toContain('nyanyi');
    expect(candidateStems('diketahui')).toContain('tahu');
    expect(sameRoot('cerita', 'bercerita')).toBe(true);
    expect(sameRoot('pinjam', 'peminjaman')).toBe(true);
    expect(sameRoot('kelola', 'pengelolaan')).toBe(true);
    expect(sameRoot('pustaka', 'pustakawan')).toBe(false);
  });

  it('keeps precision and gains recall over Snowball, on the held-out list too', () => {
    for (const [families, distinct] of [
      [WORD_FAMILIES, DISTINCT_WORDS],
      [HELD_OUT_FAMILIES, HELD_OUT_DISTINCT],
    ] as const) {
      const pairs = pairsOf(families, distinct);
      const base = measureConflation(snowball, pairs);
      const ours = measureConflation(sameRoot, pairs);
      expect(ours.precision).toBeGreaterThanOrEqual(0.95);
      expect(ours.recall).toBeGreaterThanOrEqual(0.9);
      expect(ours.recall).toBeGreaterThan(base.recall);
    }
  });
});
