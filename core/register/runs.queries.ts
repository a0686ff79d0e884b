import type { Stage } from '../item.types.ts';
import type { Db } from './open-register.ts';

export interface StageRun {
  itemId: string;
  stage: Stage;
  attempt: number;
  worker: string;
  startedAt: string;
  durationMs: number;
  outcome: 'done' | 'skipped' | 'retry' | 'failed' | 'lost';
  detail: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface EventRecord {
  itemId: string | null;
  level: 'info' | 'warn' | 'error';
  code: string;
  params?: Record<string, string | number>;
}

/**
 * Stage runs (one row per attempt, recorded by the runner through the job transitions in
 * jobs.queries.ts, in the same transaction) and the event log.
 */
export function createRunQueries(db: Db) {
  return {
    recordRun(r: StageRun): void {
      db.prepare(
        `INSERT INTO stage_runs (item_id, stage, attempt, worker, started_at, duration_ms, outcome, detail,
           error_code, error_message)
         VALUES (@itemId, @stage, @attempt, @worker, @startedAt, @durationMs, @outcome, @detail, @errorCode,
           @errorMessage)`,
      ).run(r);
    },
    runsFor(itemId: string): StageRun[] {
      return db
        .prepare(
          `SELECT item_id AS itemId, stage, attempt, worker, started_at AS startedAt, duration_ms AS durationMs,
             outcome, detail, error_code AS errorCode, error_message AS errorMessage
           FROM stage_runs WHERE item_id = ? ORDER BY id`,
        )
        .all(itemId) as StageRun[];
    },
    /** Seconds spent per stage over all finished runs: the bench and reports use it. */
    stageTotals(): { stage: Stage; runs: number; totalMs: number }[] {
      return db
        .prepare(
          `SELECT stage, COUNT(*) AS runs, SUM(duration_ms) AS totalMs FROM stage_runs
           WHERE outcome IN ('done', 'skipped') GROUP BY stage`,
        )
        .all() as { stage: Stage; runs: number; totalMs: number }[];
    },
    event(e: EventRecord): void {
      db.prepare('INSERT INTO events (at, item_id, level, code, params) VALUES (?, ?, ?, ?, ?)').run(
        new Date().toISOString(),
        e.itemId,
        e.level,
        e.code,
        JSON.stringify(e.params ?? {}),
      );
    },
    eventsFor(itemId: string): (EventRecord & { at: string })[] {
      return (
        db
          .prepare(
            'SELECT at, item_id AS itemId, level, code, params FROM events WHERE item_id = ? ORDER BY id',
          )
          .all(itemId) as {
          at: string;
          itemId: string;
          level: EventRecord['level'];
          code: string;
          params: string;
        }[]
      ).map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, string | number> }));
    },
  };
}

export type RunQueries = ReturnType<typeof createRunQueries>;
