import type { ItemMetadata } from './metadata.schema.ts';

export const STAGES = ['register', 'clean', 'ocr', 'pdf', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

/** What follows each stage: data, not a switch spread over handlers. */
export const NEXT_STAGE: Record<Stage, Stage | null> = {
  register: 'clean',
  clean: 'ocr',
  ocr: 'pdf',
  pdf: 'publish',
  publish: null,
};

/**
 * receiving: originals being stored; received: stored and verified, waiting for workers;
 * processing: stages running; available: published; failed: parked with a reason;
 * withdrawn: removed from the collection by staff.
 */
export type ItemStatus = 'receiving' | 'received' | 'processing' | 'available' | 'failed' | 'withdrawn';

/** Something staff should look at; not a failure. */
export interface ItemFlag {
  code: string;
  params?: Record<string, string | number>;
}

export interface Item {
  id: string;
  nomorInduk: string | null;
  sourceNomorInduk: string | null;
  title: string;
  metadata: ItemMetadata;
  flags: ItemFlag[];
  fingerprint: string;
  sourcePath: string;
  sourceName: string;
  intake: 'watch' | 'ingest' | 'upload';
  operator: string | null;
  status: ItemStatus;
  stage: Stage | null;
  errorCode: string | null;
  errorMessage: string | null;
  pageCount: number;
  sourceFormat: string | null;
  originalBytes: number;
  pdfKey: string | null;
  pdfBytes: number | null;
  disposedAt: string | null;
  createdAt: string;
  updatedAt: string;
  registeredAt: string | null;
  availableAt: string | null;
}

export interface Page {
  itemId: string;
  pageNo: number;
  sourceFile: string;
  sourceSubpage: number;
  originalKey: string;
  originalSha256: string;
  originalBytes: number;
  format: string;
  width: number;
  height: number;
  dpi: number | null;
  cleanWidth: number | null;
  cleanHeight: number | null;
  cleanDpi: number | null;
  skew: number | null;
  cleanedAt: string | null;
  ocrConfidence: number | null;
  ocrChars: number | null;
  ocrWarning: string | null;
  ocrAt: string | null;
  /** 'image': an image file (or a page of a multi-page TIFF); 'pdf': page `sourceSubpage` of a PDF. */
  sourceKind: PageSourceKind;
  /** One half of a two-page spread: the part of the (upright) source page this page is; null: all of it. */
  sourceRegion: PageRegion | null;
  /** Clockwise quarter turn the clean stage applied after detecting the page's orientation; null: not detected. */
  orientation: number | null;
  orientationConfidence: number | null;
  /** Clockwise quarter turn staff chose for this page (overrides detection); null: automatic. */
  rotateOverride: number | null;
  /** x-height of the cleaned page's text in its pixels; null: not measured (no text, or cleaned before). */
  textXHeight: number | null;
}

export type PageSourceKind = 'image' | 'pdf';

/** A vertical strip of the source page, in its pixels: [x0, x1) across the full height. */
export interface PageRegion {
  side: 'left' | 'right';
  x0: number;
  x1: number;
}
