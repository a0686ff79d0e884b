import type pg from 'pg';
import type { Register } from '../register.ts';
import { keyFacts, rowToCopy } from '../replica.queries.ts';

/** The replica ledger on PostgreSQL (see ../replica.queries.ts). */
export function createPgReplicaQueries(pool: pg.Pool): Register['replica'] {
  const upsert = (copied: boolean) =>
    `INSERT INTO replica_copies (key, item_id, sha256, size, original, version, queued_at, copied_at)
     VALUES ($1, $2, $3, $4, $5, 1, $6, ${copied ? '$6' : 'NULL'})
     ON CONFLICT (key) DO UPDATE SET
       item_id = excluded.item_id, sha256 = excluded.sha256, size = excluded.size,
       version = replica_copies.version + 1,
       queued_at = CASE WHEN replica_copies.copied_at IS NULL THEN replica_copies.queued_at ELSE excluded.queued_at END,
       copied_at = excluded.copied_at, attempts = 0, next_try_at = 0, last_error = NULL`;
  const params = (key: string, stored: { sha256: string; size: number } | null, at: number) => {
    const f = keyFacts(key);
    return [key, f.itemId, stored?.sha256 ?? null, stored?.size ?? null, f.original, at];
  };
  return {
    async record(key, stored, at = Date.now()) {
      await pool.query(upsert(false), params(key, stored, at));
    },
    async recordCopied(key, stored, at = Date.now()) {
      await pool.query(upsert(true), params(key, stored, at));
    },
    async due(now, limit) {
      const { rows } = await pool.query(
        `SELECT key, item_id, sha256, size, original, version, queued_at, attempts, last_error
           FROM replica_copies WHERE copied_at IS NULL AND next_try_at <= $1
          ORDER BY original DESC, queued_at, key LIMIT $2`,
        [now, limit],
      );
      return rows.map(rowToCopy);
    },
    async copied(key, version, sha256, at = Date.now()) {
      const r = await pool.query(
        `UPDATE replica_copies SET copied_at = $1, sha256 = $2, last_error = NULL
          WHERE key = $3 AND version = $4 AND copied_at IS NULL`,
        [at, sha256, key, version],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async failed(key, version, error, nextTryAt) {
      await pool.query(
        `UPDATE replica_copies SET attempts = attempts + 1, last_error = $1, next_try_at = $2
          WHERE key = $3 AND version = $4`,
        [error.slice(0, 500), nextTryAt, key, version],
      );
    },
    async drop(key, version) {
      await pool.query('DELETE FROM replica_copies WHERE key = $1 AND version = $2 AND copied_at IS NULL', [
        key,
        version,
      ]);
    },
    async copiedSha(key) {
      const { rows } = await pool.query<{ sha256: string | null }>(
        'SELECT sha256 FROM replica_copies WHERE key = $1 AND copied_at IS NOT NULL',
        [key],
      );
      return rows[0]?.sha256 ?? null;
    },
    async lag() {
      const { rows } = await pool.query<{
        pending: number;
        oldest: number | null;
        failing: number;
        copied: number;
      }>(
        `SELECT (COUNT(*) FILTER (WHERE copied_at IS NULL))::int AS pending,
                MIN(queued_at) FILTER (WHERE copied_at IS NULL) AS oldest,
                (COUNT(*) FILTER (WHERE copied_at IS NULL AND last_error IS NOT NULL))::int AS failing,
                (COUNT(*) FILTER (WHERE copied_at IS NOT NULL))::int AS copied
           FROM replica_copies`,
      );
      const err = await pool.query<{ last_error: string }>(
        `SELECT last_error FROM replica_copies WHERE copied_at IS NULL AND last_error IS NOT NULL
          ORDER BY next_try_at DESC LIMIT 1`,
      );
      const r = rows[0];
      return {
        pending: r?.pending ?? 0,
        oldestQueuedAt: r?.oldest ?? null,
        failing: r?.failing ?? 0,
        lastError: err.rows[0]?.last_error ?? null,
        copied: r?.copied ?? 0,
      };
    },
    async setState(name, value, at = Date.now()) {
      await pool.query(
        `INSERT INTO replica_state (name, value, at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, at = excluded.at`,
        [name, JSON.stringify(value), at],
      );
    },
    async state(name) {
      const { rows } = await pool.query<{ value: string; at: number }>(
        'SELECT value, at FROM replica_state WHERE name = $1',
        [name],
      );
      const r = rows[0];
      return r ? { value: JSON.parse(r.value) as Record<string, unknown>, at: r.at } : null;
    },
  };
}
