/**
 * Is the PDF's page image as legible as what Pindai recognised? Each page of Pindai's PDF is
 * rendered as a viewer would (pdftoppm, 300 dpi grey), re-OCRed with native tesseract, and
 * compared with the ground truth next to the same OCR of the clean stage's full-resolution access image
 * (so only the image differs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchPage } from './corpus.ts';
import { CerTally, mapLimit, nativeOcrText, run } from './measure.ts';
import type { PindaiPageResult } from './pindai-serve.run.ts';

export interface ReOcrRun {
  pages: number;
  /** Native tesseract on the PDF's rendered page images. */
  cerPdfImage: number;
  /** Native tesseract on the clean stage's access image (what Pindai's OCR read) of the same pages. */
  cerCleanImage: number;
  /** Pindai's own OCR text (from the full-resolution clean image) on the same pages. */
  cerPindaiOcr: number;
}

export async function runReOcr(
  pages: BenchPage[],
  results: PindaiPageResult[],
  work: string,
): Promise<ReOcrRun> {
  fs.mkdirSync(work, { recursive: true });
  const pairs = pages
    .map((p) => ({ p, r: results.find((r) => r.batch === p.batch && r.pageNo === p.pageNo) }))
    .filter((x): x is { p: BenchPage; r: PindaiPageResult } => x.r !== undefined);
  const texts = await mapLimit(pairs, os.availableParallelism(), async ({ p, r }) => {
    const base = path.join(work, `${p.batch}-${p.pageNo}`);
    const page = String(r.pageNo);
    await run('pdftoppm', ['-f', page, '-l', page, '-r', '300', '-gray', '-png', '-singlefile', r.pdf, base]);
    const text = await nativeOcrText(`${base}.png`);
    fs.rmSync(`${base}.png`, { force: true });
    return { text, clean: await nativeOcrText(r.cleanImage) };
  });
  const image = new CerTally();
  const clean = new CerTally();
  const own = new CerTally();
  pairs.forEach(({ p, r }, i) => {
    image.add(p.gt, texts[i]?.text ?? '');
    clean.add(p.gt, texts[i]?.clean ?? '');
    own.add(p.gt, r.ocrText);
  });
  return {
    pages: pairs.length,
    cerPdfImage: image.value,
    cerCleanImage: clean.value,
    cerPindaiOcr: own.value,
  };
}
