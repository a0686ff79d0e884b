import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { cleanPage } from './page-image.ts';

const T = SAMPLE_TEXT;
const TEXT = [`${T.id1} ${T.id2} ${T.en1}`];
const MAX_PIXELS = 40_000_000;
const SIZE = { width: 800, height: 1000 };

async function greyOf(image: Buffer) {
  const { data, info } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** Mean absolute grey difference of two same-sized images. */
async function meanDiff(a: Buffer, b: Buffer): Promise<number> {
  const [ga, gb] = [await greyOf(a), await greyOf(b)];
  expect([ga.width, ga.height]).toEqual([gb.width, gb.height]);
  let s = 0;
  for (let i = 0; i < ga.data.length; i++) s += Math.abs((ga.data[i] as number) - (gb.data[i] as number));
  return s / ga.data.length;
}

/** Staff's per-item cleaning settings: manual rotation, deskew on/off, border cropping on/off. */
describe('cleanPage settings', () => {
  it('turns a page scanned upside down the right way up with rotate 180', async () => {
    const upright = await makePage({ columns: TEXT, ...SIZE, format: 'png' });
    const upsideDown = await sharp(upright).rotate(180).png().toBuffer();
    const reference = (await cleanPage(upright, { maxPixels: MAX_PIXELS })).access;
    // Staff's "no turn" for the page keeps it as scanned (detection off).
    const asScanned = (await cleanPage(upsideDown, { maxPixels: MAX_PIXELS, pageTurn: 0 })).access;
    const turned = (await cleanPage(upsideDown, { maxPixels: MAX_PIXELS, settings: { rotate: 180 } })).access;
    // Without a turn the text stays upside down (far from the upright page); with it, it matches.
    const wrong = await meanDiff(asScanned, reference);
    const right = await meanDiff(turned, reference);
    expect(wrong).toBeGreaterThan(5);
    expect(right).toBeLessThan(wrong / 5);
  });

  it('turns a sideways page a quarter turn (width and height swap)', async () => {
    const page = await makePage({ columns: TEXT, ...SIZE });
    for (const [rotate, size] of [
      [0, [800, 1000]],
      [90, [1000, 800]],
      [270, [1000, 800]],
    ] as const) {
      const out = await cleanPage(page, { maxPixels: MAX_PIXELS, settings: { rotate } });
      expect([out.width, out.height], `rotate ${rotate}`).toEqual(size);
    }
    // 90 and 270 are opposite turns: a page turned 90 then cleaned with 270 is upright again.
    const sideways = await sharp(await makePage({ columns: TEXT, ...SIZE, format: 'png' }))
      .rotate(90)
      .png()
      .toBuffer();
    const back = (await cleanPage(sideways, { maxPixels: MAX_PIXELS, settings: { rotate: 270 } })).access;
    const reference = (await cleanPage(page, { maxPixels: MAX_PIXELS })).access;
    expect(await meanDiff(back, reference)).toBeLessThan(3);
  });

  it('turns a page fed sideways upright by itself; the item rotation or a page turn replaces detection', async () => {
    const text = [`${T.id1} ${T.id2} ${T.id3} ${T.en1}`];
    const upright = await makePage({ columns: text, ...SIZE, format: 'png' });
    const sideways = await sharp(upright).rotate(90).png().toBuffer();
    const reference = (await cleanPage(upright, { maxPixels: MAX_PIXELS })).access;
    const auto = await cleanPage(sideways, { maxPixels: MAX_PIXELS });
    expect(auto).toMatchObject({ turn: 270, turnedBy: 'detected' });
    expect(auto.orientationConfidence).toBeGreaterThanOrEqual(0.5);
    expect(await meanDiff(auto.access, reference)).toBeLessThan(3);
    // An item rotation switches detection off for the item: staff said how its pages lie.
    const item = await cleanPage(sideways, { maxPixels: MAX_PIXELS, settings: { rotate: 90 } });
    expect(item).toMatchObject({ turn: 90, turnedBy: 'item', orientationConfidence: null });
    // Staff's turn for the page wins over both.
    const page = await cleanPage(sideways, {
      maxPixels: MAX_PIXELS,
      settings: { rotate: 90 },
      pageTurn: 270,
    });
    expect(page).toMatchObject({ turn: 270, turnedBy: 'page', orientationConfidence: null });
    expect(await meanDiff(page.access, reference)).toBeLessThan(3);
  });

  it('leaves the skew alone when deskew is off', async () => {
    const page = await makePage({ columns: TEXT, ...SIZE, skewDeg: 2.5 });
    const on = await cleanPage(page, { maxPixels: MAX_PIXELS });
    const off = await cleanPage(page, { maxPixels: MAX_PIXELS, settings: { deskew: false } });
    expect(Math.abs(on.skewDegrees - 2.5)).toBeLessThan(0.3);
    expect(off.skewDegrees).toBe(0);
  });

  it('keeps the scanner-bed borders when border cropping is off', async () => {
    const border = { left: 50, top: 30, right: 40, bottom: 60 };
    const page = await makePage({ columns: TEXT, ...SIZE, border });
    const on = await cleanPage(page, { maxPixels: MAX_PIXELS });
    const off = await cleanPage(page, { maxPixels: MAX_PIXELS, settings: { cropBorders: false } });
    expect(on.crop.left).toBeGreaterThanOrEqual(50);
    expect(off.crop).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
    expect([off.width, off.height]).toEqual([800 + 90, 1000 + 90]);
  });
});
