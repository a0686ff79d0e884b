import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { crashAThread } from '../support/crashing-thread.ts';
import { createFakeOcr } from '../support/fake-ocr.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from '../support/test-app.ts';

const THROWS_WIDTH = 517;
const CRASHES_WIDTH = 533;

/**
 * A poison item makes a stage throw every time, or crashes the OCR worker thread every time: it is
 * parked as failed (needing attention) after a bounded number of attempts, with its last error,
 * and the other items finish.
 */
describe('poison items are parked, the rest finish', () => {
  const root = tempDir();
  let app: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const ocr = createFakeOcr({
      onPage: async (_img, { width }) => {
        if (width === THROWS_WIDTH) throw new Error('tesseract: cannot handle this page (poison)');
        if (width === CRASHES_WIDTH) await crashAThread();
      },
    });
    app = createTestApp(path.join(root, 'data'), {
      env: { PINDAI_JOB_MAX_ATTEMPTS: '3' },
      ocr,
      runner: { backoffBaseMs: 20 },
    });
    const widths = { baik1: 500, racun: THROWS_WIDTH, baik2: 560, mogok: CRASHES_WIDTH, baik3: 580 };
    for (const [name, width] of Object.entries(widths)) {
      // No border, no skew: the cleaned page keeps the width the fake engine keys on.
      const page = await makePage({ columns: [SAMPLE_TEXT.id1], width, height: 600, format: 'png' });
      const r = await app.accept(writeFiles(path.join(root, 'inbox'), name, { 'p1.png': page }));
      ids[name] = r.item?.id ?? '';
    }
    await app.runner.start();
    await app.runner.drain(Object.values(ids));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finishes the healthy items', async () => {
    for (const name of ['baik1', 'baik2', 'baik3'])
      expect((await app.register.items.get(ids[name] ?? ''))?.status, name).toBe('available');
  });

  it.each([
    ['racun', /Kesalahan internal: tesseract: cannot handle this page \(poison\)/],
    ['mogok', /OCR gagal membaca halaman: OCR worker thread exited unexpectedly.*segfault-like crash/],
  ])('parks %s after 3 attempts with its last error, in Bahasa Indonesia', async (name, message) => {
    const id = ids[name] ?? '';
    const item = await app.register.items.get(id);
    expect(item?.status).toBe('failed');
    expect(item?.stage).toBe('ocr');
    expect(item?.errorMessage).toMatch(message);
    const job = (await app.register.jobs.forItem(id)).find((j) => j.stage === 'ocr');
    expect(job).toMatchObject({ status: 'failed', attempts: 3 });
    const runs = (await app.register.runs.runsFor(id)).filter((r) => r.stage === 'ocr');
    expect(runs.map((r) => r.outcome)).toEqual(['retry', 'retry', 'failed']);
    // Nothing after the failed stage was queued.
    expect((await app.register.jobs.forItem(id)).map((j) => j.stage)).toEqual(['register', 'clean', 'ocr']);
  });
});
