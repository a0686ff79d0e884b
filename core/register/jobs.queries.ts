import { STAGES, type Stage } from '../item.types.ts';
import { type Db, inTransaction } from './open-register.ts';
import type { RunQueries, StageRun } from './runs.queries.ts';

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

export interface JobRow {
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

export const toJob = (r: JobRow): Job => ({
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

/** The job an attempt belongs to: what its run row and the next stage's job are made of. */
export type JobRef = Pick<Job, 'id' | 'itemId' | 'stage' | 'attempts' | 'maxAttempts'>;

/** One attempt as its worker saw it; item, stage, attempt number and worker come from the job. */
export interface Attempt {
  startedAt: string;
  durationMs: number;
  detail?: string | null;
  /** Why it did not finish: the code and message recorded on the run (and the job). */
  error?: { code: string; message: string } | null;
}

/** A stage once ran and was queued again (retry, re-run): everything about the old lease goes. */
const REQUEUE = `UPDATE jobs SET status = 'queued', run_at = @runAt, attempts = 0, crashes = 0, lease_owner = NULL,
  lease_expires_at = NULL, updated_at = @now WHERE item_id = @itemId AND stage = @stage`;

/**
 * The job queue lives in the register: one row per item and stage (UNIQUE), leased by a worker
 * for a while; an expired lease can be taken over. All transitions are single statements or
 * IMMEDIATE transactions, so concurrent processes on the same file cannot both claim a job.
 * This is the only module that writes job rows; a transition and what goes with it (the run
 * record, the next stage's job, the failed item) are one method and one transaction.
 */
export function createJobQueries(
  db: Db,
  deps: {
    runs: RunQueries;
    markFailed(id: string, stage: Stage | null, code: string, message: string): void;
  },
) {
  const claimSql = (filtered: boolean) =>
    `UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @until,
       attempts = attempts + 1, progress_done = NULL, progress_total = NULL, updated_at = @now
     WHERE id = (
       SELECT id FROM jobs
       WHERE ((status = 'queued' AND run_at <= @now) OR (status = 'running' AND lease_expires_at < @now))
         ${filtered ? 'AND stage IN (SELECT value FROM json_each(@stages)) AND (@item IS NULL OR item_id = @item)' : ''}
       ORDER BY run_at, id LIMIT 1)
     RETURNING *`;
  const claimStmt = db.prepare<Record<string, unknown>, JobRow>(claimSql(false));
  const claimStagesStmt = db.prepare<Record<string, unknown>, JobRow>(claimSql(true));
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
  const enqueue = (itemId: string, stage: Stage, maxAttempts: number, runAt = Date.now()): void => {
    db.prepare(
      `INSERT INTO jobs (item_id, stage, status, run_at, max_attempts, created_at, updated_at)
       VALUES (?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (item_id, stage) DO NOTHING`,
    ).run(itemId, stage, runAt, maxAttempts, Date.now(), Date.now());
  };
  return {
    /** Queue a stage for an item; a no-op if that stage already has a job (idempotent). */
    enqueue,
    /** Put a finished or failed stage back in the queue (retry, re-run). */
    requeue(itemId: string, stage: Stage, runAt = Date.now()): void {
      db.prepare(REQUEUE).run({ runAt, now: Date.now(), itemId, stage });
    },
    /**
     * Lease the due job with the oldest run_at (queued and due, or running with an expired lease),
     * of one of `stages` and of item `itemId` when given; it costs an attempt.
     */
    claim(owner: string, leaseMs: number, stages?: readonly Stage[], itemId?: string): Job | null {
      const now = Date.now();
      const r =
        stages || itemId
          ? claimStagesStmt.get({
              owner,
              until: now + leaseMs,
              now,
              stages: JSON.stringify(stages ?? STAGES),
              item: itemId ?? null,
            })
          : claimStmt.get({ owner, until: now + leaseMs, now });
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
    /**
     * The attempt finished: the job is done if we still hold the lease, and then `next` is queued.
     * The run is recorded either way (as 'lost' when another worker took the lease over). Returns
     * whether the job was still ours.
     */
    complete(
      job: JobRef,
      owner: string,
      attempt: Attempt & { outcome: 'done' | 'skipped' },
      next: Stage | null = null,
    ): boolean {
      return inTransaction(db, () => {
        const ours =
          db
            .prepare(
              `UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
                 last_error_code = NULL, updated_at = ? WHERE id = ? AND lease_owner = ?`,
            )
            .run(Date.now(), job.id, owner).changes === 1;
        deps.runs.recordRun(runOf(job, owner, ours ? attempt.outcome : 'lost', attempt));
        if (ours && next) enqueue(job.itemId, next, job.maxAttempts);
        return ours;
      });
    },
    /** The attempt failed and will be tried again at `runAt` (an attempt spent). The run is recorded. */
    retryLater(
      job: JobRef,
      owner: string,
      runAt: number,
      attempt: Attempt & { error: { code: string; message: string } },
    ): void {
      inTransaction(db, () => {
        deps.runs.recordRun(runOf(job, owner, 'retry', attempt));
        db.prepare(
          `UPDATE jobs SET status = 'queued', run_at = ?, lease_owner = NULL, lease_expires_at = NULL,
             last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?`,
        ).run(runAt, attempt.error.code, attempt.error.message, Date.now(), job.id, owner);
      });
    },
    /**
     * Back off without spending an attempt (a dependency is down, or we are shutting down): the
     * job is not at fault and must not be failed for good because of it. Only when we still held
     * the lease is the job put back and the run recorded; returns whether we did.
     */
    deferLater(
      job: JobRef,
      owner: string,
      runAt: number,
      attempt: Attempt & { error: { code: string; message: string } },
    ): boolean {
      return inTransaction(db, () => {
        const ours =
          db
            .prepare(
              `UPDATE jobs SET status = 'queued', run_at = ?, attempts = MAX(attempts - 1, 0), lease_owner = NULL,
                 lease_expires_at = NULL, last_error_code = ?, last_error = ?, updated_at = ?
               WHERE id = ? AND lease_owner = ? AND status = 'running'`,
            )
            .run(runAt, attempt.error.code, attempt.error.message, Date.now(), job.id, owner).changes === 1;
        if (ours) deps.runs.recordRun(runOf(job, owner, 'retry', attempt));
        return ours;
      });
    },
    /** The attempt ended because another worker took the lease over: only its run is recorded. */
    lost(job: JobRef, owner: string, attempt: Attempt): void {
      deps.runs.recordRun(runOf(job, owner, 'lost', attempt));
    },
    /**
     * The attempt failed for good: the run is recorded, the job failed with `attempt.error.code`
     * and the readable `message`, the item parked as failed at this stage, and a `stage_failed` event logged.
     */
    fail(
      job: JobRef,
      owner: string,
      message: string,
      attempt: Attempt & { error: { code: string; message: string } },
    ): void {
      const code = attempt.error.code;
      inTransaction(db, () => {
        deps.runs.recordRun(runOf(job, owner, 'failed', attempt));
        db.prepare(
          `UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL, last_error_code = ?,
             last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?`,
        ).run(code, message, Date.now(), job.id, owner);
        deps.markFailed(job.itemId, job.stage, code, message);
        deps.runs.event({
          itemId: job.itemId,
          level: 'error',
          code: 'stage_failed',
          params: { stage: job.stage, code },
        });
      });
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
    /** Pages done of `total` in the running attempt (the live queue); only the lease holder writes. */
    reportProgress(id: number, owner: string, done: number, total: number): void {
      db.prepare(
        `UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      ).run(done, total, id, owner);
    },
    /** The job made progress since its last crash: earlier crashes were not its fault. */
    resetCrashes(id: number, owner: string): void {
      db.prepare(`UPDATE jobs SET crashes = 0 WHERE id = ? AND lease_owner = ? AND crashes > 0`).run(
        id,
        owner,
      );
    },
    /** Drop the jobs of `stages` (re-runs: they are queued anew, in order, as earlier stages finish). */
    remove(itemId: string, stages: readonly Stage[]): void {
      if (stages.length === 0) return;
      db.prepare(`DELETE FROM jobs WHERE item_id = ? AND stage IN (${stages.map(() => '?').join(',')})`).run(
        itemId,
        ...stages,
      );
    },
    /** A restored item's finished history: a done job for each of `stages`, at `at` (ms). */
    recordDone(itemId: string, stages: readonly Stage[], at: number, maxAttempts: number): void {
      const job = db.prepare(
        `INSERT INTO jobs (item_id, stage, status, run_at, attempts, max_attempts, created_at, updated_at)
         VALUES (?, ?, 'done', ?, 1, ?, ?, ?)`,
      );
      for (const stage of stages) job.run(itemId, stage, at, maxAttempts, at, at);
    },
    /** The stage of the item's most recently created failed job, if any. */
    lastFailedStage(itemId: string): Stage | null {
      const r = db
        .prepare<[string], { stage: Stage }>(
          `SELECT stage FROM jobs WHERE item_id = ? AND status = 'failed' ORDER BY id DESC LIMIT 1`,
        )
        .get(itemId);
      return r?.stage ?? null;
    },
    /** Whether the item has a job of `stage` (in any state): the stage has been queued before. */
    has(itemId: string, stage: Stage): boolean {
      return (
        db.prepare('SELECT 1 FROM jobs WHERE item_id = ? AND stage = ?').get(itemId, stage) !== undefined
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
