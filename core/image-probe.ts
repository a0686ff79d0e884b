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
  pageSizes: { width: number; height: number; density: number | null }[];
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
