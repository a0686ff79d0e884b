/**
 * `npm run bench`: Pindai end to end (through `pindai serve`) side by side with OCRmyPDF and bare
 * native tesseract on the same corpus pages, in one run, then the targets as ratios and the
 * embedded search latency table.
 *
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus), PINDAI_BENCH_PEER_PAGES (pages for
 * the peers and the re-OCR check: default `all`, the same pages Pindai runs; a number for a
 * quicker, spread subset), PINDAI_BENCH_SKIP_SEARCH=1, PINDAI_BENCH_SKIP_OCRMYPDF=1 and
 * PINDAI_BENCH_SKIP_REOCR=1 (quick repeats of the Pindai/native ratio), PINDAI_BENCH_SKIP_INTAKE=1 (the intake table:
 * see intake.main.ts for its settings),
 * PINDAI_BENCH_KEEP=1 (keep the work folders), PINDAI_BENCH_S3=1 (`npm run bench:s3`: the service
 * runs with PINDAI_STORE=s3 on an in-process s3rver), plus any PINDAI_* setting for the service
 * (e.g. PINDAI_OCR_ENGINE=tesseract-js).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { startS3Server } from '../../test/support/s3-server.ts';
import { openCatalog } from '../open-catalog.ts';
import { loadCorpus, peerSubset } from './corpus.ts';
import { runIntakeBench } from './intake.run.ts';
import { CerTally, childCpuSeconds, median, pagesPerHour, pdfText } from './measure.ts';
import { runNativeTesseract } from './native-tesseract.run.ts';
import { runOcrmypdf } from './ocrmypdf.run.ts';
import { runPindaiServe } from './pindai-serve.run.ts';
import { measureRelevance } from './relevance.ts';
import { runReOcr } from './reocr.run.ts';
import { kb, mb, num, pct, printTargets, type Target } from './report.ts';
import { runSearchBench } from './search-latency.ts';

/** Pages per hour the machine's cores could sustain at `cpuPerPage` CPU seconds per page. */
const cpuPph = (cpuPerPage: number) =>
  cpuPerPage > 0 ? (os.availableParallelism() * 3600) / cpuPerPage : Number.NaN;
const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
if (!fs.existsSync(corpusDir)) {
  console.error(`Corpus not found: ${corpusDir} (set PINDAI_BENCH_CORPUS)`);
  process.exit(2);
}
const batches = await loadCorpus(corpusDir);
const allPages = batches.flatMap((b) => b.pages);
const peerEnv = process.env.PINDAI_BENCH_PEER_PAGES ?? 'all';
const peerPages = peerSubset(
  batches,
  peerEnv === 'all' ? allPages.length : Math.max(1, Number(peerEnv) || 12),
);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-peers-'));

console.log(
  `Pindai bench — ${new Date().toISOString()} — ${os.availableParallelism()} cores, load ${load()}`,
);
console.log(
  `corpus ${corpusDir}: ${batches.length} batches, ${allPages.length} pages; peers on ${peerPages.length} of them`,
);

// --- Pindai, end to end, all pages -----------------------------------------------------------
let cpu0 = childCpuSeconds();
// PINDAI_BENCH_S3=1: every object in S3 (s3rver in this process, the service talks to it over HTTP).
const s3 = process.env.PINDAI_BENCH_S3 === '1' ? await startS3Server() : null;
const pindai = await runPindaiServe(batches, s3?.env('pindai-bench') ?? {});
const pindaiCpu = (childCpuSeconds() - cpu0) / Math.max(1, pindai.pages);
const pindaiPph = pagesPerHour(pindai.pages, pindai.wallSeconds);
const plainAll = new CerTally();
const rawAll = new CerTally();
const plainPeer = new CerTally();
const pageKb: number[] = [];
const plainByBatch = new Map<string, CerTally>();
for (const r of pindai.pageResults) {
  const p = allPages.find((x) => x.batch === r.batch && x.pageNo === r.pageNo);
  if (!p) continue;
  const plain = await pdfText(r.pdf, r.pageNo, false);
  plainAll.add(p.gt, plain);
  if (!plainByBatch.has(r.batch)) plainByBatch.set(r.batch, new CerTally());
  plainByBatch.get(r.batch)?.add(p.gt, plain);
  rawAll.add(p.gt, await pdfText(r.pdf, r.pageNo, true));
  if (peerPages.includes(p)) plainPeer.add(p.gt, plain);
}
for (const it of pindai.items)
  for (let i = 0; i < it.pages; i++) if (it.pdfBytes) pageKb.push(it.pdfBytes / it.pages);
console.log(`\n== Pindai (pindai serve, OCR engine: ${pindai.ocrEngine}) — load ${load()}`);
console.table(
  pindai.items.map((i) => ({
    batch: i.batch,
    status: i.status,
    pages: i.pages,
    'PDF/page': kb(i.pdfBytes / Math.max(1, i.pages)),
    'CER (pdftotext)': plainByBatch.has(i.batch) ? pct(plainByBatch.get(i.batch)?.value ?? Number.NaN) : '',
    error: i.error ?? '',
  })),
);
console.log(
  `end to end: ${pindai.pages} pages in ${num(pindai.wallSeconds, 1)} s → ${num(pindaiPph)} pages/hour`,
);
console.log(
  `CPU: ${num(pindaiCpu, 2)} CPU s/page (service + OCR processes) → ${num(cpuPph(pindaiCpu))} pages/hour if all cores were free`,
);
console.log('stage seconds per page (summed over concurrent jobs):');
for (const s of pindai.stageSecondsPerPage) console.log(`  ${s.stage.padEnd(9)} ${num(s.seconds, 2)} s/page`);
console.log(
  `peak RSS: pindai serve process ${mb(pindai.serveOwnPeakBytes)}, with its OCR processes ${mb(pindai.serveTreeMaxBytes)} (max sampled sum)`,
);
console.log(
  `PDF size: median ${kb(median(pageKb))}/page, mean ${kb(pageKb.reduce((a, b) => a + b, 0) / Math.max(1, pageKb.length))}/page`,
);
console.log(
  `CER of the PDF text layer: pdftotext ${pct(plainAll.value)}, pdftotext -raw ${pct(rawAll.value)} (all pages)`,
);

// --- Relevance: a phrase from a page's ground truth finds that page first ------------------------
{
  const cat = await openCatalog(
    loadConfig({ ...process.env, ...(s3?.env('pindai-bench') ?? {}) }, { dataDir: pindai.dataDir }),
  );
  const rel = await measureRelevance(corpusDir, cat.register, cat.index);
  await cat.close();
  console.log(
    `relevance: ${rel.phrases} quoted 4-word phrases from the ground truth — source page first ${rel.exact}, ` +
      `another page holding the same phrase first ${rel.samePhraseElsewhere} (the corpus reuses paragraphs), missed ${rel.misses.length}`,
  );
  for (const m of rel.misses.slice(0, 10)) console.log(`  missed: ${m}`);
}

// --- Peers, same pages --------------------------------------------------------------------------
const haveTesseract = has('tesseract');
cpu0 = childCpuSeconds();
const native = haveTesseract ? await runNativeTesseract(peerPages) : null;
const nativeCpu = native ? (childCpuSeconds() - cpu0) / Math.max(1, native.pages) : Number.NaN;
const nativePph = native ? pagesPerHour(native.pages, native.wallSeconds) : Number.NaN;
console.log(
  `\n== native tesseract (OCR only, OMP_THREAD_LIMIT=1, ${native?.processes ?? '-'} processes) — load ${load()}`,
);
if (native) {
  console.log(
    `${native.pages} pages in ${num(native.wallSeconds, 1)} s → ${num(nativePph)} pages/hour, CER ${pct(native.cer)}`,
  );
  console.log(
    `CPU: ${num(nativeCpu, 2)} CPU s/page → ${num(cpuPph(nativeCpu))} pages/hour if all cores were free`,
  );
} else console.log('SKIPPED: tesseract not installed (bash scripts/bench/ensure-bench-deps.sh)');

cpu0 = childCpuSeconds();
const skipOcrmypdf = process.env.PINDAI_BENCH_SKIP_OCRMYPDF === '1';
const ocrmypdf =
  has('ocrmypdf') && !skipOcrmypdf ? await runOcrmypdf(peerPages, path.join(work, 'ocrmypdf')) : null;
// Includes the untimed img2pdf wrapping, which is small next to OCR.
const ocrmypdfCpu = ocrmypdf ? (childCpuSeconds() - cpu0) / Math.max(1, ocrmypdf.pages) : Number.NaN;
const ocrmypdfPph = ocrmypdf ? pagesPerHour(ocrmypdf.pages, ocrmypdf.wallSeconds) : Number.NaN;
const ocrmypdfBest = ocrmypdf ? Math.min(ocrmypdf.cerPlain, ocrmypdf.cerRaw) : Number.NaN;
console.log(`\n== OCRmyPDF (-l ind+eng --deskew -j 2) — load ${load()}`);
if (ocrmypdf) {
  console.log(
    `${ocrmypdf.pages} pages in ${num(ocrmypdf.wallSeconds, 1)} s → ${num(ocrmypdfPph)} pages/hour; ` +
      `CER pdftotext ${pct(ocrmypdf.cerPlain)}, -raw ${pct(ocrmypdf.cerRaw)}; PDF median ${kb(median(ocrmypdf.pdfBytesPerPage))}/page`,
  );
  console.log(
    `CPU: ${num(ocrmypdfCpu, 2)} CPU s/page → ${num(cpuPph(ocrmypdfCpu))} pages/hour if all cores were free`,
  );
  for (const f of ocrmypdf.failures) console.log(`  failed: ${f}`);
} else if (skipOcrmypdf) console.log('SKIPPED: PINDAI_BENCH_SKIP_OCRMYPDF=1');
else console.log('SKIPPED: ocrmypdf not installed (bash scripts/bench/ensure-bench-deps.sh)');

// --- Legibility of the PDF's page images ---------------------------------------------------------
const reocr =
  haveTesseract && has('pdftoppm') && process.env.PINDAI_BENCH_SKIP_REOCR !== '1'
    ? await runReOcr(peerPages, pindai.pageResults, path.join(work, 'reocr'))
    : null;
console.log(`\n== re-OCR of Pindai's PDF page images (pdftoppm 300 dpi → native tesseract) — load ${load()}`);
if (reocr) {
  console.log(
    `${reocr.pages} pages: PDF page image ${pct(reocr.cerPdfImage)} vs clean full-resolution image ${pct(reocr.cerCleanImage)} ` +
      `(Pindai's own OCR text on these pages: ${pct(reocr.cerPindaiOcr)}; its PDF text layer: ${pct(plainPeer.value)})`,
  );
} else console.log('SKIPPED: needs tesseract and pdftoppm (or PINDAI_BENCH_SKIP_REOCR=1)');

const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
const known = (v: number) => Number.isFinite(v);
const medKb = median(pageKb) / 1024;
const targets: Target[] = [
  {
    name: 'pages/hour vs OCRmyPDF',
    value: `${num(ratio(pindaiPph, ocrmypdfPph), 2)}× (${num(pindaiPph)} / ${num(ocrmypdfPph)})`,
    goal: '≥ 5×',
    pass: known(ocrmypdfPph) ? ratio(pindaiPph, ocrmypdfPph) >= 5 : null,
  },
  {
    name: 'pages/hour vs native tesseract (OCR only)',
    value: `${num(ratio(pindaiPph, nativePph), 2)}× (${num(pindaiPph)} / ${num(nativePph)})`,
    goal: '→ 0.6×',
    pass: known(nativePph) ? ratio(pindaiPph, nativePph) >= 0.6 : null,
  },
  {
    name: 'pages/hour vs native tesseract, orientation detection on',
    value: `${num(ratio(pindaiPph, nativePph), 2)}×`,
    goal: '≥ 0.85×',
    pass: known(nativePph) ? ratio(pindaiPph, nativePph) >= 0.85 : null,
  },
  {
    name: 'CPU cost per page vs OCRmyPDF (load-robust)',
    value: `${num(ratio(ocrmypdfCpu, pindaiCpu), 2)}× (${num(pindaiCpu, 2)} vs ${num(ocrmypdfCpu, 2)} CPU s/page)`,
    goal: '≥ 5×',
    pass: known(ocrmypdfCpu) ? ratio(ocrmypdfCpu, pindaiCpu) >= 5 : null,
  },
  {
    name: 'CPU cost per page vs native tesseract (load-robust)',
    value: `${num(ratio(nativeCpu, pindaiCpu), 2)}× (${num(pindaiCpu, 2)} vs ${num(nativeCpu, 2)} CPU s/page)`,
    goal: '→ 0.6×',
    pass: known(nativeCpu) ? ratio(nativeCpu, pindaiCpu) >= 0.6 : null,
  },
  {
    name: 'CER (pdftotext) vs OCRmyPDF best, same pages',
    value: `${pct(plainPeer.value)} vs ${pct(ocrmypdfBest)}`,
    goal: '≤',
    pass: known(ocrmypdfBest) ? plainPeer.value <= ocrmypdfBest : null,
  },
  { name: 'median PDF size per page', value: `${num(medKb, 1)} KB`, goal: '≤ 100 KB', pass: medKb <= 100 },
  {
    name: 're-OCR of PDF images vs clean image CER',
    value: reocr ? `${num((reocr.cerPdfImage - reocr.cerCleanImage) * 100, 2)} points` : 'n/a',
    goal: '≤ +0.5 points',
    pass: reocr ? reocr.cerPdfImage - reocr.cerCleanImage <= 0.005 : null,
  },
  {
    name: 'peak RSS of pindai serve (+ OCR processes)',
    value: mb(pindai.serveTreeMaxBytes),
    goal: '< 1.5 GB',
    pass: pindai.serveTreeMaxBytes < 1.5 * 1024 ** 3,
  },
];

// --- Search -------------------------------------------------------------------------------------
if (process.env.PINDAI_BENCH_SKIP_SEARCH !== '1') {
  const search = await runSearchBench();
  const at1m = search.find((s) => s.pages === 1_000_000);
  targets.push({
    name: 'search p95 at 1M pages (worst query kind)',
    value: at1m
      ? `${num(Math.max(...at1m.kinds.map((k) => k.p95)), 1)} ms (CPU ${num(Math.max(...at1m.kinds.map((k) => k.cpuP95)), 1)} ms)`
      : 'n/a',
    goal: '< 50 ms',
    pass: at1m ? Math.max(...at1m.kinds.map((k) => k.p95)) < 50 : null,
  });
}

if (process.env.PINDAI_BENCH_SKIP_INTAKE !== '1') {
  const intake = await runIntakeBench();
  for (const k of intake) {
    targets.push({
      name: `intake ${k.kind}: pages right, CER -raw ≤ 3% and ≤ bare tesseract + 0.5 pts`,
      value: `${k.pagesGot}/${k.pagesExpected} pages, ${pct(k.raw)} (plain ${pct(k.plain)}; bare ${pct(k.bare)})`,
      goal: '≤ 3%, ≤ bare + 0.5',
      pass: k.pass,
    });
  }
}

printTargets(targets);
if (known(ocrmypdfPph) && known(nativePph)) {
  // The two speed targets meet here: how close 5x OCRmyPDF is to the machine's OCR-only limit.
  console.log(
    `5× OCRmyPDF is ${num(5 * ocrmypdfPph)} pages/hour = ${num(ratio(5 * ocrmypdfPph, nativePph), 2)}× bare native ` +
      `tesseract's OCR-only rate on the same pages (no cleaning, no PDF, no index)`,
  );
}
console.log(
  `finished ${new Date().toISOString()}, load ${load()} — timings are noisy while other work shares the cores`,
);
await s3?.close();
if (process.env.PINDAI_BENCH_KEEP) console.log(`kept: ${pindai.dataDir} ${work}`);
else {
  fs.rmSync(pindai.dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
}
