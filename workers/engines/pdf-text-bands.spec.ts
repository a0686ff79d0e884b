import { describe, expect, it } from 'vitest';
import { descentsForBands, MAX_DESCENT_EM } from './pdf-text-bands.ts';
import type { CleanLine } from './pdf-text-layer.ts';

// Which lines get a deeper glyph box. How poppler then reads the page is checked on real PDFs in
// pdf-text-reading-order.spec.ts; this covers the choice itself.

const PITCH = 50;
const TEXT_H = 30;
/** Body font size (px) of the layer: a pitch of 1.2 sizes. */
const SIZE = PITCH / 1.2;

function lineAt(x0: number, baseline: number): CleanLine {
  const y0 = baseline - 0.78 * TEXT_H;
  const bbox = { x0, y0, x1: x0 + 400, y1: y0 + TEXT_H };
  return {
    source: { bbox, baseline: { x0, y0: baseline, x1: x0 + 400, y1: baseline }, words: [] },
    words: [{ text: 'kata', x0, x1: x0 + 400 }],
  };
}

/** One column: `rows` lines a pitch apart, then `gap` pitches, then `rows` more lines. */
function column(x0: number, top: number, rows: number, gap: number): CleanLine[][] {
  const upper = Array.from({ length: rows }, (_, i) => lineAt(x0, top + i * PITCH));
  const lowerTop = top + (rows - 1) * PITCH + gap * PITCH;
  const lower = Array.from({ length: rows }, (_, i) => lineAt(x0, lowerTop + i * PITCH));
  return [upper, lower];
}

function layout(...columns: CleanLine[][][]) {
  const paragraphs = columns.flat();
  const column = columns.flatMap((ps, k) => ps.map(() => k));
  const sizes = columns.flatMap((ps, k) => ps.map(() => SIZE * (k % 2 ? 1.3 : 1)));
  return { paragraphs, column, sizes };
}

describe('descentsForBands', () => {
  it('deepens the last line above a gap both neighbouring columns share', () => {
    const left = column(100, 200, 5, 2.5);
    const right = column(600, 200, 5, 2.5);
    const { paragraphs, column: col, sizes } = layout(left, right);
    const deep = descentsForBands(paragraphs, col, sizes);
    const lastAbove = [left[0]?.at(-1), right[0]?.at(-1)] as CleanLine[];
    expect([...deep.keys()]).toEqual(expect.arrayContaining(lastAbove));
    expect(deep.size).toBe(2);
    // Deep enough to reach past the next line's top in each column (ascent at most 1 em).
    lastAbove.forEach((line, k) => {
      const size = sizes[k * 2] as number;
      const base = line.source.baseline?.y0 as number;
      const nextBase = (k ? right : left)[1]?.[0]?.source.baseline?.y0 as number;
      expect(base + (deep.get(line) as number) * size).toBeGreaterThan(nextBase - size);
      expect(deep.get(line)).toBeLessThanOrEqual(MAX_DESCENT_EM);
    });
  });
  it('leaves gaps on different rows, single columns and gaps too deep to reach over', () => {
    const offset = layout(column(100, 200, 5, 2.5), column(600, 200, 9, 2.5));
    expect(descentsForBands(offset.paragraphs, offset.column, offset.sizes).size).toBe(0);
    const single = layout(column(100, 200, 5, 2.5));
    expect(descentsForBands(single.paragraphs, single.column, single.sizes).size).toBe(0);
    // A figure's height between the paragraphs: only the larger-sized column could reach, and not that far.
    const figure = layout(column(100, 200, 5, 6), column(600, 200, 5, 6));
    expect(descentsForBands(figure.paragraphs, figure.column, figure.sizes).size).toBe(0);
  });
  it('leaves gaps poppler keeps in one block', () => {
    // The left column's gap, 1.1 pitches, is 1.32 sizes: poppler keeps that column one block.
    const close = layout(column(100, 200, 5, 1.1), column(600, 200, 5, 2.5));
    expect(descentsForBands(close.paragraphs, close.column, close.sizes).size).toBe(0);
  });
});
