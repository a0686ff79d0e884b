/**
 * `npm run bench`: the sample corpus end to end on the embedded default. Prints pages per minute,
 * seconds per page for each stage, peak memory, PDF size per page and the CER of the PDF's text
 * layer (plain `pdftotext`, reading order) against the ground truth.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { cer, normalizeForCer } from '../test/support/cer.ts';
import { startS3Server } from '../test/support/s3-server.ts';
import { findBatches } from './commands/ingest.command.ts';
import { createPindai } from './pindai-context.ts';

const corpus = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
if (!fs.existsSync(corpus)) {
  console.error(`Corpus not found: ${corpus} (set PINDAI_BENCH_CORPUS)`);
  process.exit(2);
}
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-'));
// PINDAI_BENCH_S3=1: the same run with PINDAI_STORE=s3 on an in-process S3 server (s3rver).
const s3 = process.env.PINDAI_BENCH_S3 === '1' ? await startS3Server() : null;
const config = loadConfig({ ...process.env, PINDAI_DATA_DIR: data, ...(s3?.env('pindai-bench') ?? {}) });
const app = await createPindai(config, { log: createLogger('warn') });

const t0 = performance.now();
const ids: { id: string; batch: string }[] = [];
for (const batch of await findBatches(corpus)) {
  const r = await app.accept(batch, { intake: 'ingest', disposition: { kind: 'keep' } });
  if (r.item) ids.push({ id: r.item.id, batch });
  else console.error(`rejected ${batch}: ${JSON.stringify(r.problems)}`);
}
const tAccepted = performance.now();
app.runner.start();
await app.runner.drain(ids.map((i) => i.id));
const t1 = performance.now();

let pages = 0;
let pdfBytes = 0;
const rows: string[][] = [];
let cerWeighted = 0;
let refChars = 0;
for (const { id, batch } of ids) {
  const item = app.register.items.get(id);
  if (!item?.pdfKey) {
    rows.push([path.basename(batch), item?.status ?? '?', '', '', '', item?.errorMessage ?? '']);
    continue;
  }
  const pdf = path.join(data, `${id}.pdf`);
  fs.writeFileSync(pdf, await app.store.getBuffer(item.pdfKey));
  let ref = '';
  let hyp = '';
  for (let p = 1; p <= item.pageCount; p++) {
    const gt = path.join(batch, 'gt', `page-${String(p).padStart(4, '0')}.txt`);
    if (!fs.existsSync(gt)) continue;
    ref += `${fs.readFileSync(gt, 'utf8')}\n`;
    hyp += `${execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-']).toString()}\n`;
  }
  const c = ref ? cer(ref, hyp) : Number.NaN;
  const n = normalizeForCer(ref).length;
  cerWeighted += c * n;
  refChars += n;
  pages += item.pageCount;
  pdfBytes += item.pdfBytes ?? 0;
  rows.push([
    path.basename(batch),
    item.status,
    String(item.pageCount),
    `${((item.pdfBytes ?? 0) / 1024 / item.pageCount).toFixed(0)} KB`,
    `${(c * 100).toFixed(2)} %`,
    item.nomorInduk ?? '',
  ]);
}

const wallS = (t1 - t0) / 1000;
console.log(
  `\nPindai bench (store ${config.store.kind}) — ${ids.length} batches, ${pages} pages, ${os.availableParallelism()} cores, OCR workers ${config.ocrWorkers}`,
);
console.table(
  rows.map(([batch, status, p, kb, c, nomor]) => ({
    batch,
    status,
    pages: p,
    'PDF/page': kb,
    CER: c,
    nomor,
  })),
);
console.log(
  `end to end: ${wallS.toFixed(1)} s (intake ${((tAccepted - t0) / 1000).toFixed(1)} s) → ${(pages / (wallS / 60)).toFixed(2)} pages/min, ${(pages / (wallS / 3600)).toFixed(0)} pages/hour`,
);
console.log('stage seconds per page (summed over concurrent jobs):');
for (const s of app.register.runs.stageTotals()) {
  console.log(`  ${s.stage.padEnd(9)} ${(s.totalMs / 1000 / Math.max(1, pages)).toFixed(2)} s/page`);
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`PDF size: ${(pdfBytes / 1024 / Math.max(1, pages)).toFixed(1)} KB/page (mean)`);
console.log(
  `CER (pdftotext of the PDF vs ground truth): ${((cerWeighted / Math.max(1, refChars)) * 100).toFixed(2)} %`,
);
await app.close();
await s3?.close();
if (!process.env.PINDAI_BENCH_KEEP) fs.rmSync(data, { recursive: true, force: true });
else console.log(`data kept in ${data}`);
