import { describe, expect, it } from 'vitest';
import { toMeiliDocs } from './meili-documents.ts';
import { meiliFormsQuery } from './meili-query.ts';
import { parseQuery } from './query-parse.ts';

describe('Meilisearch word forms', () => {
  it('indexes the root keys of every word, old spellings in modern form', () => {
    const [meta, page] = toMeiliDocs(
      { itemId: 'a', nomorInduk: '1', title: 'Kisah', pageCount: 1, publishedAt: '2024-01-01T00:00:00Z' },
      [{ itemId: 'a', page: 1, text: 'Nenek bercerita tentang pertjetakan.' }],
      'r1',
    );
    expect(meta?.roots).toContain('kisah');
    expect(page?.roots).toEqual(expect.arrayContaining(['bercerita', 'cerita', 'percetakan', 'cetak']));
  });

  it('filters each word-form term by its roots and keeps the rest as a key query', () => {
    expect(meiliFormsQuery(parseQuery('bercerita'))).toEqual({
      q: '',
      filter: ['roots IN ["bercerita", "cerita"]'],
    });
    const mixed = meiliFormsQuery(parseQuery('"tanjung perak" cerita 1945 '));
    expect(mixed?.filter).toEqual(['roots IN ["cerita"]']);
    expect(mixed?.q).toBe('"tanjung perak" 1945 ');
    // Quoted, short or numeric words have no other forms: no forms search at all.
    expect(meiliFormsQuery(parseQuery('"cerita" di 1945'))).toBeNull();
  });
});
