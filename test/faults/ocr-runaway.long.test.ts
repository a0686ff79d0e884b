import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { keys } from '../../core/store/keys.ts';
import { createTesseractEngine } from '../../workers/engines/tesseract-ocr.engine.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { cer } from '../support/cer.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, writeFiles } from '../support/test-app.ts';

const LANGS = ['ind', 'eng'];
const PAGES = Number(process.env.PINDAI_RUNAWAY_PAGES ?? 200);

/** Grey noise: tesseract hunts for text in every speck and takes many seconds on it. */
const noisePage = (size: number) =>
  sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: '#888',
      noise: { type: 'gaussian', mean: 128, sigma: 90 },
    },
  })
    .greyscale()
    .png()
    .toBuffer();

describe('OCR runaway', () => {
  const root = tempDir();

  it('stops a pathological page at the per-page timeout; the book goes on with an empty text layer', async () => {
    const data = path.join(root, 'data');
    // A 4000² noise page takes ~6 s on an idle core (far more under load); a small text page ~0.3 s.
    const ocr = createTesseractEngine({ workers: 1, timeoutMs: 4000, langDir: path.join(data, 'tessdata') });
    const app = createTestApp(data, { ocr });
    try {
      const good = await makePage({ columns: [SAMPLE_TEXT.en1], width: 600, height: 260 });
      const r = await app.accept(
        writeFiles(path.join(root, 'inbox'), 'bising', { 'p1.png': await noisePage(4000), 'p2.jpg': good }),
      );
      const id = r.item?.id ?? '';
      await app.runner.start();
      await app.runner.drain([id]);
      const item = await app.register.items.get(id);
      expect(item?.status, item?.errorMessage ?? '').toBe('available');
      expect(item?.flags).toContainEqual({ code: 'ocr_timeout', params: { page: '1' } });
      const [p1, p2] = await app.register.pages.list(id);
      expect(p1?.ocrWarning).toBe('timeout');
      expect((await app.store.getBuffer(keys.ocrText(id, 1))).toString()).toBe('');
      expect(cer(SAMPLE_TEXT.en1, (await app.store.getBuffer(keys.ocrText(id, 2))).toString())).toBeLessThan(
        0.05,
      );
      expect(p2?.ocrWarning).toBeNull();
      const run = (await app.register.runs.runsFor(id)).find((x) => x.stage === 'ocr');
      // Both pages in one run: the runaway page cost its timeout, not its full recognition.
      expect(run?.outcome).toBe('done');
      expect(run?.durationMs).toBeLessThan(4000 + 15_000);
      expect(ocr.stats().timeouts).toBe(1);
    } finally {
      await app.close();
    }
  });

  it(`keeps memory bounded over ${PAGES} pages with timeouts, recycling OCR workers`, async () => {
    const ocr = createTesseractEngine({
      workers: 2,
      timeoutMs: 4000,
      langDir: path.join(root, 'tessdata'),
      recycleAfterPages: 50,
    });
    const texts = Object.values(SAMPLE_TEXT);
    const pages = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        makePage({ columns: [texts[i % texts.length] as string], width: 700 + i * 10, height: 300 }),
      ),
    );
    const noise = await noisePage(4000);
    const rss: number[] = [];
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const t0 = Date.now();
    let noiseCut = 0;
    let textCut = 0;
    try {
      for (let i = 0; i < PAGES; i += 2) {
        const kinds = [i, i + 1].map((n) => n % 40 === 39);
        const results = await Promise.all(
          kinds.map((isNoise, k) =>
            ocr.recognize(isNoise ? noise : (pages[(i + k) % pages.length] as Buffer), LANGS),
          ),
        );
        results.forEach((r, k) => {
          if (!r.warnings.includes('timeout')) return;
          if (kinds[k]) noiseCut++;
          else textCut++;
        });
        rss.push(process.memoryUsage().rss, process.memoryUsage().rss);
      }
    } finally {
      clearInterval(sampler);
    }
    const stats = ocr.stats();
    await ocr.close();
    const mb = (n: number) => Math.round(n / 1e6);
    const warm = Math.max(...rss.slice(10, 50));
    const late = Math.max(...rss.slice(-50));
    process.stderr.write(
      `OCR memory over ${PAGES} pages: warm ${mb(warm)} MB, last 50 pages ${mb(late)} MB, peak ${mb(peak)} MB; ` +
        `${((Date.now() - t0) / PAGES / 1000).toFixed(2)} s/page; ${noiseCut} runaway and ${textCut} text pages cut; ${JSON.stringify(stats)}\n`,
    );
    // Every runaway page is cut at the timeout; ordinary pages are not (a few on a fresh worker
    // of a heavily loaded machine may be).
    expect(noiseCut).toBe(Math.floor(PAGES / 40));
    expect(textCut).toBeLessThanOrEqual(Math.ceil(PAGES * 0.05));
    expect(stats.timeouts).toBe(noiseCut + textCut);
    expect(stats.recycled).toBeGreaterThanOrEqual(2);
    expect(late - warm).toBeLessThan(150e6);
    expect(peak).toBeLessThan(1.5e9);
  });
});
