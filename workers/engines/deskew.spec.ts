import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { measureSkew, otsuThreshold } from './deskew.ts';

const T = SAMPLE_TEXT;
const ONE_COLUMN = [`${T.id1} ${T.id2} ${T.en1} ${T.id3} ${T.id1} ${T.id2}`];
const TWO_COLUMNS = [`${T.id1} ${T.id2} ${T.id3}`, `${T.id3} ${T.en1} ${T.id2}`];

/** Greyscale pixels at the width cleanPage measures on. */
async function greyPixels(image: Buffer, width = 1000) {
  const { data, info } = await sharp(image)
    .resize({ width, withoutEnlargement: true })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(1);
  return { gray: new Uint8Array(data), width: info.width, height: info.height };
}

async function skewOf(image: Buffer) {
  const { gray, width, height } = await greyPixels(image);
  return measureSkew(gray, width, height);
}

describe('measureSkew', () => {
  for (const [label, columns] of [
    ['one column', ONE_COLUMN],
    ['two columns', TWO_COLUMNS],
  ] as const) {
    for (const deg of [-3, -1.2, 0.4, 2.5]) {
      it(`measures ${deg}° on a ${label} page within 0.3°`, async () => {
        const page = await makePage({ columns: [...columns], title: 'Laporan Tahunan', skewDeg: deg });
        const { angle, confidence } = await skewOf(page);
        expect(Math.abs(angle - deg)).toBeLessThan(0.3);
        expect(confidence).toBeGreaterThan(0.5);
      });
    }
  }

  it('uses the sharp.rotate sign convention: rotate(-angle) straightens the page', async () => {
    const page = await makePage({ columns: ONE_COLUMN, skewDeg: 2.5, format: 'png' });
    const { angle } = await skewOf(page);
    expect(angle).toBeGreaterThan(0); // makePage's positive skew is clockwise, like sharp.rotate
    const straightened = await sharp(page).rotate(-angle, { background: '#f6f0e2' }).png().toBuffer();
    expect(Math.abs((await skewOf(straightened)).angle)).toBeLessThan(0.3);
  });

  it('reports close to 0° for a straight page and is not pulled to 0 for a small skew', async () => {
    const straight = await skewOf(await makePage({ columns: TWO_COLUMNS }));
    expect(Math.abs(straight.angle)).toBeLessThan(0.2);
    for (const deg of [0.1, 0.3]) {
      const slight = await skewOf(await makePage({ columns: ONE_COLUMN, skewDeg: deg }));
      expect(Math.abs(slight.angle - deg)).toBeLessThan(0.03);
    }
  });

  it('is not dragged towards 0° by straight dark scanner-bed borders', async () => {
    const page = await makePage({
      columns: ONE_COLUMN,
      skewDeg: -1.2,
      border: { top: 90, bottom: 70, left: 50, right: 40 },
    });
    expect(Math.abs((await skewOf(page)).angle + 1.2)).toBeLessThan(0.3);
  });

  it('returns 0° with no confidence for a blank page', async () => {
    const blank = new Uint8Array(800 * 1000).fill(235);
    expect(measureSkew(blank, 800, 1000)).toEqual({ angle: 0, confidence: 0 });
  });

  it('rejects a buffer that does not match the stated size', () => {
    expect(() => measureSkew(new Uint8Array(10), 100, 100)).toThrow(RangeError);
    expect(() => measureSkew(new Uint8Array(10), 0, 10)).toThrow(RangeError);
  });
});

describe('otsuThreshold', () => {
  it('splits a bimodal image between its modes', () => {
    const gray = new Uint8Array(1000);
    for (let i = 0; i < gray.length; i++) gray[i] = i % 4 === 0 ? 30 + (i % 7) : 220 - (i % 9);
    const t = otsuThreshold(gray);
    expect(t).toBeGreaterThanOrEqual(36);
    expect(t).toBeLessThan(212);
  });
});
