import { describe, expect, it } from 'vitest';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { findWordHits } from './page-words.ts';

/** One block, one line per string, words 100 px apart so boxes identify them. */
function ocrOf(lines: string[]): OcrPageResult {
  return {
    width: 1000,
    height: 1000,
    text: lines.join('\n'),
    confidence: 90,
    warnings: [],
    engine: 'test',
    blocks: [
      {
        bbox: { x0: 0, y0: 0, x1: 1000, y1: 1000 },
        paragraphs: [
          {
            bbox: { x0: 0, y0: 0, x1: 1000, y1: 1000 },
            lines: lines.map((line, y) => ({
              bbox: { x0: 0, y0: y * 50, x1: 1000, y1: y * 50 + 40 },
              baseline: null,
              words: line.split(' ').map((text, x) => ({
                text,
                confidence: 90,
                bbox: { x0: x * 100, y0: y * 50, x1: x * 100 + 90, y1: y * 50 + 40 },
              })),
            })),
          },
        ],
      },
    ],
  };
}

const texts = (ocr: OcrPageResult, q: string) => findWordHits(ocr, q).map((h) => h.text);

describe('findWordHits', () => {
  const page = ocrOf(['Kota Soerabaja ramai,', 'satu halaman demi satu', 'halaman lagi. Satu kota']);

  it('marks words with the index spelling key: case, punctuation, ejaan lama', () => {
    expect(texts(page, 'surabaya')).toEqual(['Soerabaja']);
    expect(texts(page, 'RAMAI')).toEqual(['ramai,']);
    expect(texts(page, 'kota')).toEqual(['Kota', 'kota']);
  });

  it('marks a phrase only where its words follow each other, across lines', () => {
    expect(texts(page, '"satu halaman"')).toEqual(['satu', 'halaman', 'satu', 'halaman']);
    expect(texts(page, '"halaman satu"')).toEqual([]);
  });

  it('marks other forms of an unquoted word, not of a quoted one', () => {
    const forms = ocrOf(['Nenek bercerita tentang pengelolaan sawah.', 'Cerita lama, ceritakan lagi.']);
    expect(texts(forms, 'cerita ')).toEqual(['bercerita', 'Cerita', 'ceritakan']);
    expect(texts(forms, 'kelola ')).toEqual(['pengelolaan']);
    expect(texts(forms, '"cerita"')).toEqual(['Cerita']);
    expect(texts(forms, 'cerai ')).toEqual([]);
  });

  it('treats the last word as a prefix while typing, and returns boxes', () => {
    const hits = findWordHits(page, 'halama');
    expect(hits.map((h) => h.box.y0)).toEqual([50, 100]);
    // Finished (a space after it): no longer a prefix. (`halam ` would mark halaman as a form: -an.)
    expect(findWordHits(page, 'halama ')).toEqual([]);
    expect(findWordHits(page, '')).toEqual([]);
  });
});
