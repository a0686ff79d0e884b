import { describe, expect, it } from 'vitest';
import { queryNotes } from './query-notes.ts';

describe('queryNotes', () => {
  it('shows the corrected query, keeping quotes and the other words', () => {
    expect(queryNotes('sejarah pustka', [{ from: 'pustka', to: 'pustaka' }])).toEqual({
      showingFor: 'sejarah pustaka',
      modern: [],
    });
    expect(queryNotes('"kota lamma" jawa', [{ from: 'lamma', to: 'lama' }]).showingFor).toBe(
      '"kota lama" jawa',
    );
    expect(queryNotes('sejarah pustaka').showingFor).toBeNull();
  });

  it('names old-spelling words in modern spelling, once', () => {
    expect(queryNotes('Pertjetakan Soerabaja soerabaja').modern).toEqual(['percetakan', 'surabaya']);
    expect(queryNotes('Djokjakarta njonja').modern).toEqual(['jokyakarta', 'nyonya']);
    // Modern words, and a lone j without an old digraph (jalan, or old jang: no rule tells), give no note.
    expect(queryNotes('percetakan Surabaya jalan jang').modern).toEqual([]);
  });
});
