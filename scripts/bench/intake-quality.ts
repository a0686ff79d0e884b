/**
 * `npm run bench:quality`: does cleaning ever make a page read worse? Degraded variants of corpus
 * pages (low resolution with missing or wrong DPI tags, JPEG q40, 1-bit, colour with bleed-through,
 * small low-resolution crops) go through Pindai's real path — cleanPage → native tesseract engine →
 * buildSearchablePdf — and the PDF's text layer (`pdftotext -raw` and plain) is scored against the
 * ground truth next to bare `tesseract <file> - -l ind+eng` on the very same file. Target: per
 * page, Pindai's CER ≤ bare + 0.5 points in both modes.
 *
 * Crops are the top of a one-column page, cut at a blank row between lines and reduced to 100 dpi
 * without a tag. Their ground truth is unknown beyond "a prefix of the page's text", so both
 * readers are scored against the prefix of the page's ground truth that their text matches best
 * (edit distance to that prefix / its length): the missing tail costs nothing, every error in what
 * was read counts, and both readers are scored alike. Two-column pages give no crop (their text
 * order is not a prefix).
 *
 * Kinds and their DPI tags: original (300), dpi100 (100 dpi tagged 72, an editor's default),
 * dpi150 (tagged 150), dpi150kept (150 dpi still tagged 300), dpi200 (no tag), jpeg40, bitonal
 * (1-bit PNG), bleed (colour, mirror of the page showing through), crop (see above).
 *
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus), PINDAI_BENCH_QUALITY_PAGES (pages,
 * round-robin over batches; default 3), PINDAI_BENCH_QUALITY_FROM (skip that many pages of the
 * round-robin first, to measure other pages; default 0), PINDAI_BENCH_QUALITY_KINDS (comma list; default all),
 * PINDAI_BENCH_QUALITY_WORK (work folder; default a temp folder; bare tesseract results are cached
 * there by file hash, so a re-run with the same folder re-runs only Pindai), PINDAI_BENCH_QUALITY_OCR_INPUT
 * (`access`: OCR reads the greyscale access image instead of the bilevel PDF image, as before 2026-12-06).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { levenshtein, normalizeForCer } from '../../test/support/cer.ts';
import {
  createNativeTesseractEngine,
  probeNativeTesseract,
} from '../../workers/engines/native-tesseract.engine.ts';
import { cleanPage } from '../../workers/engines/page-image.ts';
import { buildSearchablePdf } from '../../workers/engines/pdf-builder.ts';
import { greyOcrInput, ocrInputOfCleaned, recognizeInput } from '../../workers/stages/ocr-input.ts';
import { type BenchPage, loadCorpus, peerSubset } from './corpus.ts';
import { nativeOcrText, pdfText } from './measure.ts';

interface Variant {
  kind: string;
  file: string;
  /** Score against the best-matching prefix of the ground truth (crops). */
  prefix: boolean;
}

type Maker = (page: BenchPage, work: string) => Promise<Variant | null>;

const base = (p: BenchPage) => `${p.batch.slice(0, 2)}-p${p.pageNo}`;

async function resized(p: BenchPage, dpi: number) {
  const m = await sharp(p.file).metadata();
  return sharp(p.file).resize({ width: Math.round(((m.width ?? 0) * dpi) / (m.density ?? 300)) });
}

/** The corpus pages are 300 dpi scans; each maker writes one variant file. */
const MAKERS: Record<string, Maker> = {
  original: async (p) => ({ kind: 'original', file: p.file, prefix: false }),
  // 72 dpi is what image editors write: a tag that must be ignored.
  dpi100: async (p, work) => {
    const file = path.join(work, `${base(p)}-dpi100.jpg`);
    await (await resized(p, 100)).withMetadata({ density: 72 }).jpeg({ quality: 90 }).toFile(file);
    return { kind: 'dpi100', file, prefix: false };
  },
  dpi150: async (p, work) => {
    const file = path.join(work, `${base(p)}-dpi150.jpg`);
    await (await resized(p, 150)).withMetadata({ density: 150 }).jpeg({ quality: 90 }).toFile(file);
    return { kind: 'dpi150', file, prefix: false };
  },
  // A tool that resized the page but kept its 300 dpi tag: the tag is twice the real resolution.
  dpi150kept: async (p, work) => {
    const file = path.join(work, `${base(p)}-dpi150kept.jpg`);
    await (await resized(p, 150)).withMetadata({ density: 300 }).jpeg({ quality: 90 }).toFile(file);
    return { kind: 'dpi150kept', file, prefix: false };
  },
  // No tag at all: raw pixels re-encoded (sharp would otherwise carry the original's density over).
  dpi200: async (p, work) => {
    const file = path.join(work, `${base(p)}-dpi200.png`);
    const { data, info } = await (await resized(p, 200)).raw().toBuffer({ resolveWithObject: true });
    await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .png()
      .toFile(file);
    return { kind: 'dpi200', file, prefix: false };
  },
  jpeg40: async (p, work) => {
    const file = path.join(work, `${base(p)}-q40.jpg`);
    await sharp(p.file).withMetadata({ density: 300 }).jpeg({ quality: 40 }).toFile(file);
    return { kind: 'jpeg40', file, prefix: false };
  },
  bitonal: async (p, work) => {
    const file = path.join(work, `${base(p)}-1bit.png`);
    await sharp(p.file)
      .greyscale()
      .threshold(128)
      .withMetadata({ density: 300 })
      .png({ palette: true, colours: 2 })
      .toFile(file);
    return { kind: 'bitonal', file, prefix: false };
  },
  // The back of the sheet showing through: the page's mirror image, faint, multiplied in, on tinted paper.
  bleed: async (p, work) => {
    const file = path.join(work, `${base(p)}-bleed.jpg`);
    const grey = await sharp(p.file).greyscale().png().toBuffer();
    const mirror = await sharp(grey)
      .flop()
      .linear(0.22, 255 * 0.78)
      .png()
      .toBuffer();
    await sharp(p.file)
      .toColourspace('srgb')
      .composite([{ input: mirror, blend: 'multiply' }])
      .tint({ r: 240, g: 226, b: 196 })
      .withMetadata({ density: 300 })
      .jpeg({ quality: 85 })
      .toFile(file);
    return { kind: 'bleed', file, prefix: false };
  },
  crop: async (p, work) => {
    const gen = path.join(path.dirname(p.file), 'gt', 'generation.json');
    const columns = fs.existsSync(gen) ? (JSON.parse(fs.readFileSync(gen, 'utf8')).style?.columns ?? 1) : 1;
    if (columns !== 1) return null;
    const { data, info } = await sharp(p.file).greyscale().raw().toBuffer({ resolveWithObject: true });
    // Cut at the emptiest row (fewest ink pixels in the middle 80 %) between 30 % and 40 % of the height.
    let best = Math.round(info.height * 0.35);
    let fewest = Number.POSITIVE_INFINITY;
    for (let y = Math.round(info.height * 0.3); y < info.height * 0.4; y++) {
      let ink = 0;
      for (let x = Math.round(info.width * 0.1); x < info.width * 0.9; x++) {
        if ((data[y * info.width + x] as number) < 128) ink++;
      }
      if (ink < fewest) {
        fewest = ink;
        best = y;
      }
    }
    const file = path.join(work, `${base(p)}-crop.png`);
    const top = await sharp(p.file)
      .extract({ left: 0, top: 0, width: info.width, height: best })
      .png()
      .toBuffer();
    await sharp(top)
      .resize({ width: Math.round(info.width / 3) })
      .png()
      .toFile(file);
    return { kind: 'crop', file, prefix: true };
  },
};

/**
 * CER of `hypothesis` against the prefix of `reference` it matches best: edit distance to that
 * prefix over its length. Prefixes shorter than a tenth of the hypothesis are not considered.
 */
function prefixCer(reference: string, hypothesis: string): number {
  const ref = Array.from(normalizeForCer(reference), (c) => c.codePointAt(0) as number);
  const hyp = Array.from(normalizeForCer(hypothesis), (c) => c.codePointAt(0) as number);
  // Last row of the edit-distance table with the hypothesis down the side: distance to each prefix.
  let prev = new Uint32Array(ref.length + 1);
  let curr = new Uint32Array(ref.length + 1);
  for (let i = 1; i <= hyp.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= ref.length; j++) {
      const sub = (prev[j - 1] as number) + (hyp[i - 1] === ref[j - 1] ? 0 : 1);
      curr[j] = Math.min(sub, (prev[j] as number) + 1, (curr[j - 1] as number) + 1);
    }
    [prev, curr] = [curr, prev];
  }
  let best = Number.POSITIVE_INFINITY;
  for (let j = Math.max(1, Math.floor(hyp.length / 10)); j <= ref.length; j++) {
    best = Math.min(best, (prev[j] as number) / j);
  }
  return Number.isFinite(best) ? best : levenshtein(ref, hyp) / Math.max(1, ref.length);
}

const fullCer = (reference: string, hypothesis: string) => {
  const ref = Array.from(normalizeForCer(reference), (c) => c.codePointAt(0) as number);
  const hyp = Array.from(normalizeForCer(hypothesis), (c) => c.codePointAt(0) as number);
  return levenshtein(ref, hyp) / Math.max(1, ref.length);
};

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);

// ---------------------------------------------------------------------------------------------

const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
if (!fs.existsSync(corpusDir)) {
  console.error(`Corpus not found: ${corpusDir} (set PINDAI_BENCH_CORPUS)`);
  process.exit(2);
}
const info = await probeNativeTesseract();
if (!info || !['ind', 'eng'].every((l) => info.langs.includes(l))) {
  console.error('native tesseract with ind and eng data is needed (tesseract-ocr-ind, tesseract-ocr-eng)');
  process.exit(2);
}
const batches = await loadCorpus(corpusDir);
const skip = Math.max(0, Number(process.env.PINDAI_BENCH_QUALITY_FROM ?? 0) || 0);
const skipped = new Set(peerSubset(batches, skip));
const pages = peerSubset(batches, skip + (Number(process.env.PINDAI_BENCH_QUALITY_PAGES ?? 3) || 3)).filter(
  (p) => !skipped.has(p),
);
const OCR_INPUT = process.env.PINDAI_BENCH_QUALITY_OCR_INPUT ?? 'bilevel';
const kinds = (process.env.PINDAI_BENCH_QUALITY_KINDS ?? Object.keys(MAKERS).join(','))
  .split(',')
  .map((k) => k.trim())
  .filter((k) => k in MAKERS);
const work =
  process.env.PINDAI_BENCH_QUALITY_WORK ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-intake-'));
fs.mkdirSync(path.join(work, 'bare'), { recursive: true });
// One OCR process at a time, as the service runs on one core, so timings and load stay honest.
const engine = createNativeTesseractEngine({ processes: 1, timeoutMs: 600_000 }, info);
const MAX_PIXELS = 200_000_000;
const TOLERANCE = 0.005;

console.log(`Intake quality — ${new Date().toISOString()} — tesseract ${info.version}, work ${work}`);
console.log(
  `${pages.length} corpus pages × kinds ${kinds.join(', ')}; target: Pindai ≤ bare + 0.5 points per page\n`,
);

interface Row {
  kind: string;
  page: string;
  dpi: number;
  bare: number;
  raw: number;
  plain: number;
  ocr: number;
}
const rows: Row[] = [];
const pct = (v: number) => (v * 100).toFixed(2).padStart(6);

for (const kind of kinds) {
  for (const page of pages) {
    const variant = await (MAKERS[kind] as Maker)(page, work);
    if (!variant) continue;
    const bytes = fs.readFileSync(variant.file);
    const cacheFile = path.join(work, 'bare', `${sha(bytes)}.txt`);
    const bareText = fs.existsSync(cacheFile)
      ? fs.readFileSync(cacheFile, 'utf8')
      : await nativeOcrText(variant.file);
    fs.writeFileSync(cacheFile, bareText);

    const cleaned = await cleanPage(bytes, { maxPixels: MAX_PIXELS });
    // As the OCR stage does: the bilevel PDF image when the page has one (OCR_INPUT=access: the grey image).
    const input =
      OCR_INPUT === 'access' ? greyOcrInput(cleaned.access, cleaned.xHeightPx) : ocrInputOfCleaned(cleaned);
    const ocr = await recognizeInput(engine, input, ['ind', 'eng']);
    const pdf = await buildSearchablePdf(
      [{ image: cleaned.pdfImage, width: cleaned.width, height: cleaned.height, dpi: cleaned.dpi, ocr }],
      { title: 'intake bench', created: new Date(0) },
    );
    const pdfFile = path.join(work, `${path.basename(variant.file)}.pdf`);
    fs.writeFileSync(pdfFile, pdf);
    fs.writeFileSync(`${pdfFile}.ocr.json`, JSON.stringify(ocr));
    const score = variant.prefix ? prefixCer : fullCer;
    const row: Row = {
      kind,
      page: `${page.batch.slice(0, 2)} p${page.pageNo}`,
      dpi: cleaned.dpi,
      bare: score(page.gt, bareText),
      raw: score(page.gt, await pdfText(pdfFile, 1, true)),
      plain: score(page.gt, await pdfText(pdfFile, 1, false)),
      ocr: score(page.gt, ocr.text),
    };
    rows.push(row);
    const worst = Math.max(row.raw, row.plain) - row.bare;
    console.log(
      `${kind.padEnd(9)} ${row.page.padEnd(7)} dpi ${String(row.dpi).padStart(4)}  bare ${pct(row.bare)}  ` +
        `raw ${pct(row.raw)}  plain ${pct(row.plain)}  ocr ${pct(row.ocr)}  Δ ${pct(worst)} ${worst <= TOLERANCE ? 'ok' : 'WORSE'}`,
    );
  }
}
await engine.close();

console.log('\nPer kind (CER %, mean over pages; Δ = worst page of max(raw, plain) − bare, points)');
console.log('kind       pages   bare    raw  plain    Δmax  pages within +0.5');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
let failures = 0;
for (const kind of kinds) {
  const r = rows.filter((x) => x.kind === kind);
  if (r.length === 0) continue;
  const deltas = r.map((x) => Math.max(x.raw, x.plain) - x.bare);
  const within = deltas.filter((d) => d <= TOLERANCE).length;
  failures += r.length - within;
  console.log(
    `${kind.padEnd(9)} ${String(r.length).padStart(6)} ${pct(mean(r.map((x) => x.bare)))} ${pct(mean(r.map((x) => x.raw)))} ` +
      `${pct(mean(r.map((x) => x.plain)))} ${pct(Math.max(...deltas))}  ${within}/${r.length}`,
  );
}
console.log(
  failures === 0
    ? '\nall pages within target'
    : `\n${failures} page(s) worse than bare tesseract + 0.5 points`,
);
if (!process.env.PINDAI_BENCH_QUALITY_WORK) fs.rmSync(work, { recursive: true, force: true });
process.exitCode = failures === 0 ? 0 : 1;
