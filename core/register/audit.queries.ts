import type { Db } from './open-register.ts';

export interface AuditEntry {
  id: number;
  at: string;
  username: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditFilter {
  username?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** Who did what, when: one row per staff action. Append only. */
export function createAuditQueries(db: Db) {
  const where = (f: AuditFilter) => {
    const c: string[] = [];
    if (f.username) c.push('username = @username');
    if (f.action) c.push('action = @action');
    if (f.from) c.push('at >= @from');
    if (f.to) c.push('at < @to');
    return c.length ? `WHERE ${c.join(' AND ')}` : '';
  };
  return {
    record(e: {
      userId: number | null;
      username: string;
      action: string;
      target?: string | null;
      detail?: Record<string, unknown>;
      ip?: string | null;
    }): void {
      db.prepare(
        'INSERT INTO audit_log (at, user_id, username, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        new Date().toISOString(),
        e.userId,
        e.username,
        e.action,
        e.target ?? null,
        JSON.stringify(e.detail ?? {}),
        e.ip ?? null,
      );
    },
    list(
      f: AuditFilter = {},
      page: { limit: number; offset: number } = { limit: -1, offset: 0 },
    ): AuditEntry[] {
      return (
        db
          .prepare(
            `SELECT id, at, username, action, target, detail, ip FROM audit_log ${where(f)}
             ORDER BY id DESC LIMIT @limit OFFSET @offset`,
          )
          .all({ ...f, ...page }) as (Omit<AuditEntry, 'detail'> & { detail: string })[]
      ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    },
    count(f: AuditFilter = {}): number {
      return (db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${where(f)}`).get(f) as { n: number }).n;
    },
    actions(): string[] {
      return (
        db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]
      ).map((r) => r.action);
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
