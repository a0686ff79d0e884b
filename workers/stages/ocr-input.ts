import type { Page } from '../../core/item.types.ts';
import type { OcrEngine, OcrPageResult } from '../../core/ocr.types.ts';
import { keys } from '../../core/store/keys.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { CleanedPage } from '../engines/page-image.ts';
import { isTiff, readG4Tiff } from '../engines/pdf-ccitt.ts';
import { toCallerPixels } from '../engines/tesseract-image.ts';

/** What OCR is handed for one page, and how its result is brought back to the cleaned page. */
export interface OcrInput {
  image: Buffer;
  xHeightPx: number | null;
  /** The result in the cleaned page's pixels (what the PDF text layer and the viewer use). */
  toPage(result: OcrPageResult): OcrPageResult;
}

/**
 * The bilevel PDF image as OCR input, or null when the page has none (a photographic page's PDF
 * image is a JPEG). The clean stage cuts it from the flattened page, despeckled, at 200–300 dpi.
 * tesseract binarises a page itself before it finds lines, and from a bilevel page it reads the
 * same words for less work: it keeps each line image as a PNG internally, and a 1-bit line
 * compresses at a fraction of the cost of a grey one (bench:cpu: its processes ~10 % less CPU;
 * bench:quality: no kind reads worse).
 */
export function bilevelOcrInput(
  pdfImage: Buffer,
  page: { width: number; height: number; xHeightPx: number | null },
): OcrInput | null {
  if (!isTiff(pdfImage)) return null;
  let width: number;
  try {
    width = readG4Tiff(pdfImage).width;
  } catch {
    return null;
  }
  const scale = width / page.width;
  const source = { width: page.width, height: page.height };
  return {
    image: pdfImage,
    xHeightPx: page.xHeightPx ? page.xHeightPx * scale : null,
    toPage: (r) => toCallerPixels(r, { bytes: pdfImage, width, height: r.height, scale, source }),
  };
}

/** The greyscale access image as OCR input (photographic pages): already in the page's pixels. */
export function greyOcrInput(access: Buffer, xHeightPx: number | null): OcrInput {
  return { image: access, xHeightPx, toPage: (r) => r };
}

/** The OCR input of a page the clean stage has just made (the same bytes it stored). */
export function ocrInputOfCleaned(
  cleaned: Pick<CleanedPage, 'pdfImage' | 'access' | 'width' | 'height' | 'xHeightPx'>,
): OcrInput {
  return bilevelOcrInput(cleaned.pdfImage, cleaned) ?? greyOcrInput(cleaned.access, cleaned.xHeightPx);
}

/** Recognise an OCR input; the result in the cleaned page's pixels. */
export async function recognizeInput(
  ocr: OcrEngine,
  input: OcrInput,
  langs: readonly string[],
): Promise<OcrPageResult> {
  return input.toPage(await ocr.recognize(input.image, langs, { xHeightPx: input.xHeightPx }));
}

/**
 * The image the OCR stage reads for a page: its bilevel PDF image when it has one, else the
 * greyscale access image (photographic pages, and pages cleaned before the PDF image was stored).
 */
export async function ocrInputOf(store: ObjectStore, itemId: string, page: Page): Promise<OcrInput> {
  const key = keys.pdfImage(itemId, page.pageNo);
  if (page.cleanWidth && page.cleanHeight && (await store.head(key))) {
    const size = { width: page.cleanWidth, height: page.cleanHeight, xHeightPx: page.textXHeight };
    const bilevel = bilevelOcrInput(await store.getBuffer(key), size);
    if (bilevel) return bilevel;
  }
  return greyOcrInput(await store.getBuffer(keys.access(itemId, page.pageNo)), page.textXHeight);
}
