import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { ocrUpscaleFor, prepareImage, toCallerPixels } from './tesseract-image.ts';
import { measureTextSize } from './text-size.ts';

const TEXT = `${SAMPLE_TEXT.id1} ${SAMPLE_TEXT.id2} ${SAMPLE_TEXT.id3}`;
const pageAt = (dpi: number, fontPt: number, format: 'png' | 'jpeg' = 'png') =>
  makePage({
    columns: [TEXT],
    dpi,
    fontPt,
    width: Math.round(5.8 * dpi),
    height: Math.round(3 * dpi),
    format,
  });

async function xHeightOf(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  return (
    measureTextSize({ data: new Uint8Array(data), width: info.width, height: info.height })?.xHeightPx ?? 0
  );
}

describe('prepareImage', () => {
  it('does not enlarge a page of noise (its specks are not small letters)', async () => {
    const noise = await sharp({
      create: {
        width: 2000,
        height: 2000,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 90 },
      },
    })
      .greyscale()
      .png()
      .toBuffer();
    expect((await prepareImage(noise)).scale).toBe(1);
  });

  it("trusts the caller's measured x-height: enlarges when it is small, passes the bytes through when not", async () => {
    const page = await pageAt(100, 9, 'jpeg');
    // The same small-text page, told its true x-height, is enlarged as when measured here...
    const told = await prepareImage(page, { xHeightPx: await xHeightOf(page) });
    expect(told.scale).toBeGreaterThan(1.8);
    // ...and told a normal x-height it is handed over as it is (no decode, no measuring).
    const trusted = await prepareImage(page, { xHeightPx: 22 });
    expect(trusted.scale).toBe(1);
    expect(trusted.bytes).toBe(page);
  });

  it('enlarges small text (100 dpi, 9 pt) to an x-height tesseract reads well', async () => {
    const page = await pageAt(100, 9);
    const prepared = await prepareImage(page);
    expect(prepared.scale).toBeGreaterThan(1.8);
    expect(prepared.source).toEqual({ width: 580, height: 300 });
    expect(prepared.width).toBe(Math.round(580 * prepared.scale));
    expect(await xHeightOf(prepared.bytes)).toBeGreaterThanOrEqual(17);
    expect((await sharp(prepared.bytes).metadata()).width).toBe(prepared.width);
  });

  it('passes a page with normal-sized text through untouched', async () => {
    const page = await pageAt(200, 11, 'jpeg');
    const prepared = await prepareImage(page);
    expect(prepared.scale).toBe(1);
    expect(prepared.bytes.equals(page)).toBe(true);
  });

  it('never enlarges without a measured size, nor beyond 3x', () => {
    expect(ocrUpscaleFor(null)).toBe(1);
    expect(ocrUpscaleFor(14)).toBe(1);
    expect(ocrUpscaleFor(2)).toBe(3);
  });
});

describe('toCallerPixels', () => {
  it('divides every box by the enlargement and restores the page size', () => {
    const box = { x0: 101, y0: 40, x1: 300, y1: 81 };
    const result: OcrPageResult = {
      width: 1000,
      height: 600,
      text: 'kata',
      confidence: 90,
      warnings: [],
      engine: 'x',
      blocks: [
        {
          bbox: box,
          paragraphs: [
            {
              bbox: box,
              lines: [
                {
                  bbox: box,
                  baseline: { x0: 101, y0: 75, x1: 300, y1: 75 },
                  words: [{ text: 'kata', confidence: 90, bbox: box }],
                },
              ],
            },
          ],
        },
      ],
    };
    const back = toCallerPixels(result, {
      bytes: Buffer.alloc(0),
      width: 1000,
      height: 600,
      scale: 2,
      source: { width: 500, height: 300 },
    });
    expect(back).toMatchObject({ width: 500, height: 300, text: 'kata' });
    const line = back.blocks[0]?.paragraphs[0]?.lines[0];
    expect(line?.words[0]?.bbox).toEqual({ x0: 50.5, y0: 20, x1: 150, y1: 40.5 });
    expect(line?.baseline).toEqual({ x0: 50.5, y0: 37.5, x1: 150, y1: 37.5 });
  });
});
