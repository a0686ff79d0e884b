import type pg from 'pg';
import type { Stage } from '../../item.types.ts';
import { type Attempt, type JobRef, type JobRow, toJob } from '../jobs.queries.ts';
import type { Register } from '../register.ts';
import type { StageRun } from '../runs.queries.ts';
import { insertEvent, insertRun } from './pg-runs.ts';
import { type Queryable, withTransaction } from './pool.ts';

/**
 * The server's clock in epoch ms. Leases are set and compared by the database, never by a
 * worker's clock: a machine whose clock runs ahead would otherwise take over live leases early.
 * statement_timestamp() is one value for the whole statement. (SQLite uses the process's
 * Date.now(): one host, one clock.)
 */
const NOW = `(extract(epoch FROM statement_timestamp()) * 1000)::bigint`;

const JOB_COLUMNS = `id, item_id, stage, status, run_at, attempts, max_attempts, crashes, lease_owner,
  lease_expires_at, last_error_code, last_error`;

/**
 * Queue a stage for an item on `db` (the pool, or a transaction's client); a no-op if that stage
 * already has a job. `runAt` (epoch ms) defaults to the server's now.
 */
export async function enqueueJob(
  db: Queryable,
  itemId: string,
  stage: Stage,
  maxAttempts: number,
  runAt?: number,
): Promise<void> {
  await db.query(
    `INSERT INTO jobs (item_id, stage, status, run_at, max_attempts, created_at, updated_at)
     VALUES ($1, $2, 'queued', COALESCE($3, ${NOW}), $4, ${NOW}, ${NOW})
     ON CONFLICT (item_id, stage) DO NOTHING`,
    [itemId, stage, runAt ?? null, maxAttempts],
  );
}

/** A restored item's finished history on `db`: a done job per stage, at `at` (ms), in stage order. */
export async function insertDoneJobs(
  db: Queryable,
  itemId: string,
  stages: readonly Stage[],
  at: number,
  maxAttempts: number,
): Promise<void> {
  // One statement; ids are drawn in ORDER BY order, so forItem() lists them as `stages` goes.
  await db.query(
    `INSERT INTO jobs (item_id, stage, status, run_at, attempts, max_attempts, created_at, updated_at)
     SELECT $1, s.stage, 'done', $3, 1, $4, $3, $3
     FROM unnest($2::text[]) WITH ORDINALITY AS s (stage, n) ORDER BY s.n`,
    [itemId, [...stages], at, maxAttempts],
  );
}

const changed = (r: { rowCount: number | null }) => (r.rowCount ?? 0) > 0;

const runOf = (job: JobRef, owner: string, outcome: StageRun['outcome'], a: Attempt): StageRun => ({
  itemId: job.itemId,
  stage: job.stage,
  attempt: job.attempts,
  worker: owner,
  startedAt: a.startedAt,
  durationMs: a.durationMs,
  outcome,
  detail: a.detail ?? null,
  errorCode: a.error?.code ?? null,
  errorMessage: a.error?.message ?? null,
});

/**
 * The single-statement job reads and writes a change elsewhere in the register makes as part of
 * its own transaction, on `db` (the pool, or that transaction's client): staff re-runs, retries
 * and page changes (pg-staff-items.ts) call them on their client, so the jobs they remove and
 * requeue commit or roll back with the rest of the change.
 */
export function createPgJobStatements(
  db: Queryable,
): Pick<Register['jobs'], 'requeue' | 'remove' | 'lastFailedStage' | 'has' | 'pendingCount'> {
  return {
    async requeue(itemId, stage, runAt) {
      await db.query(
        `UPDATE jobs SET status = 'queued', run_at = COALESCE($1, ${NOW}), attempts = 0, crashes = 0,
           lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW}
         WHERE item_id = $2 AND stage = $3`,
        [runAt ?? null, itemId, stage],
      );
    },
    async remove(itemId, stages) {
      if (stages.length === 0) return;
      await db.query(`DELETE FROM jobs WHERE item_id = $1 AND stage = ANY($2::text[])`, [
        itemId,
        [...stages],
      ]);
    },
    async lastFailedStage(itemId) {
      const { rows } = await db.query<{ stage: Stage }>(
        `SELECT stage FROM jobs WHERE item_id = $1 AND status = 'failed' ORDER BY id DESC LIMIT 1`,
        [itemId],
      );
      return rows[0]?.stage ?? null;
    },
    async has(itemId, stage) {
      const { rows } = await db.query('SELECT 1 FROM jobs WHERE item_id = $1 AND stage = $2', [
        itemId,
        stage,
      ]);
      return rows.length > 0;
    },
    async pendingCount(itemIds) {
      if (itemIds && itemIds.length === 0) return 0;
      const { rows } = await db.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')
           AND ($1::text[] IS NULL OR item_id = ANY($1::text[]))`,
        [itemIds ?? null],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

/**
 * The job queue on PostgreSQL, with the interface and semantics of ../jobs.queries.ts (SQLite):
 * one row per item and stage; queued → running (leased by one owner until lease_expires_at) →
 * done | failed, or back to queued with a later run_at. What SQLite gets from its single writer,
 * this gets from row locks: a claim locks the due row it takes with FOR UPDATE SKIP LOCKED, so
 * claimers on any number of machines each take a different job without waiting for each other,
 * and every transition that ends a lease checks that the caller still holds it. A lease past its
 * expiry is claimable again: a dead machine's jobs come back by themselves. A transition and what
 * goes with it (the run record, the next stage's job, the failed item, the event) are one
 * transaction, as there.
 *
 * `runAt` arguments are epoch ms from the caller's clock (a backoff's end: skew only shifts a
 * retry); lease times come from the server's.
 *
 * `deps.markFailed` parks the item as failed inside `fail`'s transaction (on its client `tx`): the
 * items group owns that statement (pg-items.ts markItemFailed). The pool must come from
 * createPgPool: the shared row mapper takes BIGINT columns as numbers.
 *
 * Lock order: a transition locks its job row, then (fail) the item's row. The one item-side
 * method that writes a job, `receive`, locks the item and then inserts the item's first job,
 * which no transition can hold yet: no cycle.
 */
export function createPgJobQueries(
  pool: pg.Pool,
  deps: {
    markFailed(tx: Queryable, id: string, stage: Stage | null, code: string, message: string): Promise<void>;
  },
): Register['jobs'] {
  const statements = createPgJobStatements(pool);
  return {
    enqueue: (itemId, stage, maxAttempts, runAt) => enqueueJob(pool, itemId, stage, maxAttempts, runAt),
    requeue: statements.requeue,
    /**
     * Lease the due job with the oldest run_at (queued and due, or running with an expired lease),
     * of one of `stages` and of item `itemId` when given, for `leaseMs`; it costs an attempt. A row another claimer has locked is skipped, not waited
     * for. MATERIALIZED: the locking subquery runs exactly once, whatever plan the UPDATE gets.
     */
    async claim(owner, leaseMs, stages, itemId) {
      const { rows } = await pool.query<JobRow>(
        `WITH due AS MATERIALIZED (
           SELECT id FROM jobs
           WHERE ((status = 'queued' AND run_at <= ${NOW}) OR (status = 'running' AND lease_expires_at < ${NOW}))
             AND ($3::text[] IS NULL OR stage = ANY($3::text[])) AND ($4::text IS NULL OR item_id = $4)
           ORDER BY run_at, id
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
         UPDATE jobs SET status = 'running', lease_owner = $1, lease_expires_at = ${NOW} + $2::bigint,
           attempts = attempts + 1, progress_done = NULL, progress_total = NULL, updated_at = ${NOW}
         WHERE id IN (SELECT id FROM due)
         RETURNING ${JOB_COLUMNS}`,
        [owner, Math.round(leaseMs), stages ? [...stages] : null, itemId ?? null],
      );
      return rows[0] ? toJob(rows[0]) : null;
    },
    async extendLease(id, owner, leaseMs) {
      return changed(
        await pool.query(
          `UPDATE jobs SET lease_expires_at = ${NOW} + $1::bigint, updated_at = ${NOW}
           WHERE id = $2 AND lease_owner = $3 AND status = 'running'`,
          [Math.round(leaseMs), id, owner],
        ),
      );
    },
    complete(job, owner, attempt, next = null) {
      return withTransaction(pool, async (tx) => {
        const ours = changed(
          await tx.query(
            `UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
               last_error_code = NULL, updated_at = ${NOW}
             WHERE id = $1 AND lease_owner = $2`,
            [job.id, owner],
          ),
        );
        await insertRun(tx, runOf(job, owner, ours ? attempt.outcome : 'lost', attempt));
        if (ours && next) await enqueueJob(tx, job.itemId, next, job.maxAttempts);
        return ours;
      });
    },
    async retryLater(job, owner, runAt, attempt) {
      await withTransaction(pool, async (tx) => {
        await insertRun(tx, runOf(job, owner, 'retry', attempt));
        await tx.query(
          `UPDATE jobs SET status = 'queued', run_at = $1, lease_owner = NULL, lease_expires_at = NULL,
             last_error_code = $2, last_error = $3, updated_at = ${NOW}
           WHERE id = $4 AND lease_owner = $5`,
          [runAt, attempt.error.code, attempt.error.message, job.id, owner],
        );
      });
    },
    deferLater(job, owner, runAt, attempt) {
      return withTransaction(pool, async (tx) => {
        const ours = changed(
          await tx.query(
            `UPDATE jobs SET status = 'queued', run_at = $1, attempts = GREATEST(attempts - 1, 0),
               lease_owner = NULL, lease_expires_at = NULL, last_error_code = $2, last_error = $3,
               updated_at = ${NOW}
             WHERE id = $4 AND lease_owner = $5 AND status = 'running'`,
            [runAt, attempt.error.code, attempt.error.message, job.id, owner],
          ),
        );
        if (ours) await insertRun(tx, runOf(job, owner, 'retry', attempt));
        return ours;
      });
    },
    async lost(job, owner, attempt) {
      await insertRun(pool, runOf(job, owner, 'lost', attempt));
    },
    async fail(job, owner, message, attempt) {
      const code = attempt.error.code;
      await withTransaction(pool, async (tx) => {
        await insertRun(tx, runOf(job, owner, 'failed', attempt));
        await tx.query(
          `UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL,
             last_error_code = $1, last_error = $2, updated_at = ${NOW}
           WHERE id = $3 AND lease_owner = $4`,
          [code, message, job.id, owner],
        );
        await deps.markFailed(tx, job.itemId, job.stage, code, message);
        await insertEvent(tx, {
          itemId: job.itemId,
          level: 'error',
          code: 'stage_failed',
          params: { stage: job.stage, code },
        });
      });
    },
    /**
     * Jobs leased by processes known to be dead (`isAlive`: same host, pid gone) are released at
     * once instead of waiting for the lease to expire, counted as a crash with the attempt given
     * back. Across machines a lease nobody renews simply expires and claim() takes it over.
     */
    async releaseDeadLeases(isAlive) {
      const { rows } = await pool.query<{ lease_owner: string }>(
        `SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`,
      );
      const dead = rows.map((r) => r.lease_owner).filter((o) => !isAlive(o));
      if (dead.length === 0) return 0;
      const r = await pool.query(
        `UPDATE jobs SET status = 'queued', run_at = ${NOW}, attempts = GREATEST(attempts - 1, 0),
           crashes = crashes + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW}
         WHERE status = 'running' AND lease_owner = ANY($1::text[])`,
        [dead],
      );
      return r.rowCount ?? 0;
    },
    async reportProgress(id, owner, done, total) {
      await pool.query(
        `UPDATE jobs SET progress_done = $3, progress_total = $4
         WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
        [id, owner, done, total],
      );
    },
    async resetCrashes(id, owner) {
      await pool.query(`UPDATE jobs SET crashes = 0 WHERE id = $1 AND lease_owner = $2 AND crashes > 0`, [
        id,
        owner,
      ]);
    },
    remove: statements.remove,
    recordDone: (itemId, stages, at, maxAttempts) => insertDoneJobs(pool, itemId, stages, at, maxAttempts),
    lastFailedStage: statements.lastFailedStage,
    has: statements.has,
    async forItem(itemId) {
      const { rows } = await pool.query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE item_id = $1 ORDER BY id`,
        [itemId],
      );
      return rows.map(toJob);
    },
    pendingCount: statements.pendingCount,
    async nextRunAt() {
      const { rows } = await pool.query<{ t: number | null }>(
        `SELECT MIN(run_at) AS t FROM jobs WHERE status = 'queued'`,
      );
      return rows[0]?.t ?? null;
    },
  };
}
