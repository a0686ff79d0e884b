import { describe, expect, it } from 'vitest';
import { parseMetadata } from './metadata.schema.ts';

describe('metadata.json: reading direction', () => {
  it('reads rtl in the words operators use, and refuses anything else without losing other fields', () => {
    for (const v of ['rtl', 'RTL', 'kanan ke kiri', 'right-to-left']) {
      expect(parseMetadata({ readingDirection: v }).metadata.readingDirection).toBe('rtl');
    }
    for (const v of ['ltr', 'kiri-ke-kanan', 'Left to right']) {
      expect(parseMetadata({ readingDirection: v }).metadata.readingDirection).toBe('ltr');
    }
    const bad = parseMetadata({ title: 'Hikayat', readingDirection: 'atas-bawah' });
    expect(bad.metadata).toEqual({ title: 'Hikayat' });
    expect(bad.problems[0]).toMatch(/^readingDirection:/);
  });
});

describe('metadata.json: license', () => {
  it('keeps a known licence as its canonical URI and reports an unknown one without losing other fields', () => {
    expect(parseMetadata({ license: 'CC BY 4.0' }).metadata.license).toBe(
      'http://creativecommons.org/licenses/by/4.0/',
    );
    const bad = parseMetadata({ title: 'Hikayat', license: 'bebas' });
    expect(bad.metadata).toEqual({ title: 'Hikayat' });
    expect(bad.problems[0]).toMatch(/^license:/);
  });
});
