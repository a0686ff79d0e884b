import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { cer, normalizeForCer } from '../../test/support/cer.ts';
import { ocrInputOfCleaned, recognizeInput } from '../stages/ocr-input.ts';
import {
  createNativeTesseractEngine,
  type NativeTesseractEngine,
  probeNativeTesseract,
  removeOrphanedBatchFiles,
} from './native-tesseract.engine.ts';
import { parseHocr } from './native-tesseract-hocr.ts';
import { cleanPage } from './page-image.ts';
import { LSTM_ONLY_PARAMS } from './tesseract-params.ts';

const LANGS = ['ind', 'eng'];
const info = await probeNativeTesseract();
const usable = info !== null && LANGS.every((l) => info.langs.includes(l));
const engines: NativeTesseractEngine[] = [];
const engine = (processes: number, timeoutMs = 60_000, resident = true) => {
  if (!info) throw new Error('unreachable');
  const e = createNativeTesseractEngine({ processes, timeoutMs, resident }, info);
  engines.push(e);
  return e;
};
const smallPage = (text: string) => makePage({ columns: [text], height: 650 });

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

describe('parseHocr', () => {
  const hocr = `<div class='ocr_page' id='page_1' title='image "x"; bbox 0 0 100 50'>
   <div class='ocr_carea' id='block_1_1' title="bbox 10 10 90 40">
    <p class='ocr_par' id='par_1_1' lang='ind' title="bbox 10 10 90 40">
     <span class='ocr_line' id='line_1_1' title="bbox 10 10 90 20; baseline 0.01 -2; x_size 10">
      <span class='ocrx_word' id='word_1_1' title='bbox 10 10 40 20; x_wconf 91'>A&amp;B</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 50 10 90 20; x_wconf 120'><strong>&#233;t&#x00E9;</strong></span>
     </span>
     <span class='ocr_header' id='line_1_2' title="bbox 10 30 90 40; baseline 0 0">
      <span class='ocrx_word' id='word_1_3' title='bbox 10 30 90 40; x_wconf 50'> </span>
     </span>
    </p>
   </div></div>`;
  it('maps blocks, lines, words, entities, baselines and confidences, dropping empty lines', () => {
    const r = parseHocr(hocr, { width: 100, height: 50 }, 'x');
    expect(r.text).toBe('A&B été');
    expect(r.blocks).toHaveLength(1);
    const line = r.blocks[0]?.paragraphs[0]?.lines[0];
    expect(line?.baseline).toEqual({ x0: 10, y0: 18, x1: 90, y1: 18 + 0.01 * 80 });
    expect(line?.words.map((w) => w.confidence)).toEqual([91, 100]);
    expect(r.confidence).toBeCloseTo(95.5);
    expect(r.blocks[0]?.paragraphs[0]?.lines).toHaveLength(1);
  });
  it('returns an empty page for hOCR without words', () => {
    expect(parseHocr('<html></html>', { width: 1, height: 1 }, 'x')).toMatchObject({ text: '', blocks: [] });
  });
});

describe('page files of OCR batches', () => {
  it('removes the folders of processes that died mid-batch, keeps those of running ones', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-'));
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    for (const pid of [dead, process.pid, process.ppid]) {
      fs.mkdirSync(path.join(tmp, `pindai-ocr-${pid}-abc`));
      fs.writeFileSync(path.join(tmp, `pindai-ocr-${pid}-abc`, 'p0'), 'page');
    }
    expect(await removeOrphanedBatchFiles(tmp)).toBe(1);
    expect(fs.readdirSync(tmp).sort()).toEqual(
      [`pindai-ocr-${process.pid}-abc`, `pindai-ocr-${process.ppid}-abc`].sort(),
    );
    fs.rmSync(tmp, { recursive: true });
  });
});

describe.skipIf(!usable)('native tesseract engine, real OCR (needs tesseract-ocr + -ind)', () => {
  let twoColumns: OcrPageResult;
  beforeAll(async () => {
    const page = await makePage({ title: 'Laporan Tahunan', columns: [SAMPLE_TEXT.id1, SAMPLE_TEXT.id3] });
    twoColumns = await engine(2).recognize(page, LANGS);
  });

  it('turns off only legacy analyses the LSTM recogniser ignores: the same hOCR with and without them', async () => {
    const page = await makePage({
      title: 'Daftar Koleksi',
      columns: [SAMPLE_TEXT.id2, SAMPLE_TEXT.en1],
      face: 'mono', // fixed pitch, what the pitch test looks for
      skewDeg: 1.2,
    });
    const file = path.join(os.tmpdir(), `pindai-params-${process.pid}.png`);
    fs.writeFileSync(file, page);
    const hocr = (params: Record<string, string>) =>
      execFileSync(
        'tesseract',
        [
          file,
          'stdout',
          '-l',
          LANGS.join('+'),
          '--oem',
          '1',
          '--psm',
          '3',
          ...Object.entries(params).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
          'hocr',
        ],
        { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'pipe', 'ignore'] },
      ).toString();
    try {
      const plain = hocr({});
      expect(plain).toContain('ocrx_word');
      expect(hocr(LSTM_ONLY_PARAMS)).toBe(plain);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('reads a two-column page in column order with boxes, baselines and confidences', () => {
    const text = normalizeForCer(twoColumns.text);
    const at = [
      'Laporan Tahunan',
      'Perpustakaan daerah',
      'ruang koleksi.',
      'Setiap bahan',
      'ditelusuri kembali.',
    ].map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((x, y) => x - y));
    expect(twoColumns).toMatchObject({ width: 1240, height: 1500, warnings: [] });
    expect(twoColumns.engine).toMatch(/^tesseract 5\.\S+ native ind\+eng/);
    const lines = twoColumns.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    expect(lines.flatMap((l) => l.words).length).toBeGreaterThan(40);
    for (const l of lines) {
      for (const w of l.words) {
        expect(w.bbox.x1).toBeLessThanOrEqual(1240);
        expect(w.bbox.x1).toBeGreaterThan(w.bbox.x0);
      }
      const b = l.baseline ?? l.bbox;
      expect(l.baseline).not.toBeNull();
      expect(b.y0).toBeGreaterThan((l.bbox.y0 + l.bbox.y1) / 2);
      expect(b.y0).toBeLessThanOrEqual(l.bbox.y1 + 1);
    }
    expect(twoColumns.confidence).toBeGreaterThan(80);
  });

  it("reads a 1-bit 100 dpi page with small type, boxes in the page image's own pixels", async () => {
    const text = `${SAMPLE_TEXT.id1} ${SAMPLE_TEXT.id2}`;
    const page = await makePage({
      columns: [text],
      dpi: 100,
      fontPt: 9,
      width: 580,
      height: 300,
      format: 'png',
    });
    const bilevel = await sharp(page)
      .greyscale()
      .threshold(150)
      .png({ palette: true, colours: 2 })
      .toBuffer();
    expect((await sharp(bilevel).metadata()).bitsPerSample).toBe(1);
    const r = await engine(1).recognize(bilevel, LANGS);
    expect(cer(text, r.text)).toBeLessThan(0.05);
    expect(r).toMatchObject({ width: 580, height: 300 });
    const lines = r.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    // make-page sets text at a 10% margin (58 px); 9 pt lines are about 13 px apart at 100 dpi.
    expect(Math.abs((lines[0]?.words[0]?.bbox.x0 ?? 0) - 58)).toBeLessThanOrEqual(3);
    for (const l of lines) {
      expect(l.bbox.y1 - l.bbox.y0).toBeLessThan(25);
      for (const w of l.words) expect(w.bbox.x1).toBeLessThanOrEqual(580 - 58 + 3);
    }
  });

  it('cleans and reads a 1-bit PNG, a 1-bit G4 TIFF and a colour page with bleed-through', async () => {
    const text = `${SAMPLE_TEXT.id2} ${SAMPLE_TEXT.id3}`;
    const page = await makePage({ columns: [text], height: 650, format: 'png' });
    const grey = await sharp(page).greyscale().png().toBuffer();
    // The back of the sheet showing through: the mirrored page, faint, multiplied in.
    const back = await sharp(grey)
      .flop()
      .linear(0.25, 255 * 0.75)
      .png()
      .toBuffer();
    const variants = {
      png1bit: await sharp(grey).threshold(128).png({ palette: true, colours: 2 }).toBuffer(),
      g4: await sharp(page)
        .threshold(128)
        .extractChannel(0)
        .tiff({ compression: 'ccittfax4', bitdepth: 1 })
        .toBuffer(),
      bleed: await sharp(page)
        .composite([{ input: back, blend: 'multiply' }])
        .jpeg({ quality: 85 })
        .toBuffer(),
    };
    expect((await sharp(variants.png1bit).metadata()).bitsPerSample).toBe(1);
    expect((await sharp(variants.g4).metadata()).bitsPerSample).toBe(1);
    const ocr = engine(1);
    for (const [name, file] of Object.entries(variants)) {
      const cleaned = await cleanPage(file, { maxPixels: 40_000_000 });
      expect(cleaned.dpi, name).toBe(200);
      // As the OCR stage reads it: the clean stage's bilevel page image (a G4 TIFF for text pages).
      const input = ocrInputOfCleaned(cleaned);
      expect(input.image, name).toBe(cleaned.pdfImage);
      const r = await recognizeInput(ocr, input, LANGS);
      expect(cer(text, r.text), name).toBeLessThan(0.03);
      expect(r, name).toMatchObject({ width: cleaned.width, height: cleaned.height });
    }
  });

  it('runs pages in parallel up to the process count and queues the rest', async () => {
    const ocr = engine(1);
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3];
    const pages = await Promise.all(texts.map(smallPage));
    const first = ocr.recognize(pages[0] as Buffer, LANGS);
    await new Promise((r) => setTimeout(r, 200));
    // Pages that arrive while every process is busy wait for the next free one.
    const results = Promise.all([first, ...pages.slice(1).map((p) => ocr.recognize(p, LANGS))]);
    expect(ocr.stats()).toMatchObject({ running: 1, reading: 1, queued: 2 });
    (await results).forEach((r, i) => {
      expect(cer(texts[i] ?? '', r.text)).toBeLessThan(0.05);
    });
  });

  it('reads every page in one resident process per slot, exactly as a CLI process reads it alone', async () => {
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3, SAMPLE_TEXT.id1];
    const pages = await Promise.all(texts.map(smallPage));
    const alone = engine(1, 60_000, false);
    const single: OcrPageResult[] = [];
    for (const p of pages) single.push(await alone.recognize(p, LANGS));
    expect(alone.stats()).toMatchObject({ processes: 4, resident: false });
    const ocr = engine(2);
    const results = await Promise.all(pages.map((p) => ocr.recognize(p, LANGS)));
    expect(results).toEqual(single);
    // Two slots, one process each: the models were loaded twice, not four times.
    expect(ocr.stats()).toMatchObject({ processes: 2, pages: 4, resident: true, residentUnavailable: null });
    for (const p of pages.slice(0, 2)) await ocr.recognize(p, LANGS);
    expect(ocr.stats()).toMatchObject({ processes: 2, pages: 6 });
  });

  it('replaces a resident process after its quota of pages, and keeps reading', async () => {
    if (!info) throw new Error('unreachable');
    const ocr = createNativeTesseractEngine({ processes: 1, timeoutMs: 60_000, recyclePages: 2 }, info);
    engines.push(ocr);
    const page = await smallPage(SAMPLE_TEXT.id1);
    const results: OcrPageResult[] = [];
    for (let i = 0; i < 3; i++) results.push(await ocr.recognize(page, LANGS));
    expect(results[2]).toEqual(results[0]);
    expect(ocr.stats()).toMatchObject({ processes: 2, pages: 3, resident: true });
  });

  it('falls back to CLI processes when a resident process cannot load libtesseract, with the reason', async () => {
    if (!info) throw new Error('unreachable');
    const env = process.env.PINDAI_LIBTESSERACT;
    process.env.PINDAI_LIBTESSERACT = 'libtesseract-missing.so.0';
    try {
      const told: string[] = [];
      const ocr = createNativeTesseractEngine(
        { processes: 1, timeoutMs: 60_000, onResidentUnavailable: (why) => told.push(why) },
        info,
      );
      engines.push(ocr);
      const r = await ocr.recognize(await smallPage(SAMPLE_TEXT.id2), LANGS);
      await ocr.recognize(await smallPage(SAMPLE_TEXT.id1), LANGS);
      expect(told).toEqual([expect.stringMatching(/libtesseract-missing/)]);
      expect(cer(SAMPLE_TEXT.id2, r.text)).toBeLessThan(0.05);
      expect(ocr.stats()).toMatchObject({
        resident: false,
        residentUnavailable: expect.stringMatching(/libtesseract-missing/),
      });
    } finally {
      if (env === undefined) delete process.env.PINDAI_LIBTESSERACT;
      else process.env.PINDAI_LIBTESSERACT = env;
    }
  });

  it('CLI processes: reads waiting pages several to a process, each exactly as it reads alone', async () => {
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3, SAMPLE_TEXT.id1];
    const pages = await Promise.all(texts.map(smallPage));
    const alone = engine(1, 60_000, false);
    const single: OcrPageResult[] = [];
    for (const p of pages) single.push(await alone.recognize(p, LANGS));
    expect(alone.stats().processes).toBe(4);
    const ocr = engine(1, 60_000, false);
    expect(ocr.pagesInFlight).toBeGreaterThan(1);
    // Handed over a few milliseconds apart (as the OCR stage does), they still share one process.
    const together = Promise.all(
      pages.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, 3 * i));
        return ocr.recognize(p, LANGS);
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(ocr.stats()).toMatchObject({ running: 1, reading: 4, queued: 0 });
    expect(await together).toEqual(single);
    expect(ocr.stats()).toMatchObject({ processes: 1, pages: 4 });
  });

  it('CLI processes: runs each page of a timed-out batch alone, so each gets its own timeout', async () => {
    const ocr = engine(1, 1, false);
    const pages = await Promise.all([SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3].map(smallPage));
    const results = await Promise.all(pages.map((p) => ocr.recognize(p, LANGS)));
    for (const r of results) expect(r).toMatchObject({ text: '', warnings: ['timeout'], width: 1240 });
    // One batch of three that timed out, then each page alone.
    expect(ocr.stats()).toMatchObject({ timeouts: 3, pages: 3, processes: 4 });
  });

  it('kills a page at the timeout and resolves it empty with a warning, resident or CLI', async () => {
    for (const resident of [true, false]) {
      const ocr = engine(1, 1, resident);
      const r = await ocr.recognize(await smallPage(SAMPLE_TEXT.id3), LANGS);
      expect(r).toMatchObject({ text: '', blocks: [], warnings: ['timeout'], width: 1240 });
      const ok = await ocr.recognize(await smallPage(SAMPLE_TEXT.id3), LANGS, { timeoutMs: 60_000 });
      expect(cer(SAMPLE_TEXT.id3, ok.text)).toBeLessThan(0.05);
      // A killed resident process is replaced by a new one for the next page.
      expect(ocr.stats()).toMatchObject({ timeouts: 1, processes: 2, resident });
    }
  });

  it('rejects a missing language and garbage input with clear errors, then closes, resident or CLI', async () => {
    for (const resident of [true, false]) {
      const ocr = engine(1, 60_000, resident);
      await expect(ocr.recognize(await smallPage('x'), ['zzz'])).rejects.toMatchObject({
        code: 'ocr_lang_missing',
      });
      await expect(ocr.recognize(Buffer.from('not an image'), LANGS)).rejects.toMatchObject({
        code: 'ocr_failed',
      });
      // A resident process survives a page it could not read.
      const ok = await ocr.recognize(await smallPage(SAMPLE_TEXT.id2), LANGS);
      expect(cer(SAMPLE_TEXT.id2, ok.text)).toBeLessThan(0.05);
      // (the expectation attached before closing: the page is rejected while close() runs)
      const page = await smallPage(SAMPLE_TEXT.id1);
      const pending = expect(ocr.recognize(page, LANGS)).rejects.toMatchObject({ code: 'ocr_failed' });
      await ocr.close();
      await pending;
    }
  });
});
