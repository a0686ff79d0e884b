import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { usePgRegisters } from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import type { Stage } from '../../item.types.ts';
import type { Attempt, Job } from '../jobs.queries.ts';
import { createPgItemQueries, markItemFailed } from './pg-items.ts';
import { createPgJobQueries } from './pg-jobs.ts';
import { createPgRunQueries } from './pg-runs.ts';
import type { Queryable } from './pool.ts';

const done = (outcome: 'done' | 'skipped' = 'done'): Attempt & { outcome: 'done' | 'skipped' } => ({
  startedAt: new Date().toISOString(),
  durationMs: 5,
  outcome,
  detail: 'ok',
});
const failed = (code = 'boom', message = 'it broke') => ({
  startedAt: new Date().toISOString(),
  durationMs: 5,
  error: { code, message },
});
const must = <T>(v: T | null | undefined): T => {
  expect(v).toBeDefined();
  expect(v).not.toBeNull();
  return v as T;
};
const NEXT = { register: 'clean', clean: 'ocr', ocr: 'pdf', pdf: 'publish', publish: null } as const;

/** The groups of one machine (pool); `markFailed` may be replaced to see `fail` roll back. */
const machine = (pool: pg.Pool, markFailed = markItemFailed) => ({
  items: createPgItemQueries(pool),
  jobs: createPgJobQueries(pool, { markFailed }),
  runs: createPgRunQueries(pool),
});

describePostgres('PostgreSQL job queue and stage runs', () => {
  const pg = usePgRegisters('jobs');
  const addItems = async (pool: pg.Pool, count: number) => {
    const items = createPgItemQueries(pool);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `item${String(i).padStart(4, '0')}`;
      await items.insert({
        id,
        title: 'Buku',
        metadata: {},
        flags: [],
        fingerprint: `fp${i}`,
        sourcePath: `/in/${i}`,
        sourceName: id,
        intake: 'ingest',
        operator: null,
      });
      ids.push(id);
    }
    return ids;
  };
  const jobOf = async (m: ReturnType<typeof machine>, itemId: string, stage: Stage) =>
    (await m.jobs.forItem(itemId)).find((j) => j.stage === stage);

  it('queues a stage once and claims due jobs oldest first, one at a time', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const [a, b] = (await addItems(pool, 2)) as [string, string];
    await m.jobs.enqueue(a, 'register', 3, Date.now() - 1000);
    await m.jobs.enqueue(a, 'register', 3);
    await m.jobs.enqueue(b, 'register', 3, Date.now() - 2000);
    await m.jobs.enqueue(b, 'clean', 3, Date.now() + 3600_000);
    expect(await m.jobs.pendingCount()).toBe(3);
    expect(await m.jobs.pendingCount([a])).toBe(1);
    expect(await m.jobs.pendingCount([])).toBe(0);
    expect(await m.jobs.has(a, 'register')).toBe(true);
    expect(await m.jobs.has(a, 'clean')).toBe(false);
    const first = await m.jobs.claim('w1', 60_000);
    expect(first).toMatchObject({
      itemId: b,
      stage: 'register',
      status: 'running',
      attempts: 1,
      leaseOwner: 'w1',
    });
    expect(must(first).leaseExpiresAt).toBeGreaterThan(Date.now() + 30_000);
    expect((await m.jobs.claim('w2', 60_000))?.itemId).toBe(a);
    expect(await m.jobs.claim('w3', 60_000)).toBeNull();
    expect(await m.jobs.nextRunAt()).toBeGreaterThan(Date.now() + 3000_000);
  });

  it('machines claiming at once never take one job twice, and take every job', async () => {
    const machines = await pg.fresh(4, 4);
    const ids = await addItems(machines[0] as pg.Pool, 200);
    const first = machine(machines[0] as pg.Pool);
    for (const id of ids) await first.jobs.enqueue(id, 'register', 3);
    const claimed: number[] = [];
    // 4 machines × 4 workers, each claiming and completing until the queue is empty.
    const worker = async (pool: pg.Pool, owner: string) => {
      const { jobs } = machine(pool);
      for (let j = await jobs.claim(owner, 60_000); j; j = await jobs.claim(owner, 60_000)) {
        claimed.push(j.id);
        expect(await jobs.complete(j, owner, done(), null)).toBe(true);
      }
    };
    await Promise.all(machines.flatMap((pool, h) => [0, 1, 2, 3].map((w) => worker(pool, `host${h}:w${w}`))));
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed).size).toBe(200);
    const { rows } = await first.jobs
      .forItem(ids[0] as string)
      .then(async () =>
        (machines[0] as pg.Pool).query(
          `SELECT status, attempts, COUNT(*) AS n FROM jobs GROUP BY status, attempts`,
        ),
      );
    expect(rows).toEqual([{ status: 'done', attempts: 1, n: 200 }]);
    const runs = await (machines[0] as pg.Pool).query(
      `SELECT COUNT(*) AS n FROM stage_runs WHERE outcome = 'done'`,
    );
    expect(runs.rows).toEqual([{ n: 200 }]);
  });

  it('completes a job: done, its run recorded and the next stage queued, only while the lease is ours', async () => {
    const [a, b] = (await pg.fresh(2)) as [pg.Pool, pg.Pool];
    const onA = machine(a);
    const onB = machine(b);
    const [id] = (await addItems(a, 1)) as [string];
    await onA.jobs.enqueue(id, 'register', 3);
    // (a lease long enough that a busy machine still makes the next claim inside it)
    const j = must(await onA.jobs.claim('dead-host:1', 2_000));
    expect(await onB.jobs.claim('live-host:1', 60_000)).toBeNull();
    await waitPastLease(a, j.id);
    const j2 = must(await onB.jobs.claim('live-host:1', 10_000));
    expect(j2).toMatchObject({ id: j.id, attempts: 2 });
    expect(await onA.jobs.extendLease(j.id, 'dead-host:1', 10_000)).toBe(false);
    expect(await onB.jobs.extendLease(j.id, 'live-host:1', 60_000)).toBe(true);
    expect(must(await jobOf(onA, id, 'register')).leaseExpiresAt).toBeGreaterThan(Date.now() + 30_000);
    // The first machine's late result: recorded as lost, nothing queued after it.
    expect(await onA.jobs.complete(j, 'dead-host:1', done(), 'clean')).toBe(false);
    expect(await jobOf(onA, id, 'clean')).toBeUndefined();
    expect(await onB.jobs.complete(j2, 'live-host:1', done('skipped'), 'clean')).toBe(true);
    expect((await onA.jobs.forItem(id)).map((x) => [x.stage, x.status, x.leaseOwner, x.maxAttempts])).toEqual(
      [
        ['register', 'done', null, 3],
        ['clean', 'queued', null, 3],
      ],
    );
    expect((await onA.runs.runsFor(id)).map((r) => [r.worker, r.outcome, r.attempt, r.detail])).toEqual([
      ['dead-host:1', 'lost', 1, 'ok'],
      ['live-host:1', 'skipped', 2, 'ok'],
    ]);
  });

  it('retries later spending an attempt, defers without spending one, and records each run', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const [id] = (await addItems(pool, 1)) as [string];
    await m.jobs.enqueue(id, 'ocr', 3);
    const j = must(await m.jobs.claim('w1', 60_000));
    const later = Date.now() + 3600_000;
    await m.jobs.retryLater(j, 'w1', later, failed('ocr_timeout', 'too slow'));
    expect(await jobOf(m, id, 'ocr')).toMatchObject({
      status: 'queued',
      runAt: later,
      attempts: 1,
      leaseOwner: null,
      leaseExpiresAt: null,
      lastErrorCode: 'ocr_timeout',
      lastError: 'too slow',
    });
    expect(await m.jobs.claim('w1', 60_000)).toBeNull();
    expect(await m.jobs.nextRunAt()).toBe(later);
    await m.jobs.requeue(id, 'ocr', Date.now() - 1);
    const j2 = must(await m.jobs.claim('w1', 60_000));
    expect(j2.attempts).toBe(1);
    expect(await m.jobs.deferLater(j2, 'someone-else', Date.now(), failed('released', 'x'))).toBe(false);
    expect(await m.jobs.deferLater(j2, 'w1', Date.now() - 1, failed('dependency_unavailable', 'down'))).toBe(
      true,
    );
    expect(await jobOf(m, id, 'ocr')).toMatchObject({ status: 'queued', attempts: 0 });
    const j3 = must(await m.jobs.claim('w1', 60_000));
    expect(j3).toMatchObject({ attempts: 1, lastErrorCode: 'dependency_unavailable' });
    // A deferral of a job no longer running is not ours either.
    await m.jobs.lost(j3, 'w1', failed('lease_lost', 'taken'));
    expect(
      (await m.runs.runsFor(id)).map((r) => [r.outcome, r.errorCode, r.errorMessage, r.attempt]),
    ).toEqual([
      ['retry', 'ocr_timeout', 'too slow', 1],
      ['retry', 'dependency_unavailable', 'down', 1],
      ['lost', 'lease_lost', 'taken', 1],
    ]);
    expect(await m.jobs.nextRunAt()).toBeNull();
  });

  it('fails a job for good: the job, the item, an event and the run, in one transaction', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const [id, other] = (await addItems(pool, 2)) as [string, string];
    await m.jobs.enqueue(id, 'clean', 1);
    const j = must(await m.jobs.claim('w1', 60_000));
    await m.jobs.fail(j, 'w1', 'Halaman rusak', failed('image_corrupt', 'bad jpeg'));
    expect(await jobOf(m, id, 'clean')).toMatchObject({
      status: 'failed',
      leaseOwner: null,
      lastErrorCode: 'image_corrupt',
      lastError: 'Halaman rusak',
    });
    expect(await m.items.get(id)).toMatchObject({
      status: 'failed',
      stage: 'clean',
      errorCode: 'image_corrupt',
      errorMessage: 'Halaman rusak',
    });
    expect((await m.runs.eventsFor(id)).map((e) => [e.level, e.code, e.params])).toEqual([
      ['error', 'stage_failed', { stage: 'clean', code: 'image_corrupt' }],
    ]);
    expect((await m.runs.runsFor(id)).map((r) => [r.outcome, r.errorMessage])).toEqual([
      ['failed', 'bad jpeg'],
    ]);
    expect(await m.jobs.pendingCount([id])).toBe(0);
    expect(await m.jobs.lastFailedStage(id)).toBe('clean');
    expect(await m.jobs.lastFailedStage(other)).toBeNull();
    await m.jobs.requeue(id, 'clean', Date.now() + 3600_000); // a staff retry, for later
    expect(await jobOf(m, id, 'clean')).toMatchObject({ status: 'queued', attempts: 0, crashes: 0 });

    // When parking the item fails, nothing of the failure is kept: the job is still leased.
    const broken = machine(pool, async () => {
      throw new Error('items unreachable');
    });
    await broken.jobs.enqueue(other, 'clean', 1);
    const k = must(await broken.jobs.claim('w2', 60_000));
    expect(k.itemId).toBe(other);
    await expect(broken.jobs.fail(k, 'w2', 'x', failed('x'))).rejects.toThrow('items unreachable');
    expect(await jobOf(m, other, 'clean')).toMatchObject({ status: 'running', leaseOwner: 'w2' });
    expect(await m.runs.runsFor(other)).toEqual([]);
    expect(await m.runs.eventsFor(other)).toEqual([]);
  });

  it('runs an item through every stage, then re-runs from one: remove, has, recordDone', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const [id, restored] = (await addItems(pool, 2)) as [string, string];
    await m.jobs.enqueue(id, 'register', 3);
    for (let j = await m.jobs.claim('w', 60_000); j; j = await m.jobs.claim('w', 60_000))
      await m.jobs.complete(j, 'w', done(), NEXT[j.stage]);
    expect((await m.jobs.forItem(id)).map((j) => [j.stage, j.status])).toEqual(
      ['register', 'clean', 'ocr', 'pdf', 'publish'].map((s) => [s, 'done']),
    );
    await m.jobs.remove(id, ['pdf', 'publish']);
    await m.jobs.remove(id, []);
    expect((await m.jobs.forItem(id)).map((j) => j.stage)).toEqual(['register', 'clean', 'ocr']);
    expect(await m.jobs.has(id, 'pdf')).toBe(false);
    await m.jobs.recordDone(restored, ['register', 'clean', 'ocr'], 1_700_000_000_000, 5);
    expect((await m.jobs.forItem(restored)).map((j) => [j.stage, j.status, j.runAt, j.maxAttempts])).toEqual(
      ['register', 'clean', 'ocr'].map((s) => [s, 'done', 1_700_000_000_000, 5]),
    );
  });

  it('releases the leases of dead workers at once, counting a crash instead of an attempt', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const [id, live] = (await addItems(pool, 2)) as [string, string];
    await m.jobs.enqueue(id, 'clean', 3);
    await m.jobs.enqueue(live, 'clean', 3, Date.now() + 1);
    const j = must(await m.jobs.claim('dead', 600_000));
    await sleep(5);
    must(await m.jobs.claim('alive', 600_000));
    expect(await m.jobs.releaseDeadLeases((o) => o !== 'dead')).toBe(1);
    expect(await jobOf(m, live, 'clean')).toMatchObject({ status: 'running', leaseOwner: 'alive' });
    const again = must(await m.jobs.claim('w2', 60_000));
    expect(again).toMatchObject({ id: j.id, attempts: 1, crashes: 1 });
    await m.jobs.resetCrashes(again.id, 'someone-else');
    expect((await jobOf(m, id, 'clean'))?.crashes).toBe(1);
    await m.jobs.resetCrashes(again.id, 'w2');
    expect((await jobOf(m, id, 'clean'))?.crashes).toBe(0);
    expect(await m.jobs.releaseDeadLeases(() => true)).toBe(0);
  });

  it('answers a refusal with a rejection, never a throw at the call (callers only await)', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const m = machine(pool);
    const calls: (() => Promise<unknown>)[] = [
      () => m.jobs.lost(undefined as never, 'w', failed()),
      () => m.jobs.complete(undefined as never, 'w', done()),
      () => m.jobs.fail(undefined as never, 'w', 'x', failed()),
      () => m.items.insert(undefined as never),
      () => m.runs.recordRun(undefined as never),
    ];
    for (const call of calls) {
      let pending: Promise<unknown> | null = null;
      expect(() => {
        pending = call();
      }).not.toThrow();
      await expect(pending).rejects.toThrow();
    }
  });

  it('records stage runs and events per item, and totals finished runs per stage', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const { runs } = machine(pool);
    const [id] = (await addItems(pool, 1)) as [string];
    const run = {
      itemId: id,
      stage: 'ocr' as const,
      attempt: 1,
      worker: 'w',
      startedAt: new Date().toISOString(),
      durationMs: 100,
      outcome: 'done' as const,
      detail: '2 pages',
      errorCode: null,
      errorMessage: null,
    };
    await runs.recordRun(run);
    await runs.recordRun({ ...run, attempt: 2, durationMs: 50, outcome: 'skipped' });
    await runs.recordRun({
      ...run,
      attempt: 3,
      durationMs: 999,
      outcome: 'failed',
      errorCode: 'x',
      errorMessage: 'y',
    });
    await runs.recordRun({ ...run, stage: 'clean', durationMs: 3_000_000_000 });
    expect(await runs.runsFor(id)).toEqual([
      run,
      { ...run, attempt: 2, durationMs: 50, outcome: 'skipped' },
      { ...run, attempt: 3, durationMs: 999, outcome: 'failed', errorCode: 'x', errorMessage: 'y' },
      { ...run, stage: 'clean', durationMs: 3_000_000_000 },
    ]);
    expect(await runs.stageTotals()).toEqual([
      { stage: 'clean', runs: 1, totalMs: 3_000_000_000 },
      { stage: 'ocr', runs: 2, totalMs: 150 },
    ]);
    await runs.event({ itemId: id, level: 'warn', code: 'page_blank', params: { page: 2, side: 'kiri' } });
    await runs.event({ itemId: null, level: 'info', code: 'started' });
    await runs.event({ itemId: id, level: 'info', code: 'noted' });
    const events = await runs.eventsFor(id);
    expect(events.map((e) => [e.itemId, e.level, e.code, e.params])).toEqual([
      [id, 'warn', 'page_blank', { page: 2, side: 'kiri' }],
      [id, 'info', 'noted', {}],
    ]);
    expect(Date.parse(must(events[0]).at)).not.toBeNaN();
  });
});

/** Wait until the server's clock has passed the job's lease (the lease is the server's time). */
async function waitPastLease(db: Queryable, jobId: Job['id']): Promise<void> {
  for (;;) {
    const { rows } = await db.query(
      `SELECT lease_expires_at < (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS past
       FROM jobs WHERE id = $1`,
      [jobId],
    );
    if (rows[0]?.past) return;
    await sleep(50);
  }
}
