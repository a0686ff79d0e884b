import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../core/store/keys.ts';
import type { Pindai } from '../scripts/pindai-context.ts';
import { makePage } from './fixtures/make-page.ts';
import { makeProse } from './fixtures/prose.ts';
import { cer } from './support/cer.ts';
import { ingestAndRun } from './support/ingest-run.ts';
import { tempDir } from './support/temp-dir.ts';

/** How each page was fed into the scanner (clockwise), and the face it is set in. */
const FED = [
  { turn: 90, face: 'sans' },
  { turn: 180, face: 'serif' },
  { turn: 270, face: 'serif-condensed' },
] as const;

/**
 * Pages fed the wrong way round, with no EXIF hint, through the real pipeline (sharp, tesseract.js):
 * each is turned upright before OCR, so its text comes out as written.
 */
describe('pipeline: pages scanned sideways or upside down are read upright', () => {
  const root = tempDir();
  let app: Pindai;
  let itemId: string;
  const truth: string[] = [];

  beforeAll(async () => {
    const dir = path.join(root, 'src', 'Buku Terbalik');
    fs.mkdirSync(dir, { recursive: true });
    for (const [i, { turn, face }] of FED.entries()) {
      const text = makeProse(90, 700 + i);
      truth.push(text);
      const page = await makePage({ columns: [text], face, width: 1000, height: 1200, skewDeg: 0.7 });
      await sharp(page)
        .rotate(turn)
        .jpeg({ quality: 85 })
        .toFile(path.join(dir, `hal-${i + 1}.jpg`));
    }
    ({
      app,
      itemIds: [itemId = ''],
    } = await ingestAndRun(root, [dir]));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('records the turn that made each page upright', async () => {
    expect((await app.register.items.get(itemId))?.status).toBe('available');
    const pages = await app.register.pages.list(itemId);
    expect(pages.map((p) => p.orientation)).toEqual(FED.map((f) => (360 - f.turn) % 360));
    for (const p of pages) expect(p.orientationConfidence).toBeGreaterThanOrEqual(0.5);
    // The cleaned page is upright: portrait again where the scan was landscape.
    for (const p of pages) expect(p.cleanHeight!).toBeGreaterThan(p.cleanWidth!);
  });

  it('reads every page as written (low CER against the text it was set from)', async () => {
    for (const [i, p] of (await app.register.pages.list(itemId)).entries()) {
      const text = (await app.store.getBuffer(keys.ocrText(itemId, p.pageNo))).toString();
      expect(cer(truth[i]!, text), `page ${p.pageNo}: ${text.slice(0, 120)}`).toBeLessThan(0.05);
    }
  });
});
