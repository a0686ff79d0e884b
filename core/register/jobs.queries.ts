import type { Stage } from '../item.types.ts';
import type { Db } from './open-register.ts';

export interface Job {
  id: number;
  itemId: string;
  stage: Stage;
  status: 'queued' | 'running' | 'done' | 'failed';
  runAt: number;
  attempts: number;
  maxAttempts: number;
  crashes: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastErrorCode: string | null;
  lastError: string | null;
}

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

const toJob = (r: JobRow): Job => ({
  id: r.id,
  itemId: r.item_id,
  stage: r.stage,
  status: r.status,
  runAt: r.run_at,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  crashes: r.crashes,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  lastErrorCode: r.last_error_code,
  lastError: r.last_error,
});

/**
 * The job queue lives in the register: one row per item and stage (UNIQUE), leased by a worker
 * for a while; an expired lease can be taken over. All transitions are single statements or
 * IMMEDIATE transactions, so concurrent processes on the same file cannot both claim a job.
 */
export function createJobQueries(db: Db) {
  const claimStmt = db.prepare<Record<string, unknown>, JobRow>(
    `UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @until,
       attempts = attempts + 1, updated_at = @now
     WHERE id = (
       SELECT id FROM jobs
       WHERE (status = 'queued' AND run_at <= @now) OR (status = 'running' AND lease_expires_at < @now)
       ORDER BY run_at, id LIMIT 1)
     RETURNING *`,
  );
  return {
    /** Queue a stage for an item; a no-op if that stage already has a job (idempotent). */
    enqueue(itemId: string, stage: Stage, maxAttempts: number, runAt = Date.now()): void {
      db.prepare(
        `INSERT INTO jobs (item_id, stage, status, run_at, max_attempts, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (item_id, stage) DO NOTHING`,
      ).run(itemId, stage, runAt, maxAttempts, Date.now(), Date.now());
    },
    /** Put a finished or failed stage back in the queue (retry, re-run). */
    requeue(itemId: string, stage: Stage, runAt = Date.now()): void {
      db.prepare(
        `UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, crashes = 0, lease_owner = NULL,
           lease_expires_at = NULL, updated_at = ? WHERE item_id = ? AND stage = ?`,
      ).run(runAt, Date.now(), itemId, stage);
    },
    claim(owner: string, leaseMs: number): Job | null {
      const now = Date.now();
      const r = claimStmt.get({ owner, until: now + leaseMs, now });
      return r ? toJob(r) : null;
    },
    /** Keep a long job's lease alive; false if another worker has taken it over. */
    extendLease(id: number, owner: string, leaseMs: number): boolean {
      const r = db
        .prepare(
          `UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'`,
        )
        .run(Date.now() + leaseMs, Date.now(), id, owner);
      return r.changes === 1;
    },
    /** Mark done only if we still hold the lease; false means someone else owns the job now. */
    complete(id: number, owner: string): boolean {
      const r = db
        .prepare(
          `UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
             last_error_code = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?`,
        )
        .run(Date.now(), id, owner);
      return r.changes === 1;
    },
    retryLater(id: number, owner: string, runAt: number, code: string, message: string): void {
      db.prepare(
        `UPDATE jobs SET status = 'queued', run_at = ?, lease_owner = NULL, lease_expires_at = NULL,
           last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?`,
      ).run(runAt, code, message, Date.now(), id, owner);
    },
    /**
     * Back off without spending an attempt (a dependency is down, or we are shutting down): the
     * job is not at fault and must not be failed for good because of it.
     */
    deferLater(id: number, owner: string, runAt: number, code: string, message: string): boolean {
      const r = db
        .prepare(
          `UPDATE jobs SET status = 'queued', run_at = ?, attempts = MAX(attempts - 1, 0), lease_owner = NULL,
             lease_expires_at = NULL, last_error_code = ?, last_error = ?, updated_at = ?
           WHERE id = ? AND lease_owner = ? AND status = 'running'`,
        )
        .run(runAt, code, message, Date.now(), id, owner);
      return r.changes === 1;
    },
    fail(id: number, owner: string, code: string, message: string): void {
      db.prepare(
        `UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, last_error_code = ?,
           last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?`,
      ).run(code, message, Date.now(), id, owner);
    },
    /**
     * Jobs leased by processes on this host that no longer exist (killed, crashed) are released at
     * once instead of waiting for the lease to expire. A crash is not the job's fault, so the
     * attempt is given back; `crashes` still bounds a job that kills its process every time.
     */
    releaseDeadLeases(isAlive: (owner: string) => boolean): number {
      const rows = db
        .prepare<[], { id: number; lease_owner: string }>(
          `SELECT id, lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`,
        )
        .all();
      let n = 0;
      for (const r of rows) {
        if (isAlive(r.lease_owner)) continue;
        n += db
          .prepare(
            `UPDATE jobs SET status = 'queued', run_at = ?, attempts = MAX(attempts - 1, 0), crashes = crashes + 1,
               lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?`,
          )
          .run(Date.now(), Date.now(), r.id, r.lease_owner).changes;
      }
      return n;
    },
    /** The job made progress since its last crash: earlier crashes were not its fault. */
    resetCrashes(id: number, owner: string): void {
      db.prepare(`UPDATE jobs SET crashes = 0 WHERE id = ? AND lease_owner = ? AND crashes > 0`).run(
        id,
        owner,
      );
    },
    forItem(itemId: string): Job[] {
      return db
        .prepare<[string], JobRow>('SELECT * FROM jobs WHERE item_id = ? ORDER BY id')
        .all(itemId)
        .map(toJob);
    },
    /** Jobs not finished: queued or running. */
    pendingCount(itemIds?: string[]): number {
      if (itemIds && itemIds.length === 0) return 0;
      const filter = itemIds ? `AND item_id IN (${itemIds.map(() => '?').join(',')})` : '';
      const r = db
        .prepare(`SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') ${filter}`)
        .get(...(itemIds ?? [])) as { n: number };
      return r.n;
    },
    nextRunAt(): number | null {
      const r = db.prepare(`SELECT MIN(run_at) AS t FROM jobs WHERE status = 'queued'`).get() as {
        t: number | null;
      };
      return r.t;
    },
  };
}

export type JobQueries = ReturnType<typeof createJobQueries>;
