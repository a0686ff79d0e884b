/** What intake needs to know about a page image before accepting it (port; sharp implements it). */
export interface ImageInfo {
  format: 'jpeg' | 'png' | 'tiff';
  /** Number of pages (multi-page TIFF), 1 otherwise. */
  pages: number;
  width: number;
  height: number;
  density: number | null;
}

/**
 * MUST identify the format by content, not name; MUST refuse before decoding an image larger than
 * `maxPixels`; MUST fully decode to detect truncation; throws PindaiError with code image_empty,
 * image_unsupported, image_too_large or image_corrupt.
 */
export type ProbeImage = (data: Buffer, opts: { maxPixels: number }) => Promise<ImageInfo>;
