import type { Stage } from '../../item.types.ts';
import type { Register } from '../register.ts';
import type { EventRecord, StageRun } from '../runs.queries.ts';
import type { Queryable } from './pool.ts';

/** Record one stage run on `db` (the pool, or the client of a transaction it belongs to). */
export async function insertRun(db: Queryable, r: StageRun): Promise<void> {
  await db.query(
    `INSERT INTO stage_runs (item_id, stage, attempt, worker, started_at, duration_ms, outcome, detail,
       error_code, error_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      r.itemId,
      r.stage,
      r.attempt,
      r.worker,
      r.startedAt,
      Math.round(r.durationMs),
      r.outcome,
      r.detail,
      r.errorCode,
      r.errorMessage,
    ],
  );
}

/** Log one event on `db` (the pool, or the client of a transaction it belongs to). */
export async function insertEvent(db: Queryable, e: EventRecord): Promise<void> {
  await db.query('INSERT INTO events (at, item_id, level, code, params) VALUES ($1, $2, $3, $4, $5)', [
    new Date().toISOString(),
    e.itemId,
    e.level,
    e.code,
    JSON.stringify(e.params ?? {}),
  ]);
}

/**
 * Stage runs and the event log on PostgreSQL, as ../runs.queries.ts. Every method is one
 * statement; the job transitions record their runs with `insertRun` inside their own transaction.
 */
export function createPgRunQueries(db: Queryable): Register['runs'] {
  return {
    recordRun: (r) => insertRun(db, r),
    async runsFor(itemId) {
      // Quoted aliases: PostgreSQL folds unquoted names to lower case (SQLite keeps them).
      const { rows } = await db.query<StageRun>(
        `SELECT item_id AS "itemId", stage, attempt, worker, started_at AS "startedAt",
           duration_ms AS "durationMs", outcome, detail, error_code AS "errorCode",
           error_message AS "errorMessage"
         FROM stage_runs WHERE item_id = $1 ORDER BY id`,
        [itemId],
      );
      return rows;
    },
    async stageTotals() {
      // SUM of a BIGINT is NUMERIC (pg hands it over as a string): cast back. SQLite's GROUP BY
      // returns the groups in stage order; PostgreSQL's may hash, so the order is asked for.
      const { rows } = await db.query<{ stage: Stage; runs: number; totalMs: number }>(
        `SELECT stage, COUNT(*) AS runs, SUM(duration_ms)::bigint AS "totalMs" FROM stage_runs
         WHERE outcome IN ('done', 'skipped') GROUP BY stage ORDER BY stage`,
      );
      return rows;
    },
    event: (e) => insertEvent(db, e),
    async eventsFor(itemId) {
      const { rows } = await db.query<{
        at: string;
        itemId: string;
        level: EventRecord['level'];
        code: string;
        params: string;
      }>('SELECT at, item_id AS "itemId", level, code, params FROM events WHERE item_id = $1 ORDER BY id', [
        itemId,
      ]);
      return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string | number> }));
    },
  };
}
