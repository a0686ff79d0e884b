import type { ItemFlag } from '../item.types.ts';
import { type Db, inTransaction } from './open-register.ts';

/** The flag a fixity run puts on an item with a damaged or missing object (its first key). */
export const FIXITY_FLAG = 'fixity_failed';

/** One check of a share of the stored objects: nightly inside `pindai serve`, or by hand. */
export interface FixityRun {
  id: number;
  kind: 'schedule' | 'manual';
  /** Which rolling share (scripts/recovery/fixity.ts): buckets slot·part … of `of`. */
  slot: number;
  sharePart: number;
  shareOf: number;
  /** The process running it (host:pid), the one that may renew and finish it. */
  owner: string;
  startedAt: string;
  /** Null while it runs, or when its process died before the end (then taken over or left). */
  finishedAt: string | null;
  checkedItems: number;
  checkedObjects: number;
  mismatches: number;
  /** Why the run stopped short (store unreachable …); null when it checked its whole share. */
  error: string | null;
}

/** An item fixity found damaged, until a repair or a later check clears its flag. */
export interface FixityDamagedItem {
  id: string;
  nomorInduk: string | null;
  title: string;
  /** The object named in its flag (the first damaged one found). */
  key: string | null;
}

export interface FixitySummary {
  /** The newest run, finished or not. */
  last: FixityRun | null;
  /** The newest run that checked its whole share (finished, no error). */
  lastCompleted: FixityRun | null;
  damagedItems: number;
  /** When the oldest available item was registered: "never checked" only counts once one exists. */
  oldestItemAt: string | null;
}

export interface FixityClaim {
  /** One per night (`nightly:2026-12-06`): the unique key every process claims. */
  claimKey: string;
  slot: number;
  part: number;
  of: number;
  owner: string;
  leaseMs: number;
  at: Date;
}

export interface FixityResult {
  checkedItems: number;
  checkedObjects: number;
  mismatches: number;
  error: string | null;
  at?: Date;
}

interface Row {
  id: number;
  kind: FixityRun['kind'];
  slot: number;
  share_part: number;
  share_of: number;
  owner: string;
  started_at: string;
  finished_at: string | null;
  checked_items: number;
  checked_objects: number;
  mismatches: number;
  error: string | null;
}

export const FIXITY_COLUMNS =
  'id, kind, slot, share_part, share_of, owner, started_at, finished_at, checked_items, checked_objects, mismatches, error';

export const fixityRunOf = (r: Row): FixityRun => ({
  id: r.id,
  kind: r.kind,
  slot: r.slot,
  sharePart: r.share_part,
  shareOf: r.share_of,
  owner: r.owner,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  checkedItems: r.checked_items,
  checkedObjects: r.checked_objects,
  mismatches: r.mismatches,
  error: r.error,
});

export const damagedItemOf = (r: {
  id: string;
  nomor_induk: string | null;
  title: string;
  flags: string;
}): FixityDamagedItem => {
  const flag = (JSON.parse(r.flags) as ItemFlag[]).find((f) => f.code === FIXITY_FLAG);
  const key = flag?.params?.key;
  return { id: r.id, nomorInduk: r.nomor_induk, title: r.title, key: key === undefined ? null : String(key) };
};

/**
 * A night is claimed with one upsert: a new row, or the row of a run whose process stopped renewing
 * its lease before finishing (taken over, counts reset). A finished or live run answers nothing.
 * The same SQL reads alike on SQLite and PostgreSQL (ON CONFLICT … DO UPDATE … WHERE, RETURNING).
 */
export const CLAIM_SQL = (p: (n: number) => string) => `
  INSERT INTO fixity_runs (claim_key, kind, slot, share_part, share_of, owner, lease_until, started_at)
  VALUES (${p(1)}, 'schedule', ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)})
  ON CONFLICT (claim_key) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until,
    started_at = excluded.started_at, checked_items = 0, checked_objects = 0, mismatches = 0, error = NULL
  WHERE fixity_runs.finished_at IS NULL AND fixity_runs.lease_until <= ${p(8)}
  RETURNING ${FIXITY_COLUMNS}`;

/** Fixity runs and the items they found damaged (the /healthz field and the staff banner read these). */
export function createFixityQueries(db: Db) {
  // The LIKE first: /healthz and the staff home ask on every request, and most items have no flag
  // to parse (a text scan, no JSON work per row).
  const damagedWhere = `items.flags LIKE '%${FIXITY_FLAG}%' AND EXISTS (SELECT 1 FROM json_each(items.flags) f
    WHERE json_extract(f.value, '$.code') = '${FIXITY_FLAG}')`;
  return {
    /** Claim a night's run for `owner`; null when another process holds or finished it. */
    claim(c: FixityClaim): FixityRun | null {
      const row = db
        .prepare<unknown[], Row>(CLAIM_SQL(() => '?'))
        .get(
          c.claimKey,
          c.slot,
          c.part,
          c.of,
          c.owner,
          c.at.getTime() + c.leaseMs,
          c.at.toISOString(),
          c.at.getTime(),
        );
      return row ? fixityRunOf(row) : null;
    },
    /** A run by hand (`pindai fixity`): nobody else claims it. */
    start(r: { slot: number; part: number; of: number; owner: string; at?: Date }): FixityRun {
      const row = db
        .prepare<unknown[], Row>(
          `INSERT INTO fixity_runs (claim_key, kind, slot, share_part, share_of, owner, started_at)
           VALUES (NULL, 'manual', ?, ?, ?, ?, ?) RETURNING ${FIXITY_COLUMNS}`,
        )
        .get(r.slot, r.part, r.of, r.owner, (r.at ?? new Date()).toISOString());
      if (!row) throw new Error('fixity run not recorded');
      return fixityRunOf(row);
    },
    /** Extend a running claim's lease; false when it is finished or another process took it over. */
    renew(id: number, owner: string, leaseMs: number, at: Date = new Date()): boolean {
      return (
        db
          .prepare(
            'UPDATE fixity_runs SET lease_until = ? WHERE id = ? AND owner = ? AND finished_at IS NULL',
          )
          .run(at.getTime() + leaseMs, id, owner).changes > 0
      );
    },
    /** Record the end of a run; false when `owner` no longer holds it (taken over after a lapse). */
    finish(id: number, owner: string, r: FixityResult): boolean {
      return (
        db
          .prepare(
            `UPDATE fixity_runs SET finished_at = ?, lease_until = NULL, checked_items = ?, checked_objects = ?,
               mismatches = ?, error = ? WHERE id = ? AND owner = ? AND finished_at IS NULL`,
          )
          .run(
            (r.at ?? new Date()).toISOString(),
            r.checkedItems,
            r.checkedObjects,
            r.mismatches,
            r.error,
            id,
            owner,
          ).changes > 0
      );
    },
    get(id: number): FixityRun | null {
      const row = db.prepare<[number], Row>(`SELECT ${FIXITY_COLUMNS} FROM fixity_runs WHERE id = ?`).get(id);
      return row ? fixityRunOf(row) : null;
    },
    /** Newest first. */
    recent(limit: number): FixityRun[] {
      return db
        .prepare<[number], Row>(`SELECT ${FIXITY_COLUMNS} FROM fixity_runs ORDER BY id DESC LIMIT ?`)
        .all(limit)
        .map(fixityRunOf);
    },
    summary(): FixitySummary {
      const one = (where: string) =>
        db
          .prepare<[], Row>(`SELECT ${FIXITY_COLUMNS} FROM fixity_runs ${where} ORDER BY id DESC LIMIT 1`)
          .get();
      const last = one('');
      const done = one('WHERE finished_at IS NOT NULL AND error IS NULL');
      const { n } = db.prepare(`SELECT COUNT(*) AS n FROM items WHERE ${damagedWhere}`).get() as {
        n: number;
      };
      const { at } = db
        .prepare(`SELECT MIN(created_at) AS at FROM items WHERE status = 'available'`)
        .get() as { at: string | null };
      return {
        last: last ? fixityRunOf(last) : null,
        lastCompleted: done ? fixityRunOf(done) : null,
        damagedItems: n,
        oldestItemAt: at,
      };
    },
    /** Items flagged damaged, by nomor induk. */
    damaged(limit: number): FixityDamagedItem[] {
      return db
        .prepare<[number], { id: string; nomor_induk: string | null; title: string; flags: string }>(
          `SELECT id, nomor_induk, title, flags FROM items WHERE ${damagedWhere} ORDER BY COALESCE(nomor_induk, ''), id LIMIT ?`,
        )
        .all(limit)
        .map(damagedItemOf);
    },
    /** Drop an item's damage flag (a later check found it whole, or it was repaired); false: it had none. */
    clearDamage(itemId: string): boolean {
      return inTransaction(db, () => {
        const row = db
          .prepare<[string], { flags: string }>('SELECT flags FROM items WHERE id = ?')
          .get(itemId);
        if (!row) return false;
        const flags = JSON.parse(row.flags) as ItemFlag[];
        const kept = flags.filter((f) => f.code !== FIXITY_FLAG);
        if (kept.length === flags.length) return false;
        db.prepare('UPDATE items SET flags = ?, updated_at = ? WHERE id = ?').run(
          JSON.stringify(kept),
          new Date().toISOString(),
          itemId,
        );
        return true;
      });
    },
  };
}

export type FixityQueries = ReturnType<typeof createFixityQueries>;
