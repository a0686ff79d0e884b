import { afterAll, describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../test/fixtures/make-page.ts';
import { cer } from '../test/support/cer.ts';
import {
  createNativeTesseractEngine,
  type NativeTesseractEngine,
  probeNativeTesseract,
} from './engines/native-tesseract.engine.ts';
import { cleanPage } from './engines/page-image.ts';
import { createOcrReadAhead } from './ocr-read-ahead.ts';
import { ocrInputOfCleaned } from './stages/ocr-input.ts';

const LANGS = ['ind', 'eng'];
const info = await probeNativeTesseract();
const usable = info !== null && LANGS.every((l) => info.langs.includes(l));
const engines: NativeTesseractEngine[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

async function cleaned(text: string) {
  const c = await cleanPage(await makePage({ columns: [text], height: 650 }), { maxPixels: 100_000_000 });
  const input = ocrInputOfCleaned(c);
  return { c, input };
}

describe.skipIf(!usable)('OCR read-ahead (native tesseract)', () => {
  const engine = () => {
    if (!info) throw new Error('unreachable');
    const e = createNativeTesseractEngine({ processes: 1, timeoutMs: 60_000 }, info);
    engines.push(e);
    return e;
  };

  it('hands a cleaned page to OCR at once and gives the result to the same image only, once', async () => {
    const ahead = createOcrReadAhead(engine(), { maxInFlight: 2 });
    const { c, input } = await cleaned(SAMPLE_TEXT.id3);
    ahead.offer('item-1', 1, LANGS, input);
    expect(ahead.stats.started).toBe(1);
    expect(ahead.waitingItems()).toEqual(['item-1']);
    // Other languages, another page number or other bytes (the page cleaned again) are not it.
    expect(ahead.take('item-1', 1, ['ind'], input.image)).toBeNull();
    expect(ahead.take('item-1', 2, LANGS, input.image)).toBeNull();
    expect(ahead.take('item-1', 1, LANGS, Buffer.concat([input.image, Buffer.from([0])]))).toBeNull();
    const result = await ahead.take('item-1', 1, LANGS, input.image);
    // In the cleaned page's pixels, whatever image OCR read (the bilevel PDF image here).
    expect(result).toMatchObject({ width: c.width, height: c.height });
    expect(cer(SAMPLE_TEXT.id3, result?.text ?? '')).toBeLessThan(0.03);
    expect(ahead.take('item-1', 1, LANGS, input.image)).toBeNull();
    expect(ahead.waitingItems()).toEqual([]);
  });

  it('reads ahead only while fewer than maxInFlight pages are being read, and ages out results nobody took', async () => {
    let now = 0;
    const e = engine();
    const ahead = createOcrReadAhead(e, { maxInFlight: 1, maxAgeMs: 1000, now: () => now });
    const a = await cleaned(SAMPLE_TEXT.id3);
    const b = await cleaned(SAMPLE_TEXT.en1);
    ahead.offer('item-a', 1, LANGS, a.input);
    ahead.offer('item-b', 1, LANGS, b.input);
    expect(ahead.stats).toMatchObject({ offered: 2, started: 1 });
    expect(ahead.take('item-b', 1, LANGS, b.input.image)).toBeNull();
    await ahead.take('item-a', 1, LANGS, a.input.image);
    ahead.offer('item-b', 1, LANGS, b.input);
    expect(ahead.stats.started).toBe(2);
    while (e.stats().running + e.stats().queued > 0) await new Promise((r) => setTimeout(r, 20));
    now = 5000;
    ahead.offer('item-a', 2, LANGS, a.input); // prunes what is older than maxAgeMs
    expect(ahead.waitingItems()).toEqual(['item-a']);
    expect(ahead.take('item-b', 1, LANGS, b.input.image)).toBeNull();
  });

  it('holds at most maxHeld results nobody has taken yet', async () => {
    const e = engine();
    const ahead = createOcrReadAhead(e, { maxInFlight: 5, maxHeld: 1 });
    const a = await cleaned(SAMPLE_TEXT.id1);
    ahead.offer('item-a', 1, LANGS, a.input);
    ahead.offer('item-a', 2, LANGS, a.input);
    expect(ahead.stats).toMatchObject({ offered: 2, started: 1 });
    await ahead.take('item-a', 1, LANGS, a.input.image);
    ahead.offer('item-a', 2, LANGS, a.input);
    expect(ahead.stats.started).toBe(2);
  });

  it('keeps a failed read-ahead to itself: the taker sees the rejection and reads the page', async () => {
    const ahead = createOcrReadAhead(engine(), { maxInFlight: 2 });
    const junk = { image: Buffer.from('not an image'), xHeightPx: null, toPage: (r: never) => r };
    ahead.offer('item-x', 1, LANGS, junk);
    await expect(ahead.take('item-x', 1, LANGS, junk.image)).rejects.toThrow();
  });
});
