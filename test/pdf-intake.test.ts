import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../core/store/keys.ts';
import type { Pindai } from '../scripts/pindai-context.ts';
import { makePage, SAMPLE_TEXT } from './fixtures/make-page.ts';
import { pdfOfJpegs, pdfOfText } from './fixtures/make-pdf.ts';
import { cer } from './support/cer.ts';
import { ingestAndRun } from './support/ingest-run.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * A batch mixing a scanned image with a scanner's PDF (two JPEG pages and a born-digital vector
 * page), through the whole pipeline with real OCR: every PDF page is a page of the item, in order,
 * the PDF is kept byte for byte, and every page's words come out.
 */
describe('PDF input: a scanner PDF beside page images becomes pages of one item', () => {
  const root = tempDir();
  const dir = path.join(root, 'src', 'Laporan Tahunan');
  const truth = [
    SAMPLE_TEXT.id1,
    SAMPLE_TEXT.id2,
    SAMPLE_TEXT.id3,
    'Perpustakaan Daerah\nLayanan Baca Keliling',
  ];
  let app: Pindai;
  let pdf: Buffer;
  let itemId: string;

  beforeAll(async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, '01-sampul.jpg'),
      await makePage({ columns: [truth[0]!], width: 900, height: 1100 }),
    );
    const scanned = await pdfOfJpegs([
      { jpeg: await makePage({ columns: [truth[1]!], width: 900, height: 1100, grey: true }), dpi: 150 },
      { jpeg: await makePage({ columns: [truth[2]!], width: 900, height: 1100, skewDeg: 1 }), dpi: 150 },
    ]);
    // A born-digital last page appended to the scan (as PDF tools do): no image, rendered.
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.load(scanned);
    const vector = await PDFDocument.load(await pdfOfText(truth[3]!.split('\n')));
    const [page] = await doc.copyPages(vector, [0]);
    if (page) doc.addPage(page);
    pdf = Buffer.from(await doc.save());
    fs.writeFileSync(path.join(dir, '02-isi.pdf'), pdf);
    fs.writeFileSync(
      path.join(dir, 'metadata.json'),
      JSON.stringify({ title: 'Laporan Tahunan', rights: 'open' }),
    );
    ({
      app,
      itemIds: [itemId = ''],
    } = await ingestAndRun(root, [dir]));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('registers one page per image and per PDF page, in file then page order', async () => {
    const item = (await app.register.items.get(itemId))!;
    expect(item.status).toBe('available');
    expect(item.pageCount).toBe(4);
    expect(item.sourceFormat).toBe('jpeg+pdf');
    const pages = await app.register.pages.list(itemId);
    expect(pages.map((p) => [p.sourceFile, p.sourceKind, p.sourceSubpage])).toEqual([
      ['01-sampul.jpg', 'image', 0],
      ['02-isi.pdf', 'pdf', 0],
      ['02-isi.pdf', 'pdf', 1],
      ['02-isi.pdf', 'pdf', 2],
    ]);
    // The scans keep their own resolution; the vector page is rendered at 300 dpi.
    expect(pages.map((p) => p.cleanDpi)).toEqual([200, 150, 150, 300]);
  });

  it('keeps the PDF byte for byte as the original of its pages', async () => {
    const pages = (await app.register.pages.list(itemId)).filter((p) => p.sourceKind === 'pdf');
    expect(new Set(pages.map((p) => p.originalKey)).size).toBe(1);
    expect((await app.store.getBuffer(pages[0]!.originalKey)).equals(pdf)).toBe(true);
  });

  it('reads every page, the vector page too, into the searchable PDF in order', async () => {
    const out = path.join(root, 'out.pdf');
    fs.writeFileSync(out, await app.store.getBuffer(keys.pdf(itemId)));
    expect(execFileSync('pdfinfo', [out]).toString()).toMatch(/Pages:\s+4/);
    for (let p = 1; p <= 4; p++) {
      const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), out, '-']).toString();
      expect(cer(truth[p - 1]!, text), `page ${p}: ${text}`).toBeLessThan(0.05);
    }
    const r = await app.index.search({ q: 'layanan baca keliling' });
    expect(r.hits[0]).toMatchObject({ itemId, page: 4 });
  });
});
