/**
 * One SQLite "worker process" of `npm run bench:scale`, as a thread with its own connection to the
 * register file (better-sqlite3 is synchronous: concurrency on SQLite means several connections).
 * Waits for "go", then claims and completes jobs with a no-op stage until none is left, and posts
 * the ms each claim + complete round trip took.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRegister } from '../../core/register/register.ts';

const { file, owner, leaseMs } = workerData as { file: string; owner: string; leaseMs: number };
const register = createRegister(file);
const port = parentPort;
if (!port) throw new Error('scale-sqlite.worker.ts runs as a worker thread');

/**
 * SQLITE_BUSY: the write lock was not free within the register's busy_timeout (10 s). Counted
 * and retried, so the table shows when a SQLite register stops coping rather than dying.
 */
async function retryBusy<T>(fn: () => T | Promise<T>, busy: { n: number }): Promise<T> {
  for (;;) {
    try {
      // Awaited: works whether the register's queries are synchronous (today) or async (the port).
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      busy.n++;
    }
  }
}

port.once('message', async () => {
  const durations: number[] = [];
  const busy = { n: 0 };
  for (;;) {
    const t0 = performance.now();
    const job = await retryBusy(() => register.jobs.claim(owner, leaseMs), busy);
    if (!job) break;
    // The stage: nothing. Only the register's coordination is measured.
    // What the real runner does on success: the job done and its run recorded, in one transaction.
    const attempt = { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' as const };
    await retryBusy(() => register.jobs.complete(job, owner, attempt), busy);
    durations.push(performance.now() - t0);
  }
  await register.close();
  port.postMessage({ durations, busy: busy.n });
});
port.postMessage('ready');
