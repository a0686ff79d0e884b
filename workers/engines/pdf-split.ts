/**
 * Splits a PDF into at most `maxFiles` consecutive page ranges of at most `maxBytes` each, for
 * catalogues that cap uploads (INLISLite's "konten digital": 3 files of 12 MB per record). Pages
 * are copied with pdf-lib, so images, the text layer and its fonts go along unchanged. Each part is
 * the longest run of pages from where the last ended that still fits (found by halving), so the
 * parts are as few as the limit allows.
 */
import { PDFDocument } from 'pdf-lib';

export interface PdfPart {
  /** First and last page (1-based, inclusive). */
  from: number;
  to: number;
  bytes: Uint8Array;
}

export class PdfSplitError extends Error {
  constructor(
    message: string,
    readonly reason: 'page_too_large' | 'too_many_parts',
    readonly page: number,
  ) {
    super(message);
  }
}

export async function splitPdf(
  pdf: Uint8Array,
  limits: { maxFiles: number; maxBytes: number },
): Promise<PdfPart[]> {
  const src = await PDFDocument.load(pdf, { updateMetadata: false });
  const total = src.getPageCount();
  const title = src.getTitle();
  const build = async (from: number, to: number): Promise<Uint8Array> => {
    const out = await PDFDocument.create({ updateMetadata: false });
    const indices = Array.from({ length: to - from + 1 }, (_, i) => from - 1 + i);
    for (const page of await out.copyPages(src, indices)) out.addPage(page);
    if (title) out.setTitle(total === to - from + 1 ? title : `${title} (hlm. ${from}–${to})`);
    return out.save({ useObjectStreams: true });
  };
  if (pdf.length <= limits.maxBytes) return [{ from: 1, to: total, bytes: await build(1, total) }];
  const parts: PdfPart[] = [];
  let from = 1;
  while (from <= total) {
    if (parts.length === limits.maxFiles) {
      throw new PdfSplitError(
        `pages ${from}–${total} do not fit in ${limits.maxFiles} files of ${limits.maxBytes} bytes`,
        'too_many_parts',
        from,
      );
    }
    // Largest `to` whose part fits: the whole rest first, else halve the range until one fits.
    let lo = from;
    let hi = total;
    let best: PdfPart | null = null;
    while (lo <= hi) {
      const mid: number = best === null && hi === total ? total : Math.floor((lo + hi) / 2);
      const bytes = await build(from, mid);
      if (bytes.length <= limits.maxBytes) {
        best = { from, to: mid, bytes };
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best === null) {
      throw new PdfSplitError(`page ${from} alone is over ${limits.maxBytes} bytes`, 'page_too_large', from);
    }
    parts.push(best);
    from = best.to + 1;
  }
  return parts;
}
