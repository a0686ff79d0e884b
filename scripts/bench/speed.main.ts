/**
 * `npm run bench:speed`: issue 12's speed target on its own, measured so that one noisy run does
 * not decide it. Pindai end to end (a fresh `pindai serve`, inbox drop, as in `npm run bench`) and
 * bare native tesseract (OCR only, one process per core) on the same corpus pages, back to back,
 * PINDAI_BENCH_SPEED_PAIRS times (default 3), the side that runs first alternating. Each pair gives a pages/hour ratio and a CPU ratio;
 * the verdict is on the median pair. On a shared machine bare tesseract's own figure moves by
 * ±10 % between runs minutes apart, which is why a single pair is not enough.
 *
 * Environment: PINDAI_BENCH_CORPUS (default ../shared/corpus), PINDAI_BENCH_SPEED_PAIRS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCorpus } from './corpus.ts';
import { childCpuSeconds, median, pagesPerHour } from './measure.ts';
import { runNativeTesseract } from './native-tesseract.run.ts';
import { runPindaiServe } from './pindai-serve.run.ts';
import { num } from './report.ts';

const TARGET = 0.85;
const corpusDir = path.resolve(process.env.PINDAI_BENCH_CORPUS ?? '../shared/corpus');
const batches = await loadCorpus(corpusDir);
const pages = batches.flatMap((b) => b.pages);
const pairs = Math.max(1, Number(process.env.PINDAI_BENCH_SPEED_PAIRS ?? 3) || 3);
console.log(
  `bench:speed — ${new Date().toISOString()} — ${pages.length} pages, ${pairs} pairs, ${os.availableParallelism()} cores, load ${os.loadavg()[0]?.toFixed(2)}`,
);

const rows: { pph: number; cpu: number }[] = [];
for (let i = 1; i <= pairs; i++) {
  // Alternate which side runs first, so a machine slowing down or speeding up favours neither.
  const runPindai = async () => {
    const cpu0 = childCpuSeconds();
    const run = await runPindaiServe(batches);
    const cpu = (childCpuSeconds() - cpu0) / Math.max(1, run.pages);
    fs.rmSync(run.dataDir, { recursive: true, force: true });
    const failed = run.items.filter((it) => it.status !== 'available');
    if (failed.length > 0) throw new Error(`Pindai did not finish: ${failed.map((f) => f.batch).join(', ')}`);
    return { run, cpu };
  };
  const runBare = async () => {
    const cpu0 = childCpuSeconds();
    const run = await runNativeTesseract(pages);
    return { run, cpu: (childCpuSeconds() - cpu0) / Math.max(1, run.pages) };
  };
  const bareFirst = i % 2 === 0;
  const b1 = bareFirst ? await runBare() : null;
  const { run: pindai, cpu: pindaiCpu } = await runPindai();
  const { run: bare, cpu: bareCpu } = b1 ?? (await runBare());
  const pindaiPph = pagesPerHour(pindai.pages, pindai.wallSeconds);
  const barePph = pagesPerHour(bare.pages, bare.wallSeconds);
  rows.push({ pph: pindaiPph / barePph, cpu: bareCpu / pindaiCpu });
  console.log(
    `pair ${i}${bareFirst ? ' (bare first)' : ''}: Pindai ${num(pindaiPph)} pages/hour (${num(pindaiCpu, 2)} CPU s/page), bare ${num(barePph)} ` +
      `(${num(bareCpu, 2)}) → ${num(pindaiPph / barePph, 2)}× pages/hour, ${num(bareCpu / pindaiCpu, 2)}× CPU`,
  );
}
const pph = median(rows.map((r) => r.pph));
const cpu = median(rows.map((r) => r.cpu));
const mean = rows.reduce((sum, r) => sum + r.pph, 0) / rows.length;
const below = rows.filter((r) => r.pph < TARGET).length;
console.log(
  `median of ${pairs}: ${num(pph, 2)}× pages/hour, ${num(cpu, 2)}× CPU (target ≥ ${TARGET}× pages/hour, orientation detection on): ` +
    `${pph >= TARGET ? 'PASS' : 'FAIL'}`,
);
// How close the verdict was: on a shared machine single pairs scatter by ±10 %.
console.log(
  `  mean ${num(mean, 2)}×, range ${num(Math.min(...rows.map((r) => r.pph)), 2)}–${num(Math.max(...rows.map((r) => r.pph)), 2)}×, ` +
    `${below} of ${pairs} pairs below ${TARGET}×`,
);
