import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import { PdfSplitError, splitPdf } from './pdf-split.ts';

const MB = 1024 * 1024;
const LIMITS = { maxFiles: 3, maxBytes: 12 * MB };

/** A book like a scan's PDF: one distinct JPEG per page (~45 KB) and a line of text. */
async function book(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  // Noise does not compress: each page's image keeps its size, as scans do.
  const noise = randomBytes(200 * 200 * 3);
  for (let n = 1; n <= pages; n++) {
    noise.writeUInt32LE(n, 0);
    const jpeg = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const img = await doc.embedJpg(jpeg);
    const page = doc.addPage([420, 595]);
    page.drawImage(img, { x: 10, y: 100, width: 400, height: 400 });
    page.drawText(`Halaman ${n} dari buku uji`, { x: 20, y: 40, size: 14, font });
    // Different bytes per page: shift the noise.
    noise.copyWithin(0, 7);
  }
  return doc.save();
}

describe('splitPdf', () => {
  const dir = tempDir();
  let pdf: Uint8Array;
  beforeAll(async () => {
    pdf = await book(400);
  }, 120_000);

  it('splits a 400-page book over 12 MB into at most 3 files of at most 12 MB whose pages add up and read', async () => {
    expect(pdf.length).toBeGreaterThan(LIMITS.maxBytes);
    const parts = await splitPdf(pdf, LIMITS);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(3);
    let next = 1;
    let pages = 0;
    for (const [i, p] of parts.entries()) {
      expect(p.bytes.length).toBeLessThanOrEqual(LIMITS.maxBytes);
      expect(p.from).toBe(next);
      next = p.to + 1;
      const file = path.join(dir, `part${i}.pdf`);
      fs.writeFileSync(file, p.bytes);
      // A real PDF tool counts the pages and extracts the text of each part's first page.
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const count = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(count).toBe(p.to - p.from + 1);
      pages += count;
      const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(`Halaman ${p.from} dari buku uji`);
    }
    expect(pages).toBe(400);
    // As few parts as the limit allows: the first part is over half the limit.
    expect(parts[0]?.bytes.length).toBeGreaterThan(LIMITS.maxBytes / 2);
  }, 300_000);

  it('keeps a PDF under the limit whole, and says when it cannot fit', async () => {
    const small = await book(3);
    const whole = await splitPdf(small, LIMITS);
    expect(whole.map((p) => [p.from, p.to])).toEqual([[1, 3]]);
    await expect(splitPdf(pdf, { maxFiles: 3, maxBytes: 2 * MB })).rejects.toMatchObject({
      reason: 'too_many_parts',
    });
    await expect(splitPdf(small, { maxFiles: 3, maxBytes: 1000 })).rejects.toBeInstanceOf(PdfSplitError);
  }, 300_000);
});
