import type { Stage } from '../../item.types.ts';
import type { Job } from '../jobs.queries.ts';
import type { Queryable } from './pool.ts';

interface JobRow {
  id: number;
  item_id: string;
  stage: Stage;
  status: Job['status'];
  run_at: number;
  attempts: number;
  max_attempts: number;
  crashes: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error_code: string | null;
  last_error: string | null;
}

// Number(): BIGINT columns are strings unless the pool came from createPgPool.
const toJob = (r: JobRow): Job => ({
  id: Number(r.id),
  itemId: r.item_id,
  stage: r.stage,
  status: r.status,
  runAt: Number(r.run_at),
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  crashes: r.crashes,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at === null ? null : Number(r.lease_expires_at),
  lastErrorCode: r.last_error_code,
  lastError: r.last_error,
});

/**
 * The server's clock in epoch ms. Leases are set and compared by the database, never by a
 * worker's clock: a machine whose clock runs ahead would otherwise take over live leases early.
 * statement_timestamp() is one value for the whole statement.
 */
const NOW = `(extract(epoch FROM statement_timestamp()) * 1000)::bigint`;

const JOB_COLUMNS = `id, item_id, stage, status, run_at, attempts, max_attempts, crashes, lease_owner,
  lease_expires_at, last_error_code, last_error`;

/**
 * The job queue on PostgreSQL, with the semantics of ../jobs.queries.ts (SQLite): one row per item
 * and stage; queued → running (leased by one owner until lease_expires_at) → done | failed, or
 * back to queued with a later run_at. What SQLite gets from its single writer, this gets from row
 * locks: a claim locks the due rows it takes with FOR UPDATE SKIP LOCKED, so claimers on any number
 * of machines each take different jobs without waiting for each other, and every transition that
 * ends a lease checks that the caller still holds it. A lease past its expiry is claimable again:
 * a dead machine's jobs come back by themselves.
 *
 * `runAt` arguments are epoch ms from the caller's clock (a backoff's end: skew only shifts a
 * retry); lease times come from the server's.
 */
export function createPgJobQueries(db: Queryable) {
  const changed = (r: { rowCount: number | null }) => (r.rowCount ?? 0) > 0;
  return {
    /** Queue a stage for an item; a no-op if that stage already has a job (idempotent). */
    async enqueue(itemId: string, stage: Stage, maxAttempts: number, runAt?: number): Promise<void> {
      await db.query(
        `INSERT INTO jobs (item_id, stage, status, run_at, max_attempts, created_at, updated_at)
         VALUES ($1, $2, 'queued', COALESCE($3, ${NOW}), $4, ${NOW}, ${NOW})
         ON CONFLICT (item_id, stage) DO NOTHING`,
        [itemId, stage, runAt ?? null, maxAttempts],
      );
    },
    /** Put a finished or failed stage back in the queue (retry, re-run). */
    async requeue(itemId: string, stage: Stage, runAt?: number): Promise<void> {
      await db.query(
        `UPDATE jobs SET status = 'queued', run_at = COALESCE($1, ${NOW}), attempts = 0, crashes = 0,
           lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW}
         WHERE item_id = $2 AND stage = $3`,
        [runAt ?? null, itemId, stage],
      );
    },
    /**
     * Lease up to `limit` due jobs (queued and due, or running with an expired lease) for
     * `leaseMs`, oldest run_at first; each costs an attempt. Rows another claimer has locked are
     * skipped, not waited for. MATERIALIZED: the locking subquery runs exactly once per claim,
     * whatever plan the UPDATE gets (a subquery that a plan re-ran would lock and take more rows).
     */
    async claim(owner: string, leaseMs: number, limit = 1): Promise<Job[]> {
      const { rows } = await db.query<JobRow>(
        `WITH due AS MATERIALIZED (
           SELECT id FROM jobs
           WHERE (status = 'queued' AND run_at <= ${NOW}) OR (status = 'running' AND lease_expires_at < ${NOW})
           ORDER BY run_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
         UPDATE jobs SET status = 'running', lease_owner = $1, lease_expires_at = ${NOW} + $2::bigint,
           attempts = attempts + 1, updated_at = ${NOW}
         WHERE id IN (SELECT id FROM due)
         RETURNING ${JOB_COLUMNS}`,
        [owner, Math.round(leaseMs), limit],
      );
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
    },
    /** Keep a long job's lease alive; false if another worker has taken it over. */
    async extendLease(id: number, owner: string, leaseMs: number): Promise<boolean> {
      return changed(
        await db.query(
          `UPDATE jobs SET lease_expires_at = ${NOW} + $1::bigint, updated_at = ${NOW}
           WHERE id = $2 AND lease_owner = $3 AND status = 'running'`,
          [Math.round(leaseMs), id, owner],
        ),
      );
    },
    /** Mark done only if we still hold the lease; false means someone else owns the job now. */
    async complete(id: number, owner: string): Promise<boolean> {
      return changed(
        await db.query(
          `UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
             last_error_code = NULL, updated_at = ${NOW}
           WHERE id = $1 AND lease_owner = $2`,
          [id, owner],
        ),
      );
    },
    /** Back to the queue at `runAt` (the runner's backoff), the attempt spent. */
    async retryLater(
      id: number,
      owner: string,
      runAt: number,
      code: string,
      message: string,
    ): Promise<boolean> {
      return changed(
        await db.query(
          `UPDATE jobs SET status = 'queued', run_at = $1, lease_owner = NULL, lease_expires_at = NULL,
             last_error_code = $2, last_error = $3, updated_at = ${NOW}
           WHERE id = $4 AND lease_owner = $5`,
          [runAt, code, message, id, owner],
        ),
      );
    },
    /**
     * Back off without spending an attempt (a dependency is down, or we are shutting down): the
     * job is not at fault and must not be failed for good because of it.
     */
    async deferLater(
      id: number,
      owner: string,
      runAt: number,
      code: string,
      message: string,
    ): Promise<boolean> {
      return changed(
        await db.query(
          `UPDATE jobs SET status = 'queued', run_at = $1, attempts = GREATEST(attempts - 1, 0),
             lease_owner = NULL, lease_expires_at = NULL, last_error_code = $2, last_error = $3,
             updated_at = ${NOW}
           WHERE id = $4 AND lease_owner = $5 AND status = 'running'`,
          [runAt, code, message, id, owner],
        ),
      );
    },
    async fail(id: number, owner: string, code: string, message: string): Promise<boolean> {
      return changed(
        await db.query(
          `UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL,
             last_error_code = $1, last_error = $2, updated_at = ${NOW}
           WHERE id = $3 AND lease_owner = $4`,
          [code, message, id, owner],
        ),
      );
    },
    /**
     * Hand expired leases back to the queue at once, counted as a crash with the attempt given
     * back (as SQLite's releaseDeadLeases does for dead processes on its host): across machines, a
     * lease nobody renewed is the only sign of a dead worker. `crashes` still bounds a job that
     * kills every machine that runs it. claim() takes expired leases over by itself too (spending
     * an attempt); this is for a sweeper that wants them counted as crashes. Returns the job ids.
     */
    async releaseExpired(): Promise<number[]> {
      const { rows } = await db.query<{ id: number }>(
        `UPDATE jobs SET status = 'queued', run_at = ${NOW}, attempts = GREATEST(attempts - 1, 0),
           crashes = crashes + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW}
         WHERE id IN (
           SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < ${NOW}
           FOR UPDATE SKIP LOCKED)
         RETURNING id`,
      );
      return rows.map((r) => Number(r.id));
    },
    /**
     * Jobs leased by processes known to be dead (`isAlive`: same host, pid gone) are released at
     * once instead of waiting for the lease to expire; as SQLite's releaseDeadLeases.
     */
    async releaseDeadLeases(isAlive: (owner: string) => boolean): Promise<number> {
      const { rows } = await db.query<{ lease_owner: string }>(
        `SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`,
      );
      const dead = rows.map((r) => r.lease_owner).filter((o) => !isAlive(o));
      if (dead.length === 0) return 0;
      const r = await db.query(
        `UPDATE jobs SET status = 'queued', run_at = ${NOW}, attempts = GREATEST(attempts - 1, 0),
           crashes = crashes + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = ${NOW}
         WHERE status = 'running' AND lease_owner = ANY($1::text[])`,
        [dead],
      );
      return r.rowCount ?? 0;
    },
    /** The job made progress since its last crash: earlier crashes were not its fault. */
    async resetCrashes(id: number, owner: string): Promise<void> {
      await db.query(`UPDATE jobs SET crashes = 0 WHERE id = $1 AND lease_owner = $2 AND crashes > 0`, [
        id,
        owner,
      ]);
    },
    async forItem(itemId: string): Promise<Job[]> {
      const { rows } = await db.query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs WHERE item_id = $1 ORDER BY id`,
        [itemId],
      );
      return rows.map(toJob);
    },
    /** Jobs not finished: queued or running. */
    async pendingCount(itemIds?: string[]): Promise<number> {
      if (itemIds && itemIds.length === 0) return 0;
      const { rows } = await db.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')
           AND ($1::text[] IS NULL OR item_id = ANY($1::text[]))`,
        [itemIds ?? null],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async nextRunAt(): Promise<number | null> {
      const { rows } = await db.query<{ t: number | null }>(
        `SELECT MIN(run_at) AS t FROM jobs WHERE status = 'queued'`,
      );
      const t = rows[0]?.t ?? null;
      return t === null ? null : Number(t);
    },
  };
}

export type PgJobQueries = ReturnType<typeof createPgJobQueries>;
