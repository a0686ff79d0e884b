/**
 * The intake table of `npm run bench` (also `npm run bench:intake` on its own): pages as scanners and operators deliver them — a scanner PDF, pages
 * turned 90/180/270°, two-page spreads, 150 dpi, 1-bit — made from the corpus, run through the
 * real pipeline (`pindai ingest`, the default OCR engine), next to bare native tesseract on the
 * same files. Per kind: page count right, CER of the PDF text layer (poppler `-raw` and plain), and
 * bare tesseract's CER. Targets: each kind ≤ 3% in content order and ≤ bare tesseract + 0.5 points.
 *
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus), PINDAI_BENCH_INTAKE_PAGES (pages per
 * source batch and kind, default 2), PINDAI_BENCH_INTAKE_KINDS (comma list, default all),
 * PINDAI_BENCH_KEEP=1 (keep the work folder).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { keys } from '../../core/store/keys.ts';
import { ingestCommand } from '../commands/ingest.command.ts';
import { createPindai } from '../pindai-context.ts';
import { loadCorpus } from './corpus.ts';
import { INTAKE_KINDS, type IntakeBatch, type IntakeKind, makeIntakeBatch } from './intake-kinds.ts';
import { CerTally, mapLimit, nativeOcrText, pdfText } from './measure.ts';
import { pct } from './report.ts';

const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const perBatch = Number(process.env.PINDAI_BENCH_INTAKE_PAGES ?? 2);
const kinds = (process.env.PINDAI_BENCH_INTAKE_KINDS?.split(',') ?? INTAKE_KINDS) as IntakeKind[];

interface KindResult {
  pagesExpected: number;
  pagesGot: number;
  raw: CerTally;
  plain: CerTally;
  bare: CerTally;
  worstPageOverBare: number;
}

export interface IntakeKindFigures {
  kind: IntakeKind;
  pagesExpected: number;
  pagesGot: number;
  raw: number;
  plain: number;
  bare: number;
  worstPageOverBare: number;
  pass: boolean;
}

export async function runIntakeBench(): Promise<IntakeKindFigures[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-intake-'));
  const corpus = await loadCorpus(corpusDir);
  const batches: IntakeBatch[] = [];
  for (const kind of kinds) {
    for (const b of corpus) {
      const n = kind === 'spread' ? Math.max(2, perBatch - (perBatch % 2)) : perBatch;
      const pages = b.pages.slice(0, n);
      if (pages.length >= (kind === 'spread' ? 2 : 1)) batches.push(await makeIntakeBatch(kind, pages, work));
    }
  }
  console.log(`intake bench: ${batches.length} batches in ${work}`);
  const dataDir = path.join(work, 'data');
  const config = loadConfig({ ...process.env, PINDAI_DATA_DIR: dataDir, PINDAI_LOG_LEVEL: 'warn' });
  const t0 = Date.now();
  await ingestCommand(config, path.join(work, 'batches'), { json: true });
  console.log(`pindai ingest: ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  const app = await createPindai(config, { log: createLogger('warn') });
  const results = new Map<IntakeKind, KindResult>();
  try {
    const items = await app.register.items.list();
    for (const batch of batches) {
      const r =
        results.get(batch.kind) ??
        ({
          pagesExpected: 0,
          pagesGot: 0,
          raw: new CerTally(),
          plain: new CerTally(),
          bare: new CerTally(),
          worstPageOverBare: Number.NEGATIVE_INFINITY,
        } satisfies KindResult);
      results.set(batch.kind, r);
      const item = items.find((i) => i.sourcePath === path.resolve(batch.dir));
      r.pagesExpected += batch.expected.length;
      const bareTexts = await mapLimit(batch.bare, os.availableParallelism(), (b) => nativeOcrText(b.file));
      const bareCer = batch.bare.map((b, i) => r.bare.add(b.gt, bareTexts[i] ?? ''));
      if (!item?.pdfKey) {
        for (const gt of batch.expected) {
          r.raw.add(gt, '');
          r.plain.add(gt, '');
        }
        continue;
      }
      r.pagesGot += item.pageCount;
      const pdf = path.join(work, `${item.id}.pdf`);
      fs.writeFileSync(pdf, await app.store.getBuffer(keys.pdf(item.id)));
      if (item.pageCount === batch.expected.length) {
        for (const [i, gt] of batch.expected.entries()) {
          const raw = r.raw.add(gt, await pdfText(pdf, i + 1, true));
          r.plain.add(gt, await pdfText(pdf, i + 1, false));
          // Against bare tesseract on the file the page came from (a spread holds two pages).
          const bareOf = batch.kind === 'spread' ? (bareCer[i >> 1] ?? 0) : (bareCer[i] ?? 0);
          r.worstPageOverBare = Math.max(r.worstPageOverBare, raw - bareOf);
        }
      } else {
        // Wrong page count: score the whole item's text against the whole batch's truth.
        const all = batch.expected.join('\n');
        const texts: string[] = [];
        for (let p = 1; p <= item.pageCount; p++) texts.push(await pdfText(pdf, p, true));
        r.raw.add(all, texts.join('\n'));
        r.plain.add(all, texts.join('\n'));
      }
    }
  } finally {
    await app.close();
  }
  const figures: IntakeKindFigures[] = [];
  console.log('\nIntake kinds (text layer CER in content order; bare = native tesseract on the same files)');
  console.log('kind     pages (expected/got)  -raw       plain      bare       worst page vs bare  target');
  for (const [kind, r] of results) {
    const ok =
      r.pagesGot === r.pagesExpected &&
      r.raw.value <= 0.03 &&
      r.raw.value <= r.bare.value + 0.005 &&
      r.worstPageOverBare <= 0.005;
    figures.push({
      kind,
      pagesExpected: r.pagesExpected,
      pagesGot: r.pagesGot,
      raw: r.raw.value,
      plain: r.plain.value,
      bare: r.bare.value,
      worstPageOverBare: r.worstPageOverBare,
      pass: ok,
    });
    console.log(
      `${kind.padEnd(8)} ${`${r.pagesExpected}/${r.pagesGot}`.padEnd(21)} ${pct(r.raw.value).padEnd(10)} ${pct(r.plain.value).padEnd(10)} ${pct(r.bare.value).padEnd(10)} ${(Number.isFinite(r.worstPageOverBare) ? `${(r.worstPageOverBare * 100).toFixed(2)} pts` : 'n/a').padEnd(19)} ${ok ? 'PASS' : 'FAIL'}`,
    );
  }
  if (!process.env.PINDAI_BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
  return figures;
}
