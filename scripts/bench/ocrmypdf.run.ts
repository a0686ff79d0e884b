/**
 * OCRmyPDF, the tool a library would most likely pick instead, run as its docs suggest:
 * `ocrmypdf -l ind+eng --deskew -j 2` on one PDF per batch (page images wrapped losslessly by
 * img2pdf, which OCRmyPDF itself depends on; the wrapping is not timed).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { BenchPage } from './corpus.ts';
import { CerTally, pdfText, run } from './measure.ts';

export interface PeerPdfRun {
  pages: number;
  wallSeconds: number;
  cerPlain: number;
  cerRaw: number;
  pdfBytesPerPage: number[];
  failures: string[];
}

// Debian's img2pdf module lives with the system python, not with a pyenv one that may shadow it.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const IMG2PDF = 'import img2pdf, sys; open(sys.argv[1], "wb").write(img2pdf.convert(sys.argv[2:]))';

async function wrapAsPdf(pages: BenchPage[], out: string, work: string): Promise<void> {
  try {
    await run(PYTHON, ['-c', IMG2PDF, out, ...pages.map((p) => p.file)]);
  } catch {
    // img2pdf refuses some TIFF codecs; a lossless PNG of the same pixels and density is equivalent.
    const files: string[] = [];
    for (const p of pages) {
      const png = path.join(work, `${p.batch}-${p.pageNo}.png`);
      const meta = await sharp(p.file).metadata();
      await sharp(p.file)
        .withMetadata({ density: meta.density ?? 300 })
        .png()
        .toFile(png);
      files.push(png);
    }
    await run(PYTHON, ['-c', IMG2PDF, out, ...files]);
  }
}

export async function runOcrmypdf(pages: BenchPage[], work: string): Promise<PeerPdfRun> {
  fs.mkdirSync(work, { recursive: true });
  const byBatch = new Map<string, BenchPage[]>();
  for (const p of pages) byBatch.set(p.batch, [...(byBatch.get(p.batch) ?? []), p]);
  const inputs: { batch: string; pages: BenchPage[]; input: string; output: string }[] = [];
  for (const [batch, list] of byBatch) {
    const input = path.join(work, `${batch}.in.pdf`);
    await wrapAsPdf(list, input, work);
    inputs.push({ batch, pages: list, input, output: path.join(work, `${batch}.ocr.pdf`) });
  }
  const failures: string[] = [];
  const t0 = performance.now();
  for (const job of inputs) {
    try {
      await run('ocrmypdf', ['-q', '-l', 'ind+eng', '--deskew', '-j', '2', job.input, job.output], {
        env: { ...process.env },
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      failures.push(`${job.batch}: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`);
    }
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const plain = new CerTally();
  const raw = new CerTally();
  const sizes: number[] = [];
  let done = 0;
  for (const job of inputs) {
    if (!fs.existsSync(job.output)) continue;
    sizes.push(...job.pages.map(() => fs.statSync(job.output).size / job.pages.length));
    for (const [i, p] of job.pages.entries()) {
      plain.add(p.gt, await pdfText(job.output, i + 1, false));
      raw.add(p.gt, await pdfText(job.output, i + 1, true));
      done++;
    }
  }
  return {
    pages: done,
    wallSeconds,
    cerPlain: plain.value,
    cerRaw: raw.value,
    pdfBytesPerPage: sizes,
    failures,
  };
}
