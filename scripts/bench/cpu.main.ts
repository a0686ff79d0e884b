/**
 * `npm run bench:cpu`: what a page costs in CPU seconds, Pindai end to end (`pindai ingest`: intake,
 * clean with orientation detection, OCR, PDF, publish; the process and its OCR processes) next to
 * bare native tesseract (OCR only, one process per page, OMP_THREAD_LIMIT=1) on the same pages, and
 * the ratio. CPU time, unlike wall time, hardly moves when other work shares the machine, so this
 * is the quick check of the speed target (`npm run bench` measures pages/hour as well). Also prints
 * the CER of Pindai's OCR text and of bare tesseract per page, so a speed change that reads a
 * page worse shows up here. Pindai's CPU is split into its own process (with the fixed start-up
 * cost of a run, measured on an empty folder first) and its OCR processes.
 *
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus), PINDAI_BENCH_CPU_PAGES (pages taken
 * round-robin over the batches, default 6; `all`), PINDAI_BENCH_CPU_PROF=<dir> (write V8 CPU
 * profiles of the Pindai process there), PINDAI_BENCH_CPU_SKIP_NATIVE=1, PINDAI_BENCH_KEEP=1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { createRegister } from '../../core/register/register.ts';
import { keys } from '../../core/store/keys.ts';
import { cer } from '../../test/support/cer.ts';
import { openObjectStore } from '../open-backends.ts';
import { type BenchPage, loadCorpus, peerSubset } from './corpus.ts';
import { CerTally, childCpuSeconds, mapLimit, nativeOcrText, procCpuSeconds } from './measure.ts';
import { num, pct } from './report.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/pindai.js');
const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const batches = await loadCorpus(corpusDir);
const all = batches.flatMap((b) => b.pages);
const want = process.env.PINDAI_BENCH_CPU_PAGES ?? '6';
const pages = peerSubset(batches, want === 'all' ? all.length : Math.max(1, Number(want) || 6));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-cpu-'));

// The chosen pages as batches of their own (metadata's page count adjusted, so nothing is flagged).
const inbox = path.join(work, 'inbox');
for (const b of batches) {
  const chosen = pages.filter((p) => p.batch === b.name);
  if (chosen.length === 0) continue;
  const dir = path.join(inbox, b.name);
  fs.mkdirSync(dir, { recursive: true });
  const metaFile = path.join(b.dir, 'metadata.json');
  if (fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    if ('pages' in meta) meta.pages = chosen.length;
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(meta));
  }
  for (const p of chosen) fs.copyFileSync(p.file, path.join(dir, path.basename(p.file)));
}

console.log(
  `bench:cpu — ${new Date().toISOString()} — ${pages.length} pages of ${corpusDir}, load ${os.loadavg()[0]?.toFixed(2)}`,
);

// --- Pindai ------------------------------------------------------------------------------------
const dataDir = path.join(work, 'data');
const prof = process.env.PINDAI_BENCH_CPU_PROF;
const profArgs = prof ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(prof)] : [];
/**
 * Runs `pindai ingest`; resolves with the CPU seconds of the Pindai process itself (sampled from
 * /proc every 50 ms, so the last ≤ 50 ms are missed), the rest of its tree's CPU being its OCR processes.
 */
function ingest(inboxDir: string, data: string, withProf: boolean): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(withProf ? profArgs : []), BIN, 'ingest', inboxDir, '--json', '--data', data],
      { env: { ...process.env, PINDAI_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    let self = 0;
    const sample = setInterval(() => {
      const s = procCpuSeconds(child.pid);
      if (s !== null) self = s;
    }, 50);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sample);
      if (code === 0) resolve(self);
      else reject(new Error(`ingest exited ${code}`));
    });
  });
}

// The fixed cost of a run (start-up: loading and compiling the modules, opening the register):
// `pindai ingest` of an empty folder.
const emptyInbox = path.join(work, 'empty');
fs.mkdirSync(emptyInbox);
let cpu0 = childCpuSeconds();
await ingest(emptyInbox, path.join(work, 'empty-data'), false);
const startupCpu = childCpuSeconds() - cpu0;

cpu0 = childCpuSeconds();
let t0 = performance.now();
const selfCpu = await ingest(inbox, dataDir, true);
const pindaiTotal = childCpuSeconds() - cpu0;
const pindaiCpu = pindaiTotal / pages.length;
const pindaiWall = (performance.now() - t0) / 1000;

const config = loadConfig({ ...process.env, PINDAI_DATA_DIR: dataDir });
const register = createRegister(config.registerPath);
const store = await openObjectStore(config);
const pindaiText = new Map<BenchPage, string>();
for (const item of await register.items.list({ limit: 10_000 })) {
  const batch = item.sourceName ?? item.title;
  const ofBatch = pages.filter((p) => p.batch === batch);
  for (let n = 1; n <= item.pageCount; n++) {
    const page = ofBatch[n - 1];
    if (page) pindaiText.set(page, (await store.getBuffer(keys.ocrText(item.id, n))).toString('utf8'));
  }
}
const stages = await register.runs.stageTotals();
await register.close();

// --- Bare native tesseract -----------------------------------------------------------------------
const skipNative = process.env.PINDAI_BENCH_CPU_SKIP_NATIVE === '1';
cpu0 = childCpuSeconds();
t0 = performance.now();
const nativeTexts = skipNative
  ? []
  : await mapLimit(pages, os.availableParallelism(), (p) => nativeOcrText(p.file));
const nativeCpu = skipNative ? Number.NaN : (childCpuSeconds() - cpu0) / pages.length;
const nativeWall = (performance.now() - t0) / 1000;

const pTally = new CerTally();
const nTally = new CerTally();
console.table(
  pages.map((p, i) => {
    const ours = pindaiText.get(p) ?? '';
    pTally.add(p.gt, ours);
    if (!skipNative) nTally.add(p.gt, nativeTexts[i] ?? '');
    return {
      page: `${p.batch}/${path.basename(p.file)}`,
      'Pindai OCR CER': pct(cer(p.gt, ours)),
      'bare CER': skipNative ? '' : pct(cer(p.gt, nativeTexts[i] ?? '')),
    };
  }),
);
console.log('stage wall seconds per page (summed over concurrent jobs):');
for (const s of stages) console.log(`  ${s.stage.padEnd(9)} ${num(s.totalMs / 1000 / pages.length, 2)}`);
console.log(
  `Pindai: ${num(pindaiCpu, 2)} CPU s/page (wall ${num(pindaiWall, 1)} s), OCR text CER ${pct(pTally.value)}`,
);
console.log(
  `  of which the Pindai process ${num(selfCpu / pages.length, 2)} (start-up ${num(startupCpu, 2)} CPU s per run, ` +
    `${num(startupCpu / pages.length, 2)} per page here), its OCR processes ${num((pindaiTotal - selfCpu) / pages.length, 2)}`,
);
if (!skipNative) {
  console.log(
    `bare tesseract: ${num(nativeCpu, 2)} CPU s/page (wall ${num(nativeWall, 1)} s), CER ${pct(nTally.value)}`,
  );
  console.log(
    `ratio (bare CPU / Pindai CPU): ${num(nativeCpu / pindaiCpu, 2)}× (target ≥ 0.85×: ≤ ${num(nativeCpu / 0.85, 2)} CPU s/page)`,
  );
}
if (process.env.PINDAI_BENCH_KEEP) console.log(`kept ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
