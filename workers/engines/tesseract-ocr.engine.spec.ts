import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Tesseract from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { makePage, SAMPLE_TEXT } from '../../test/fixtures/make-page.ts';
import { cer, normalizeForCer } from '../../test/support/cer.ts';
import { createTesseractEngine, resolveLangFile, type TesseractOcrEngine } from './tesseract-ocr.engine.ts';

const LANGS = ['ind', 'eng'];
const tmp = mkdtempSync(path.join(tmpdir(), 'pindai-tess-'));
const langDir = path.join(tmp, 'lang');
const engines: TesseractOcrEngine[] = [];

function engine(opts: {
  workers: number;
  timeoutMs?: number;
  langDir?: string;
  recycleAfterPages?: number;
}): TesseractOcrEngine {
  const e = createTesseractEngine({ timeoutMs: 60_000, langDir, ...opts });
  engines.push(e);
  return e;
}

/** Small one-paragraph pages keep real OCR around a second each. */
const smallPage = (text: string) => makePage({ columns: [text], height: 650 });

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('resolveLangFile', () => {
  it('finds installed traineddata and names the missing package otherwise', () => {
    expect(resolveLangFile('ind')).toMatch(
      /@tesseract\.js-data\/ind\/4\.0\.0_best_int\/ind\.traineddata\.gz$/,
    );
    expect(() => resolveLangFile('xyz')).toThrow(/@tesseract\.js-data\/xyz/);
    expect(() => resolveLangFile('../ind')).toThrow(expect.objectContaining({ code: 'ocr_lang_missing' }));
  });
});

describe('tesseract engine, real OCR', () => {
  let ocr: TesseractOcrEngine;
  let oneColumn: OcrPageResult;
  let twoColumns: OcrPageResult;
  const oneColumnText = `${SAMPLE_TEXT.id1}\n\n${SAMPLE_TEXT.id2}`;

  beforeAll(async () => {
    ocr = engine({ workers: 2 });
    const [a, b] = await Promise.all([
      makePage({ columns: [oneColumnText], format: 'png', grey: true }),
      makePage({ title: 'Laporan Tahunan', columns: [SAMPLE_TEXT.id1, SAMPLE_TEXT.id3] }),
    ]);
    [oneColumn, twoColumns] = await Promise.all([ocr.recognize(a, LANGS), ocr.recognize(b, LANGS)]);
  });

  it('reads a one-column Indonesian page', () => {
    expect(cer(oneColumnText, oneColumn.text)).toBeLessThan(0.05);
    expect(oneColumn.warnings).toEqual([]);
    expect(oneColumn.engine).toMatch(/^tesseract\.js 7\./);
    // Paragraphs come out separated by a blank line.
    expect(oneColumn.text).toMatch(/koleksi\.\n\nNaskah/);
  });

  it('reads the left column before the right one', () => {
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
  });

  it('gives words pixel boxes inside the image, confidences 0–100 and lines baselines', () => {
    for (const page of [oneColumn, twoColumns]) {
      expect(page).toMatchObject({ width: 1240, height: 1500 });
      const lines = page.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
      const words = lines.flatMap((l) => l.words);
      expect(words.length).toBeGreaterThan(40);
      for (const w of words) {
        expect(w.bbox.x0).toBeGreaterThanOrEqual(0);
        expect(w.bbox.y0).toBeGreaterThanOrEqual(0);
        expect(w.bbox.x1).toBeLessThanOrEqual(page.width);
        expect(w.bbox.y1).toBeLessThanOrEqual(page.height);
        expect(w.bbox.x1).toBeGreaterThan(w.bbox.x0);
        expect(w.confidence).toBeGreaterThanOrEqual(0);
        expect(w.confidence).toBeLessThanOrEqual(100);
      }
      for (const l of lines) {
        // The baseline runs inside the line's box, below its middle.
        expect(l.baseline).not.toBeNull();
        const b = l.baseline ?? l.bbox;
        expect(b.y0).toBeGreaterThan((l.bbox.y0 + l.bbox.y1) / 2);
        expect(b.y0).toBeLessThanOrEqual(l.bbox.y1);
      }
      expect(page.confidence).toBeGreaterThan(80);
    }
  });
});

describe('tesseract engine pool', () => {
  it('on timeout resolves empty with a warning and replaces the worker', async () => {
    const ocr = engine({ workers: 1, timeoutMs: 1 });
    const page = await smallPage(SAMPLE_TEXT.id3);
    const timedOut = await ocr.recognize(page, LANGS);
    expect(timedOut).toMatchObject({ text: '', blocks: [], confidence: 0, warnings: ['timeout'] });
    expect(timedOut.width).toBe(1240);
    const ok = await ocr.recognize(page, LANGS, { timeoutMs: 60_000 });
    expect(cer(SAMPLE_TEXT.id3, ok.text)).toBeLessThan(0.05);
    expect(ocr.stats()).toMatchObject({ timeouts: 1, workersStarted: 2 });
  });

  it('queues pages beyond the worker count, reuses the worker and recycles it', async () => {
    const ocr = engine({ workers: 1, recycleAfterPages: 2 });
    const texts = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3];
    const pages = await Promise.all(texts.map(smallPage));
    const results = Promise.all(pages.map((p) => ocr.recognize(p, LANGS)));
    expect(ocr.stats()).toMatchObject({ running: 1, queued: 2 });
    (await results).forEach((r, i) => {
      expect(cer(texts[i] ?? '', r.text)).toBeLessThan(0.05);
    });
    // Pages 1–2 shared a worker, page 3 got a fresh one.
    expect(ocr.stats()).toMatchObject({ workersStarted: 2, recycled: 1, running: 0, queued: 0 });
  });

  it('rejects a page whose worker thread dies, retryable, and recovers', async () => {
    const ocr = engine({ workers: 1 });
    const realCreate = Tesseract.createWorker;
    // Crash the thread with a message tesseract.js cannot dispatch, just before the page is sent.
    const spy = vi.spyOn(Tesseract, 'createWorker').mockImplementationOnce(async (...args) => {
      const w = await realCreate(...args);
      (w as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({ action: 'boom' });
      return w;
    });
    const page = await smallPage(SAMPLE_TEXT.id2);
    try {
      await expect(ocr.recognize(page, LANGS)).rejects.toMatchObject({ code: 'ocr_failed', retryable: true });
    } finally {
      spy.mockRestore();
    }
    const ok = await ocr.recognize(page, LANGS);
    expect(cer(SAMPLE_TEXT.id2, ok.text)).toBeLessThan(0.05);
    expect(ocr.stats()).toMatchObject({ crashes: 1, workersStarted: 2 });
  });

  it('fails a page cleanly when the language data is corrupt', async () => {
    const badDir = path.join(tmp, 'bad-lang');
    const ocr = engine({ workers: 1, langDir: badDir });
    // Same size as the real file, so it is taken as already in place; tesseract's init then fails.
    mkdirSync(badDir, { recursive: true });
    for (const lang of LANGS) {
      const size = statSync(resolveLangFile(lang)).size;
      writeFileSync(path.join(badDir, `${lang}.traineddata.gz`), Buffer.alloc(size));
    }
    await expect(ocr.recognize(await smallPage('x'), LANGS)).rejects.toMatchObject({ code: 'ocr_failed' });
  });

  it('close() rejects pending pages and lets the process exit', async () => {
    const ocr = engine({ workers: 1 });
    const page = await smallPage(SAMPLE_TEXT.id1);
    // (expectations attached before closing: the pages are rejected while close() runs)
    const pending = [ocr.recognize(page, LANGS), ocr.recognize(page, LANGS)].map((p) =>
      expect(p).rejects.toMatchObject({ code: 'ocr_failed' }),
    );
    await ocr.close();
    await Promise.all(pending);
    await expect(ocr.recognize(page, LANGS)).rejects.toMatchObject({ code: 'ocr_failed' });
    expect(ocr.stats().workersAlive).toBe(0);

    // A real process: after one page and close() nothing may keep the event loop alive.
    const script = `
      import { createTesseractEngine } from ${JSON.stringify(path.resolve('workers/engines/tesseract-ocr.engine.ts'))};
      import { makePage } from ${JSON.stringify(path.resolve('test/fixtures/make-page.ts'))};
      const ocr = createTesseractEngine({ workers: 2, timeoutMs: 60000, langDir: ${JSON.stringify(langDir)} });
      const r = await ocr.recognize(await makePage({ columns: ['Buku induk'], height: 400 }), ['ind']);
      await ocr.close();
      console.log(r.text.trim());`;
    // A file rather than --eval: worker threads inherit execArgv, and --input-type breaks them.
    const file = path.join(tmp, 'close-exits.mts');
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      timeout: 30_000,
    });
    expect(stdout.trim()).toBe('Buku induk');
  });

  it('writes no traineddata into the working directory', () => {
    expect(readdirSync(process.cwd()).filter((f) => f.includes('traineddata'))).toEqual([]);
    expect(readdirSync(langDir).sort()).toEqual(['eng.traineddata.gz', 'ind.traineddata.gz']);
  });
});
