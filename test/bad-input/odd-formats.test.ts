import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../core/store/keys.ts';
import { createTesseractEngine } from '../../workers/engines/tesseract-ocr.engine.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { cer } from '../support/cer.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from '../support/test-app.ts';

/**
 * Unusual but valid scans must be accepted and processed, not refused: 16-bit greyscale TIFF,
 * CMYK TIFF and 1-bit CCITT G4 TIFF, through the real pipeline (sharp, tesseract.js, pdf-lib).
 */
describe('odd but valid TIFFs are accepted and processed', () => {
  const root = tempDir();
  let app: TestApp;
  let itemId = '';
  const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3];

  beforeAll(async () => {
    const data = path.join(root, 'data');
    app = createTestApp(data, {
      ocr: createTesseractEngine({ workers: 1, timeoutMs: 120_000, langDir: path.join(data, 'tessdata') }),
    });
    const page = (t: string) => makePage({ columns: [t], width: 900, height: 700, format: 'png' });
    const files = {
      'hal-1.tif': await sharp(await page(texts[0] as string))
        .toColourspace('grey16')
        .tiff({ compression: 'lzw' })
        .toBuffer(),
      'hal-2.tif': await sharp(await page(texts[1] as string))
        .toColourspace('cmyk')
        .tiff()
        .toBuffer(),
      'hal-3.tif': await sharp(await page(texts[2] as string))
        .threshold(150)
        .extractChannel(0)
        .tiff({ compression: 'ccittfax4', bitdepth: 1 })
        .toBuffer(),
    };
    const r = await app.accept(writeFiles(path.join(root, 'inbox'), 'tiff aneh', files));
    expect(r.status).toBe('accepted');
    itemId = r.item?.id ?? '';
    await app.runner.start();
    await app.runner.drain([itemId]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('ends available with every page recognised', async () => {
    const item = await app.register.items.get(itemId);
    expect(item?.status, item?.errorMessage ?? '').toBe('available');
    const pages = await app.register.pages.list(itemId);
    expect(pages.map((p) => p.format)).toEqual(['tiff', 'tiff', 'tiff']);
    for (const [i, p] of pages.entries()) {
      const text = (await app.store.getBuffer(keys.ocrText(itemId, p.pageNo))).toString();
      expect(cer(texts[i] as string, text), `page ${p.pageNo}: ${text}`).toBeLessThan(0.05);
    }
  });
});
