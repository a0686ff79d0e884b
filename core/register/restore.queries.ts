import type { Item, Page } from '../item.types.ts';
import { STAGES } from '../item.types.ts';
import type { JobQueries } from './jobs.queries.ts';
import type { Db } from './open-register.ts';
import type { RunQueries } from './runs.queries.ts';

export interface RestoredItem {
  item: Omit<Item, 'status' | 'stage' | 'errorCode' | 'errorMessage' | 'updatedAt'>;
  numbering: { series: string; seq: number } | null;
  pages: Omit<Page, 'itemId'>[];
  /** When the item was published (its manifest's writtenAt). */
  publishedAt: string;
}

/**
 * Writes used only when the register is rebuilt from the item manifests (`pindai rebuild-register`):
 * a published item comes back as it was, available, with every stage done and its nomor induk's
 * counter moved past it so new numbers never collide with restored ones.
 */
export function createRestoreQueries(db: Db, deps: { jobs: JobQueries; runs: RunQueries }) {
  return {
    itemCount(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;
    },
    restoreItem(r: RestoredItem): void {
      const it = r.item;
      const t = r.publishedAt;
      db.transaction(() => {
        db.prepare(
          `INSERT INTO items (id, nomor_induk, series, seq, source_nomor_induk, title, metadata, flags, fingerprint,
             source_path, source_name, intake, operator, status, stage, page_count, source_format, original_bytes,
             pdf_key, pdf_bytes, disposed_at, created_at, updated_at, registered_at, available_at)
           VALUES (@id, @nomorInduk, @series, @seq, @sourceNomorInduk, @title, @metadata, @flags, @fingerprint,
             @sourcePath, @sourceName, @intake, @operator, 'available', 'publish', @pageCount, @sourceFormat,
             @originalBytes, @pdfKey, @pdfBytes, @disposedAt, @createdAt, @t, @registeredAt, @availableAt)`,
        ).run({
          ...it,
          metadata: JSON.stringify(it.metadata),
          flags: JSON.stringify(it.flags),
          series: r.numbering?.series ?? null,
          seq: r.numbering?.seq ?? null,
          t,
          availableAt: it.availableAt ?? t,
        });
        const page = db.prepare(
          `INSERT INTO pages (item_id, page_no, source_file, source_subpage, original_key, original_sha256,
             original_bytes, format, width, height, dpi, clean_width, clean_height, clean_dpi, skew, cleaned_at,
             ocr_confidence, ocr_chars, ocr_warning, ocr_at, source_kind, source_region, orientation,
             orientation_confidence, rotate_override)
           VALUES (@itemId, @pageNo, @sourceFile, @sourceSubpage, @originalKey, @originalSha256, @originalBytes,
             @format, @width, @height, @dpi, @cleanWidth, @cleanHeight, @cleanDpi, @skew, @cleanedAt,
             @ocrConfidence, @ocrChars, @ocrWarning, @ocrAt, @sourceKind, @sourceRegion, @orientation,
             @orientationConfidence, @rotateOverride)`,
        );
        for (const p of r.pages) {
          page.run({
            ...p,
            itemId: it.id,
            sourceRegion: p.sourceRegion ? JSON.stringify(p.sourceRegion) : null,
          });
        }
        deps.jobs.recordDone(it.id, STAGES, Date.parse(t), 5);
        if (r.numbering) {
          db.prepare(
            `INSERT INTO counters (series, last_seq) VALUES (?, ?)
             ON CONFLICT (series) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`,
          ).run(r.numbering.series, r.numbering.seq);
        }
        deps.runs.event({ itemId: it.id, level: 'info', code: 'restored_from_manifest' });
      }).immediate();
    },
  };
}
