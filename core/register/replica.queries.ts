import type { Db } from './open-register.ts';

/** One object key the replica must hold: what the primary stored there, and how copying went. */
export interface ReplicaCopy {
  key: string;
  itemId: string | null;
  /** SHA-256 the primary returned for the put; null while the put was in flight (or died in it). */
  sha256: string | null;
  size: number | null;
  /** An original (copied before derivatives: they can be made again, originals cannot). */
  original: boolean;
  /** Bumped on every put: a copy of older bytes never marks newer ones as done. */
  version: number;
  /** Epoch ms since when this key has waited (kept while it stays pending). */
  queuedAt: number;
  attempts: number;
  lastError: string | null;
}

/** How far the replica is behind: what /healthz, /staf and `pindai replica status` show. */
export interface ReplicaLag {
  pending: number;
  /** Epoch ms of the oldest pending copy; null when nothing waits. */
  oldestQueuedAt: number | null;
  /** Pending copies whose last attempt failed, and the newest such error. */
  failing: number;
  lastError: string | null;
  copied: number;
}

export interface ReplicaStateEntry {
  value: Record<string, unknown>;
  at: number;
}

interface Row {
  key: string;
  item_id: string | null;
  sha256: string | null;
  size: number | null;
  original: number;
  version: number;
  queued_at: number;
  attempts: number;
  last_error: string | null;
}

export const rowToCopy = (r: Row): ReplicaCopy => ({
  key: r.key,
  itemId: r.item_id,
  sha256: r.sha256,
  size: r.size,
  original: r.original === 1,
  version: r.version,
  queuedAt: r.queued_at,
  attempts: r.attempts,
  lastError: r.last_error,
});

/** `items/<id>/…` → id; originals by their folder (core/store/keys.ts). */
export function keyFacts(key: string): { itemId: string | null; original: number } {
  const parts = key.split('/');
  return {
    itemId: parts[0] === 'items' && parts[1] ? parts[1] : null,
    original: parts[0] === 'items' && parts[2] === 'original' ? 1 : 0,
  };
}

/**
 * The replica ledger (core/replica/): every key the primary stored, pending until the replicator
 * copied it and read it back from the replica with the same SHA-256. `record` is called before a
 * put (sha null: intent) and after it (the stored hash), so a crash anywhere leaves the key pending.
 */
export function createReplicaQueries(db: Db) {
  const upsert = (copied: boolean) =>
    db.prepare(
      `INSERT INTO replica_copies (key, item_id, sha256, size, original, version, queued_at, copied_at)
       VALUES (@key, @itemId, @sha256, @size, @original, 1, @at, ${copied ? '@at' : 'NULL'})
       ON CONFLICT (key) DO UPDATE SET
         item_id = excluded.item_id, sha256 = excluded.sha256, size = excluded.size,
         version = replica_copies.version + 1,
         queued_at = CASE WHEN replica_copies.copied_at IS NULL THEN replica_copies.queued_at ELSE excluded.queued_at END,
         copied_at = excluded.copied_at, attempts = 0, next_try_at = 0, last_error = NULL`,
    );
  return {
    /** The primary is about to store (`stored` null) or has stored `key`: it must reach the replica. */
    record(key: string, stored: { sha256: string; size: number } | null, at: number = Date.now()): void {
      upsert(false).run({
        key,
        ...keyFacts(key),
        sha256: stored?.sha256 ?? null,
        size: stored?.size ?? null,
        at,
      });
    },
    /** `key` is known to be on the replica with these bytes (a restore from it, a verified catch-up). */
    recordCopied(key: string, stored: { sha256: string; size: number }, at: number = Date.now()): void {
      upsert(true).run({ key, ...keyFacts(key), sha256: stored.sha256, size: stored.size, at });
    },
    /** Pending copies due now: originals first, then oldest first. */
    due(now: number, limit: number): ReplicaCopy[] {
      return db
        .prepare<[number, number], Row>(
          `SELECT key, item_id, sha256, size, original, version, queued_at, attempts, last_error
             FROM replica_copies WHERE copied_at IS NULL AND next_try_at <= ?
            ORDER BY original DESC, queued_at, key LIMIT ?`,
        )
        .all(now, limit)
        .map(rowToCopy);
    },
    /** Copied and verified: done, unless the key was stored again meanwhile (another version). */
    copied(key: string, version: number, sha256: string, at: number = Date.now()): boolean {
      return (
        db
          .prepare(
            `UPDATE replica_copies SET copied_at = ?, sha256 = ?, last_error = NULL
              WHERE key = ? AND version = ? AND copied_at IS NULL`,
          )
          .run(at, sha256, key, version).changes > 0
      );
    },
    failed(key: string, version: number, error: string, nextTryAt: number): void {
      db.prepare(
        `UPDATE replica_copies SET attempts = attempts + 1, last_error = ?, next_try_at = ?
          WHERE key = ? AND version = ?`,
      ).run(error.slice(0, 500), nextTryAt, key, version);
    },
    /** Nothing to copy: the primary no longer holds the key (removed, or its put never finished). */
    drop(key: string, version: number): void {
      db.prepare('DELETE FROM replica_copies WHERE key = ? AND version = ? AND copied_at IS NULL').run(
        key,
        version,
      );
    },
    /** The SHA-256 the replica was verified to hold for `key`, or null when it was never copied. */
    copiedSha(key: string): string | null {
      const r = db
        .prepare<[string], { sha256: string | null }>(
          'SELECT sha256 FROM replica_copies WHERE key = ? AND copied_at IS NOT NULL',
        )
        .get(key);
      return r?.sha256 ?? null;
    },
    lag(): ReplicaLag {
      const r = db
        .prepare(
          `SELECT COUNT(*) FILTER (WHERE copied_at IS NULL) AS pending,
                  MIN(queued_at) FILTER (WHERE copied_at IS NULL) AS oldest,
                  COUNT(*) FILTER (WHERE copied_at IS NULL AND last_error IS NOT NULL) AS failing,
                  COUNT(*) FILTER (WHERE copied_at IS NOT NULL) AS copied
             FROM replica_copies`,
        )
        .get() as { pending: number; oldest: number | null; failing: number; copied: number };
      const err = db
        .prepare<[], { last_error: string }>(
          `SELECT last_error FROM replica_copies WHERE copied_at IS NULL AND last_error IS NOT NULL
            ORDER BY next_try_at DESC LIMIT 1`,
        )
        .get();
      return {
        pending: r.pending,
        oldestQueuedAt: r.oldest,
        failing: r.failing,
        lastError: err?.last_error ?? null,
        copied: r.copied,
      };
    },
    setState(name: string, value: Record<string, unknown>, at: number = Date.now()): void {
      db.prepare(
        `INSERT INTO replica_state (name, value, at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, at = excluded.at`,
      ).run(name, JSON.stringify(value), at);
    },
    state(name: string): ReplicaStateEntry | null {
      const r = db
        .prepare<[string], { value: string; at: number }>(
          'SELECT value, at FROM replica_state WHERE name = ?',
        )
        .get(name);
      return r ? { value: JSON.parse(r.value) as Record<string, unknown>, at: r.at } : null;
    },
  };
}

export type ReplicaQueries = ReturnType<typeof createReplicaQueries>;
