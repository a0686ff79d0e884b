import type pg from 'pg';
import type { Register } from '../register.ts';
import { MAX_FILES, type RejectionFilter, toRejection } from '../rejections.queries.ts';
import { insertEvent } from './pg-runs.ts';
import { withTransaction } from './pool.ts';

type Row = Parameters<typeof toRejection>[0];

/**
 * SQLite's LIKE folds ASCII letters only (A–Z = a–z, É ≠ é); PostgreSQL's LIKE folds nothing, and
 * ILIKE or lower() fold by the database's locale. translate() folds exactly SQLite's set.
 */
const asciiLower = (sql: string) =>
  `translate(${sql}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/** As whereOf in ../rejections.queries.ts, with numbered parameters from `first` on. */
function whereOf(f: RejectionFilter, first = 1): { sql: string; params: unknown[] } {
  const c: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  if (f.since) c.push(`at >= ${param(f.since)}`);
  if (f.from) c.push(`at >= ${param(`${f.from}T00:00:00`)}`);
  if (f.to) {
    const d = new Date(`${f.to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    c.push(`at < ${param(d.toISOString().slice(0, 19))}`);
  }
  if (f.operator) c.push(`operator = ${param(f.operator)}`);
  if (f.visibleTo) c.push(`(operator = ${param(f.visibleTo)} OR operator IS NULL)`);
  if (f.q) {
    const q = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    c.push(`${asciiLower('batch_name')} LIKE ${asciiLower(param(q))} ESCAPE '\\'`);
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params };
}

/** Refused batches on PostgreSQL, as ../rejections.queries.ts. */
export function createPgRejectionQueries(pool: pg.Pool): Register['rejections'] {
  return {
    /** The row and its `batch_rejected` event: one transaction. */
    record(r) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<Row>(
          `INSERT INTO rejected_batches (at, batch_name, source_path, intake, operator, problems, files,
             file_count, moved_to)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           RETURNING *`,
          [
            r.at ?? new Date().toISOString(),
            r.batchName,
            r.sourcePath,
            r.intake,
            r.operator,
            JSON.stringify(r.problems),
            JSON.stringify(r.files.slice(0, MAX_FILES)),
            r.fileCount,
            r.movedTo,
          ],
        );
        await insertEvent(tx, {
          itemId: null,
          level: 'warn',
          code: 'batch_rejected',
          params: { batch: r.batchName, reasons: r.problems.map((p) => p.code).join(',') },
        });
        return toRejection(rows[0] as Row);
      });
    },
    async list(f = {}, page = {}) {
      const w = whereOf(f);
      const n = w.params.length;
      const { rows } = await pool.query<Row>(
        `SELECT * FROM rejected_batches ${w.sql} ORDER BY at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...w.params, page.limit ?? null, page.offset ?? 0],
      );
      return rows.map(toRejection);
    },
    async count(f = {}) {
      const w = whereOf(f);
      const { rows } = await pool.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM rejected_batches ${w.sql}`,
        w.params,
      );
      return rows[0]?.n ?? 0;
    },
  };
}
