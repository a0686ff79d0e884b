import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type Face, makePage, type PageSpec } from '../../test/fixtures/make-page.ts';
import { makeProse, wordsToFill } from '../../test/fixtures/prose.ts';
import { MIN_ORIENTATION_CONFIDENCE, type QuarterTurn } from './orientation.ts';
import { detectOrientation } from './page-orientation.ts';

const TURNS: QuarterTurn[] = [0, 90, 180, 270];

/** Grey pixels of `image` turned `deg` clockwise: a page fed into the scanner that way round. */
async function turned(image: Buffer, deg: number) {
  const { data, info } = await sharp(image)
    .rotate(deg)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

async function detect(image: Buffer, deg = 0) {
  const g = await turned(image, deg);
  return detectOrientation(g.data, g.width, g.height);
}

interface Case {
  face: Face;
  pt: number;
  dpi: number;
  columns: 1 | 2;
  skewDeg: number;
  extra?: Partial<PageSpec>;
  /** A poorer scan: applied to the rendered page. */
  degrade?: (page: Buffer) => Promise<Buffer>;
}

/** Faces, sizes, resolutions, columns and skews the detector was not tuned on (the corpus is Liberation/other faces). */
const CASES: Case[] = [
  { face: 'serif', pt: 11, dpi: 200, columns: 1, skewDeg: 0.8 },
  { face: 'sans', pt: 9, dpi: 300, columns: 2, skewDeg: -1.5 },
  { face: 'mono', pt: 12, dpi: 200, columns: 1, skewDeg: 2 },
  { face: 'sans-condensed', pt: 10, dpi: 150, columns: 2, skewDeg: 0 },
  {
    face: 'serif-condensed',
    pt: 13,
    dpi: 300,
    columns: 1,
    skewDeg: -3,
    extra: { border: { left: 60, bottom: 40 } },
  },
  { face: 'sans', pt: 16, dpi: 200, columns: 1, skewDeg: 0.3, extra: { format: 'png', grey: true } },
  { face: 'serif', pt: 8, dpi: 300, columns: 2, skewDeg: 1.2 },
  // Bitonal (a 1-bit scan), and a small 100-dpi JPEG at quality 40.
  {
    face: 'serif',
    pt: 10,
    dpi: 200,
    columns: 1,
    skewDeg: -0.6,
    degrade: (p) => sharp(p).threshold(140).png().toBuffer(),
  },
  {
    face: 'sans',
    pt: 12,
    dpi: 100,
    columns: 1,
    skewDeg: 1,
    degrade: (p) => sharp(p).jpeg({ quality: 40 }).toBuffer(),
  },
];

async function casePage(c: Case, seed: number): Promise<Buffer> {
  // A page about two thirds of A4, so the test renders quickly at every resolution.
  const width = Math.round(8.27 * c.dpi * 0.65);
  const height = Math.round(11.69 * c.dpi * 0.65);
  const words = wordsToFill(width, height, c.dpi, c.pt) / c.columns;
  const columns = Array.from({ length: c.columns }, (_, i) => makeProse(words, seed * 10 + i));
  const page = await makePage({
    columns,
    title: 'Laporan Kegiatan Perpustakaan Daerah',
    footer: '- 17 -',
    face: c.face,
    fontPt: c.pt,
    dpi: c.dpi,
    width,
    height,
    skewDeg: c.skewDeg,
    ...c.extra,
  });
  return c.degrade ? c.degrade(page) : page;
}

describe('detectOrientation', () => {
  for (const [i, c] of CASES.entries()) {
    const label = `${c.face} ${c.pt} pt, ${c.dpi} dpi, ${c.columns} column(s), skew ${c.skewDeg}°${c.degrade ? ', degraded' : ''}`;
    it(`turns a ${label} page upright from each of the four ways round`, async () => {
      const page = await casePage(c, 4100 + i);
      for (const deg of TURNS) {
        const m = await detect(page, deg);
        // Scanned turned `deg` clockwise: it takes the rest of the full turn to come upright.
        expect(m.turn, `scanned turned ${deg}°: ${JSON.stringify(m)}`).toBe((360 - deg) % 360);
        expect(m.confidence).toBeGreaterThanOrEqual(MIN_ORIENTATION_CONFIDENCE);
      }
    });
  }

  it('leaves a page with only a few words either as it is or upright, never turned wrong', async () => {
    const page = await makePage({ columns: ['Daftar isi.'], title: 'Bab Satu', width: 900, height: 1100 });
    for (const deg of TURNS) {
      const m = await detect(page, deg);
      expect([0, (360 - deg) % 360], `scanned turned ${deg}°: ${JSON.stringify(m)}`).toContain(m.turn);
    }
  });

  it('does not turn a blank page, noise, a photograph-like page or a picture of upright strokes', async () => {
    const W = 1200;
    const H = 1700;
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const blank = await sharp({ create: { width: W, height: H, channels: 3, background: '#f6f0e2' } })
      .jpeg()
      .toBuffer();
    const noisePx = Buffer.alloc(W * H);
    for (let i = 0; i < noisePx.length; i++) noisePx[i] = Math.floor(rand() * 256);
    const noise = await sharp(noisePx, { raw: { width: W, height: H, channels: 1 } })
      .png()
      .toBuffer();
    // Photograph-like: smooth light and shade at several scales, with grain.
    const coarse = Buffer.alloc(30 * 42);
    for (let i = 0; i < coarse.length; i++) coarse[i] = Math.floor(rand() * 256);
    const smooth = await sharp(coarse, { raw: { width: 30, height: 42, channels: 1 } })
      .resize(W, H, { kernel: 'cubic' })
      .raw()
      .toBuffer();
    for (let i = 0; i < smooth.length; i++)
      smooth[i] = Math.max(0, Math.min(255, (smooth[i] as number) + (rand() - 0.5) * 80));
    const photo = await sharp(smooth, { raw: { width: W, height: H, channels: 1 } })
      .blur(1)
      .jpeg()
      .toBuffer();
    // Rows of bars of random height standing on common ground lines: aligned bottoms, but no letters.
    const bars: string[] = [];
    for (let row = 0; row < 14; row++)
      for (let k = 0; k < 90; k++) {
        const h = 15 + rand() * 50;
        bars.push(
          `<rect x="${(rand() * W).toFixed(1)}" y="${(90 + row * 110 - h).toFixed(1)}" width="4" height="${h.toFixed(1)}"/>`,
        );
      }
    const fence = await sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/><g fill="#333">${bars.join('')}</g></svg>`,
      ),
    )
      .png()
      .toBuffer();
    for (const [label, image] of Object.entries({ blank, noise, photo, fence })) {
      for (const deg of TURNS) {
        const m = await detect(image, deg);
        expect(m.turn, `${label} turned ${deg}°: ${JSON.stringify(m)}`).toBe(0);
        expect(m.confidence, label).toBeLessThan(MIN_ORIENTATION_CONFIDENCE);
      }
    }
  });
});
