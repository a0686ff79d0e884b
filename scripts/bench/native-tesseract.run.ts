/**
 * Bare native tesseract, the practical limit of OCR speed here: OCR only (no cleaning, no PDF),
 * OMP_THREAD_LIMIT=1 and one process per core, on the original page images.
 */
import os from 'node:os';
import type { BenchPage } from './corpus.ts';
import { CerTally, mapLimit, nativeOcrText } from './measure.ts';

export interface OcrOnlyRun {
  pages: number;
  processes: number;
  wallSeconds: number;
  cer: number;
}

export async function runNativeTesseract(pages: BenchPage[]): Promise<OcrOnlyRun> {
  const processes = os.availableParallelism();
  const t0 = performance.now();
  const texts = await mapLimit(pages, processes, (p) => nativeOcrText(p.file));
  const wallSeconds = (performance.now() - t0) / 1000;
  const tally = new CerTally();
  for (const [i, p] of pages.entries()) tally.add(p.gt, texts[i] ?? '');
  return { pages: pages.length, processes, wallSeconds, cer: tally.value };
}
