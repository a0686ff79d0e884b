import { HELD_FLAG } from '../access.ts';
import type { Item } from '../item.types.ts';
import type { AccessLevel } from '../metadata.schema.ts';
import { type ItemRow, toItem } from './items.queries.ts';
import type { Db } from './open-register.ts';
import { STEP_ONCE_SQL } from './steps.queries.ts';

/** The review queue: items held because their access level could not be known, and their release. */
export function createReviewQueries(db: Db) {
  const held = `json_extract(metadata, '$.rights') = 'review' AND status != 'withdrawn'`;
  return {
    /** Held items, oldest first (the longest wait is seen first). */
    list(opts: { limit?: number; offset?: number } = {}): Item[] {
      return db
        .prepare<{ limit: number; offset: number }, ItemRow>(
          `SELECT * FROM items WHERE ${held} ORDER BY created_at, id LIMIT @limit OFFSET @offset`,
        )
        .all({ limit: opts.limit ?? -1, offset: opts.offset ?? 0 })
        .map(toItem);
    },
    count(): number {
      return (db.prepare(`SELECT COUNT(*) AS n FROM items WHERE ${held}`).get() as { n: number }).n;
    },
    /**
     * Set an item's access level (publish it, or make it staff-only, or hold it again). The previous
     * level is kept in item_revisions; the hold flag goes when the item leaves review. Returns the
     * item as it was before, or null when it does not exist or was withdrawn.
     */
    setAccess(itemId: string, access: AccessLevel, username: string): Item | null {
      return db
        .transaction(() => {
          const r = db.prepare<[string], ItemRow>('SELECT * FROM items WHERE id = ?').get(itemId);
          if (!r || r.status === 'withdrawn') return null;
          const before = toItem(r);
          const flags = access === 'review' ? before.flags : before.flags.filter((f) => f.code !== HELD_FLAG);
          db.prepare(
            'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
          ).run(
            itemId,
            new Date().toISOString(),
            username,
            'access',
            JSON.stringify({ rights: before.metadata.rights ?? null }),
          );
          const at = new Date().toISOString();
          db.prepare(
            `UPDATE items SET metadata = json_set(metadata, '$.rights', ?), flags = ?, updated_at = ? WHERE id = ?`,
          ).run(access, JSON.stringify(flags), at, itemId);
          // The decision is a human step; releasing a finished item publishes it (by the reviewer).
          db.prepare('INSERT INTO item_steps (item_id, step, at, username) VALUES (?, ?, ?, ?)').run(
            itemId,
            'reviewed',
            at,
            username,
          );
          if (access !== 'review' && before.status === 'available')
            db.prepare(STEP_ONCE_SQL).run({ itemId, step: 'published', at, username });
          return before;
        })
        .immediate();
    },
  };
}
