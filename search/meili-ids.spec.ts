import { describe, expect, it } from 'vitest';
import { filterIn, filterString, fromMeiliKey, metaDocId, pageDocId, toMeiliKey } from './meili-ids.ts';

describe('Meilisearch ids', () => {
  const ids = ['01HX5Z-abc', '00042/AM/2024', 'JTM.1930_0001', 'a_2f', 'Buku Ça va/ß', '🙂', '__', ''];

  it('maps any id into [A-Za-z0-9_-] and back', () => {
    for (const id of ids) {
      const key = toMeiliKey(id);
      expect(key).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromMeiliKey(key)).toBe(id);
      expect(key).not.toContain('__');
    }
  });

  it('never maps two ids to one key', () => {
    const keys = ids.map(toMeiliKey);
    expect(new Set(keys).size).toBe(ids.length);
    // '/' and a literal "_2f" must not meet.
    expect(toMeiliKey('a/')).not.toBe(toMeiliKey('a_2f'));
  });

  it('keeps document ids of different items and pages apart', () => {
    const a = toMeiliKey('x/1');
    const b = toMeiliKey('x');
    const docs = [metaDocId(a), pageDocId(a, 1), pageDocId(a, 11), metaDocId(b), pageDocId(b, 1)];
    expect(new Set(docs).size).toBe(docs.length);
    for (const d of docs) expect(d).toMatch(/^[A-Za-z0-9_-]{1,511}$/);
  });

  it('quotes filter values so they cannot break out of the filter', () => {
    expect(filterString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(filterIn('type', ['buku', 'peta" OR type = "x'])).toBe(
      'type IN ["buku", "peta\\" OR type = \\"x"]',
    );
  });
});
