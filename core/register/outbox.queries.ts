import type { Db } from './open-register.ts';

export type OutboxAction = 'upsert' | 'remove';

export interface OutboxNote {
  id: number;
  itemId: string;
  action: OutboxAction;
}

/**
 * The index outbox: a process without the search index at hand records that an item changed; the
 * process that holds the index applies the notes in order and then deletes them. A note names the
 * item only: the applier reads what the register says at apply time, so notes may repeat or
 * arrive late without harm.
 */
export function createOutboxQueries(db: Db) {
  return {
    add(itemId: string, action: OutboxAction): void {
      db.prepare('INSERT INTO index_outbox (item_id, action, created_at) VALUES (?, ?, ?)').run(
        itemId,
        action,
        Date.now(),
      );
    },
    /** The oldest notes first. */
    next(limit: number): OutboxNote[] {
      return db
        .prepare<[number], { id: number; item_id: string; action: OutboxAction }>(
          'SELECT id, item_id, action FROM index_outbox ORDER BY id LIMIT ?',
        )
        .all(limit)
        .map((r) => ({ id: r.id, itemId: r.item_id, action: r.action }));
    },
    /** Notes applied: gone. */
    remove(ids: number[]): void {
      const del = db.prepare('DELETE FROM index_outbox WHERE id = ?');
      for (const id of ids) del.run(id);
    },
    pendingCount(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM index_outbox').get() as { n: number }).n;
    },
  };
}
