import { describe, expect, it } from 'vitest';
import type { OcrLine, OcrWord } from '../../core/ocr.types.ts';
import { heightAboveBaseline, lineBaselinePx } from './ocr-line-geometry.ts';

function w(text: string, x0: number, y0: number, y1: number): OcrWord {
  return { text, confidence: 90, bbox: { x0, y0, x1: x0 + 100, y1 } };
}

function lineOf(words: OcrWord[], baseline: OcrLine['baseline']): OcrLine {
  const bbox = {
    x0: Math.min(...words.map((x) => x.bbox.x0)),
    y0: Math.min(...words.map((x) => x.bbox.y0)),
    x1: Math.max(...words.map((x) => x.bbox.x1)),
    y1: Math.max(...words.map((x) => x.bbox.y1)),
  };
  return { bbox, baseline, words };
}

describe('heightAboveBaseline', () => {
  it('does not grow with descenders, grows with the type size', () => {
    const flat = { x0: 0, y0: 140, x1: 800, y1: 140 };
    const plain = lineOf([w('kata', 0, 100, 140), w('buku', 200, 100, 140), w('baca', 400, 100, 140)], flat);
    const descenders = lineOf(
      [w('yang', 0, 100, 152), w('pagi', 200, 100, 152), w('baca', 400, 100, 140)],
      flat,
    );
    const title = lineOf([w('Judul', 0, 80, 140), w('Besar', 200, 80, 140)], flat);
    expect(heightAboveBaseline(plain)).toBe(40);
    expect(heightAboveBaseline(descenders)).toBe(40);
    expect(heightAboveBaseline(title)).toBe(60);
  });
  it('measures each word against a sloping baseline under it', () => {
    // A line on a page turned a little: the baseline drops 20 px over 800 px, tops drop with it.
    const sloping = { x0: 0, y0: 140, x1: 800, y1: 160 };
    const words = [0, 200, 400, 600].map((x) => w('kata', x, 100 + (x + 50) / 40, 140 + (x + 50) / 40));
    expect(heightAboveBaseline(lineOf(words, sloping))).toBeCloseTo(40, 5);
    // One value for the line: the baseline under the middle of its box (x 0..700).
    expect(lineBaselinePx(lineOf(words, sloping))).toBeCloseTo(148.75, 5);
  });
  it('falls back on the line box without a usable baseline', () => {
    const line = lineOf([w('kata', 0, 100, 150)], null);
    // Baseline a fifth of the box above its bottom.
    expect(lineBaselinePx(line)).toBe(140);
    expect(heightAboveBaseline(line)).toBe(40);
  });
});
