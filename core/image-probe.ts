import type { PageRegion } from './item.types.ts';

/** One page of a file, as intake registers it. */
export interface SourcePageInfo {
  width: number;
  height: number;
  density: number | null;
  /**
   * A two-page spread to be split: its left and right page, in the upright image's pixels. Intake
   * makes two pages of it, in the item's reading order.
   */
  split?: [PageRegion, PageRegion];
  /** Looks like a spread but not surely: kept whole, flagged for staff. */
  maybeSpread?: boolean;
}

/** What intake needs to know about a page file before accepting it (port; workers/engines implements it). */
export interface ImageInfo {
  /** 'pdf': a PDF document whose pages are the item's pages (scanner PDFs). */
  format: 'jpeg' | 'png' | 'tiff' | 'pdf';
  /** Number of pages (multi-page TIFF, PDF), 1 otherwise. */
  pages: number;
  /** Size and resolution of the first page. */
  width: number;
  height: number;
  density: number | null;
  /** Every page's size in pixels and its resolution, in page order (`pages` entries). */
  pageSizes: SourcePageInfo[];
}

export interface ProbeOptions {
  maxPixels: number;
  /** A file with more pages than this is refused (image_too_many_pages / pdf_too_many_pages). */
  maxPages: number;
}

/**
 * MUST identify the format by content, not name; MUST refuse before decoding an image larger than
 * `maxPixels`; MUST check every page can be decoded (a truncated copy is refused) in time linear in
 * the page count; throws PindaiError with code image_empty, image_unsupported, image_too_large,
 * image_corrupt, image_too_many_pages, or for PDFs pdf_broken, pdf_encrypted, pdf_script,
 * pdf_too_many_pages.
 */
export type ProbeImage = (data: Buffer, opts: ProbeOptions) => Promise<ImageInfo>;
