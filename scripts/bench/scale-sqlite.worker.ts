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

port.once('message', async () => {
  const durations: number[] = [];
  for (;;) {
    const t0 = performance.now();
    // `await` works whether the register's queries are synchronous (today) or async (the port).
    const job = await register.jobs.claim(owner, leaseMs);
    if (!job) break;
    // The stage: nothing. Only the register's coordination is measured.
    await register.jobs.complete(job.id, owner);
    durations.push(performance.now() - t0);
  }
  register.close();
  port.postMessage(durations);
});
port.postMessage('ready');
