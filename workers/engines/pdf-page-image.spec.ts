import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { cer } from '../../test/support/cer.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { selectOcrEngine } from './ocr-engine-select.ts';
import { cleanPage } from './page-image.ts';
import { buildSearchablePdf } from './pdf-builder.ts';
import { isTiff, readG4Tiff } from './pdf-ccitt.ts';
import { despeckledBilevel, makePdfPageImage, midtoneShare, otsuThreshold } from './pdf-page-image.ts';

const run = promisify(execFile);
const dir = tempDir('pindai-pdfimg-');
const ocr = await selectOcrEngine({
  choice: 'auto',
  langs: ['ind', 'eng'],
  workers: 2,
  timeoutMs: 120_000,
  langDir: path.join(dir, 'tessdata'),
});
afterAll(() => ocr.close());

/** Small deterministic PRNG so every generated page can be reproduced from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TEXTS = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3, SAMPLE_TEXT.en1];

/** A dense A4 page at 300 dpi with scanner speckle, from `seed`. Returns the page and its text. */
async function generatedPage(seed: number): Promise<{ page: Buffer; text: string }> {
  const r = rng(seed);
  const para = () => Array.from({ length: 4 }, () => TEXTS[Math.floor(r() * TEXTS.length)]).join(' ');
  const twoColumns = r() < 0.5;
  const columns = twoColumns
    ? [`${para()}\n\n${para()}`, `${para()}\n\n${para()}`]
    : [`${para()}\n\n${para()}\n\n${para()}`];
  const clean = await makePage({
    columns,
    width: 2480,
    height: 3508,
    dpi: 300,
    fontPt: 11 + Math.floor(r() * 2),
    skewDeg: (r() - 0.5) * 2,
    format: 'png',
    grey: true,
  });
  // Salt-and-pepper speckle, as on the sample corpus.
  const { data, info } = await sharp(clean).greyscale().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < 4000; i++) data[Math.floor(r() * data.length)] = r() < 0.5 ? 40 : 255;
  const page = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .withDensity(300)
    .jpeg({ quality: 90 })
    .toBuffer();
  return { page, text: columns.join('\n\n') };
}

async function pdfOf(image: Buffer, c: { width: number; height: number; dpi: number }): Promise<Uint8Array> {
  return buildSearchablePdf([{ image, width: c.width, height: c.height, dpi: c.dpi, ocr: null }], {
    title: 't',
  });
}

/** Render page 1 as a viewer would (pdftoppm, 300 dpi grey) and OCR it. */
async function reOcr(pdf: Uint8Array, name: string): Promise<string> {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  await run('pdftoppm', ['-r', '300', '-gray', '-png', '-singlefile', file, path.join(dir, name)]);
  return (await ocr.recognize(readFileSync(path.join(dir, `${name}.png`)), ['ind', 'eng'])).text;
}

describe('PDF page images', () => {
  it.each([1, 2, 3])('keeps a dense generated A4 page bilevel and under 100 KB (seed %i)', async (seed) => {
    // The generated scan stands in for the access image (cleaning is tested in page-image.spec.ts).
    const { page } = await generatedPage(seed);
    const image = await makePdfPageImage(page, 300);
    expect(isTiff(image)).toBe(true); // a text page goes bilevel
    expect((await pdfOf(image, { width: 2480, height: 3508, dpi: 300 })).length).toBeLessThan(100 * 1024);
  });

  it('leaves the text as OCR-able as the original (re-OCR of the rendered PDF page)', async () => {
    const { page, text } = await generatedPage(5);
    const c = await cleanPage(page, { maxPixels: 2e8 });
    const pdf = await pdfOf(await makePdfPageImage(c.access, c.dpi), c);
    const [original, again] = await Promise.all([
      ocr.recognize(c.access, ['ind', 'eng']).then((r) => cer(text, r.text)),
      reOcr(pdf, 'seed-5').then((t) => cer(text, t)),
    ]);
    expect(original).toBeLessThan(0.05);
    expect(again).toBeLessThan(original + 0.005);
  }, 120_000);

  it('draws a 100 dpi page as a 300 dpi bilevel image that still reads (a 100 dpi cut loses strokes)', async () => {
    const text = `${SAMPLE_TEXT.id1} ${SAMPLE_TEXT.id2}`;
    const page = await makePage({
      columns: [text],
      dpi: 100,
      fontPt: 10,
      width: 580,
      height: 400,
      format: 'png',
    });
    const c = await cleanPage(page, { maxPixels: 2e8 });
    expect(c.dpi).toBe(100);
    const image = await makePdfPageImage(c.access, c.dpi);
    expect(isTiff(image)).toBe(true);
    expect(readG4Tiff(image).width).toBe(c.width * 3);
    const pdf = await pdfOf(image, c);
    expect(cer(text, await reOcr(pdf, 'dpi-100'))).toBeLessThan(0.03);
  }, 120_000);

  it('keeps a photograph greyscale (JPEG) and bounded in size', async () => {
    const w = 1240;
    const h = 1754;
    const noise = Buffer.alloc(w * h);
    const r = rng(7);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) noise[y * w + x] = 60 + ((x + y) % 140) + Math.floor(r() * 20);
    const photo = await sharp(noise, { raw: { width: w, height: h, channels: 1 } })
      .blur(2)
      .jpeg()
      .toBuffer();
    const image = await makePdfPageImage(photo, 150);
    expect(image.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(image.length).toBeLessThan(250 * 1024);
    const forced = await makePdfPageImage(photo, 150, { mode: 'bilevel' });
    expect(isTiff(forced)).toBe(true);
  });

  it('draws black ink on white paper (G4 polarity survives the PDF)', async () => {
    const page = await makePage({ columns: [SAMPLE_TEXT.id1], height: 600, format: 'png', grey: true });
    const c = await cleanPage(page, { maxPixels: 2e8 });
    const file = path.join(dir, 'polarity.pdf');
    writeFileSync(file, await pdfOf(await makePdfPageImage(c.access, c.dpi), c));
    await run('pdftoppm', ['-r', '72', '-gray', '-png', '-singlefile', file, path.join(dir, 'polarity')]);
    const stats = await sharp(path.join(dir, 'polarity.png')).stats();
    expect(stats.channels[0]?.mean).toBeGreaterThan(200); // mostly white paper
    expect(stats.channels[0]?.min).toBeLessThan(60); // with dark text
  });
});

describe('threshold and classification helpers', () => {
  const hist = (pairs: [number, number][]) => {
    const h = new Uint32Array(256);
    for (const [v, n] of pairs) h[v] = n;
    return h;
  };
  it('cuts between ink and paper, within bounds', () => {
    expect(
      otsuThreshold(
        hist([
          [30, 100],
          [250, 900],
        ]),
      ),
    ).toBeGreaterThanOrEqual(140);
    expect(
      otsuThreshold(
        hist([
          [30, 100],
          [250, 900],
        ]),
      ),
    ).toBeLessThan(250);
    expect(otsuThreshold(hist([[250, 1000]]))).toBeLessThanOrEqual(200);
  });
  it('despeckles exactly like a 3x3 median followed by the cut', async () => {
    const width = 97;
    const height = 61;
    const random = rng(7);
    const grey = new Uint8Array(width * height);
    // Text-like strokes plus salt-and-pepper speckle on paper.
    for (let i = 0; i < grey.length; i++) {
      const x = i % width;
      const stroke = x % 11 < 3 && Math.floor(i / width) % 9 < 6;
      grey[i] = random() < 0.08 ? (stroke ? 250 : 20) : stroke ? 40 : 235;
    }
    const cut = 150;
    const ours = despeckledBilevel(grey, width, height, cut);
    const median = await sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
      .median(3)
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    let speckles = 0;
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const i = y * width + x;
        expect(ours[i], `pixel ${x},${y}`).toBe((median[i] as number) < cut ? 0 : 255);
        if ((grey[i] as number) < cut !== ((ours[i] as number) === 0)) speckles++;
      }
    }
    // The speckle really was there and really went.
    expect(speckles).toBeGreaterThan(200);
  });
  it('despeckles every pixel, edges and word boundaries included, as a plain 3x3 majority does', () => {
    // The pixel-by-pixel definition: ink where at least 5 of the 3x3 neighbours (edges replicated) are.
    const plain = (grey: Uint8Array, width: number, height: number, cut: number) => {
      const ink = (x: number, y: number) =>
        (grey[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))] as number) <
        cut;
      const out = new Uint8Array(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          let n = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (ink(x + dx, y + dy)) n++;
          out[y * width + x] = n >= 5 ? 0 : 255;
        }
      return out;
    };
    const random = rng(11);
    // Widths around the 32-pixel words the bits are packed in, and rows of one and two pixels.
    for (const width of [1, 2, 31, 32, 33, 63, 64, 65, 100]) {
      for (const height of [1, 2, 3, 17]) {
        // Sparse ink too, so whole 32-pixel words of paper (skipped four pixels at a time) occur,
        // and cuts below and above 128 with paper down to the cut itself.
        for (const density of [0.005, 0.02, 0.2, 0.5, 0.8]) {
          for (const cut of [128, 200]) {
            const grey = Uint8Array.from({ length: width * height }, () =>
              random() < density
                ? cut - 1 - Math.floor(random() * 20)
                : cut + Math.floor(random() * (256 - cut)),
            );
            const ours = despeckledBilevel(grey, width, height, cut);
            expect(
              Buffer.from(ours).equals(Buffer.from(plain(grey, width, height, cut))),
              `${width}x${height} cut ${cut}`,
            ).toBe(true);
          }
        }
      }
    }
  });
  it('measures the mid-tone share', () => {
    expect(
      midtoneShare(
        hist([
          [30, 100],
          [250, 900],
        ]),
      ),
    ).toBe(0);
    expect(
      midtoneShare(
        hist([
          [128, 50],
          [250, 50],
        ]),
      ),
    ).toBe(0.5);
  });
});

describe('readG4Tiff', () => {
  it('reads a one-strip G4 TIFF and refuses what cannot be one CCITT stream', async () => {
    const raw = { raw: { width: 64, height: 600, channels: 1 as const } };
    const px = Buffer.alloc(64 * 600, 255).fill(0, 0, 640);
    const one = await sharp(px, raw)
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: 600 })
      .toBuffer();
    expect(readG4Tiff(one)).toMatchObject({ width: 64, height: 600 });
    const strips = await sharp(px, raw)
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1 })
      .toBuffer();
    expect(() => readG4Tiff(strips)).toThrow(/more than one strip/);
    const lzw = await sharp(px, raw).tiff({ compression: 'lzw' }).toBuffer();
    expect(() => readG4Tiff(lzw)).toThrow(/Group 4/);
    expect(() => readG4Tiff(Buffer.from('not a tiff at all'))).toThrow(/not a TIFF/);
  });
});
