import type { Page, PageRegion, PageSourceKind } from '../item.types.ts';
import type { Db } from './open-register.ts';

export type PageRow = Record<string, unknown>;

export function toPage(r: PageRow): Page {
  return {
    itemId: r.item_id as string,
    pageNo: r.page_no as number,
    sourceFile: r.source_file as string,
    sourceSubpage: r.source_subpage as number,
    originalKey: r.original_key as string,
    originalSha256: r.original_sha256 as string,
    originalBytes: r.original_bytes as number,
    format: r.format as string,
    width: r.width as number,
    height: r.height as number,
    dpi: r.dpi as number | null,
    cleanWidth: r.clean_width as number | null,
    cleanHeight: r.clean_height as number | null,
    cleanDpi: r.clean_dpi as number | null,
    skew: r.skew as number | null,
    cleanedAt: r.cleaned_at as string | null,
    ocrConfidence: r.ocr_confidence as number | null,
    ocrChars: r.ocr_chars as number | null,
    ocrWarning: r.ocr_warning as string | null,
    ocrAt: r.ocr_at as string | null,
    sourceKind: (r.source_kind as PageSourceKind | undefined) ?? 'image',
    sourceRegion: r.source_region ? (JSON.parse(r.source_region as string) as PageRegion) : null,
    orientation: (r.orientation as number | null | undefined) ?? null,
    orientationConfidence: (r.orientation_confidence as number | null | undefined) ?? null,
    rotateOverride: (r.rotate_override as number | null | undefined) ?? null,
    textXHeight: (r.text_x_height as number | null | undefined) ?? null,
  };
}

export type NewPage = Pick<
  Page,
  | 'itemId'
  | 'pageNo'
  | 'sourceFile'
  | 'sourceSubpage'
  | 'sourceKind'
  | 'sourceRegion'
  | 'originalKey'
  | 'originalSha256'
  | 'originalBytes'
  | 'format'
  | 'width'
  | 'height'
  | 'dpi'
>;

export function createPageQueries(db: Db) {
  return {
    list(itemId: string): Page[] {
      return db
        .prepare('SELECT * FROM pages WHERE item_id = ? ORDER BY page_no')
        .all(itemId)
        .map((r) => toPage(r as PageRow));
    },
    get(itemId: string, pageNo: number): Page | null {
      const r = db.prepare('SELECT * FROM pages WHERE item_id = ? AND page_no = ?').get(itemId, pageNo);
      return r ? toPage(r as PageRow) : null;
    },
    /** Idempotent: re-recording a page after a crash replaces the same row. */
    upsert(p: NewPage): void {
      db.prepare(
        `INSERT INTO pages (item_id, page_no, source_file, source_subpage, source_kind, source_region,
           original_key, original_sha256, original_bytes, format, width, height, dpi)
         VALUES (@itemId, @pageNo, @sourceFile, @sourceSubpage, @sourceKind, @sourceRegion, @originalKey,
           @originalSha256, @originalBytes, @format, @width, @height, @dpi)
         ON CONFLICT (item_id, page_no) DO UPDATE SET source_file = excluded.source_file,
           source_subpage = excluded.source_subpage, source_kind = excluded.source_kind,
           source_region = excluded.source_region,
           original_key = excluded.original_key,
           original_sha256 = excluded.original_sha256, original_bytes = excluded.original_bytes,
           format = excluded.format, width = excluded.width, height = excluded.height, dpi = excluded.dpi`,
      ).run({ ...p, sourceRegion: p.sourceRegion ? JSON.stringify(p.sourceRegion) : null });
    },
    /**
     * `orientation`: the quarter turn orientation detection chose and its confidence; null when
     * detection did not run (staff chose the page's or the item's rotation). Left out: unchanged.
     */
    markCleaned(
      itemId: string,
      pageNo: number,
      r: {
        width: number;
        height: number;
        dpi: number;
        skew: number;
        orientation?: { turn: number; confidence: number } | null;
        /** x-height of the cleaned page's text, pixels; null when it has none to measure. */
        xHeight?: number | null;
      },
    ): void {
      const cleaned = [r.width, r.height, r.dpi, r.skew, new Date().toISOString(), r.xHeight ?? null];
      if (r.orientation === undefined) {
        db.prepare(
          `UPDATE pages SET clean_width = ?, clean_height = ?, clean_dpi = ?, skew = ?, cleaned_at = ?,
             text_x_height = ?
           WHERE item_id = ? AND page_no = ?`,
        ).run(...cleaned, itemId, pageNo);
        return;
      }
      db.prepare(
        `UPDATE pages SET clean_width = ?, clean_height = ?, clean_dpi = ?, skew = ?, cleaned_at = ?,
           text_x_height = ?, orientation = ?, orientation_confidence = ?
         WHERE item_id = ? AND page_no = ?`,
      ).run(...cleaned, r.orientation?.turn ?? null, r.orientation?.confidence ?? null, itemId, pageNo);
    },
    markOcr(
      itemId: string,
      pageNo: number,
      r: { confidence: number; chars: number; warning: string | null },
    ): void {
      db.prepare(
        `UPDATE pages SET ocr_confidence = ?, ocr_chars = ?, ocr_warning = ?, ocr_at = ?
         WHERE item_id = ? AND page_no = ?`,
      ).run(r.confidence, r.chars, r.warning, new Date().toISOString(), itemId, pageNo);
    },
  };
}

export type PageQueries = ReturnType<typeof createPageQueries>;
