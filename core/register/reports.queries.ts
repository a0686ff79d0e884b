import type { Db } from './open-register.ts';

export interface MonthRow {
  month: string;
  items: number;
  pages: number;
}

/** Aggregates for the staff reports. Months are YYYY-MM of the receiving date (UTC). */
export function createReportQueries(db: Db) {
  const period = (from?: string, to?: string) => ({
    from: from ? `${from}T00:00:00` : '0000',
    to: to ? `${to}T99` : '9999',
  });
  return {
    perMonth(from?: string, to?: string): MonthRow[] {
      return db
        .prepare(
          `SELECT substr(created_at, 1, 7) AS month, COUNT(*) AS items, SUM(page_count) AS pages FROM items
           WHERE created_at >= @from AND created_at <= @to GROUP BY month ORDER BY month`,
        )
        .all(period(from, to)) as MonthRow[];
    },
    /** Items published per month (throughput). */
    availablePerMonth(from?: string, to?: string): { month: string; items: number; pages: number }[] {
      return db
        .prepare(
          `SELECT substr(available_at, 1, 7) AS month, COUNT(*) AS items, SUM(page_count) AS pages FROM items
           WHERE available_at IS NOT NULL AND available_at >= @from AND available_at <= @to
           GROUP BY month ORDER BY month`,
        )
        .all(period(from, to)) as { month: string; items: number; pages: number }[];
    },
    /** Average successful time per stage per item, and per page. */
    stageTimes(
      from?: string,
      to?: string,
    ): { stage: string; runs: number; avgMs: number; avgPerPageMs: number }[] {
      return db
        .prepare(
          `SELECT r.stage AS stage, COUNT(*) AS runs, AVG(r.duration_ms) AS avgMs,
             AVG(r.duration_ms * 1.0 / MAX(i.page_count, 1)) AS avgPerPageMs
           FROM stage_runs r JOIN items i ON i.id = r.item_id
           WHERE r.outcome IN ('done', 'skipped') AND r.started_at >= @from AND r.started_at <= @to
           GROUP BY r.stage`,
        )
        .all(period(from, to)) as { stage: string; runs: number; avgMs: number; avgPerPageMs: number }[];
    },
    storage(): { originalBytes: number; pdfBytes: number; items: number; pages: number } {
      return db
        .prepare(
          `SELECT COALESCE(SUM(original_bytes), 0) AS originalBytes, COALESCE(SUM(pdf_bytes), 0) AS pdfBytes,
             COUNT(*) AS items, COALESCE(SUM(page_count), 0) AS pages FROM items WHERE status != 'receiving'`,
        )
        .get() as { originalBytes: number; pdfBytes: number; items: number; pages: number };
    },
    failuresByReason(from?: string, to?: string): { code: string; stage: string; n: number }[] {
      return db
        .prepare(
          `SELECT COALESCE(error_code, 'unknown') AS code, stage, COUNT(*) AS n FROM stage_runs
           WHERE outcome IN ('failed', 'retry') AND started_at >= @from AND started_at <= @to
           GROUP BY code, stage ORDER BY n DESC`,
        )
        .all(period(from, to)) as { code: string; stage: string; n: number }[];
    },
    perOperator(
      from?: string,
      to?: string,
    ): { operator: string; items: number; pages: number; failed: number }[] {
      return db
        .prepare(
          `SELECT COALESCE(operator, '-') AS operator, COUNT(*) AS items, SUM(page_count) AS pages,
             SUM(status = 'failed') AS failed FROM items
           WHERE created_at >= @from AND created_at <= @to GROUP BY operator ORDER BY items DESC`,
        )
        .all(period(from, to)) as { operator: string; items: number; pages: number; failed: number }[];
    },
    statusCounts(): Record<string, number> {
      const rows = db.prepare('SELECT status, COUNT(*) AS n FROM items GROUP BY status').all() as {
        status: string;
        n: number;
      }[];
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}

export type ReportQueries = ReturnType<typeof createReportQueries>;
