import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PindaiError } from '../../core/errors.ts';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { ENCRYPTED_PDF, pdfOfJpegs, pdfOfText, pdfWithScript } from '../../test/fixtures/make-pdf.ts';
import { buildSearchablePdf } from './pdf-builder.ts';
import { pdfPageImageOf } from './pdf-page-image.ts';
import { openPdfSource } from './pdf-source.ts';
import { probeSource } from './source-probe.ts';

const LIMITS = { maxPages: 100, maxPixels: 150_000_000 };

async function greyPixels(image: Buffer) {
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function rejection(p: Promise<unknown>): Promise<PindaiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PindaiError);
  return err as PindaiError;
}

describe('PDF input: each page becomes a page image', () => {
  it('takes each embedded JPEG out byte for byte, at the resolution its placement gives', async () => {
    const a = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 800, format: 'jpeg' });
    const b = await makePage({
      columns: [SAMPLE_TEXT.id2],
      width: 700,
      height: 900,
      format: 'jpeg',
      grey: true,
    });
    const pdf = await pdfOfJpegs([
      { jpeg: a, dpi: 150 },
      { jpeg: b, dpi: 200 },
    ]);
    const src = await openPdfSource(pdf, LIMITS);
    expect(src.pageCount).toBe(2);
    const pages = [await src.extract(0), await src.extract(1)];
    expect(pages.map((p) => p.kind)).toEqual(['jpeg', 'jpeg']);
    expect(pages[0]?.image.equals(a)).toBe(true);
    expect(pages[1]?.image.equals(b)).toBe(true);
    expect(pages.map((p) => p.dpi)).toEqual([150, 200]);
    expect(src.plan(1)).toMatchObject({ width: 700, height: 900 });
    src.close();
  });

  it('takes CCITT G4 pages out as TIFFs whose pixels are the page (not inverted, not re-encoded)', async () => {
    const page = await makePage({ columns: [SAMPLE_TEXT.id3], width: 640, height: 800 });
    const grey = await greyPixels(page);
    const g4 = await pdfPageImageOf({ ...grey, data: new Uint8Array(grey.data) }, 200);
    const pdf = await buildSearchablePdf(
      [{ image: g4, width: grey.width, height: grey.height, dpi: 200, ocr: null }],
      {
        title: 'G4',
      },
    );
    const src = await openPdfSource(pdf, LIMITS);
    const out = await src.extract(0);
    expect(out.kind).toBe('ccitt');
    expect(out.dpi).toBe(200);
    const mine = await greyPixels(out.image);
    const theirs = await greyPixels(g4);
    expect([mine.width, mine.height]).toEqual([theirs.width, theirs.height]);
    let differ = 0;
    for (let i = 0; i < mine.data.length; i++) if (mine.data[i] !== theirs.data[i]) differ++;
    expect(differ).toBe(0);
    // And it is a text page: mostly white paper with some black ink.
    const ink = [...mine.data].filter((v) => v < 128).length / mine.data.length;
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.2);
  });

  it('keeps the scan of a searchable PDF (invisible text over the image), and renders vector text at 300 dpi', async () => {
    const jpeg = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 800, format: 'jpeg' });
    const ocr = {
      width: 600,
      height: 800,
      text: 'Perpustakaan',
      confidence: 90,
      warnings: [],
      engine: 'test',
      blocks: [
        {
          bbox: { x0: 60, y0: 80, x1: 300, y1: 110 },
          paragraphs: [
            {
              bbox: { x0: 60, y0: 80, x1: 300, y1: 110 },
              lines: [
                {
                  bbox: { x0: 60, y0: 80, x1: 300, y1: 110 },
                  baseline: null,
                  words: [
                    { text: 'Perpustakaan', bbox: { x0: 60, y0: 80, x1: 300, y1: 110 }, confidence: 90 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const searchable = await buildSearchablePdf([{ image: jpeg, width: 600, height: 800, dpi: 150, ocr }], {
      title: 'x',
    });
    const scanned = await openPdfSource(searchable, LIMITS);
    expect(scanned.plan(0).kind).toBe('jpeg');

    const vector = await openPdfSource(await pdfOfText(['Perpustakaan Daerah', 'Layanan Baca']), LIMITS);
    const plan = vector.plan(0);
    expect(plan).toMatchObject({ kind: 'render', dpi: 300, width: 1750, height: 2480 });
    const rendered = await vector.extract(0);
    const px = await greyPixels(rendered.image);
    expect(Math.abs(px.height - 2480)).toBeLessThanOrEqual(1);
    // Text near the top left (x 40 pt, first baseline 55 pt from the top) is drawn, the rest is paper.
    const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) if ((px.data[y * px.width + x] as number) < 128) n++;
      return n / ((x1 - x0) * (y1 - y0));
    };
    expect(inkIn(160, 180, 900, 240)).toBeGreaterThan(0.05);
    expect(inkIn(160, 1200, 1600, 2400)).toBe(0);
    vector.close();

    // A scan with visible text printed over it is not "one image": rendered, so nothing is lost.
    const mixed = await openPdfSource(await pdfOfText(['Keterangan'], { withJpeg: jpeg }), LIMITS);
    expect(mixed.plan(0).kind).toBe('render');
  });

  it('refuses encrypted, broken and script-bearing PDFs, and too many pages, with a reason code', async () => {
    expect((await rejection(openPdfSource(ENCRYPTED_PDF, LIMITS))).code).toBe('pdf_encrypted');
    const good = await pdfOfJpegs([
      { jpeg: await makePage({ columns: ['x'], width: 300, height: 400 }), dpi: 100 },
    ]);
    const cut = Buffer.from(good).subarray(0, Math.floor(good.length * 0.5));
    expect((await rejection(probeSource(cut, LIMITS))).code).toBe('pdf_broken');
    expect((await rejection(probeSource(Buffer.from('%PDF-1.4\nnothing here\n%%EOF'), LIMITS))).code).toBe(
      'pdf_broken',
    );
    const script = await pdfWithScript(await makePage({ columns: ['x'], width: 300, height: 400 }));
    const err = await rejection(probeSource(Buffer.from(script), LIMITS));
    expect(err.code).toBe('pdf_script');
    expect(err.params.detail).toBe('JavaScript');
    const doc = await PDFDocument.load(good);
    for (let i = 0; i < 4; i++) {
      const [copy] = await doc.copyPages(doc, [0]);
      if (copy) doc.addPage(copy);
    }
    const five = Buffer.from(await doc.save());
    expect((await rejection(probeSource(five, { ...LIMITS, maxPages: 4 }))).code).toBe('pdf_too_many_pages');
    expect((await probeSource(five, LIMITS)).pages).toBe(5);
  });

  it('probes a PDF page whose embedded JPEG is damaged as broken', async () => {
    const jpeg = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 800, format: 'jpeg' });
    const damaged = Buffer.from(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    const pdf = Buffer.from(await pdfOfJpegs([{ jpeg: damaged, dpi: 150 }]));
    const err = await rejection(probeSource(pdf, LIMITS));
    expect(['pdf_broken', 'image_corrupt']).toContain(err.code);
  });
});
