import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { DEFAULT_DPI, dpiFromXHeight, type GreyImage, measureTextSize, resolveDpi } from './text-size.ts';

const T = SAMPLE_TEXT;
const TEXT = [`${T.id1} ${T.id2} ${T.en1} ${T.id3}`];

/** An A5 page at `dpi` with `fontPt` type, as 8-bit grey pixels (`bits: 1` thresholds it first). */
async function page(dpi: number, fontPt = 11, bits: 1 | 8 = 8): Promise<GreyImage> {
  const png = await makePage({
    columns: TEXT,
    dpi,
    fontPt,
    width: Math.round(5.8 * dpi),
    height: Math.round(8.3 * dpi),
    format: 'png',
  });
  let img = sharp(png).greyscale();
  if (bits === 1) img = img.threshold(140);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('measureTextSize', () => {
  it('gives up on a page of noise (millions of specks) instead of measuring every speck', () => {
    // Salt and pepper on every other pixel: ~2M ink runs on 2000 × 2000, no text.
    const width = 2000;
    const height = 2000;
    const data = new Uint8Array(width * height).fill(230);
    let seed = 7;
    for (let i = 0; i < data.length; i += 2) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (seed % 3 !== 0) data[i] = 20;
    }
    expect(measureTextSize({ data, width, height })).toBeNull();
  });

  it('finds an x-height in proportion to the resolution, and the resolution from it', async () => {
    for (const dpi of [100, 150, 200, 300]) {
      const size = measureTextSize(await page(dpi));
      expect(size?.letters).toBeGreaterThan(100);
      // DejaVu Serif's x-height is 0.52 em: 11 pt × 0.52 / 72 in.
      expect(size?.xHeightPx).toBeGreaterThan(0.079 * dpi * 0.85);
      expect(size?.xHeightPx).toBeLessThan(0.079 * dpi * 1.15);
      const estimate = dpiFromXHeight(size?.xHeightPx ?? 0);
      expect(estimate).toBeGreaterThanOrEqual(dpi * 0.85);
      expect(estimate).toBeLessThanOrEqual(dpi * 1.25);
    }
  });

  it('follows the type size, not the resolution', async () => {
    const small = measureTextSize(await page(200, 8));
    const large = measureTextSize(await page(200, 16));
    expect((large?.xHeightPx ?? 0) / (small?.xHeightPx ?? 1)).toBeGreaterThan(1.7);
    expect((large?.xHeightPx ?? 0) / (small?.xHeightPx ?? 1)).toBeLessThan(2.3);
  });

  it('reads a 1-bit page like a greyscale one', async () => {
    const grey = measureTextSize(await page(150));
    const bilevel = measureTextSize(await page(150, 11, 1));
    expect(Math.abs((bilevel?.xHeightPx ?? 0) - (grey?.xHeightPx ?? 0))).toBeLessThan(1.5);
  });

  it('gives no size for a blank page or a few specks', () => {
    const width = 600;
    const height = 800;
    const data = new Uint8Array(width * height).fill(250);
    expect(measureTextSize({ data, width, height })).toBeNull();
    for (let i = 0; i < 20; i++) data.fill(10, (100 + i * 30) * width + 100, (100 + i * 30) * width + 106);
    expect(measureTextSize({ data, width, height })).toBeNull();
  });
});

describe('resolveDpi', () => {
  const text = (dpi: number) => ({ xHeightPx: 0.0764 * dpi, letters: 500 });
  it('trusts a plausible tag that the text agrees with, large print included', () => {
    expect(resolveDpi(300, text(300))).toBe(300);
    expect(resolveDpi(200, text(330))).toBe(200);
    expect(resolveDpi(300, text(550))).toBe(300);
    expect(resolveDpi(150, null)).toBe(150);
  });
  it('estimates from the text when the tag is missing, a software default or contradicted', () => {
    expect(resolveDpi(null, text(150))).toBe(150);
    expect(resolveDpi(72, text(200))).toBe(200);
    expect(resolveDpi(96, text(100))).toBe(100);
    expect(resolveDpi(300, text(100))).toBe(100);
    expect(resolveDpi(100, text(400))).toBe(400);
  });
  it('falls back to 300 dpi with neither', () => {
    expect(resolveDpi(null, null)).toBe(DEFAULT_DPI);
    expect(resolveDpi(72, null)).toBe(DEFAULT_DPI);
  });
});
