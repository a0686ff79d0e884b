import { describe, expect, it } from 'vitest';
import { inkBoxesBelow } from './ink-boxes.ts';

/** A page of paper (200–255) with scattered ink blobs and single dark pixels, deterministic. */
function page(w: number, h: number, seed: number): Uint8Array {
  const data = new Uint8Array(w * h);
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < data.length; i++) data[i] = 200 + Math.floor(rand() * 56);
  for (let k = 0; k < 400; k++) {
    const x0 = Math.floor(rand() * w);
    const y0 = Math.floor(rand() * h);
    const bw = 1 + Math.floor(rand() * 9);
    const bh = 1 + Math.floor(rand() * 9);
    const grey = Math.floor(rand() * 256);
    for (let y = y0; y < Math.min(h, y0 + bh); y++)
      for (let x = x0; x < Math.min(w, x0 + bw); x++) data[y * w + x] = grey;
  }
  return data;
}

describe('inkBoxesBelow', () => {
  // Paper is skipped four pixels at a time on word-aligned pixels, one at a time otherwise: both
  // must find the same components, for cuts below, at and above 128 and odd row lengths.
  it('finds the same boxes whether or not the pixels can be read as 32-bit words', () => {
    for (const [w, h] of [
      [257, 61],
      [300, 40],
      [33, 97],
    ] as const) {
      const aligned = page(w, h, w * h);
      const shifted = new Uint8Array(aligned.length + 1).subarray(1);
      shifted.set(aligned);
      expect(shifted.byteOffset % 4).not.toBe(0);
      for (const cut of [1, 60, 127, 128, 129, 200, 230, 255, 256]) {
        const a = inkBoxesBelow(aligned, w, h, cut, Number.POSITIVE_INFINITY);
        const b = inkBoxesBelow(shifted, w, h, cut, Number.POSITIVE_INFINITY);
        expect(a?.n, `cut ${cut}`).toBe(b?.n);
        expect(a && [...a.x0.subarray(0, a.n)]).toEqual(b && [...b.x0.subarray(0, b.n)]);
        expect(a && [...a.y1.subarray(0, a.n)]).toEqual(b && [...b.y1.subarray(0, b.n)]);
        expect(a && [...a.x1.subarray(0, a.n)]).toEqual(b && [...b.x1.subarray(0, b.n)]);
      }
    }
  });
});
