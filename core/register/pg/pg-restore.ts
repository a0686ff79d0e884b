import type pg from 'pg';
import { STAGES } from '../../item.types.ts';
import type { Register } from '../register.ts';
import { insertDoneJobs } from './pg-jobs.ts';
import { insertEvent } from './pg-runs.ts';
import { withTransaction } from './pool.ts';

/** The writes of `pindai rebuild-register` on PostgreSQL, as ../restore.queries.ts. */
export function createPgRestoreQueries(pool: pg.Pool): Register['restore'] {
  return {
    async itemCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM items');
      return rows[0]?.n ?? 0;
    },
    /**
     * The item, its pages, its done jobs, its counter and its event: one transaction. The counter
     * only ever moves up (GREATEST), so items restored in any order, on any machine, leave it
     * past every restored number.
     */
    async restoreItem(r) {
      const it = r.item;
      const t = r.publishedAt;
      await withTransaction(pool, async (tx) => {
        await tx.query(
          `INSERT INTO items (id, nomor_induk, series, seq, source_nomor_induk, title, metadata, flags, fingerprint,
             source_path, source_name, intake, operator, status, stage, page_count, source_format, original_bytes,
             pdf_key, pdf_bytes, disposed_at, created_at, updated_at, registered_at, available_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'available', 'publish', $14, $15,
             $16, $17, $18, $19, $20, $21, $22, $23)`,
          [
            it.id,
            it.nomorInduk,
            r.numbering?.series ?? null,
            r.numbering?.seq ?? null,
            it.sourceNomorInduk,
            it.title,
            JSON.stringify(it.metadata),
            JSON.stringify(it.flags),
            it.fingerprint,
            it.sourcePath,
            it.sourceName,
            it.intake,
            it.operator,
            it.pageCount,
            it.sourceFormat,
            it.originalBytes,
            it.pdfKey,
            it.pdfBytes,
            it.disposedAt,
            it.createdAt,
            t,
            it.registeredAt,
            it.availableAt ?? t,
          ],
        );
        for (const p of r.pages) {
          await tx.query(
            `INSERT INTO pages (item_id, page_no, source_file, source_subpage, original_key, original_sha256,
               original_bytes, format, width, height, dpi, clean_width, clean_height, clean_dpi, skew, cleaned_at,
               ocr_confidence, ocr_chars, ocr_warning, ocr_at, source_kind, source_region, orientation,
               orientation_confidence, rotate_override)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
               $21, $22, $23, $24, $25)`,
            [
              it.id,
              p.pageNo,
              p.sourceFile,
              p.sourceSubpage,
              p.originalKey,
              p.originalSha256,
              p.originalBytes,
              p.format,
              p.width,
              p.height,
              p.dpi,
              p.cleanWidth,
              p.cleanHeight,
              p.cleanDpi,
              p.skew,
              p.cleanedAt,
              p.ocrConfidence,
              p.ocrChars,
              p.ocrWarning,
              p.ocrAt,
              p.sourceKind,
              p.sourceRegion ? JSON.stringify(p.sourceRegion) : null,
              p.orientation,
              p.orientationConfidence,
              p.rotateOverride,
            ],
          );
        }
        await insertDoneJobs(tx, it.id, STAGES, Date.parse(t), 5);
        if (r.numbering) {
          await tx.query(
            `INSERT INTO counters (series, last_seq) VALUES ($1, $2)
             ON CONFLICT (series) DO UPDATE SET last_seq = GREATEST(counters.last_seq, excluded.last_seq)`,
            [r.numbering.series, r.numbering.seq],
          );
        }
        await insertEvent(tx, { itemId: it.id, level: 'info', code: 'restored_from_manifest' });
      });
    },
  };
}
