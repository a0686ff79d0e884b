import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PindaiError } from '../../core/errors.ts';
import { probeSource } from './source-probe.ts';

/** A multi-page TIFF of `n` small pages of alternating sizes (as a careless export makes them). */
async function manyPageTiff(n: number): Promise<Buffer> {
  const a = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return sharp(
    Array.from({ length: n }, () => a),
    { join: { animated: true } },
  )
    .tiff({ compression: 'lzw' })
    .toBuffer();
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PindaiError);
  return (err as PindaiError).code;
}

describe('probing many-page files', () => {
  it('refuses a TIFF of thousands of pages over the per-file limit, and reads one under it in one pass', async () => {
    const tiff = await manyPageTiff(3000);
    expect(await codeOf(probeSource(tiff, { maxPixels: 1e8, maxPages: 2000 }))).toBe('image_too_many_pages');
    // Under a higher limit every page is described: the directory is walked once (a per-page
    // open in libvips re-reads the whole chain, which took minutes at this size).
    const info = await probeSource(tiff, { maxPixels: 1e8, maxPages: 5000 });
    expect(info.pages).toBe(3000);
    expect(info.pageSizes).toHaveLength(3000);
    expect(info.pageSizes[2999]).toEqual({ width: 40, height: 30, density: expect.any(Number) });
  });

  it('refuses a multi-page TIFF cut short in the middle of its pages', async () => {
    const tiff = await manyPageTiff(40);
    const cut = tiff.subarray(0, Math.floor(tiff.length * 0.7));
    expect(await codeOf(probeSource(cut, { maxPixels: 1e8, maxPages: 100 }))).toBe('image_corrupt');
  });
});
