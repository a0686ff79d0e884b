import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres, startPostgres, type TestPostgres } from '../../../test/support/postgres.ts';
import { parseNomorTemplate } from '../../nomor-induk.ts';
import { migratePg } from './migrate.ts';
import { createPgJobQueries } from './pg-jobs.ts';
import { allocateNomorIndukPg } from './pg-nomor-induk.ts';
import { createPgPool } from './pool.ts';

describePostgres('PostgreSQL job claiming and nomor induk across machines', () => {
  let server: TestPostgres;
  const pools: pg.Pool[] = [];
  let n = 0;
  /** A migrated empty register, and `count` pools on it: each pool stands for one machine. */
  const freshRegister = async (count = 1, max = 4) => {
    const url = await server.createDatabase(`jobs_${++n}`);
    const made = Array.from({ length: count }, () => createPgPool(url, { max }));
    pools.push(...made);
    await migratePg(made[0]!);
    return made;
  };
  const addItems = async (pool: pg.Pool, count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `item${String(i).padStart(4, '0')}`);
    await pool.query(
      `INSERT INTO items (id, title, fingerprint, source_path, source_name, intake, status, created_at, updated_at)
       SELECT id, 'Buku', 'fp', '/in', id, 'ingest', 'received', 't', 't' FROM unnest($1::text[]) AS id`,
      [ids],
    );
    return ids;
  };

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
  });

  it('claimers on several machines never take the same job twice, and together take every job', async () => {
    const machines = await freshRegister(4, 4);
    const ids = await addItems(machines[0]!, 300);
    const jobs0 = createPgJobQueries(machines[0]!);
    for (const id of ids) await jobs0.enqueue(id, 'clean', 3);
    const claimed: number[] = [];
    // 4 machines × 4 workers, each claiming 1–3 jobs at a time until the queue is empty.
    const worker = async (pool: pg.Pool, w: number) => {
      const jobs = createPgJobQueries(pool);
      const owner = `host${pools.indexOf(pool)}:w${w}`;
      for (;;) {
        const got = await jobs.claim(owner, 60_000, 1 + (w % 3));
        if (got.length === 0) return;
        for (const j of got) {
          claimed.push(j.id);
          expect(await jobs.complete(j.id, owner)).toBe(true);
        }
      }
    };
    await Promise.all(machines.flatMap((pool) => [0, 1, 2, 3].map((w) => worker(pool, w))));
    expect(claimed).toHaveLength(300);
    expect(new Set(claimed).size).toBe(300);
    const { rows } = await machines[0]!.query(
      `SELECT status, attempts, COUNT(*) AS n FROM jobs GROUP BY status, attempts`,
    );
    expect(rows).toEqual([{ status: 'done', attempts: 1, n: 300 }]);
  });

  it('takes over a lease that expired (a dead machine), and the old owner can no longer finish it', async () => {
    const [a, b] = await freshRegister(2);
    const [id] = await addItems(a!, 1);
    const onA = createPgJobQueries(a!);
    const onB = createPgJobQueries(b!);
    await onA.enqueue(id!, 'ocr', 3);
    const [job] = await onA.claim('dead-host:1', 150);
    expect(job).toMatchObject({ status: 'running', attempts: 1, leaseOwner: 'dead-host:1' });
    expect(await onB.claim('live-host:1', 60_000)).toEqual([]);
    await waitPastLease(a!, job!.id);
    const [again] = await onB.claim('live-host:1', 60_000);
    expect(again).toMatchObject({ id: job!.id, attempts: 2, leaseOwner: 'live-host:1' });
    expect(await onA.extendLease(job!.id, 'dead-host:1', 60_000)).toBe(false);
    expect(await onA.complete(job!.id, 'dead-host:1')).toBe(false);
    expect(await onB.complete(job!.id, 'live-host:1')).toBe(true);
  });

  it('releaseExpired queues expired leases again as a crash, giving the attempt back', async () => {
    const [pool] = await freshRegister();
    const [x, y] = await addItems(pool!, 2);
    const jobs = createPgJobQueries(pool!);
    await jobs.enqueue(x!, 'ocr', 3);
    await jobs.enqueue(y!, 'ocr', 3);
    const [short] = await jobs.claim('dead-host:1', 150);
    const [long] = await jobs.claim('live-host:1', 60_000);
    await waitPastLease(pool!, short!.id);
    expect(await jobs.releaseExpired()).toEqual([short!.id]);
    const [released] = await jobs.forItem(short!.itemId);
    expect(released).toMatchObject({ status: 'queued', attempts: 0, crashes: 1, leaseOwner: null });
    expect((await jobs.forItem(long!.itemId))[0]).toMatchObject({
      status: 'running',
      leaseOwner: 'live-host:1',
    });
  });

  it('keeps the SQLite queue semantics: idempotent enqueue, backoff, defer, fail, pending counts', async () => {
    const [pool] = await freshRegister();
    const [x, y] = await addItems(pool!, 2);
    const jobs = createPgJobQueries(pool!);
    await jobs.enqueue(x!, 'clean', 2);
    await jobs.enqueue(x!, 'clean', 2);
    expect(await jobs.forItem(x!)).toHaveLength(1);
    expect(await jobs.pendingCount([x!])).toBe(1);
    expect(await jobs.pendingCount([])).toBe(0);

    // Retry later: not claimable before its run_at.
    const [first] = await jobs.claim('w', 60_000);
    const later = Date.now() + 3_600_000;
    expect(await jobs.retryLater(first!.id, 'w', later, 'ocr_timeout', 'slow')).toBe(true);
    expect(await jobs.claim('w', 60_000)).toEqual([]);
    expect(await jobs.nextRunAt()).toBe(later);

    // Deferred (a dependency down): queued again without spending the attempt.
    await jobs.enqueue(y!, 'clean', 2);
    const [second] = await jobs.claim('w', 60_000);
    expect(second).toMatchObject({ itemId: y, attempts: 1 });
    expect(await jobs.deferLater(second!.id, 'v', Date.now(), 'x', 'not ours')).toBe(false);
    expect(await jobs.deferLater(second!.id, 'w', Date.now() - 1, 'dependency_unavailable', 'S3 down')).toBe(
      true,
    );
    const [third] = await jobs.claim('w', 60_000);
    expect(third).toMatchObject({ id: second!.id, attempts: 1, lastErrorCode: 'dependency_unavailable' });

    // Failed for good, only by its lease holder; requeue starts it over.
    expect(await jobs.fail(third!.id, 'v', 'x', 'not ours')).toBe(false);
    expect(await jobs.fail(third!.id, 'w', 'page_unreadable', 'bad page')).toBe(true);
    expect((await jobs.forItem(y!))[0]).toMatchObject({ status: 'failed', lastError: 'bad page' });
    expect(await jobs.pendingCount()).toBe(1);
    await jobs.requeue(y!, 'clean');
    expect((await jobs.forItem(y!))[0]).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await jobs.pendingCount()).toBe(2);
  });

  it('gives nomor induk from several machines at once: unique, consecutive, once per item', async () => {
    const machines = await freshRegister(4, 4);
    const ids = await addItems(machines[0]!, 60);
    const tpl = parseNomorTemplate('{seq:5}/AM/{year}');
    const at = new Date('2026-05-01T00:00:00Z');
    // Every item asked for twice, by two different machines, all at once.
    const got = await Promise.all(
      ids.flatMap((id, i) => [
        allocateNomorIndukPg(machines[i % 4]!, id, tpl, '', at),
        allocateNomorIndukPg(machines[(i + 1) % 4]!, id, tpl, '', at),
      ]),
    );
    for (let i = 0; i < ids.length; i++) expect(got[2 * i]).toBe(got[2 * i + 1]);
    const numbers = got.filter((_, i) => i % 2 === 0).sort();
    expect(numbers).toEqual(ids.map((_, i) => `${String(i + 1).padStart(5, '0')}/AM/2026`));
    const { rows } = await machines[0]!.query(`SELECT series, last_seq FROM counters`);
    expect(rows).toEqual([{ series: tpl.series(at, ''), last_seq: 60 }]);
  });
});

/** Wait until the server's clock has passed the job's lease (the lease is the server's time). */
async function waitPastLease(pool: pg.Pool, jobId: number): Promise<void> {
  for (;;) {
    const { rows } = await pool.query(
      `SELECT lease_expires_at < (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS past
       FROM jobs WHERE id = $1`,
      [jobId],
    );
    if (rows[0]?.past) return;
    await sleep(50);
  }
}
