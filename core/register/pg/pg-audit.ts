import type pg from 'pg';
import type { AuditEntry, AuditFilter } from '../audit.queries.ts';
import type { Register } from '../register.ts';

/** The WHERE of a filter, its parameters numbered from $1. */
function whereOf(f: AuditFilter): { sql: string; params: unknown[] } {
  const c: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (p: string) => string, v: unknown) => {
    params.push(v);
    c.push(cond(`$${params.length}`));
  };
  if (f.username) add((p) => `username = ${p}`, f.username);
  if (f.action) add((p) => `action = ${p}`, f.action);
  // ISO-8601 text compared as text, as SQLite does (the register's database sorts byte-wise, "C").
  if (f.from) add((p) => `at >= ${p}`, f.from);
  if (f.to) add((p) => `at < ${p}`, f.to);
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params };
}

/** Who did what, when, on PostgreSQL (../audit.queries.ts). Append only. */
export function createPgAuditQueries(pool: pg.Pool): Register['audit'] {
  return {
    async record(e) {
      await pool.query(
        'INSERT INTO audit_log (at, user_id, username, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          new Date().toISOString(),
          e.userId,
          e.username,
          e.action,
          e.target ?? null,
          JSON.stringify(e.detail ?? {}),
          e.ip ?? null,
        ],
      );
    },
    async list(f = {}, page = { limit: -1, offset: 0 }) {
      const w = whereOf(f);
      const n = w.params.length;
      // SQLite reads a negative LIMIT as none (PostgreSQL: LIMIT NULL) and a negative OFFSET as 0
      // (PostgreSQL refuses one).
      const { rows } = await pool.query<Omit<AuditEntry, 'detail'> & { detail: string }>(
        `SELECT id, at, username, action, target, detail, ip FROM audit_log ${w.sql}
         ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...w.params, page.limit < 0 ? null : page.limit, Math.max(0, page.offset)],
      );
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },
    async count(f = {}) {
      const w = whereOf(f);
      const { rows } = await pool.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM audit_log ${w.sql}`,
        w.params,
      );
      return rows[0]?.n ?? 0;
    },
    async actions() {
      const { rows } = await pool.query<{ action: string }>(
        'SELECT DISTINCT action FROM audit_log ORDER BY action',
      );
      return rows.map((r) => r.action);
    },
  };
}
