import type { Db } from './open-register.ts';

/**
 * The human steps of alih media an item goes through, each with who and when:
 * - `arrived`: its batch arrived in the inbox (upload, watched folder, `pindai ingest`), by its operator;
 * - `accepted`: intake checked and stored it and gave it its nomor induk;
 * - `reviewed`: a staff member decided its access level (the review queue);
 * - `published`: it became available in the collection (automatically when done and not held,
 *   or by the reviewer's decision that released it).
 */
export const ITEM_STEPS = ['arrived', 'accepted', 'reviewed', 'published'] as const;
export type ItemStep = (typeof ITEM_STEPS)[number];

export interface StepRecord {
  itemId: string;
  step: ItemStep;
  /** ISO-8601 time stamp. */
  at: string;
  /** Who took the step; null when nobody did (automatic publication, a batch without operator). */
  username: string | null;
  /** Staff time the step took, in ms, where something measured it; null otherwise. */
  staffMs: number | null;
}

/** An item as the SOP report sees it: when it arrived and when it became available. */
export interface SopItem {
  itemId: string;
  operator: string | null;
  pages: number;
  arrivedAt: string;
  acceptedAt: string | null;
  publishedAt: string | null;
}

/** Inclusive YYYY-MM-DD bounds as text bounds on ISO time stamps (as the reports do). */
export const stepPeriod = (from?: string, to?: string) => ({
  from: from ? `${from}T00:00:00` : '0000',
  to: to ? `${to}T99` : '9999',
});

/**
 * One item's arrival, acceptance and publication. Items registered before steps were recorded
 * (no step at all) count from their receiving time to their available time.
 */
export const SOP_ITEMS_SQL = `
  SELECT i.id AS "itemId", i.operator AS operator, i.page_count AS pages,
    COALESCE((SELECT MIN(s.at) FROM item_steps s WHERE s.item_id = i.id AND s.step = 'arrived'),
             i.created_at) AS "arrivedAt",
    (SELECT MIN(s.at) FROM item_steps s WHERE s.item_id = i.id AND s.step = 'accepted') AS "acceptedAt",
    COALESCE((SELECT MIN(s.at) FROM item_steps s WHERE s.item_id = i.id AND s.step = 'published'),
             CASE WHEN NOT EXISTS (SELECT 1 FROM item_steps s WHERE s.item_id = i.id)
                  THEN i.available_at END) AS "publishedAt"
  FROM items i`;

/** Who did which step of which item, and when (the SOP report). */
export function createStepQueries(db: Db) {
  return {
    /** Record a step (`at` defaults to now). */
    record(s: {
      itemId: string;
      step: ItemStep;
      at?: string;
      username?: string | null;
      staffMs?: number | null;
    }): void {
      db.prepare('INSERT INTO item_steps (item_id, step, at, username, staff_ms) VALUES (?, ?, ?, ?, ?)').run(
        s.itemId,
        s.step,
        s.at ?? new Date().toISOString(),
        s.username ?? null,
        s.staffMs ?? null,
      );
    },
    /** Steps of one item, in order. */
    ofItem(itemId: string): StepRecord[] {
      return db
        .prepare(
          `SELECT item_id AS itemId, step, at, username, staff_ms AS staffMs FROM item_steps
           WHERE item_id = ? ORDER BY at, id`,
        )
        .all(itemId) as StepRecord[];
    },
    /** Every step taken in the period (inclusive days, by the step's own time), oldest first. */
    list(from?: string, to?: string): StepRecord[] {
      return db
        .prepare(
          `SELECT item_id AS itemId, step, at, username, staff_ms AS staffMs FROM item_steps
           WHERE at >= @from AND at <= @to ORDER BY at, id`,
        )
        .all(stepPeriod(from, to)) as StepRecord[];
    },
    /** Items that arrived in the period (inclusive days), oldest arrival first. */
    sopItems(from?: string, to?: string): SopItem[] {
      return db
        .prepare(
          `SELECT * FROM (${SOP_ITEMS_SQL}) WHERE arrivedAt >= @from AND arrivedAt <= @to
           ORDER BY arrivedAt, itemId`,
        )
        .all(stepPeriod(from, to)) as SopItem[];
    },
  };
}

/** Record a step once per item (intake finishing a batch again, a second publication, …). */
export const STEP_ONCE_SQL = `INSERT INTO item_steps (item_id, step, at, username)
  SELECT @itemId, @step, @at, @username
  WHERE NOT EXISTS (SELECT 1 FROM item_steps WHERE item_id = @itemId AND step = @step)`;
