import { describe, expect, it } from 'vitest';
import type { OcrWord } from '../../core/ocr.types.ts';
import type { CleanLine } from './pdf-text-layer.ts';
import { joinTitlePieces } from './pdf-text-title.ts';

// Which lines are joined into one title over the columns. How poppler then reads the page is
// checked on real PDFs in pdf-text-reading-order.spec.ts.

const BODY = 40;

/** A line of `texts` from x0, letters `height` px above the baseline at y, words 20 px per char. */
function lineOf(texts: string[], x0: number, y: number, height = BODY, ocrWords = true): CleanLine {
  let x = x0;
  const words: OcrWord[] = texts.map((t) => {
    const w = { text: t, confidence: 90, bbox: { x0: x, y0: y - height, x1: x + 20 * t.length, y1: y + 10 } };
    x = w.bbox.x1 + 15;
    return w;
  });
  const bbox = { x0, y0: y - height, x1: (words.at(-1) as OcrWord).bbox.x1, y1: y + 10 };
  return {
    source: { bbox, baseline: { x0, y0: y, x1: bbox.x1, y1: y }, words: ocrWords ? words : [] },
    words: words.map((w) => ({ text: w.text, x0: w.bbox.x0, x1: w.bbox.x1 })),
  };
}

/** Two columns of body text (x 100–900 and 960–1760) below row y = 200. */
function columns(): { paragraphs: CleanLine[][]; column: number[] } {
  const rows = Array.from({ length: 6 }, (_, r) => 400 + 60 * r);
  return {
    paragraphs: [
      rows.map((y) => lineOf(['kata', 'buku', 'baca', 'rak'], 100, y)),
      rows.map((y) => lineOf(['kata', 'buku', 'baca', 'rak'], 960, y)),
    ],
    column: [0, 1],
  };
}

function run(left: CleanLine, right: CleanLine, extra: CleanLine[] = []) {
  const body = columns();
  const paragraphs = [[left], [right], ...extra.map((l) => [l]), ...body.paragraphs];
  const column = [0, 1, ...extra.map(() => 0), ...body.column];
  return joinTitlePieces(paragraphs, column);
}

describe('joinTitlePieces', () => {
  it('joins a large title OCR read as one line over each column', () => {
    // "Perpustakaan" ends at 885; "Kecamatan" starts 59 px on, over the gutter: a word space.
    const out = run(lineOf(['Profil', 'Perpustakaan'], 510, 200, 60), lineOf(['Kecamatan'], 944, 200, 60));
    expect(out.paragraphs).toHaveLength(3);
    expect(out.column[0]).toBeNull();
    expect(out.paragraphs[0]?.[0]?.words.map((w) => w.text)).toEqual(['Profil', 'Perpustakaan', 'Kecamatan']);
    expect(out.column.slice(1)).toEqual([0, 1]);
  });
  it('leaves pieces of body size, far apart, not on one baseline, or sharing their row', () => {
    const cases: [CleanLine, CleanLine, CleanLine[]?][] = [
      // (40 px apart: a word space at this size too)
      [lineOf(['Profil', 'Perpustakaan'], 510, 200), lineOf(['Kecamatan'], 925, 200)],
      [lineOf(['Bab', 'Satu'], 100, 200, 60), lineOf(['Bab', 'Dua'], 960, 200, 60)],
      [lineOf(['Profil', 'Perpustakaan'], 510, 200, 60), lineOf(['Kecamatan'], 944, 240, 60)],
      [
        lineOf(['Profil', 'Perpustakaan'], 510, 200, 60),
        lineOf(['Kecamatan'], 944, 200, 60),
        [lineOf(['catatan'], 1500, 190)],
      ],
    ];
    for (const [left, right, extra] of cases) {
      const out = run(left, right, extra);
      expect(out.column.slice(0, 2)).toEqual([0, 1]);
    }
  });
  it('leaves pieces cut at a gutter here (one OCR line with a column break in it)', () => {
    const out = run(
      lineOf(['Profil', 'Perpustakaan'], 510, 200, 60, false),
      lineOf(['Kecamatan'], 944, 200, 60, false),
    );
    expect(out.column.slice(0, 2)).toEqual([0, 1]);
  });
});
