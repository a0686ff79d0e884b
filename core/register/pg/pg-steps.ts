import type pg from 'pg';
import type { Register } from '../register.ts';
import { SOP_ITEMS_SQL, type SopItem, type StepRecord, stepPeriod } from '../steps.queries.ts';
import type { Queryable } from './pool.ts';

/** The human steps of items on PostgreSQL (../steps.queries.ts): the same rows and order. */
export function createPgStepQueries(pool: pg.Pool): Register['steps'] {
  return {
    async record(s) {
      await pool.query(
        'INSERT INTO item_steps (item_id, step, at, username, staff_ms) VALUES ($1, $2, $3, $4, $5)',
        [s.itemId, s.step, s.at ?? new Date().toISOString(), s.username ?? null, s.staffMs ?? null],
      );
    },
    async ofItem(itemId) {
      return (
        await pool.query<StepRecord>(
          `SELECT item_id AS "itemId", step, at, username, staff_ms AS "staffMs" FROM item_steps
           WHERE item_id = $1 ORDER BY at, id`,
          [itemId],
        )
      ).rows;
    },
    async list(from, to) {
      const p = stepPeriod(from, to);
      return (
        await pool.query<StepRecord>(
          `SELECT item_id AS "itemId", step, at, username, staff_ms AS "staffMs" FROM item_steps
           WHERE at >= $1 AND at <= $2 ORDER BY at, id`,
          [p.from, p.to],
        )
      ).rows;
    },
    async sopItems(from, to) {
      const p = stepPeriod(from, to);
      return (
        await pool.query<SopItem>(
          `SELECT * FROM (${SOP_ITEMS_SQL}) x WHERE "arrivedAt" >= $1 AND "arrivedAt" <= $2
           ORDER BY "arrivedAt", "itemId"`,
          [p.from, p.to],
        )
      ).rows;
    },
  };
}

/** Record a step once per item, inside the caller's transaction (as STEP_ONCE_SQL does in SQLite). */
export async function recordStepOnce(
  db: Queryable,
  s: { itemId: string; step: string; at: string; username: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO item_steps (item_id, step, at, username)
     SELECT $1::text, $2::text, $3::text, $4::text
     WHERE NOT EXISTS (SELECT 1 FROM item_steps WHERE item_id = $1 AND step = $2)`,
    [s.itemId, s.step, s.at, s.username],
  );
}
