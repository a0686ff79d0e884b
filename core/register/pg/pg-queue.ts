import type pg from 'pg';
import type { QueueEntry } from '../queue.queries.ts';
import type { Register } from '../register.ts';

// Quoted aliases: PostgreSQL folds unquoted names to lower case.
/** SQLite reads a negative LIMIT as none; PostgreSQL refuses one, and reads NULL as none. */
const noLimit = (limit: number) => (limit < 0 ? null : limit);

const SELECT = `SELECT i.id AS "itemId", i.title, i.nomor_induk AS "nomorInduk", i.operator, i.status,
  i.page_count AS pages, j.stage, j.status AS "jobStatus", j.attempts, j.run_at AS "runAt",
  j.last_error AS "lastError", i.updated_at AS "updatedAt", i.error_message AS "errorMessage",
  j.progress_done AS "progressDone", j.progress_total AS "progressTotal"
  FROM jobs j JOIN items i ON i.id = j.item_id`;

/**
 * The live queue on PostgreSQL (../queue.queries.ts). SQLite's ORDER BY leaves ties (equal
 * updated_at or available_at) in the order its plan reads the jobs: through the index jobs_due,
 * that is by run_at, then job id, and its sort keeps that order, whichever the direction. These
 * say so (`j.run_at, j.id`), so both engines list ties alike.
 */
export function createPgQueueQueries(pool: pg.Pool): Register['queue'] {
  /** `AND i.operator = $n` when an operator is given, with its parameter appended. */
  const op = (params: unknown[], operator?: string) => {
    if (!operator) return '';
    params.push(operator);
    return `AND i.operator = $${params.length}`;
  };
  const run = async (sql: (params: unknown[]) => string) => {
    const params: unknown[] = [];
    const text = sql(params);
    return (await pool.query<QueueEntry>(text, params)).rows;
  };
  return {
    running: (operator) =>
      run(
        (p) =>
          `${SELECT} WHERE j.status = 'running' ${op(p, operator)} ORDER BY j.updated_at, j.run_at, j.id`,
      ),
    waiting: (operator, limit = 200) =>
      run((p) => {
        const where = op(p, operator);
        p.push(noLimit(limit));
        return `${SELECT} WHERE j.status = 'queued' ${where} ORDER BY j.run_at, j.id LIMIT $${p.length}`;
      }),
    failedSince: (sinceIso, operator) =>
      run((p) => {
        p.push(sinceIso);
        return `${SELECT} WHERE j.status = 'failed' AND i.status = 'failed' AND i.updated_at >= $1 ${op(p, operator)}
          ORDER BY i.updated_at DESC, j.run_at, j.id LIMIT 200`;
      }),
    recentlyAvailable: (operator, limit = 10) =>
      run((p) => {
        const where = op(p, operator);
        p.push(noLimit(limit));
        // SQLite puts NULL last in DESC order, PostgreSQL first: NULLS LAST (available_at is set
        // when an item becomes available, but a restored or hand-edited row may lack it).
        return `${SELECT} WHERE j.stage = 'publish' AND j.status = 'done' AND i.status = 'available' ${where}
          ORDER BY i.available_at DESC NULLS LAST, j.run_at, j.id LIMIT $${p.length}`;
      }),
  };
}
