import type pg from 'pg';
import { HELD_FLAG } from '../../access.ts';
import { type ItemRow, toItem } from '../items.queries.ts';
import type { Register } from '../register.ts';
import { recordStepOnce } from './pg-steps.ts';
import { withTransaction } from './pool.ts';

/** `->>` reads a JSON string as text, as SQLite's json_extract does. */
const HELD = `metadata ->> 'rights' = 'review' AND status != 'withdrawn'`;

/** The review queue on PostgreSQL, as ../review.queries.ts. */
export function createPgReviewQueries(pool: pg.Pool): Register['review'] {
  return {
    async list(opts = {}) {
      const { rows } = await pool.query<ItemRow>(
        `SELECT * FROM items WHERE ${HELD} ORDER BY created_at, id LIMIT $1 OFFSET $2`,
        [opts.limit ?? null, opts.offset ?? 0],
      );
      return rows.map(toItem);
    },
    async count() {
      const { rows } = await pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM items WHERE ${HELD}`);
      return rows[0]?.n ?? 0;
    },
    /**
     * One transaction with the item's row locked from the read to the write: two staff members
     * releasing one item at once each keep a revision, and neither loses the other's flags.
     */
    setAccess(itemId, access, username) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<ItemRow>('SELECT * FROM items WHERE id = $1 FOR UPDATE', [itemId]);
        const r = rows[0];
        if (!r || r.status === 'withdrawn') return null;
        const before = toItem(r);
        const flags = access === 'review' ? before.flags : before.flags.filter((f) => f.code !== HELD_FLAG);
        await tx.query(
          'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES ($1, $2, $3, $4, $5)',
          [
            itemId,
            new Date().toISOString(),
            username,
            'access',
            JSON.stringify({ rights: before.metadata.rights ?? null }),
          ],
        );
        const at = new Date().toISOString();
        await tx.query(
          `UPDATE items SET metadata = jsonb_set(metadata, '{rights}', to_jsonb($2::text)), flags = $3,
             updated_at = $4 WHERE id = $1`,
          [itemId, access, JSON.stringify(flags), at],
        );
        await tx.query('INSERT INTO item_steps (item_id, step, at, username) VALUES ($1, $2, $3, $4)', [
          itemId,
          'reviewed',
          at,
          username,
        ]);
        if (access !== 'review' && before.status === 'available')
          await recordStepOnce(tx, { itemId, step: 'published', at, username });
        return before;
      });
    },
  };
}
