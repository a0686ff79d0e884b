/**
 * `node --import tsx scripts/bench/register-speed.ts`: the embedded register's own cost per call,
 * through the `Register` port as callers use it (every call awaited): 10,000 items.get and 2,000
 * job claim + complete cycles on a fresh SQLite file, ROUNDS times; the median round is reported
 * (a shared machine is noisy). A micro-benchmark of the adapter, not of the pipeline; run it
 * before and after a change to the port to see what the change costs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNomorTemplate } from '../../core/nomor-induk.ts';
import { createRegister } from '../../core/register/register.ts';

const GETS = 10_000;
const CYCLES = 2_000;
const ROUNDS = 5;

async function round(): Promise<{ getMs: number; cycleMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-register-speed-'));
  const reg = createRegister(path.join(dir, 'register.sqlite'));
  try {
    const tpl = parseNomorTemplate('{seq:5}/AM/{year}');
    const ids: string[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const id = `bench-${i}`;
      await reg.items.insert({
        id,
        title: `Buku ${i}`,
        metadata: { collection: 'Umum' },
        flags: [],
        fingerprint: `fp-${i}`,
        sourcePath: `/in/batch-${i}`,
        sourceName: `batch-${i}`,
        intake: 'ingest',
        operator: null,
      });
      // receive queues the item's `register` job: one job per item to claim below.
      await reg.items.receive(
        id,
        { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
        { template: tpl, collectionCode: 'X', maxAttempts: 3 },
      );
      ids.push(id);
    }

    let t = performance.now();
    for (let i = 0; i < GETS; i++) await reg.items.get(ids[i % ids.length] as string);
    const getMs = performance.now() - t;

    t = performance.now();
    let cycles = 0;
    for (;;) {
      const job = await reg.jobs.claim('bench-worker', 60_000);
      if (!job) break;
      await reg.jobs.complete(
        job,
        'bench-worker',
        { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' },
        null,
      );
      cycles++;
    }
    const cycleMs = performance.now() - t;
    if (cycles !== CYCLES) throw new Error(`claimed ${cycles} jobs, expected ${CYCLES}`);

    return { getMs, cycleMs };
  } finally {
    await reg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rounds: { getMs: number; cycleMs: number }[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const getMs = median(rounds.map((r) => r.getMs));
const cycleMs = median(rounds.map((r) => r.cycleMs));
console.log(
  `items.get: ${GETS} in ${getMs.toFixed(0)} ms (${((getMs * 1000) / GETS).toFixed(1)} µs each)\n` +
    `claim+complete: ${CYCLES} in ${cycleMs.toFixed(0)} ms (${((cycleMs * 1000) / CYCLES).toFixed(1)} µs each)\n` +
    `(median of ${ROUNDS} rounds)`,
);
