/**
 * Reading order of the PDF text layer on generated multi-column pages (issue 12, item 6): plain
 * `pdftotext` (poppler's layout mode) and `-raw` (content order) CER per layout kind, next to the
 * OCR's own text. Pages come from test/fixtures/make-columns-page.ts with a seed; each page is
 * cleaned and OCR'd once with native tesseract as the pipeline does, and the OCR result cached
 * (data/bench-columns/), so text-layer changes can be re-measured in seconds.
 *
 *   npm run bench:columns                       held-out ranges, a fresh seed (printed)
 *   npm run bench:columns -- --set tuning --seed 11 --pages 24
 *
 * `tuning` and `heldout` use different fonts, gutters, sizes and page sizes; held-out results
 * were never used to change the text-layer code without re-checking on a fresh held-out seed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import {
  type ColumnsPageSpec,
  DEJAVU_FONTS,
  fontInstalled,
  LIBERATION_FONTS,
  makeColumnsPage,
  randomColumnsSpec,
  type SpecRanges,
} from '../../test/fixtures/make-columns-page.ts';
import {
  createNativeTesseractEngine,
  probeNativeTesseract,
} from '../../workers/engines/native-tesseract.engine.ts';
import { cleanPage } from '../../workers/engines/page-image.ts';
import { buildSearchablePdf } from '../../workers/engines/pdf-builder.ts';
import { ocrInputOfCleaned, recognizeInput } from '../../workers/stages/ocr-input.ts';
import { CerTally, pdfText } from './measure.ts';

const A4 = { width: 2480, height: 3508, dpi: 300 };
const A5 = { width: 1748, height: 2480, dpi: 300 };
const LETTER = { width: 2550, height: 3300, dpi: 300 };
const B5 = { width: 2079, height: 2953, dpi: 300 };

export const SETS: Record<string, SpecRanges> = {
  tuning: {
    columns: [1, 2, 2, 3],
    fonts: [DEJAVU_FONTS.serif, DEJAVU_FONTS.sans],
    fontPt: [10, 12],
    lineSpacing: [1.15, 1.6],
    gutterIn: [
      [0.2, 0.3],
      [0.35, 0.5],
    ],
    skewDeg: [0, 2],
    blur: [0, 1],
    noise: [0, 12],
    dust: [0, 30],
    pages: [A4, A5],
  },
  // Fonts, gutters (narrower and wider), sizes, spacings and page sizes outside the tuning set.
  heldout: {
    columns: [1, 2, 2, 3, 3],
    fonts: [
      DEJAVU_FONTS.sansCondensed,
      DEJAVU_FONTS.mono,
      LIBERATION_FONTS.serif,
      LIBERATION_FONTS.sans,
    ].filter(fontInstalled),
    fontPt: [9, 13],
    lineSpacing: [1.1, 2.0],
    gutterIn: [
      [0.12, 0.2],
      [0.5, 0.8],
    ],
    skewDeg: [0, 3],
    blur: [0.4, 1.4],
    noise: [0, 16],
    dust: [0, 40],
    pages: [LETTER, B5, A4, A5],
  },
};

function kindOf(spec: ColumnsPageSpec): string {
  if (spec.columns === 1) return '1 column';
  return `${spec.columns} columns, ${spec.gutterIn < 0.32 ? 'narrow' : 'wide'} gutter`;
}

interface CachedPage {
  spec: ColumnsPageSpec;
  groundTruth: string;
  ocr: OcrPageResult;
  width: number;
  height: number;
  dpi: number;
}

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'heldout' },
    seed: { type: 'string' },
    pages: { type: 'string', default: '20' },
    cache: { type: 'string', default: path.join('data', 'bench-columns') },
    verbose: { type: 'boolean', default: false },
  },
});
const ranges = SETS[values.set ?? ''];
if (!ranges) throw new Error(`--set must be one of ${Object.keys(SETS).join(', ')}`);
const seed = Number(values.seed ?? Date.now() % 1_000_000);
const count = Number(values.pages);
mkdirSync(values.cache as string, { recursive: true });

const info = await probeNativeTesseract();
if (!info) throw new Error('native tesseract is needed (tesseract-ocr, tesseract-ocr-ind)');
const engine = createNativeTesseractEngine({ processes: 1, timeoutMs: 300_000 }, info);
const blank = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
  .jpeg()
  .toBuffer();
const tmp = path.join(os.tmpdir(), `pindai-bench-columns-${process.pid}.pdf`);

async function loadPage(i: number): Promise<CachedPage> {
  const pageSeed = seed * 1000 + i;
  const spec = randomColumnsSpec(pageSeed, ranges as SpecRanges);
  const file = path.join(values.cache as string, `${values.set}-${pageSeed}-bilevel.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedPage;
    if (JSON.stringify(cached.spec) === JSON.stringify(spec)) return cached;
  } catch {
    // not cached yet
  }
  const page = await makeColumnsPage(spec);
  const clean = await cleanPage(page.image, { maxPixels: 100_000_000 });
  // What the OCR stage reads: the bilevel PDF page image (the greyscale access image for photographs).
  const ocr = await recognizeInput(engine, ocrInputOfCleaned(clean), ['ind', 'eng']);
  const out: CachedPage = {
    spec,
    groundTruth: page.groundTruth,
    ocr,
    width: clean.width,
    height: clean.height,
    dpi: clean.dpi,
  };
  writeFileSync(file, JSON.stringify(out));
  return out;
}

const tallies = new Map<
  string,
  { pages: number; over: number; plain: CerTally; raw: CerTally; ocr: CerTally }
>();
const all = { pages: 0, over: 0, plain: new CerTally(), raw: new CerTally(), ocr: new CerTally() };
for (let i = 0; i < count; i++) {
  const p = await loadPage(i);
  const pdf = await buildSearchablePdf(
    [{ image: blank, width: p.width, height: p.height, dpi: p.dpi, ocr: p.ocr }],
    {
      title: 'bench',
    },
  );
  writeFileSync(tmp, pdf);
  const [plain, raw] = [await pdfText(tmp, 1, false), await pdfText(tmp, 1, true)];
  const kind = kindOf(p.spec);
  if (!tallies.has(kind)) {
    tallies.set(kind, { pages: 0, over: 0, plain: new CerTally(), raw: new CerTally(), ocr: new CerTally() });
  }
  const t = tallies.get(kind) as typeof all;
  const cers = [p.ocr.text, plain, raw].map(
    (hyp, k) => [t.ocr, t.plain, t.raw][k]?.add(p.groundTruth, hyp) ?? 0,
  );
  all.ocr.add(p.groundTruth, p.ocr.text);
  all.plain.add(p.groundTruth, plain);
  all.raw.add(p.groundTruth, raw);
  const over = (cers[1] ?? 0) > 0.03;
  t.pages++;
  all.pages++;
  if (over) {
    t.over++;
    all.over++;
  }
  if (values.verbose || over) {
    const s = p.spec;
    console.log(
      `  page ${seed * 1000 + i}: ${kind}, ${s.font.family} ${s.fontPt}pt ×${s.lineSpacing}, gutter ${s.gutterIn} in, ` +
        `${s.justify ? 'justified' : 'ragged'}${s.title ? ', title' : ''}${s.headings ? ', headings' : ''}${s.footer ? ', footer' : ''}, ` +
        `skew ${s.skewDeg}°, blur ${s.blur}, dust ${s.dust} — OCR ${pct(cers[0])}, plain ${pct(cers[1])}, raw ${pct(cers[2])}`,
    );
  }
}
await engine.close();

function pct(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(2)}%`;
}

console.log(`\nText-layer reading order, set "${values.set}", seed ${seed}, ${count} pages`);
const rows = [...[...tallies].sort((a, b) => a[0].localeCompare(b[0])), ['all', all] as const];
console.log('kind                         pages  OCR text  pdftotext  -raw    plain > 3%');
for (const [kind, t] of rows) {
  console.log(
    `${kind.padEnd(28)} ${String(t.pages).padStart(5)}  ${pct(t.ocr.value).padStart(8)}  ${pct(t.plain.value).padStart(9)}  ${pct(t.raw.value).padStart(6)}  ${String(t.over).padStart(5)}`,
  );
}
