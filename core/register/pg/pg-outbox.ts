import type pg from 'pg';
import type { OutboxAction } from '../outbox.queries.ts';
import type { Register } from '../register.ts';

/** The index outbox on PostgreSQL (see ../outbox.queries.ts). */
export function createPgOutboxQueries(pool: pg.Pool): Register['outbox'] {
  return {
    async add(itemId, action) {
      await pool.query('INSERT INTO index_outbox (item_id, action, created_at) VALUES ($1, $2, $3)', [
        itemId,
        action,
        Date.now(),
      ]);
    },
    async next(limit) {
      const { rows } = await pool.query<{ id: number; item_id: string; action: OutboxAction }>(
        'SELECT id, item_id, action FROM index_outbox ORDER BY id LIMIT $1',
        [limit],
      );
      return rows.map((r) => ({ id: r.id, itemId: r.item_id, action: r.action }));
    },
    async remove(ids) {
      if (ids.length > 0) await pool.query('DELETE FROM index_outbox WHERE id = ANY($1::bigint[])', [ids]);
    },
    async pendingCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM index_outbox');
      return rows[0]?.n ?? 0;
    },
  };
}
