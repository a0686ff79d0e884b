import type { Item, Stage } from '../item.types.ts';
import { STAGES } from '../item.types.ts';
import type { ItemMetadata } from '../metadata.schema.ts';
import type { StoredCleanSettings, StoredRotation } from './item-settings.queries.ts';
import type { JobQueries } from './jobs.queries.ts';
import type { Db } from './open-register.ts';

export interface Revision {
  at: string;
  username: string;
  kind: string;
  before: Record<string, unknown>;
}

/**
 * The status a restored item gets: what it had before the withdrawal. A withdrawal recorded
 * without one (or mid-processing, whose jobs were left alone) comes back as failed, so staff see it
 * and retry, rather than as available without its files.
 */
export function restoredStatus(withdrawBefore: string | null | undefined): string {
  let status: unknown;
  try {
    status = (JSON.parse(withdrawBefore ?? '{}') as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  return status === 'available' || status === 'failed' ? status : 'failed';
}

/** Staff changes to items: metadata edits (old version kept), withdrawal, retries and re-runs. */
export function createStaffItemQueries(db: Db, { jobs }: { jobs: JobQueries }) {
  const now = () => new Date().toISOString();
  // A withdrawn item is never re-processed: publishing would put it back in the collection.
  const isWithdrawn = (itemId: string) =>
    (db.prepare('SELECT status FROM items WHERE id = ?').get(itemId) as { status: string } | undefined)
      ?.status === 'withdrawn';
  /**
   * The item may be redone from `stage`: no job of it queued or running, not withdrawn, and the
   * stage has run before (its job row exists), so nothing is changed on an item still arriving.
   */
  const mayRedoFrom = (itemId: string, stage: Stage): boolean =>
    jobs.pendingCount([itemId]) === 0 && !isWithdrawn(itemId) && jobs.has(itemId, stage);
  /** Redo the item from cleaning: later stages are queued anew as cleaning finishes. */
  const redoFromClean = (itemId: string) => {
    jobs.remove(itemId, ['ocr', 'pdf', 'publish']);
    jobs.requeue(itemId, 'clean');
  };
  return {
    /** Replace title and metadata; the previous version is kept in item_revisions. */
    updateMetadata(item: Item, title: string, metadata: ItemMetadata, username: string): void {
      db.transaction(() => {
        db.prepare(
          'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
        ).run(
          item.id,
          now(),
          username,
          'metadata',
          JSON.stringify({ title: item.title, metadata: item.metadata }),
        );
        db.prepare(
          `UPDATE items SET title = ?, metadata = ?, source_nomor_induk = ?, updated_at = ? WHERE id = ?`,
        ).run(
          title,
          JSON.stringify(metadata),
          metadata.sourceNomorInduk ?? metadata.barcode ?? null,
          now(),
          item.id,
        );
      })();
    },
    revisions(itemId: string): Revision[] {
      return (
        db
          .prepare('SELECT at, username, kind, before FROM item_revisions WHERE item_id = ? ORDER BY id DESC')
          .all(itemId) as (Omit<Revision, 'before'> & { before: string })[]
      ).map((r) => ({ ...r, before: JSON.parse(r.before) as Record<string, unknown> }));
    },
    withdraw(itemId: string, username: string, reason: string): void {
      db.transaction(() => {
        const prev = db.prepare('SELECT status FROM items WHERE id = ?').get(itemId) as { status: string };
        db.prepare(
          'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
        ).run(itemId, now(), username, 'withdraw', JSON.stringify({ status: prev.status, reason }));
        db.prepare(`UPDATE items SET status = 'withdrawn', updated_at = ? WHERE id = ?`).run(now(), itemId);
      })();
    },
    /**
     * Undo a withdrawal: the item gets back the status it had before (from the withdrawal's
     * revision), and the restoration is kept as a revision too. The status restored, or null when
     * the item is not withdrawn.
     */
    restore(itemId: string, username: string, reason: string): string | null {
      return db
        .transaction(() => {
          const cur = db.prepare('SELECT status FROM items WHERE id = ?').get(itemId) as
            | { status: string }
            | undefined;
          if (cur?.status !== 'withdrawn') return null;
          const last = db
            .prepare(
              `SELECT before FROM item_revisions WHERE item_id = ? AND kind = 'withdraw' ORDER BY id DESC LIMIT 1`,
            )
            .get(itemId) as { before: string } | undefined;
          const status = restoredStatus(last?.before);
          db.prepare(
            'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
          ).run(itemId, now(), username, 'restore', JSON.stringify({ status: 'withdrawn', reason }));
          db.prepare('UPDATE items SET status = ?, updated_at = ? WHERE id = ?').run(status, now(), itemId);
          return status;
        })
        .immediate();
    },
    /** Queue a failed stage again; the runner resumes the item from there. */
    retryFailed(itemId: string): Stage | null {
      return db
        .transaction(() => {
          const stage = jobs.lastFailedStage(itemId);
          if (!stage) return null;
          jobs.requeue(itemId, stage);
          db.prepare(
            `UPDATE items SET status = 'processing', stage = ?, error_code = NULL, error_message = NULL, updated_at = ?
             WHERE id = ?`,
          ).run(stage, now(), itemId);
          return stage;
        })
        .immediate();
    },
    /**
     * Reorder and remove pages: `order` lists the current page numbers in their new order; pages
     * left out are removed from the item. The previous arrangement is kept in item_revisions and
     * the originals stay in the store; everything from cleaning on is then redone. Returns the
     * previous page count, or null when refused (busy, never cleaned, or an invalid order).
     */
    rearrangePages(itemId: string, order: number[], username: string): number | null {
      return db
        .transaction(() => {
          if (!mayRedoFrom(itemId, 'clean')) return null;
          const pages = db
            .prepare(
              'SELECT page_no, source_file, source_subpage, original_key, original_sha256 FROM pages WHERE item_id = ? ORDER BY page_no',
            )
            .all(itemId) as { page_no: number }[];
          const known = new Set(pages.map((p) => p.page_no));
          if (order.length === 0 || new Set(order).size !== order.length || order.some((n) => !known.has(n)))
            return null;
          db.prepare(
            'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
          ).run(itemId, now(), username, 'pages', JSON.stringify({ pages }));
          // Two steps through negative numbers: (item_id, page_no) is the primary key.
          db.prepare('UPDATE pages SET page_no = -page_no WHERE item_id = ?').run(itemId);
          const move = db.prepare('UPDATE pages SET page_no = ? WHERE item_id = ? AND page_no = ?');
          for (const [i, old] of order.entries()) move.run(i + 1, itemId, -old);
          db.prepare('DELETE FROM pages WHERE item_id = ? AND page_no < 0').run(itemId);
          db.prepare('UPDATE pages SET cleaned_at = NULL, ocr_at = NULL WHERE item_id = ?').run(itemId);
          redoFromClean(itemId);
          db.prepare(
            `UPDATE items SET page_count = ?, status = 'processing', stage = 'clean', error_code = NULL,
               error_message = NULL, updated_at = ? WHERE id = ?`,
          ).run(order.length, now(), itemId);
          return pages.length;
        })
        .immediate();
    },
    /**
     * Point page `pageNo` at a new original (a rescan staff uploaded, already stored and verified).
     * The previous page record is kept in item_revisions and its original stays in the store; the
     * page's cleaning and OCR are redone, then the PDF and publishing. The rescan lies its own way
     * round: the old page's orientation and staff's turn for it are dropped. Refused (null) while a job
     * of the item is queued or running, before the item was ever cleaned, or for an unknown page.
     */
    replacePage(
      itemId: string,
      pageNo: number,
      next: {
        sourceFile: string;
        originalKey: string;
        originalSha256: string;
        originalBytes: number;
        format: string;
        width: number;
        height: number;
        dpi: number | null;
      },
      username: string,
    ): Record<string, unknown> | null {
      return db
        .transaction(() => {
          if (!mayRedoFrom(itemId, 'clean')) return null;
          const before = db
            .prepare(
              `SELECT page_no, source_file, source_subpage, original_key, original_sha256, original_bytes, format,
                 width, height, dpi FROM pages WHERE item_id = ? AND page_no = ?`,
            )
            .get(itemId, pageNo) as Record<string, unknown> | undefined;
          if (!before) return null;
          db.prepare(
            'INSERT INTO item_revisions (item_id, at, username, kind, before) VALUES (?, ?, ?, ?, ?)',
          ).run(itemId, now(), username, 'page_replace', JSON.stringify({ page: before }));
          db.prepare(
            `UPDATE pages SET source_file = @sourceFile, source_subpage = 0, original_key = @originalKey,
               original_sha256 = @originalSha256, original_bytes = @originalBytes, format = @format,
               width = @width, height = @height, dpi = @dpi, clean_width = NULL, clean_height = NULL,
               clean_dpi = NULL, skew = NULL, cleaned_at = NULL, ocr_confidence = NULL, ocr_chars = NULL,
               ocr_warning = NULL, ocr_at = NULL, source_kind = @sourceKind, source_region = NULL,
               orientation = NULL, orientation_confidence = NULL, rotate_override = NULL
             WHERE item_id = @itemId AND page_no = @pageNo`,
          ).run({ ...next, itemId, pageNo, sourceKind: next.format === 'pdf' ? 'pdf' : 'image' });
          // Size and formats of the originals the item now consists of (each file counted once).
          const totals = db
            .prepare(
              `SELECT COALESCE(SUM(original_bytes), 0) AS bytes, GROUP_CONCAT(format, '+') AS formats FROM
                 (SELECT original_key, MAX(original_bytes) AS original_bytes, MIN(format) AS format
                  FROM pages WHERE item_id = ? GROUP BY original_key)`,
            )
            .get(itemId) as { bytes: number; formats: string | null };
          const formats = [...new Set((totals.formats ?? '').split('+').filter(Boolean))].join('+');
          redoFromClean(itemId);
          db.prepare(
            `UPDATE items SET original_bytes = ?, source_format = ?, status = 'processing', stage = 'clean',
               error_code = NULL, error_message = NULL, updated_at = ? WHERE id = ?`,
          ).run(totals.bytes, formats || null, now(), itemId);
          return before;
        })
        .immediate();
    },
    /**
     * Staff's quarter turn for page `pageNo` (null: automatic again, orientation detection decides).
     * The page is cleaned and recognised again, then the PDF and publishing; other pages keep
     * their cleaning and OCR. Returns the previous choice (`{ before }`), or null when refused
     * (busy, withdrawn, never cleaned, or an unknown page).
     */
    rotatePage(
      itemId: string,
      pageNo: number,
      turn: StoredRotation | null,
    ): { before: number | null } | null {
      return db
        .transaction(() => {
          if (!mayRedoFrom(itemId, 'clean')) return null;
          const row = db
            .prepare('SELECT rotate_override FROM pages WHERE item_id = ? AND page_no = ?')
            .get(itemId, pageNo) as { rotate_override: number | null } | undefined;
          if (!row) return null;
          db.prepare(
            `UPDATE pages SET rotate_override = ?, cleaned_at = NULL, ocr_at = NULL
             WHERE item_id = ? AND page_no = ?`,
          ).run(turn, itemId, pageNo);
          redoFromClean(itemId);
          db.prepare(
            `UPDATE items SET status = 'processing', stage = 'clean', error_code = NULL, error_message = NULL,
               updated_at = ? WHERE id = ?`,
          ).run(now(), itemId);
          return { before: row.rotate_override };
        })
        .immediate();
    },
    /**
     * Run `stage` and everything after it again: the page marks of that stage are cleared (so it
     * redoes every page instead of resuming) and later jobs are removed so the runner queues them
     * anew in order. Refused while a job of the item is queued or running.
     */
    rerunFrom(
      itemId: string,
      stage: 'clean' | 'ocr',
      settings: { ocrLangs?: string[] | null; clean?: StoredCleanSettings | null } = {},
    ): boolean {
      return db
        .transaction(() => {
          if (!mayRedoFrom(itemId, stage)) return false;
          const later = STAGES.slice(STAGES.indexOf(stage) + 1);
          jobs.remove(itemId, later);
          if (stage === 'clean')
            db.prepare('UPDATE pages SET cleaned_at = NULL, ocr_at = NULL WHERE item_id = ?').run(itemId);
          else db.prepare('UPDATE pages SET ocr_at = NULL WHERE item_id = ?').run(itemId);
          jobs.requeue(itemId, stage);
          if (settings.ocrLangs !== undefined)
            db.prepare('UPDATE items SET ocr_langs = ? WHERE id = ?').run(
              settings.ocrLangs?.join('+') ?? null,
              itemId,
            );
          if (settings.clean !== undefined)
            db.prepare('UPDATE items SET clean_settings = ? WHERE id = ?').run(
              settings.clean && Object.keys(settings.clean).length > 0
                ? JSON.stringify(settings.clean)
                : null,
              itemId,
            );
          db.prepare(
            `UPDATE items SET status = 'processing', stage = ?, error_code = NULL, error_message = NULL, updated_at = ?
             WHERE id = ?`,
          ).run(stage, now(), itemId);
          return true;
        })
        .immediate();
    },
  };
}

export type StaffItemQueries = ReturnType<typeof createStaffItemQueries>;
