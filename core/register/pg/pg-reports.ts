import type pg from 'pg';
import type { Register } from '../register.ts';
import type { MonthRow } from '../reports.queries.ts';

/**
 * Aggregates for the staff reports on PostgreSQL (../reports.queries.ts): the same periods (text
 * bounds on ISO-8601 time stamps) and the same numbers. Differences from SQLite made good here:
 * SUM of a BIGINT and AVG are NUMERIC in PostgreSQL, which pg hands over as a string: cast to
 * BIGINT or double precision (SQLite's AVG is a double too). SQLite returns groups in key order
 * where a query has no ORDER BY (stage times: said here), and leaves ties of an ORDER BY to its
 * sorter, which (seen on SQLite 3.4x, and checked by pg-inventory.spec.ts) keeps the groups of a
 * two-column GROUP BY in key order and reverses those of a one-column one: the tie-breaks below
 * say the same.
 */
export function createPgReportQueries(pool: pg.Pool): Register['reports'] {
  const period = (from?: string, to?: string) => [
    from ? `${from}T00:00:00` : '0000',
    to ? `${to}T99` : '9999',
  ];
  const all = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await pool.query<R>(sql, params)).rows;
  return {
    perMonth: (from, to) =>
      all<MonthRow>(
        `SELECT substr(created_at, 1, 7) AS month, COUNT(*) AS items, SUM(page_count) AS pages FROM items
         WHERE created_at >= $1 AND created_at <= $2 GROUP BY month ORDER BY month`,
        period(from, to),
      ),
    availablePerMonth: (from, to) =>
      all<MonthRow>(
        `SELECT substr(available_at, 1, 7) AS month, COUNT(*) AS items, SUM(page_count) AS pages FROM items
         WHERE available_at IS NOT NULL AND available_at >= $1 AND available_at <= $2
         GROUP BY month ORDER BY month`,
        period(from, to),
      ),
    stageTimes: (from, to) =>
      all<{ stage: string; runs: number; avgMs: number; avgPerPageMs: number }>(
        `SELECT r.stage AS stage, COUNT(*) AS runs, AVG(r.duration_ms)::float8 AS "avgMs",
           AVG(r.duration_ms::float8 / GREATEST(i.page_count, 1)) AS "avgPerPageMs"
         FROM stage_runs r JOIN items i ON i.id = r.item_id
         WHERE r.outcome IN ('done', 'skipped') AND r.started_at >= $1 AND r.started_at <= $2
         GROUP BY r.stage ORDER BY r.stage`,
        period(from, to),
      ),
    async storage() {
      const rows = await all<{ originalBytes: number; pdfBytes: number; items: number; pages: number }>(
        `SELECT COALESCE(SUM(original_bytes), 0)::bigint AS "originalBytes",
           COALESCE(SUM(pdf_bytes), 0)::bigint AS "pdfBytes", COUNT(*) AS items,
           COALESCE(SUM(page_count), 0) AS pages FROM items WHERE status != 'receiving'`,
      );
      return rows[0] as { originalBytes: number; pdfBytes: number; items: number; pages: number };
    },
    failuresByReason: (from, to) =>
      all<{ code: string; stage: string; n: number }>(
        `SELECT COALESCE(error_code, 'unknown') AS code, stage, COUNT(*) AS n FROM stage_runs
         WHERE outcome IN ('failed', 'retry') AND started_at >= $1 AND started_at <= $2
         GROUP BY code, stage ORDER BY n DESC, code, stage`,
        period(from, to),
      ),
    perOperator: (from, to) =>
      // GROUP BY operator is the column (NULL and a name '-' are two rows), as in SQLite; ties in
      // reverse key order, NULL last, as SQLite's sorter leaves them.
      all<{ operator: string; items: number; pages: number; failed: number }>(
        `SELECT COALESCE(operator, '-') AS operator, COUNT(*) AS items, SUM(page_count) AS pages,
           COUNT(*) FILTER (WHERE status = 'failed') AS failed FROM items
         WHERE created_at >= $1 AND created_at <= $2 GROUP BY items.operator
         ORDER BY items DESC, items.operator DESC NULLS LAST`,
        period(from, to),
      ),
    async statusCounts() {
      const rows = await all<{ status: string; n: number }>(
        'SELECT status, COUNT(*) AS n FROM items GROUP BY status',
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}
