import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrEngine } from '../../core/ocr.types.ts';
import {
  type ColumnsPageSpec,
  DEJAVU_FONTS,
  makeColumnsPage,
} from '../../test/fixtures/make-columns-page.ts';
import { cer, normalizeForCer } from '../../test/support/cer.ts';
import { OCR_ENV } from '../../test/support/ocr-env.ts';
import { type OcrEngineChoice, selectOcrEngine } from './ocr-engine-select.ts';
import { cleanPage } from './page-image.ts';
import { buildSearchablePdf } from './pdf-builder.ts';

// Multi-column pages read back with poppler's layout mode (plain `pdftotext`), the mode many
// tools use, after real cleaning and OCR. Seeds 7_300_00x are not in the bench's tuning set
// (seeds 11_000+); the gutters (0.13–0.6 in) lie outside its range (0.2–0.5 in), and DejaVu Sans
// Condensed is not among its fonts. The first page failed before this column logic (plain CER
// 54%: columns not found under a title and page number on a page of few rows).
const base = {
  title: 'Laporan Kegiatan Perpustakaan Daerah',
  headings: false,
  justify: false,
  indent: true,
  blur: 0.5,
  noise: 4,
  dpi: 300,
} as const;
const PAGES: { name: string; spec: ColumnsPageSpec }[] = [
  {
    name: '2 columns, 0.14 in gutter, DejaVu Sans Condensed 12 pt, justified, double spaced, few lines',
    spec: {
      ...base,
      seed: 7_300_001,
      justify: true,
      columns: 2,
      font: DEJAVU_FONTS.sansCondensed,
      fontPt: 12,
      lineSpacing: 2,
      gutterIn: 0.14,
      footer: '37',
      skewDeg: -1.2,
      dust: 6,
      width: 1750,
      height: 1750,
    },
  },
  {
    name: '3 columns, 0.6 in gutters, DejaVu Serif 10 pt, justified, dust',
    spec: {
      ...base,
      seed: 7_300_002,
      columns: 3,
      font: DEJAVU_FONTS.serif,
      fontPt: 10,
      lineSpacing: 1.3,
      gutterIn: 0.6,
      justify: true,
      footer: '118',
      skewDeg: 0.8,
      dust: 20,
      width: 2480,
      height: 1400,
    },
  },
  {
    name: '2 columns, 0.13 in gutter, DejaVu Serif 11 pt, headings, no title',
    spec: {
      ...base,
      seed: 7_300_003,
      columns: 2,
      font: DEJAVU_FONTS.serif,
      fontPt: 11,
      lineSpacing: 1.5,
      gutterIn: 0.13,
      title: null,
      headings: true,
      footer: 'Halaman 9',
      skewDeg: 1.6,
      dust: 8,
      width: 1750,
      height: 1600,
    },
  },
];

const LANGS = ['ind', 'eng'];
const tmp = mkdtempSync(path.join(tmpdir(), 'pindai-columns-'));
let engine: OcrEngine;

beforeAll(async () => {
  engine = await selectOcrEngine({
    choice: OCR_ENV.PINDAI_OCR_ENGINE as OcrEngineChoice,
    langs: LANGS,
    workers: 1,
    timeoutMs: 120_000,
    langDir: path.join(tmp, 'lang'),
  });
});

afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function pdftotext(file: string, ...args: string[]): string {
  return execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', ...args, file, '-'], { encoding: 'utf8' });
}

/** Start of each paragraph (its first four words) found in `text`, in ground-truth order. */
function paragraphStarts(groundTruth: string, text: string): number[] {
  const flat = normalizeForCer(text);
  return groundTruth
    .split(/\n\n+/)
    .map((p) => normalizeForCer(p).split(' ').slice(0, 4).join(' '))
    .filter((start) => start.length >= 12)
    .map((start) => flat.indexOf(start));
}

describe('text layer read by poppler layout mode on unseen multi-column pages (real OCR)', () => {
  it.each(PAGES)('$name: plain pdftotext reads column by column', async ({ spec }) => {
    const page = await makeColumnsPage(spec);
    const clean = await cleanPage(page.image, { maxPixels: 50_000_000 });
    const ocr = await engine.recognize(clean.access, LANGS);
    const pdf = await buildSearchablePdf(
      [{ image: clean.pdfImage, width: clean.width, height: clean.height, dpi: clean.dpi, ocr }],
      { title: 'Uji kolom' },
    );
    const file = path.join(tmp, `${spec.seed}.pdf`);
    writeFileSync(file, pdf);
    const plain = pdftotext(file);
    const raw = pdftotext(file, '-raw');
    const report = `OCR ${cer(page.groundTruth, ocr.text).toFixed(4)}, plain ${cer(page.groundTruth, plain).toFixed(4)}, raw ${cer(page.groundTruth, raw).toFixed(4)}\n${plain}`;
    expect(cer(page.groundTruth, plain), report).toBeLessThanOrEqual(0.03);
    // Column order: paragraph starts (title, left column, right column, …) appear in order.
    const starts = paragraphStarts(page.groundTruth, plain);
    const found = starts.filter((i) => i >= 0);
    expect(found.length, report).toBeGreaterThanOrEqual(0.8 * starts.length);
    expect(found, report).toEqual([...found].sort((a, b) => a - b));
    // The page number comes last, where OCR read it (tesseract may drop or misread it).
    const number = (spec.footer ?? '').replace(/[^\p{L}\p{N} ]/gu, '').trim();
    if (number && normalizeForCer(ocr.text).includes(number)) {
      expect(normalizeForCer(plain).endsWith(number), report).toBe(true);
    }
  });
});
