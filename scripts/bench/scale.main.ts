/**
 * `npm run bench:scale`: what coordinating jobs through the register costs per job, with 1, 4, 16
 * and 64 concurrent workers, on PostgreSQL (a throwaway server this script starts, as the tests
 * do) and on the embedded SQLite register for comparison.
 *
 * The stage is a no-op: each job is one claim and one complete, so the figures are the queue's own
 * overhead, not OCR. A PostgreSQL worker is one pool with one connection (one machine's runner);
 * all of them run in this process, whose event loop only waits on the server. A SQLite worker is a
 * thread with its own connection to the register file (better-sqlite3 blocks, so several
 * connections are what several worker processes on one host are).
 *
 * PINDAI_BENCH_SCALE_JOBS (default 3000) jobs per run; PINDAI_BENCH_SCALE_WORKERS (default
 * 1,4,16,64) the worker counts.
 *
 * Then, end to end (scale-e2e.ts): PINDAI_BENCH_SCALE_BATCHES (default 2) corpus batches from
 * PINDAI_BENCH_CORPUS (default ../shared/corpus) through `pindai ingest` with real OCR, on the
 * embedded register and on PostgreSQL: pages per hour, and the difference. 0 skips it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { migratePg } from '../../core/register/pg/migrate.ts';
import { markItemFailed } from '../../core/register/pg/pg-items.ts';
import { createPgJobQueries } from '../../core/register/pg/pg-jobs.ts';
import { createPgPool } from '../../core/register/pg/pool.ts';
import { createRegister } from '../../core/register/register.ts';
import { findPostgres, startPostgres } from '../../test/support/postgres.ts';
import { percentile } from './measure.ts';
import { num } from './report.ts';
import { type E2eResult, runIngest, stageCorpus } from './scale-e2e.ts';

const JOBS = Number(process.env.PINDAI_BENCH_SCALE_JOBS ?? 3000);
const WORKERS = (process.env.PINDAI_BENCH_SCALE_WORKERS ?? '1,4,16,64').split(',').map(Number);
const LEASE_MS = 60_000;

interface Result {
  register: string;
  workers: number;
  jobs: number;
  seconds: number;
  /** ms per claim + complete round trip, one entry per job. */
  perJob: number[];
  /** SQLite: statements that found the write lock busy past busy_timeout and were retried. */
  busy?: number;
}

/** Node 20 does not pass `--import tsx` on to worker threads: the thread registers tsx itself. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./scale-sqlite.worker.ts', import.meta.url).href)}); })`;

const itemIds = Array.from({ length: JOBS }, (_, i) => `bench${String(i).padStart(6, '0')}`);

async function runPostgres(url: string, workers: number): Promise<Result> {
  const setup = createPgPool(url, { max: 2 });
  await migratePg(setup);
  await setup.query(
    `INSERT INTO items (id, title, fingerprint, source_path, source_name, intake, status, created_at, updated_at)
     SELECT id, 'Buku', 'fp', '/in', id, 'ingest', 'received', 't', 't' FROM unnest($1::text[]) AS id`,
    [itemIds],
  );
  const jobs = createPgJobQueries(setup, { markFailed: markItemFailed });
  await setup.query(
    `INSERT INTO jobs (item_id, stage, status, run_at, max_attempts, created_at, updated_at)
     SELECT id, 'clean', 'queued', 0, 5, 0, 0 FROM unnest($1::text[]) AS id`,
    [itemIds],
  );
  const machines: pg.Pool[] = Array.from({ length: workers }, () => createPgPool(url, { max: 1 }));
  // Open every connection before the clock starts.
  await Promise.all(machines.map((p) => p.query('SELECT 1')));
  const perJob: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    machines.map(async (pool, w) => {
      const q = createPgJobQueries(pool, { markFailed: markItemFailed });
      const owner = `machine${w}:1`;
      for (;;) {
        const start = performance.now();
        const job = await q.claim(owner, LEASE_MS);
        if (!job) return;
        // The stage: nothing. Then what the real runner does on success, as on SQLite below: the
        // job done and its run recorded, in one transaction.
        const attempt = { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' as const };
        if (!(await q.complete(job, owner, attempt))) throw new Error(`job ${job.id} lost its lease`);
        perJob.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if ((await jobs.pendingCount()) !== 0) throw new Error('jobs left over');
  await Promise.all([...machines, setup].map((p) => p.end()));
  return { register: 'PostgreSQL', workers, jobs: perJob.length, seconds, perJob };
}

async function runSqlite(dir: string, workers: number): Promise<Result> {
  const file = path.join(dir, `register-${workers}.sqlite`);
  const register = createRegister(file);
  for (const id of itemIds) {
    await register.items.insert({
      id,
      title: 'Buku',
      metadata: {},
      flags: [],
      fingerprint: 'fp',
      sourcePath: '/in',
      sourceName: id,
      intake: 'ingest',
      operator: null,
    });
    await register.jobs.enqueue(id, 'clean', 5, 0);
  }
  await register.close();
  const threads = Array.from(
    { length: workers },
    (_, w) =>
      new Worker(WORKER_BOOT, {
        eval: true,
        workerData: { file, owner: `${os.hostname()}:${process.pid}:t${w}`, leaseMs: LEASE_MS },
      }),
  );
  const results = threads.map(
    (t) =>
      new Promise<{ durations: number[]; busy: number }>((resolve, reject) => {
        t.on('error', reject);
        t.on('message', (m: unknown) => {
          if (typeof m === 'object' && m !== null) resolve(m as { durations: number[]; busy: number });
        });
      }),
  );
  await Promise.all(threads.map((t) => new Promise((r) => t.once('message', r))));
  const t0 = performance.now();
  for (const t of threads) t.postMessage('go');
  const done = await Promise.all(results);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(threads.map((t) => t.terminate()));
  const perJob = done.flatMap((d) => d.durations);
  const busy = done.reduce((n, d) => n + d.busy, 0);
  return { register: 'SQLite', workers, jobs: perJob.length, seconds, perJob, busy };
}

function printTable(results: Result[]): void {
  const head = ['register', 'workers', 'jobs', 'jobs/s', 'ms/job p50', 'ms/job p95', 'SQLITE_BUSY'];
  const rows = results.map((r) => [
    r.register,
    String(r.workers),
    String(r.jobs),
    num(r.jobs / r.seconds),
    num(percentile(r.perJob, 50), 2),
    num(percentile(r.perJob, 95), 2),
    r.busy === undefined ? '—' : String(r.busy),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const probe = findPostgres();
if (probe.binDir === null) {
  console.error(`bench:scale needs PostgreSQL: ${probe.reason}`);
  process.exit(1);
}
console.log(
  `Job coordination overhead, NO-OP STAGE (each job = one claim + one complete; no work is done).\n` +
    `${JOBS} jobs per run; ms/job is one worker's claim + complete round trip. ` +
    `${os.availableParallelism()} cores, ${os.hostname()}; a shared machine gives noisy figures.\n`,
);
const server = await startPostgres();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-bench-scale-'));
const results: Result[] = [];
const e2e: E2eResult[] = [];
const BATCHES = Number(process.env.PINDAI_BENCH_SCALE_BATCHES ?? 2);
const CORPUS = path.resolve(
  process.env.PINDAI_BENCH_CORPUS ?? path.join(import.meta.dirname, '../../../shared/corpus'),
);
try {
  for (const w of WORKERS) {
    results.push(await runPostgres(await server.createDatabase(`scale_${w}`), w));
    console.error(`PostgreSQL, ${w} workers: done`);
  }
  for (const w of WORKERS) {
    results.push(await runSqlite(dir, w));
    console.error(`SQLite, ${w} workers: done`);
  }
  if (BATCHES > 0 && fs.existsSync(CORPUS)) {
    const batches = path.join(dir, 'batches');
    stageCorpus(CORPUS, batches, BATCHES);
    // Same pages, same machine, one after the other; OCR pinned to what `npm start` uses.
    e2e.push(await runIngest('SQLite', batches, path.join(dir, 'e2e-sqlite'), {}));
    console.error('end to end, SQLite: done');
    const url = await server.createDatabase('scale_e2e');
    e2e.push(await runIngest('PostgreSQL', batches, path.join(dir, 'e2e-pg'), { PINDAI_REGISTER_URL: url }));
    console.error('end to end, PostgreSQL: done');
  }
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
printTable(results);
if (e2e.length === 2) {
  const [a, b] = e2e as [E2eResult, E2eResult];
  const perHour = (r: E2eResult) => (r.pages / r.seconds) * 3600;
  console.log(`\nEnd to end, real OCR (\`pindai ingest\`, ${a.pages} pages of ${BATCHES} corpus batches):`);
  console.log('| register   | pages | seconds | pages/hour |');
  console.log('|------------|-------|---------|------------|');
  for (const r of e2e) {
    console.log(
      `| ${r.register.padEnd(10)} | ${String(r.pages).padStart(5)} | ${num(r.seconds).padStart(7)} | ${num(perHour(r)).padStart(10)} |`,
    );
  }
  const diff = (perHour(b) / perHour(a) - 1) * 100;
  console.log(`PostgreSQL vs embedded: ${diff >= 0 ? '+' : ''}${num(diff, 1)}% (goal: within 10%)`);
}
