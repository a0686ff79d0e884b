import { type PageRow, toPage } from '../pages.queries.ts';
import type { Register } from '../register.ts';
import type { Queryable } from './pool.ts';

/** Pages on PostgreSQL, as ../pages.queries.ts: every method is one statement. */
export function createPgPageQueries(db: Queryable): Register['pages'] {
  return {
    async list(itemId) {
      const { rows } = await db.query<PageRow>('SELECT * FROM pages WHERE item_id = $1 ORDER BY page_no', [
        itemId,
      ]);
      return rows.map(toPage);
    },
    async get(itemId, pageNo) {
      const { rows } = await db.query<PageRow>('SELECT * FROM pages WHERE item_id = $1 AND page_no = $2', [
        itemId,
        pageNo,
      ]);
      return rows[0] ? toPage(rows[0]) : null;
    },
    async upsert(p) {
      await db.query(
        `INSERT INTO pages (item_id, page_no, source_file, source_subpage, source_kind, source_region,
           original_key, original_sha256, original_bytes, format, width, height, dpi)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (item_id, page_no) DO UPDATE SET source_file = excluded.source_file,
           source_subpage = excluded.source_subpage, source_kind = excluded.source_kind,
           source_region = excluded.source_region, original_key = excluded.original_key,
           original_sha256 = excluded.original_sha256, original_bytes = excluded.original_bytes,
           format = excluded.format, width = excluded.width, height = excluded.height, dpi = excluded.dpi`,
        [
          p.itemId,
          p.pageNo,
          p.sourceFile,
          p.sourceSubpage,
          p.sourceKind,
          p.sourceRegion ? JSON.stringify(p.sourceRegion) : null,
          p.originalKey,
          p.originalSha256,
          p.originalBytes,
          p.format,
          p.width,
          p.height,
          p.dpi,
        ],
      );
    },
    async markCleaned(itemId, pageNo, r) {
      const cleaned = [r.width, r.height, r.dpi, r.skew, new Date().toISOString(), r.xHeight ?? null];
      if (r.orientation === undefined) {
        await db.query(
          `UPDATE pages SET clean_width = $1, clean_height = $2, clean_dpi = $3, skew = $4, cleaned_at = $5,
             text_x_height = $6
           WHERE item_id = $7 AND page_no = $8`,
          [...cleaned, itemId, pageNo],
        );
        return;
      }
      await db.query(
        `UPDATE pages SET clean_width = $1, clean_height = $2, clean_dpi = $3, skew = $4, cleaned_at = $5,
           text_x_height = $6, orientation = $7, orientation_confidence = $8
         WHERE item_id = $9 AND page_no = $10`,
        [...cleaned, r.orientation?.turn ?? null, r.orientation?.confidence ?? null, itemId, pageNo],
      );
    },
    async markOcr(itemId, pageNo, r) {
      await db.query(
        `UPDATE pages SET ocr_confidence = $1, ocr_chars = $2, ocr_warning = $3, ocr_at = $4
         WHERE item_id = $5 AND page_no = $6`,
        [r.confidence, r.chars, r.warning, new Date().toISOString(), itemId, pageNo],
      );
    },
  };
}
