import type pg from 'pg';
import {
  CLAIM_SQL,
  damagedItemOf,
  FIXITY_COLUMNS,
  FIXITY_FLAG,
  type FixityRun,
  fixityRunOf,
} from '../fixity.queries.ts';
import type { Register } from '../register.ts';

type Row = Parameters<typeof fixityRunOf>[0];

const DAMAGED = `flags @> '[{"code":"${FIXITY_FLAG}"}]'::jsonb`;

/** Fixity runs on PostgreSQL (see ../fixity.queries.ts); a night's claim is one atomic upsert. */
export function createPgFixityQueries(pool: pg.Pool): Register['fixity'] {
  const one = async (sql: string, params: unknown[] = []): Promise<FixityRun | null> => {
    const { rows } = await pool.query<Row>(sql, params);
    return rows[0] ? fixityRunOf(rows[0]) : null;
  };
  return {
    async claim(c) {
      return one(
        CLAIM_SQL((n) => `$${n}`),
        [
          c.claimKey,
          c.slot,
          c.part,
          c.of,
          c.owner,
          c.at.getTime() + c.leaseMs,
          c.at.toISOString(),
          c.at.getTime(),
        ],
      );
    },
    async start(r) {
      const run = await one(
        `INSERT INTO fixity_runs (claim_key, kind, slot, share_part, share_of, owner, started_at)
         VALUES (NULL, 'manual', $1, $2, $3, $4, $5) RETURNING ${FIXITY_COLUMNS}`,
        [r.slot, r.part, r.of, r.owner, (r.at ?? new Date()).toISOString()],
      );
      if (!run) throw new Error('fixity run not recorded');
      return run;
    },
    async renew(id, owner, leaseMs, at = new Date()) {
      const r = await pool.query(
        'UPDATE fixity_runs SET lease_until = $1 WHERE id = $2 AND owner = $3 AND finished_at IS NULL',
        [at.getTime() + leaseMs, id, owner],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async finish(id, owner, r) {
      const res = await pool.query(
        `UPDATE fixity_runs SET finished_at = $1, lease_until = NULL, checked_items = $2, checked_objects = $3,
           mismatches = $4, error = $5 WHERE id = $6 AND owner = $7 AND finished_at IS NULL`,
        [
          (r.at ?? new Date()).toISOString(),
          r.checkedItems,
          r.checkedObjects,
          r.mismatches,
          r.error,
          id,
          owner,
        ],
      );
      return (res.rowCount ?? 0) > 0;
    },
    async get(id) {
      return one(`SELECT ${FIXITY_COLUMNS} FROM fixity_runs WHERE id = $1`, [id]);
    },
    async recent(limit) {
      const { rows } = await pool.query<Row>(
        `SELECT ${FIXITY_COLUMNS} FROM fixity_runs ORDER BY id DESC LIMIT $1`,
        [limit],
      );
      return rows.map(fixityRunOf);
    },
    async summary() {
      const latest = (where: string) =>
        one(`SELECT ${FIXITY_COLUMNS} FROM fixity_runs ${where} ORDER BY id DESC LIMIT 1`);
      const [last, lastCompleted, counts] = await Promise.all([
        latest(''),
        latest('WHERE finished_at IS NOT NULL AND error IS NULL'),
        pool.query<{ n: number; at: string | null }>(
          `SELECT (SELECT COUNT(*)::int FROM items WHERE ${DAMAGED}) AS n,
                  (SELECT MIN(created_at) FROM items WHERE status = 'available') AS at`,
        ),
      ]);
      return {
        last,
        lastCompleted,
        damagedItems: counts.rows[0]?.n ?? 0,
        oldestItemAt: counts.rows[0]?.at ?? null,
      };
    },
    async damaged(limit) {
      const { rows } = await pool.query<{
        id: string;
        nomor_induk: string | null;
        title: string;
        flags: string;
      }>(
        `SELECT id, nomor_induk, title, flags FROM items WHERE ${DAMAGED} ORDER BY COALESCE(nomor_induk, ''), id LIMIT $1`,
        [limit],
      );
      return rows.map(damagedItemOf);
    },
    async clearDamage(itemId) {
      // One statement: a flag another process adds meanwhile is never lost.
      const r = await pool.query(
        `UPDATE items SET updated_at = $2, flags = COALESCE(
           (SELECT jsonb_agg(f ORDER BY n) FROM jsonb_array_elements(flags) WITH ORDINALITY AS e (f, n)
             WHERE f->>'code' <> '${FIXITY_FLAG}'), '[]'::jsonb)
         WHERE id = $1 AND ${DAMAGED}`,
        [itemId, new Date().toISOString()],
      );
      return (r.rowCount ?? 0) > 0;
    },
  };
}
