import type pg from 'pg';
import { STAGES, type Stage } from '../../item.types.ts';
import type { Register } from '../register.ts';
import { type Revision, restoredStatus } from '../staff-items.queries.ts';
import { type Queryable, withTransaction } from './pool.ts';

/** The job reads and writes a staff change makes, as the PostgreSQL jobs group has them. */
export type StaffJobs = Pick<
  Register['jobs'],
  'pendingCount' | 'has' | 'remove' | 'requeue' | 'lastFailedStage'
>;

const now = () => new Date().toISOString();

const REVISION =
  'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES ($1, $2, $3, $4, $5)';

/**
 * Staff changes to items on PostgreSQL (../staff-items.queries.ts). Each change is one
 * transaction; its job writes go through the jobs group made on that transaction's connection
 * (`jobsOn(tx)`), so they commit or roll back with the rest. Where SQLite's IMMEDIATE transaction
 * holds every other writer off, each change here first locks the item's row (FOR UPDATE): two
 * changes of one item take turns, and the second sees what the first did (a re-run then finds the
 * item busy, as it would on SQLite).
 */
export function createPgStaffItemQueries(
  pool: pg.Pool,
  { jobsOn }: { jobsOn: (db: Queryable) => StaffJobs },
): Register['staffItems'] {
  /** Lock the item for this transaction; its status, or undefined for an unknown item. */
  const lockItem = async (tx: Queryable, itemId: string) =>
    (await tx.query<{ status: string }>('SELECT status FROM items WHERE id = $1 FOR UPDATE', [itemId]))
      .rows[0]?.status;
  /**
   * The item may be redone from `stage` (as mayRedoFrom on SQLite): known, not withdrawn (publishing
   * would put it back in the collection), no job of it queued or running, and the stage has run
   * before. Locks the item.
   */
  const mayRedoFrom = async (tx: Queryable, jobs: StaffJobs, itemId: string, stage: Stage) => {
    const status = await lockItem(tx, itemId);
    if (status === undefined || status === 'withdrawn') return false;
    return (await jobs.pendingCount([itemId])) === 0 && (await jobs.has(itemId, stage));
  };
  /** Redo the item from cleaning: later stages are queued anew as cleaning finishes. */
  const redoFromClean = async (jobs: StaffJobs, itemId: string) => {
    await jobs.remove(itemId, ['ocr', 'pdf', 'publish']);
    await jobs.requeue(itemId, 'clean');
  };
  const inTx = <T>(fn: (tx: Queryable, jobs: StaffJobs) => Promise<T>) =>
    withTransaction(pool, (tx) => fn(tx, jobsOn(tx)));

  return {
    updateMetadata: (item, title, metadata, username) =>
      inTx(async (tx) => {
        await tx.query(REVISION, [
          item.id,
          now(),
          username,
          'metadata',
          JSON.stringify({ title: item.title, metadata: item.metadata }),
        ]);
        await tx.query(
          'UPDATE items SET title = $1, metadata = $2, source_nomor_induk = $3, updated_at = $4 WHERE id = $5',
          [
            title,
            JSON.stringify(metadata),
            metadata.sourceNomorInduk ?? metadata.barcode ?? null,
            now(),
            item.id,
          ],
        );
      }),
    async revisions(itemId) {
      const { rows } = await pool.query<Omit<Revision, 'before'> & { before: string }>(
        'SELECT at, username, kind, before FROM item_revisions WHERE item_id = $1 ORDER BY id DESC',
        [itemId],
      );
      return rows.map((r) => ({ ...r, before: JSON.parse(r.before) as Record<string, unknown> }));
    },
    withdraw: (itemId, username, reason) =>
      inTx(async (tx) => {
        const status = await lockItem(tx, itemId);
        // SQLite's version fails on an unknown item too (a TypeError there).
        if (status === undefined) throw new Error(`item ${itemId} not found`);
        await tx.query(REVISION, [itemId, now(), username, 'withdraw', JSON.stringify({ status, reason })]);
        await tx.query(`UPDATE items SET status = 'withdrawn', updated_at = $1 WHERE id = $2`, [
          now(),
          itemId,
        ]);
      }),
    restore: (itemId, username, reason) =>
      inTx(async (tx) => {
        if ((await lockItem(tx, itemId)) !== 'withdrawn') return null;
        const { rows } = await tx.query<{ before: string }>(
          `SELECT before FROM item_revisions WHERE item_id = $1 AND kind = 'withdraw' ORDER BY id DESC LIMIT 1`,
          [itemId],
        );
        const status = restoredStatus(rows[0]?.before);
        await tx.query(REVISION, [
          itemId,
          now(),
          username,
          'restore',
          JSON.stringify({ status: 'withdrawn', reason }),
        ]);
        await tx.query('UPDATE items SET status = $1, updated_at = $2 WHERE id = $3', [
          status,
          now(),
          itemId,
        ]);
        return status;
      }),
    retryFailed: (itemId) =>
      inTx(async (tx, jobs) => {
        await lockItem(tx, itemId);
        const stage = await jobs.lastFailedStage(itemId);
        if (!stage) return null;
        await jobs.requeue(itemId, stage);
        await tx.query(
          `UPDATE items SET status = 'processing', stage = $1, error_code = NULL, error_message = NULL,
             updated_at = $2 WHERE id = $3`,
          [stage, now(), itemId],
        );
        return stage;
      }),
    rearrangePages: (itemId, order, username) =>
      inTx(async (tx, jobs) => {
        if (!(await mayRedoFrom(tx, jobs, itemId, 'clean'))) return null;
        const { rows: pages } = await tx.query<{ page_no: number }>(
          `SELECT page_no, source_file, source_subpage, original_key, original_sha256 FROM pages
           WHERE item_id = $1 ORDER BY page_no`,
          [itemId],
        );
        const known = new Set(pages.map((p) => p.page_no));
        if (order.length === 0 || new Set(order).size !== order.length || order.some((n) => !known.has(n)))
          return null;
        await tx.query(REVISION, [itemId, now(), username, 'pages', JSON.stringify({ pages })]);
        // Two steps through negative numbers: (item_id, page_no) is the primary key, checked row by row.
        await tx.query('UPDATE pages SET page_no = -page_no WHERE item_id = $1', [itemId]);
        await tx.query(
          `UPDATE pages p SET page_no = o.next FROM unnest($2::int[], $3::int[]) AS o(old, next)
           WHERE p.item_id = $1 AND p.page_no = -o.old`,
          [itemId, order, order.map((_, i) => i + 1)],
        );
        await tx.query('DELETE FROM pages WHERE item_id = $1 AND page_no < 0', [itemId]);
        await tx.query('UPDATE pages SET cleaned_at = NULL, ocr_at = NULL WHERE item_id = $1', [itemId]);
        await redoFromClean(jobs, itemId);
        await tx.query(
          `UPDATE items SET page_count = $1, status = 'processing', stage = 'clean', error_code = NULL,
             error_message = NULL, updated_at = $2 WHERE id = $3`,
          [order.length, now(), itemId],
        );
        return pages.length;
      }),
    replacePage: (itemId, pageNo, next, username) =>
      inTx(async (tx, jobs) => {
        if (!(await mayRedoFrom(tx, jobs, itemId, 'clean'))) return null;
        const before = (
          await tx.query<Record<string, unknown>>(
            `SELECT page_no, source_file, source_subpage, original_key, original_sha256, original_bytes, format,
               width, height, dpi FROM pages WHERE item_id = $1 AND page_no = $2`,
            [itemId, pageNo],
          )
        ).rows[0];
        if (!before) return null;
        await tx.query(REVISION, [itemId, now(), username, 'page_replace', JSON.stringify({ page: before })]);
        await tx.query(
          `UPDATE pages SET source_file = $3, source_subpage = 0, original_key = $4, original_sha256 = $5,
             original_bytes = $6, format = $7, width = $8, height = $9, dpi = $10, clean_width = NULL,
             clean_height = NULL, clean_dpi = NULL, skew = NULL, cleaned_at = NULL, ocr_confidence = NULL,
             ocr_chars = NULL, ocr_warning = NULL, ocr_at = NULL, source_kind = $11, source_region = NULL,
             orientation = NULL, orientation_confidence = NULL, rotate_override = NULL
           WHERE item_id = $1 AND page_no = $2`,
          [
            itemId,
            pageNo,
            next.sourceFile,
            next.originalKey,
            next.originalSha256,
            next.originalBytes,
            next.format,
            next.width,
            next.height,
            next.dpi,
            next.format === 'pdf' ? 'pdf' : 'image',
          ],
        );
        // Size and formats of the originals the item now consists of (each file counted once).
        // SQLite's GROUP_CONCAT sees the groups in original_key order (its GROUP BY sorts): said
        // here, so the formats come in the same order. SUM of BIGINT is NUMERIC: back to BIGINT.
        const totals = (
          await tx.query<{ bytes: number; formats: string | null }>(
            `SELECT COALESCE(SUM(original_bytes), 0)::bigint AS bytes,
               string_agg(format, '+' ORDER BY original_key) AS formats FROM
               (SELECT original_key, MAX(original_bytes) AS original_bytes, MIN(format) AS format
                FROM pages WHERE item_id = $1 GROUP BY original_key) AS originals`,
            [itemId],
          )
        ).rows[0] as { bytes: number; formats: string | null };
        const formats = [...new Set((totals.formats ?? '').split('+').filter(Boolean))].join('+');
        await redoFromClean(jobs, itemId);
        await tx.query(
          `UPDATE items SET original_bytes = $1, source_format = $2, status = 'processing', stage = 'clean',
             error_code = NULL, error_message = NULL, updated_at = $3 WHERE id = $4`,
          [totals.bytes, formats || null, now(), itemId],
        );
        return before;
      }),
    rotatePage: (itemId, pageNo, turn) =>
      inTx(async (tx, jobs) => {
        if (!(await mayRedoFrom(tx, jobs, itemId, 'clean'))) return null;
        const row = (
          await tx.query<{ rotate_override: number | null }>(
            'SELECT rotate_override FROM pages WHERE item_id = $1 AND page_no = $2',
            [itemId, pageNo],
          )
        ).rows[0];
        if (!row) return null;
        await tx.query(
          `UPDATE pages SET rotate_override = $1, cleaned_at = NULL, ocr_at = NULL
           WHERE item_id = $2 AND page_no = $3`,
          [turn, itemId, pageNo],
        );
        await redoFromClean(jobs, itemId);
        await tx.query(
          `UPDATE items SET status = 'processing', stage = 'clean', error_code = NULL, error_message = NULL,
             updated_at = $1 WHERE id = $2`,
          [now(), itemId],
        );
        return { before: row.rotate_override };
      }),
    rerunFrom: (itemId, stage, settings = {}) =>
      inTx(async (tx, jobs) => {
        if (!(await mayRedoFrom(tx, jobs, itemId, stage))) return false;
        await jobs.remove(itemId, STAGES.slice(STAGES.indexOf(stage) + 1));
        await tx.query(
          stage === 'clean'
            ? 'UPDATE pages SET cleaned_at = NULL, ocr_at = NULL WHERE item_id = $1'
            : 'UPDATE pages SET ocr_at = NULL WHERE item_id = $1',
          [itemId],
        );
        await jobs.requeue(itemId, stage);
        if (settings.ocrLangs !== undefined)
          await tx.query('UPDATE items SET ocr_langs = $1 WHERE id = $2', [
            settings.ocrLangs?.join('+') ?? null,
            itemId,
          ]);
        if (settings.clean !== undefined)
          await tx.query('UPDATE items SET clean_settings = $1 WHERE id = $2', [
            settings.clean && Object.keys(settings.clean).length > 0 ? JSON.stringify(settings.clean) : null,
            itemId,
          ]);
        await tx.query(
          `UPDATE items SET status = 'processing', stage = $1, error_code = NULL, error_message = NULL,
             updated_at = $2 WHERE id = $3`,
          [stage, now(), itemId],
        );
        return true;
      }),
  };
}
