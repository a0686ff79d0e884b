import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import type { Box, OcrPageResult } from '../../core/ocr.types.ts';
import { readG4Tiff } from './pdf-ccitt.ts';
import { measureTextSize, resolveDpi } from './text-size.ts';

export interface PreparedImage {
  /** Bytes tesseract.js can read, upright. */
  bytes: Buffer;
  /** Size of the image tesseract will see, pixels. */
  width: number;
  height: number;
  /**
   * How much the image was enlarged for OCR (1: not at all). `toCallerPixels` divides the result's
   * boxes by it, so callers always get boxes in the pixels of the image they passed in.
   */
  scale: number;
  /** Size of the caller's image once upright: what the result's boxes refer to. */
  source: { width: number; height: number };
}

/**
 * tesseract's accuracy drops fast below an x-height of about 10 px (a 100 dpi scan of book
 * type): such pages are enlarged to about 20 px. Above that, enlarging buys nothing and costs
 * time (measured on 150–300 dpi pages: equal or slightly worse).
 */
const UPSCALE_BELOW_X_HEIGHT_PX = 10;
const TARGET_X_HEIGHT_PX = 20;
const MAX_UPSCALE = 3;
/**
 * Never hand tesseract more pixels than this (an A4 page at 600 dpi is 35 MP): a wrongly measured
 * page (noise) enlarged to 75 MP took the OCR workers past 2 GB.
 */
const MAX_OCR_PIXELS = 40_000_000;
/** Pages wider than this are measured at half size. */
const MEASURE_FULL_WIDTH_UP_TO = 2000;

/** Enlargement for OCR of text with this x-height (1: leave as is). */
export function ocrUpscaleFor(xHeightPx: number | null): number {
  if (!xHeightPx || xHeightPx >= UPSCALE_BELOW_X_HEIGHT_PX) return 1;
  return Math.min(MAX_UPSCALE, TARGET_X_HEIGHT_PX / xHeightPx);
}

/**
 * Hands tesseract only what its Leptonica build reads reliably, at a text size it reads well.
 * JPEG and PNG with normal-sized text pass through untouched; TIFF is re-encoded as PNG because
 * JPEG-compressed TIFF (common from scanners) fails with "Error attempting to read image", and
 * multi-page or 16-bit TIFFs are not worth the risk. Images with an EXIF orientation are turned
 * upright here so the reported width/height match what was recognised. Small text (measured, not
 * guessed from the DPI tag) is enlarged: see `ocrUpscaleFor`.
 */
export async function prepareImage(
  image: Buffer,
  hint: { xHeightPx?: number | null } = {},
  engine: { readsG4Tiff?: boolean } = {},
): Promise<PreparedImage> {
  try {
    const meta = await sharp(image).metadata();
    const { width, height, format } = meta;
    const upright = (meta.orientation ?? 1) === 1;
    const asIs = { bytes: image, width, height, scale: 1, source: { width, height } };
    // The caller measured the text already (the clean stage) and it needs no enlarging: the bytes
    // go to tesseract as they are, without a decode here.
    const measuredFine = !!hint.xHeightPx && ocrUpscaleFor(hint.xHeightPx) === 1 && upright;
    if (measuredFine && (format === 'jpeg' || format === 'png')) return asIs;
    // The clean stage's bilevel page image (one-strip G4, no JPEG inside): native tesseract's
    // Leptonica reads it as it is; tesseract.js gets it as a 1-bit PNG.
    if (measuredFine && format === 'tiff' && (meta.pages ?? 1) === 1 && isG4(image)) {
      if (engine.readsG4Tiff) return asIs;
      const bytes = await sharp(image)
        .toColourspace('b-w')
        .png({ compressionLevel: 1, palette: true, colours: 2 })
        .toBuffer();
      return { ...asIs, bytes };
    }
    // Measured on a half-size copy of a large page: its text is far above the enlargement threshold
    // either way, and the measurement then costs a quarter (it runs on the event loop).
    const shrink = (width ?? 0) > MEASURE_FULL_WIDTH_UP_TO ? 2 : 1;
    const grey = (factor: number) =>
      sharp(image)
        .rotate()
        .greyscale()
        .resize(
          factor > 1 ? { width: Math.round((meta.autoOrient?.width ?? width ?? 0) / factor) } : undefined,
        )
        .raw()
        .toBuffer({ resolveWithObject: true });
    const sample = await grey(shrink);
    const measured = measureTextSize({
      data: new Uint8Array(sample.data.buffer, sample.data.byteOffset, sample.data.length),
      width: sample.info.width,
      height: sample.info.height,
    });
    const xHeightPx = measured ? measured.xHeightPx * shrink : null;
    const area = (meta.width ?? 1) * (meta.height ?? 1);
    const scale = Math.min(ocrUpscaleFor(xHeightPx), Math.sqrt(MAX_OCR_PIXELS / Math.max(1, area)));
    if (scale > 1.1 && xHeightPx) {
      const { data, info } = shrink === 1 ? sample : await grey(1);
      const out = { width: Math.round(info.width * scale), height: Math.round(info.height * scale) };
      // The density tesseract is told matches the enlarged text (it sizes its noise filters by it).
      const density = Math.round(
        resolveDpi(meta.density, { xHeightPx, letters: measured?.letters ?? 0 }) * scale,
      );
      const bytes = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
        .resize(out.width, out.height, { kernel: 'lanczos3' })
        .withMetadata({ density })
        .png({ compressionLevel: 1 })
        .toBuffer();
      return {
        bytes,
        ...out,
        scale: out.width / info.width,
        source: { width: info.width, height: info.height },
      };
    }
    if ((format === 'jpeg' || format === 'png') && upright)
      return { bytes: image, width, height, scale: 1, source: { width, height } };

    let img = sharp(image).rotate();
    // Keep the density: without it tesseract guesses the resolution from glyph sizes.
    if (meta.density) img = img.withMetadata({ density: meta.density });
    if (meta.channels === 1 || meta.space === 'b-w') img = img.greyscale();
    const { data: png, info: pngInfo } = await img
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    const size = { width: pngInfo.width, height: pngInfo.height };
    return { bytes: png, ...size, scale: 1, source: size };
  } catch (err) {
    // Retrying cannot fix a file sharp cannot read, hence not retryable.
    throw new PindaiError('ocr_failed', `page image cannot be decoded: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function isG4(image: Buffer): boolean {
  try {
    readG4Tiff(image);
    return true;
  } catch {
    return false;
  }
}

/**
 * An OCR result on a prepared image, in the pixels of the caller's image: boxes divided by the
 * enlargement, size set back. Coordinates keep two decimals: rounding outward to whole pixels
 * would eat the 2–3 px spaces between words of a 100 dpi page, and PDF readers would then run
 * the words together.
 */
export function toCallerPixels(result: OcrPageResult, prepared: PreparedImage): OcrPageResult {
  const k = prepared.scale;
  if (k === 1) return result;
  const { width, height } = prepared.source;
  const r = (v: number, max: number) => Math.min(max, Math.round((v / k) * 100) / 100);
  const box = (b: Box): Box => ({
    x0: r(b.x0, width),
    y0: r(b.y0, height),
    x1: r(b.x1, width),
    y1: r(b.y1, height),
  });
  return {
    ...result,
    width,
    height,
    blocks: result.blocks.map((b) => ({
      bbox: box(b.bbox),
      paragraphs: b.paragraphs.map((p) => ({
        bbox: box(p.bbox),
        lines: p.lines.map((l) => ({
          bbox: box(l.bbox),
          baseline: l.baseline ? box(l.baseline) : null,
          words: l.words.map((w) => ({ ...w, bbox: box(w.bbox) })),
        })),
      })),
    })),
  };
}
