import { describe, expect, it } from 'vitest';
import { paintBed } from './scanner-bed.ts';

/**
 * The rule paintBed implements, written the plain way: breadth-first from every dark edge pixel
 * through dark pixels within the frame, then three rings into pixels below 85 % of paper.
 */
function oracle(data: Uint8Array, width: number, height: number, darkBelow: number, paper: number): number {
  const depth = Math.round(Math.min(width, height) * 0.1);
  const inFrame = (x: number, y: number) =>
    y < depth || y >= height - depth || x < depth || x >= width - depth;
  const mask = new Uint8Array(width * height);
  let frontier: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      if (edge && (data[i] as number) < darkBelow) {
        mask[i] = 1;
        frontier.push(i);
      }
    }
  if (frontier.length === 0) return 0;
  const grow = (below: number, rings: number) => {
    const added: number[] = [];
    for (let ring = 0; ring < rings && frontier.length > 0; ring++) {
      const next: number[] = [];
      for (const i of frontier) {
        const x = i % width;
        const y = Math.floor(i / width);
        for (const [nx, ny] of [
          [x - 1, y],
          [x + 1, y],
          [x, y - 1],
          [x, y + 1],
        ] as const) {
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (!mask[j] && (data[j] as number) < below && inFrame(nx, ny)) {
            mask[j] = 1;
            next.push(j);
          }
        }
      }
      added.push(...next);
      frontier = next;
    }
    return added;
  };
  const bedSeeds = frontier.slice();
  const bed = [...bedSeeds, ...grow(darkBelow, Number.POSITIVE_INFINITY)];
  frontier = bed.slice();
  const rim = grow(Math.round(paper * 0.85), 3);
  for (const i of [...bed, ...rim]) data[i] = paper;
  return bed.length;
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

describe('paintBed', () => {
  it('paints exactly what a plain breadth-first flood paints, on noisy images of many shapes', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = random(seed);
      const width = 1 + Math.floor(rnd() * 120);
      const height = 1 + Math.floor(rnd() * 120);
      const darkShare = 0.3 + rnd() * 0.4;
      const data = new Uint8Array(width * height);
      for (let i = 0; i < data.length; i++)
        data[i] = rnd() < darkShare ? Math.floor(rnd() * 80) : 120 + Math.floor(rnd() * 130);
      const expected = data.slice();
      const count = oracle(expected, width, height, 60, 220);
      const painted = data.slice();
      expect(paintBed({ data: painted, width, height }, 60, 220)).toBe(count);
      expect(Buffer.from(painted).equals(Buffer.from(expected)), `seed ${seed} (${width}×${height})`).toBe(
        true,
      );
    }
  });

  it('paints the dark wedges around a tilted page, its soft edge too, and leaves the text alone', () => {
    const width = 400;
    const height = 500;
    const data = new Uint8Array(width * height).fill(20); // the scanner bed
    const tilt = Math.tan((4 * Math.PI) / 180);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        // A page tilted by 4°: its left edge moves right further down, with a 2-px grey edge.
        const edge = 12 + y * tilt;
        if (x >= edge + 2) data[y * width + x] = 230;
        else if (x >= edge) data[y * width + x] = 140;
      }
    for (let x = 150; x < 260; x++) for (let y = 240; y < 246; y++) data[y * width + x] = 10; // a line of text
    const count = paintBed({ data, width, height }, 90, 230);
    expect(count).toBeGreaterThan(0);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < 40; x++) expect(data[y * width + x], `(${x}, ${y})`).toBeGreaterThan(200);
    expect(data[243 * width + 200]).toBe(10);
  });

  it('leaves a page with no dark pixel on its edge as it is', () => {
    const data = new Uint8Array(50 * 40).fill(240);
    data[20 * 50 + 20] = 0;
    const before = data.slice();
    expect(paintBed({ data, width: 50, height: 40 }, 90, 230)).toBe(0);
    expect(data).toEqual(before);
  });
});
