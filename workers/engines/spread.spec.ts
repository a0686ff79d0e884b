import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PindaiError } from '../../core/errors.ts';
import { makePage, SAMPLE_TEXT as T } from '../../test/fixtures/make-page.ts';
import {
  type MadeSpread,
  makeBlankLandscape,
  makeLandscapeColumns,
  makeMap,
  makeSpread,
  makeWideTable,
} from '../../test/fixtures/make-spread.ts';
import { cutRegion, detectSpread, regionBox, SPREAD_SPLIT_CONFIDENCE, spreadRegions } from './spread.ts';

const LEFT = `${T.id1} ${T.id2} ${T.en1} ${T.id3} ${T.id1} ${T.id2}`;
const RIGHT = `${T.id3} ${T.id1} ${T.id2} ${T.en1} ${T.id3} ${T.id2}`;

/** Darkest-ink share of an image: pixels well below its paper level. */
async function inkShare(image: Buffer): Promise<number> {
  const { data } = await sharp(image).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (const v of data) if (v < 110) n++;
  return n / data.length;
}

function expectSplitNear(found: Awaited<ReturnType<typeof detectSpread>>, made: MadeSpread) {
  expect(found, 'detected as a spread').not.toBeNull();
  expect(found?.split).toBe(true);
  expect(found?.confidence).toBeGreaterThanOrEqual(SPREAD_SPLIT_CONFIDENCE);
  // Within 3% of the width of the fold.
  expect(Math.abs((found?.splitX ?? 0) - made.gutterX)).toBeLessThan(made.width * 0.03);
}

describe('detectSpread: two-page spreads are found, fold within 3%', () => {
  const made: Record<string, MadeSpread> = {};
  beforeAll(async () => {
    // Off-centre on the bed (more bed on the right), so the fold is not simply the image middle.
    made.shadow = await makeSpread({
      left: LEFT,
      right: RIGHT,
      gutter: 'shadow',
      skewDeg: 1.2,
      pageNumbers: ['12', '13'],
      bed: { left: 30, right: 190, top: 40, bottom: 50 },
    });
    made.light = await makeSpread({
      left: LEFT,
      right: RIGHT,
      gutter: 'light',
      pageNumbers: ['- 12 -', '- 13 -'],
    });
    made.phone = await makeSpread({
      left: LEFT,
      right: RIGHT,
      gutter: 'shadow',
      shadowDepth: 0.3,
      unevenLight: true,
      skewDeg: -2,
    });
  });

  it('a book-scanner spread: binding shadow, slight rotation, page numbers, darker bed', async () => {
    const m = made.shadow as MadeSpread;
    expect(Math.abs(m.gutterX - m.width / 2)).toBeGreaterThan(m.width * 0.03);
    expectSplitNear(await detectSpread(m.image), m);
  });

  it('a flat spread with a light gutter (no shadow), page numbers in both footers', async () => {
    const m = made.light as MadeSpread;
    const found = await detectSpread(m.image);
    expectSplitNear(found, m);
    expect(found?.cues.shadowDepth).toBeLessThan(0.05);
    expect(found?.cues.pageMarks).toBe(true);
  });

  it('a phone photo: light falling off across the image, tilted 2°, no page numbers', async () => {
    const m = made.phone as MadeSpread;
    const found = await detectSpread(m.image);
    expectSplitNear(found, m);
    expect(found?.cues.pageMarks).toBe(false);
  });

  it('works on the EXIF-upright image: a spread stored sideways with orientation 6', async () => {
    const m = made.shadow as MadeSpread;
    // Pixels turned a quarter left, EXIF says "turn right to view": upright it is the same spread.
    const stored = await sharp(m.image).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const meta = await sharp(stored).metadata();
    expect(meta.width).toBeLessThan(meta.height ?? 0);
    expectSplitNear(await detectSpread(stored), m);
  });

  it('cuts each page as its own lossless strip of the full height, each holding a page of text', async () => {
    const m = made.shadow as MadeSpread;
    const found = await detectSpread(m.image);
    const [left, right] = spreadRegions(found?.splitX ?? 0, m.width);
    const [a, b] = await Promise.all([cutRegion(m.image, left), cutRegion(m.image, right)]);
    const [ma, mb] = await Promise.all([sharp(a).metadata(), sharp(b).metadata()]);
    expect(ma.format).toBe('png');
    expect((ma.width ?? 0) + (mb.width ?? 0)).toBe(m.width);
    expect(ma.height).toBe(m.height);
    // Both strips hold a page of text: neither is the empty bed or a sliver.
    expect(await inkShare(a)).toBeGreaterThan(0.01);
    expect(await inkShare(b)).toBeGreaterThan(0.01);
  });
});

describe('detectSpread: single wide pages are never split', () => {
  const notSplit = async (image: Buffer) => {
    const found = await detectSpread(image);
    expect(found?.split ?? false, JSON.stringify(found)).toBe(false);
    return found;
  };

  it('a landscape page in two columns as far apart as its margins, a title across both, a centred number', async () => {
    // Everything but the title and the page number looks like a flat spread: only they hold it together.
    const page = await makeLandscapeColumns({
      columns: [LEFT, RIGHT],
      title: 'Laporan Tahunan Dinas Perpustakaan dan Kearsipan Daerah Tahun Anggaran 2023',
      footer: '- 7 -',
    });
    expect(await notSplit(page)).toBeNull();
  });

  it('a landscape page in two columns, no title, no page number: an empty band in the middle', async () => {
    const page = await makePage({ columns: [LEFT, RIGHT], width: 2200, height: 1500 });
    expect(await notSplit(page)).toBeNull();
  });

  it('a wide ruled table of figures', async () => {
    expect(await notSplit(await makeWideTable())).toBeNull();
  });

  it('a map: shapes, roads, a river down the middle, few labels', async () => {
    expect(await notSplit(await makeMap())).toBeNull();
  });

  it('a single portrait page', async () => {
    expect(await notSplit(await makePage({ columns: [LEFT] }))).toBeNull();
  });

  it('an image taller than wide, even with a fold shadow and two page numbers (e.g. a folded leaflet)', async () => {
    const narrow = await makeSpread({
      left: T.id1,
      right: T.id3,
      gutter: 'shadow',
      pageNumbers: ['2', '3'],
      pageWidth: 560,
      pageHeight: 1480,
    });
    expect(narrow.width).toBeLessThan(narrow.height);
    expect(await notSplit(narrow.image)).toBeNull();
  });

  it('a blank landscape sheet', async () => {
    expect(await notSplit(await makeBlankLandscape())).toBeNull();
  });

  it('a spread with no cue beyond its empty middle stays whole, flagged as a possible spread', async () => {
    const m = await makeSpread({ left: LEFT, right: RIGHT, gutter: 'light' });
    const found = await notSplit(m.image);
    expect(found).not.toBeNull();
    expect(found?.confidence).toBeGreaterThan(0);
    expect(Math.abs((found?.splitX ?? 0) - m.gutterX)).toBeLessThan(m.width * 0.03);
  });
});

describe('regionBox', () => {
  it('refuses a region outside the image (a region recorded for another file)', () => {
    const size = { width: 1000, height: 700 };
    expect(regionBox({ x0: 0, x1: 500 }, size)).toEqual({ left: 0, top: 0, width: 500, height: 700 });
    for (const bad of [
      { x0: 500, x1: 1001 },
      { x0: -1, x1: 10 },
      { x0: 300, x1: 300 },
      { x0: 0.5, x1: 10 },
    ]) {
      let err: unknown = null;
      try {
        regionBox(bad, size);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(PindaiError);
      expect((err as PindaiError).code).toBe('image_region_outside');
    }
  });
});
