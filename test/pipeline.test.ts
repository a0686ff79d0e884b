import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { keys } from '../core/store/keys.ts';
import { createPindai, type Pindai } from '../scripts/pindai-context.ts';
import { cer } from './support/cer.ts';
import { BOOK_PAGES, type FixtureBatch, writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * The whole pipeline on the embedded default with every real part: sharp, tesseract.js, pdf-lib,
 * SQLite, files on disk, and poppler's pdftotext reading the PDF back.
 */
describe('pipeline: a batch becomes a registered, searchable item', () => {
  const root = tempDir();
  let app: Pindai;
  let batch: FixtureBatch;
  let itemId: string;

  beforeAll(async () => {
    batch = await writeBatch(path.join(root, 'src'), 'Sejarah Perpustakaan', BOOK_PAGES, {
      metadata: {
        title: 'Sejarah Perpustakaan Daerah',
        creator: 'Dinas Perpustakaan',
        year: 1987,
        sourceNomorInduk: '0001/LP/87',
        pages: 3,
      },
    });
    const config = loadConfig({
      PINDAI_DATA_DIR: path.join(root, 'data'),
      PINDAI_OCR_TIMEOUT_SECONDS: '120',
      ...OCR_ENV,
    });
    app = await createPindai(config, { log: createLogger('warn') });
    const r = await app.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('accepted');
    itemId = r.item!.id;
    await app.runner.start();
    await app.runner.drain([itemId]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('registers the item with a nomor induk and the source book number', async () => {
    const item = (await app.register.items.get(itemId))!;
    expect(item.status).toBe('available');
    expect(item.nomorInduk).toMatch(/^00001\/AM\/\d{4}$/);
    expect(item.sourceNomorInduk).toBe('0001/LP/87');
    expect(item.pageCount).toBe(3);
    expect(item.flags).toEqual([]);
  });

  it('records every stage run with its duration and outcome', async () => {
    const runs = await app.register.runs.runsFor(itemId);
    expect(runs.map((r) => r.stage)).toEqual(['register', 'clean', 'ocr', 'pdf', 'publish']);
    expect(runs.every((r) => r.outcome === 'done' && r.durationMs >= 0)).toBe(true);
    // OCR began on pages as the clean stage stored them (the PDF test below reads their text back).
    expect(runs.find((r) => r.stage === 'ocr')?.detail).toMatch(
      /^3 recognised \([1-3] read ahead while cleaning\)/,
    );
  });

  it('stores originals byte for byte, derivatives, OCR and a manifest with checksums', async () => {
    const manifest = JSON.parse((await app.store.getBuffer(keys.manifest(itemId))).toString());
    const byKey = new Map<string, string>(
      manifest.objects.map((o: { key: string; sha256: string }) => [o.key, o.sha256]),
    );
    for (const p of await app.register.pages.list(itemId)) {
      const original = fs.readFileSync(path.join(batch.dir, p.sourceFile));
      expect(await app.store.getBuffer(p.originalKey)).toEqual(original);
      expect(byKey.get(p.originalKey)).toBe(p.originalSha256);
      for (const k of [keys.access, keys.web, keys.thumb, keys.ocrJson, keys.ocrText]) {
        expect(byKey.has(k(itemId, p.pageNo))).toBe(true);
      }
      expect(Math.abs(p.skew ?? 99)).toBeGreaterThan(0.2);
    }
    expect(byKey.get(keys.pdf(itemId))).toBe(await app.store.sha256(keys.pdf(itemId)));
  });

  it('makes one PDF page per scan whose text layer pdftotext reads in order', async () => {
    const pdfFile = path.join(root, 'out.pdf');
    fs.writeFileSync(pdfFile, await app.store.getBuffer(keys.pdf(itemId)));
    const info = execFileSync('pdfinfo', [pdfFile]).toString();
    expect(info).toMatch(/Pages:\s+3/);
    expect(info).toMatch(/Title:\s+Sejarah Perpustakaan Daerah/);
    for (let p = 1; p <= 3; p++) {
      const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdfFile, '-']).toString();
      expect(cer(batch.pages[p - 1]!, text)).toBeLessThan(0.05);
    }
  });

  it('finds a phrase on its page, best first', async () => {
    const r = await app.index.search({ q: 'dipindai satu halaman demi satu halaman' });
    expect(r.hits[0]).toMatchObject({ itemId, page: 2 });
    expect(r.hits[0]!.snippet).toContain('<mark>');
  });

  it('running a stage again changes nothing (idempotent)', async () => {
    const before = (await app.index.countDocuments()).pages;
    await app.register.jobs.requeue(itemId, 'publish');
    app.runner.poke();
    await app.runner.drain([itemId]);
    expect((await app.index.countDocuments()).pages).toBe(before);
    expect((await app.register.items.get(itemId))!.status).toBe('available');
  });

  it('reports the same pages dropped again as a duplicate of the item', async () => {
    const copy = path.join(root, 'src', 'copy');
    fs.cpSync(batch.dir, copy, { recursive: true });
    const r = await app.accept(copy, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('duplicate');
    expect(r.item?.id).toBe(itemId);
  });
});
