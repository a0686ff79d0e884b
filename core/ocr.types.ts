/**
 * OCR result of one page, in the pixel coordinates of the image that was recognised
 * (origin top-left, y down). Produced by an OcrEngine, consumed by the pdf stage,
 * the search index and (later) hit highlighting.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  bbox: Box;
  /** 0–100 */
  confidence: number;
}

export interface OcrLine {
  bbox: Box;
  /** Baseline from (x0,y0) to (x1,y1) when the engine reports one. */
  baseline: Box | null;
  words: OcrWord[];
}

export interface OcrParagraph {
  bbox: Box;
  lines: OcrLine[];
}

export interface OcrBlock {
  bbox: Box;
  paragraphs: OcrParagraph[];
}

export interface OcrPageResult {
  /** Size of the recognised image, pixels. */
  width: number;
  height: number;
  /** Plain text in reading order: lines joined by \n, paragraphs by a blank line. */
  text: string;
  /** Mean word confidence 0–100 (0 when there are no words). */
  confidence: number;
  blocks: OcrBlock[];
  /** Why the page may be incomplete (e.g. 'timeout'); empty when all went well. */
  warnings: string[];
  /** Engine name and version, for provenance. */
  engine: string;
}

export interface RecognizeOptions {
  /**
   * x-height of the page's text in `image`'s pixels when the caller already measured it (the
   * clean stage does): the engine then need not decode and measure the page to decide whether to
   * enlarge small text. null/absent: the engine measures.
   */
  xHeightPx?: number | null;
}

/**
 * MUST recognise `image` (PNG/JPEG/TIFF bytes) with the given tesseract language codes.
 * MUST NOT block the event loop (run in worker threads or a child process).
 * MUST resolve (not reject) with an empty result and a 'timeout' warning when a page
 * takes longer than the configured per-page timeout.
 * SHOULD be safe to call concurrently; the engine bounds its own parallelism.
 */
export interface OcrEngine {
  readonly name: string;
  /**
   * Pages worth handing over at once (queued inside the engine): more than its parallelism when it
   * reads several pages per process. Absent: one per worker.
   */
  readonly pagesInFlight?: number;
  recognize(image: Buffer, langs: readonly string[], opts?: RecognizeOptions): Promise<OcrPageResult>;
  close(): Promise<void>;
}
