import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TEXT as T } from '../../test/fixtures/make-page.ts';
import { type MadeSpread, makeSpread } from '../../test/fixtures/make-spread.ts';
import { cer } from '../../test/support/cer.ts';
import { cleanPage } from './page-image.ts';
import { detectSpread, spreadRegions } from './spread.ts';
import { createTesseractEngine, type TesseractOcrEngine } from './tesseract-ocr.engine.ts';

const MAX_PIXELS = 40_000_000;
// Two pages with no sentence in common, so a word tells which page it came from.
const LEFT = `${T.id1} ${T.id2} ${T.id1}`;
const RIGHT = `${T.id3} ${T.en1} ${T.id3}`;

const tmp = mkdtempSync(path.join(tmpdir(), 'pindai-region-'));
let ocr: TesseractOcrEngine;
let spread: MadeSpread;

beforeAll(async () => {
  ocr = createTesseractEngine({ workers: 1, timeoutMs: 120_000, langDir: path.join(tmp, 'lang') });
  spread = await makeSpread({
    left: LEFT,
    right: RIGHT,
    gutter: 'shadow',
    skewDeg: 0.8,
    pageNumbers: ['40', '41'],
  });
});

afterAll(async () => {
  await ocr.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** One page of a spread (page.sourceRegion) is cleaned on its own. */
describe('cleanPage with a region', () => {
  it('cleans the left page of a spread alone: its text, none of the right page', async () => {
    const found = await detectSpread(spread.image);
    expect(found?.split).toBe(true);
    const [left] = spreadRegions(found?.splitX ?? 0, spread.width);
    const page = await cleanPage(spread.image, { maxPixels: MAX_PIXELS, region: left });
    expect(page.width).toBeLessThanOrEqual(left.x1 - left.x0);
    expect(page.width).toBeGreaterThan((left.x1 - left.x0) * 0.8);

    const text = (await ocr.recognize(page.access, ['ind', 'eng'])).text;
    expect(cer(`${LEFT} 40`, text)).toBeLessThan(0.05);
    for (const word of ['Setiap', 'reading', 'induk', '41']) expect(text).not.toContain(word);
  });

  it('cuts the region of the EXIF-upright image, not of the stored pixels', async () => {
    const found = await detectSpread(spread.image);
    const [, right] = spreadRegions(found?.splitX ?? 0, spread.width);
    const stored = await sharp(spread.image).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const [fromUpright, fromStored] = await Promise.all([
      cleanPage(spread.image, { maxPixels: MAX_PIXELS, region: right }),
      cleanPage(stored, { maxPixels: MAX_PIXELS, region: right }),
    ]);
    // A strip of the stored (sideways) pixels would be a band across the page, far wider than tall.
    expect(fromStored.height).toBeGreaterThan(fromStored.width);
    expect(Math.abs(fromStored.width - fromUpright.width)).toBeLessThan(spread.width * 0.01);
    expect(Math.abs(fromStored.height - fromUpright.height)).toBeLessThan(spread.height * 0.01);
  });
});
