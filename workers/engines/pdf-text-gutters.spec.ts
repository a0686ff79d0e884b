import { describe, expect, it } from 'vitest';
import type { OcrWord } from '../../core/ocr.types.ts';
import { type ColumnLayout, findColumns, splitAtGutters } from './pdf-text-columns.ts';
import type { CleanLine } from './pdf-text-layer.ts';

// Rows OCR read across a gutter, on a layout given by hand (two columns, x 100–880 and 920–1700,
// 40 px body text on a 60 px pitch): which column each piece ends in.

const CORES: [number, number][] = [
  [100, 880],
  [920, 1700],
];
const H = 40;

/** A line of words [text, x0, x1] on the row at y. */
function row(y: number, words: [string, number, number][]): CleanLine {
  const ocr: OcrWord[] = words.map(([text, x0, x1]) => ({
    text,
    confidence: 90,
    bbox: { x0, y0: y, x1, y1: y + H },
  }));
  const bbox = { x0: words[0]?.[1] ?? 0, y0: y, x1: words.at(-1)?.[2] ?? 0, y1: y + H };
  return {
    source: { bbox, baseline: { x0: bbox.x0, y0: y + 32, x1: bbox.x1, y1: y + 32 }, words: ocr },
    words: words.map(([text, x0, x1]) => ({ text, x0, x1 })),
  };
}

/** A justified row of both columns, the gutter gap as wide as OCR left it (`gap` px after 880). */
function across(y: number, gap = 40): CleanLine {
  return row(y, [
    ['kiri', 100, 300],
    ['teks', 390, 590],
    ['akhir', 680, 880],
    ['kanan', 880 + gap, 1100],
    ['kolom', 1190, 1400],
    ['baru', 1490, 1700],
  ]);
}

function layout(paragraphs: CleanLine[][]): ColumnLayout {
  return { column: paragraphs.map(() => null), spans: CORES, cores: CORES };
}

function columnsOf(paragraphs: CleanLine[][]) {
  const out = splitAtGutters(paragraphs, layout(paragraphs));
  return out.paragraphs.flatMap((p, i) =>
    p.map((l) => ({ k: out.layout.column[i], text: l.words.map((w) => w.text) })),
  );
}

describe('splitAtGutters', () => {
  it('cuts a row with no gap over the gutter (a quote glued up to the next column) at its words', () => {
    // OCR closed the gap: "akhir‘" reaches 8 px short of "kanan", which starts in the gutter and
    // ends the right column's paragraph; the row lies mostly over the left column.
    const rows = [0, 1, 2, 3, 4].map((r) => across(300 + 60 * r));
    rows[2] = row(420, [
      ['kiri', 100, 300],
      ['teks', 390, 590],
      ['akhir‘', 680, 902],
      ['kanan', 910, 1100],
    ]);
    const pieces = columnsOf([rows]);
    expect(pieces).toHaveLength(10);
    for (const p of pieces) expect(p.k, p.text.join(' ')).toBe(p.text[0] === 'kiri' ? 0 : 1);
  });
  it('leaves a title crossing a gutter, with its row to itself, over the columns', () => {
    // (its word spaces fall beside the gutter, not on it)
    // Mostly over the right column: it overlaps the left one too little to count as spanning.
    const title = row(150, [
      ['Laporan', 820, 1000],
      ['Kegiatan', 1030, 1250],
      ['Tahunan', 1280, 1500],
    ]);
    const body = [0, 1, 2].map((r) => across(300 + 60 * r));
    const pieces = columnsOf([[title], body]);
    expect(pieces.find((p) => p.text[0] === 'Laporan')?.k).toBeNull();
    expect(pieces.filter((p) => p.k !== null)).toHaveLength(6);
  });
  it('puts a word OCR ran across the gutter where most of it is, cutting its row elsewhere', () => {
    // "cukup'bantuan" joins the last word of the left column to the first of the right; the row's
    // cut falls at a wide gap before it, so that piece reaches across the gutter.
    const rows = [0, 1, 2, 3, 4].map((r) => across(300 + 60 * r));
    rows[2] = row(420, [
      ['kiri', 100, 300],
      ['teks', 390, 590],
      ["cukup'bantuan", 760, 1100],
      ['kolom', 1190, 1400],
      ['baru', 1490, 1700],
    ]);
    const pieces = columnsOf([rows]);
    const glued = pieces.find((p) => p.text.includes("cukup'bantuan"));
    expect(glued?.k).toBe(1);
    expect(pieces.filter((p) => p.k === null)).toHaveLength(0);
  });
});

describe('findColumns', () => {
  it('takes a river of word spaces down a column for part of that column, not a gutter', () => {
    // Two columns (x 100–880 and 1100–1880, a 220 px gutter); justified monospaced text in the
    // right one lines its word spaces up: a 30 px strip at x 1400–1430 is empty on every row.
    const rows = Array.from({ length: 14 }, (_, r) => 300 + 60 * r);
    const left = rows.map((y) =>
      row(y, [
        ['kiri', 100, 300],
        ['teks', 340, 560],
        ['akhir', 600, 880],
      ]),
    );
    const right = rows.map((y) =>
      row(y, [
        ['kanan', 1100, 1400],
        ['kolom', 1430, 1640],
        ['baru', 1680, 1880],
      ]),
    );
    const layout = findColumns([left.map((l) => l.source), right.map((l) => l.source)]);
    expect(layout.cores).toHaveLength(2);
    expect(layout.column).toEqual([0, 1]);
  });
  it('takes a river as wide as the gutters for part of a column when OCR read its lines across it', () => {
    // Three columns 700 px wide, 30 px gutters; the middle one's spaces line up in a 30 px strip
    // at x 1300–1330 on every row, and tesseract read each of its rows as one line across it.
    // Elsewhere the words fall differently on each row.
    const rows = Array.from({ length: 14 }, (_, r) => 300 + 60 * r);
    const shift = (r: number) => 40 * (r % 5);
    const outer = (x0: number) =>
      rows.map((y, r) =>
        row(y, [
          ['kata', x0, x0 + 200 + shift(r)],
          ['buku', x0 + 240 + shift(r), x0 + 420 + shift(r)],
          ['rak', x0 + 460 + shift(r), x0 + 700],
        ]),
      );
    const middle = rows.map((y) =>
      row(y, [
        ['kanan', 830, 1000 - 10],
        ['kolom', 1030, 1300],
        ['baru', 1330, 1530],
      ]),
    );
    const layout = findColumns([
      outer(100).map((l) => l.source),
      middle.map((l) => l.source),
      outer(1560).map((l) => l.source),
    ]);
    expect(layout.cores).toHaveLength(3);
    expect(layout.column).toEqual([0, 1, 2]);
    // Two narrow columns beside a wide one, each line OCR'd within its own column: three columns.
    const narrow = (x0: number) =>
      rows.map((y, r) =>
        row(y, [
          ['kata', x0, x0 + 150 + shift(r) / 2],
          ['rak', x0 + 190 + shift(r) / 2, x0 + 330],
        ]),
      );
    const uneven = findColumns([
      narrow(100).map((l) => l.source),
      narrow(460).map((l) => l.source),
      outer(820).map((l) => l.source),
    ]);
    expect(uneven.cores).toHaveLength(3);
  });
});
