import type pg from 'pg';
import type { Item, ItemFlag, Stage } from '../../item.types.ts';
import { type FoundItem, type ItemRow, type NewItem, toItem } from '../items.queries.ts';
import type { Register } from '../register.ts';
import { enqueueJob } from './pg-jobs.ts';
import { allocateNomorIndukIn } from './pg-nomor-induk.ts';
import { insertEvent } from './pg-runs.ts';
import { recordStepOnce } from './pg-steps.ts';
import { type Queryable, withTransaction } from './pool.ts';

const now = () => new Date().toISOString();

/**
 * Park an item as failed at `stage` (null: keep its stage) on `db`, the pool or a transaction's
 * client: the job queue does this inside `fail`'s transaction.
 */
export async function markItemFailed(
  db: Queryable,
  id: string,
  stage: Stage | null,
  code: string,
  message: string,
): Promise<void> {
  await db.query(
    `UPDATE items SET status = 'failed', stage = COALESCE($2, stage), error_code = $3,
       error_message = $4, updated_at = $5 WHERE id = $1`,
    [id, stage, code, message, now()],
  );
}

async function insertItem(db: Queryable, it: NewItem): Promise<Item> {
  const t = now();
  const { rows } = await db.query<ItemRow>(
    `INSERT INTO items (id, title, metadata, flags, fingerprint, source_path, source_name, intake, operator,
       source_nomor_induk, status, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'receiving', $11, $11)
     RETURNING *`,
    [
      it.id,
      it.title,
      JSON.stringify(it.metadata),
      JSON.stringify(it.flags),
      it.fingerprint,
      it.sourcePath,
      it.sourceName,
      it.intake,
      it.operator,
      it.metadata.sourceNomorInduk ?? it.metadata.barcode ?? null,
      t,
    ],
  );
  return toItem(rows[0] as ItemRow);
}

/**
 * Rows in created_at order. SQLite leaves the order of equal time stamps (the same millisecond) to
 * its plan (rowid or index order); here they are ordered by id as well, so a result never depends
 * on the plan.
 */
async function itemsWhere(db: Queryable, where: string, value: string, dir: 'ASC' | 'DESC'): Promise<Item[]> {
  const { rows } = await db.query<ItemRow>(
    `SELECT * FROM items WHERE ${where} = $1 ORDER BY created_at ${dir}, id ${dir}`,
    [value],
  );
  return rows.map(toItem);
}

async function markReceived(
  db: Queryable,
  id: string,
  totals: { pageCount: number; originalBytes: number; sourceFormat: string },
): Promise<void> {
  await db.query(
    `UPDATE items SET status = 'received', page_count = $2, original_bytes = $3, source_format = $4,
       updated_at = $5 WHERE id = $1 AND status = 'receiving'`,
    [id, totals.pageCount, totals.originalBytes, totals.sourceFormat, now()],
  );
}

/**
 * Read an item's flags under a row lock, change them, write them back, in one transaction: two
 * machines adding flags to one item at once both keep theirs (SQLite's single writer gives the
 * same without asking).
 */
async function updateFlags(pool: pg.Pool, id: string, change: (flags: ItemFlag[]) => ItemFlag[] | null) {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ flags: string }>('SELECT flags FROM items WHERE id = $1 FOR UPDATE', [
      id,
    ]);
    if (!rows[0]) return;
    const flags = change(JSON.parse(rows[0].flags) as ItemFlag[]);
    if (!flags) return;
    await tx.query('UPDATE items SET flags = $2, updated_at = $3 WHERE id = $1', [
      id,
      JSON.stringify(flags),
      now(),
    ]);
  });
}

/**
 * Items on PostgreSQL, as ../items.queries.ts (SQLite). The operations that are one transaction
 * there are one here, with the locks that make them safe across machines: `findOrInsert` under
 * advisory locks on the batch's fingerprint and folder name, `receive` and `allocateNomorInduk`
 * under the item's row lock and the series counter's (pg-nomor-induk.ts). The pool must come
 * from createPgPool (BIGINT as numbers, JSON as text for the shared row mapper).
 */
export function createPgItemQueries(pool: pg.Pool): Register['items'] {
  const one = async (sql: string, value: string) => {
    const { rows } = await pool.query<ItemRow>(sql, [value]);
    return rows[0] ? toItem(rows[0]) : null;
  };
  return {
    get: (id) => one('SELECT * FROM items WHERE id = $1', id),
    byNomorInduk: (nomorInduk) => one('SELECT * FROM items WHERE nomor_induk = $1', nomorInduk),
    byFingerprint: (fingerprint) => itemsWhere(pool, 'fingerprint', fingerprint, 'ASC'),
    bySourcePath: (sourcePath) => itemsWhere(pool, 'source_path', sourcePath, 'DESC'),
    async numberingOf(id) {
      const { rows } = await pool.query<{ series: string | null; seq: number | null }>(
        'SELECT series, seq FROM items WHERE id = $1',
        [id],
      );
      const r = rows[0];
      return r?.series != null && r.seq != null ? { series: r.series, seq: r.seq } : null;
    },
    bySourceName: (sourceName) => itemsWhere(pool, 'source_name', sourceName, 'DESC'),
    async list(opts = {}) {
      // LIMIT NULL is no limit (SQLite's LIMIT -1).
      const { rows } = await pool.query<ItemRow>(
        `SELECT * FROM items WHERE ($1::text IS NULL OR status = $1)
         ORDER BY created_at, id LIMIT $2 OFFSET $3`,
        [opts.status ?? null, opts.limit ?? null, opts.offset ?? 0],
      );
      return rows.map(toItem);
    },
    insert: (it) => insertItem(pool, it),
    /**
     * One transaction, as on SQLite, where IMMEDIATE serialises every writer. Here two
     * transaction-scoped advisory locks do it for the batches that can see each other: one on
     * the fingerprint (the same pages accepted on two machines at once: the second waits, then
     * finds the first's item) and one on the folder name (two batches of one name at once: the
     * second is flagged as a reused name). Taken in that order by every caller, so they cannot
     * deadlock. Each statement after the locks reads what the previous holder committed.
     */
    findOrInsert(it, opts) {
      return withTransaction(pool, async (tx): Promise<FoundItem> => {
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtextextended('items.fingerprint:' || $1, 0)),
             pg_advisory_xact_lock(hashtextextended('items.source_name:' || $2, 0))`,
          [it.fingerprint, it.sourceName],
        );
        const previous = await itemsWhere(tx, 'fingerprint', it.fingerprint, 'ASC');
        const own = previous.find((p) => p.sourcePath === it.sourcePath && p.disposedAt === null);
        const other = previous.find((p) => p !== own);
        if (own) return { own, other };
        if (other) return { own: undefined, other };
        const earlier = (await itemsWhere(tx, 'source_name', it.sourceName, 'DESC')).find(
          (p) => Date.now() - Date.parse(p.createdAt) < opts.sameNameWithinMs,
        );
        const nameReused = earlier ? opts.nameReused(earlier) : undefined;
        const inserted = await insertItem(tx, nameReused ? { ...it, flags: [...it.flags, nameReused] } : it);
        return { own: undefined, other: undefined, inserted, nameReused };
      });
    },
    /**
     * The totals, the nomor induk (item row and series counter locked until commit), the
     * `register` job and the `accepted` event: one transaction, all or nothing.
     */
    receive(id, totals, o) {
      return withTransaction(pool, async (tx) => {
        await markReceived(tx, id, totals);
        const nomor = await allocateNomorIndukIn(tx, id, o.template, o.collectionCode);
        // The human steps so far: the batch arrived (when intake began reading it) and was accepted.
        const it = (
          await tx.query<{ created_at: string; operator: string | null }>(
            'SELECT created_at, operator FROM items WHERE id = $1',
            [id],
          )
        ).rows[0];
        const username = it?.operator ?? null;
        await recordStepOnce(tx, {
          itemId: id,
          step: 'arrived',
          at: o.arrivedAt ?? it?.created_at ?? now(),
          username,
        });
        await recordStepOnce(tx, { itemId: id, step: 'accepted', at: now(), username });
        await enqueueJob(tx, id, 'register', o.maxAttempts);
        await insertEvent(tx, {
          itemId: id,
          level: 'info',
          code: 'accepted',
          params: { pages: totals.pageCount },
        });
        return nomor;
      });
    },
    markReceived: (id, totals) => markReceived(pool, id, totals),
    async markDisposed(id) {
      const t = now();
      await pool.query('UPDATE items SET disposed_at = $2, updated_at = $2 WHERE id = $1', [id, t]);
    },
    async setStage(id, stage) {
      await pool.query(
        `UPDATE items SET stage = $2, updated_at = $3,
           status = CASE WHEN status IN ('received', 'failed') THEN 'processing' ELSE status END,
           error_code = CASE WHEN status = 'failed' THEN NULL ELSE error_code END,
           error_message = CASE WHEN status = 'failed' THEN NULL ELSE error_message END
         WHERE id = $1`,
        [id, stage, now()],
      );
    },
    markFailed: (id, stage, code, message) => markItemFailed(pool, id, stage, code, message),
    markAvailable(id) {
      return withTransaction(pool, async (tx) => {
        const t = now();
        const { rows } = await tx.query<{ held: boolean }>(
          `UPDATE items SET status = 'available', error_code = NULL, error_message = NULL,
             available_at = COALESCE(available_at, $2), updated_at = $2 WHERE id = $1
           RETURNING COALESCE(metadata ->> 'rights' = 'review', false) AS held`,
          [id, t],
        );
        if (rows[0] && !rows[0].held)
          await recordStepOnce(tx, { itemId: id, step: 'published', at: t, username: null });
      });
    },
    async setPdf(id, key, bytes) {
      await pool.query('UPDATE items SET pdf_key = $2, pdf_bytes = $3, updated_at = $4 WHERE id = $1', [
        id,
        key,
        bytes,
        now(),
      ]);
    },
    addFlag: (id, flag) =>
      updateFlags(pool, id, (flags) => (flags.some((f) => f.code === flag.code) ? null : [...flags, flag])),
    setFlag: (id, flag) =>
      updateFlags(pool, id, (flags) => [...flags.filter((f) => f.code !== flag.code), flag]),
    allocateNomorInduk: (id, template, code, at) =>
      withTransaction(pool, (tx) => allocateNomorIndukIn(tx, id, template, code, at)),
  };
}
