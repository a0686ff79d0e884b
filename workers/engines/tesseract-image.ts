import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';

export interface PreparedImage {
  /** Bytes tesseract.js can read, upright. */
  bytes: Buffer;
  /** Size of the image tesseract will see, pixels. */
  width: number;
  height: number;
}

/**
 * Hands tesseract only what its Leptonica build reads reliably. JPEG and PNG pass through untouched;
 * TIFF is re-encoded as PNG because JPEG-compressed TIFF (common from scanners) fails with
 * "Error attempting to read image", and multi-page or 16-bit TIFFs are not worth the risk. Images with
 * an EXIF orientation are turned upright here so the reported width/height match what was recognised.
 */
export async function prepareImage(image: Buffer): Promise<PreparedImage> {
  try {
    const meta = await sharp(image).metadata();
    const { width, height, format } = meta;
    const upright = (meta.orientation ?? 1) === 1;
    if ((format === 'jpeg' || format === 'png') && upright) return { bytes: image, width, height };

    let img = sharp(image).rotate();
    // Keep the density: without it tesseract guesses the resolution from glyph sizes.
    if (meta.density) img = img.withMetadata({ density: meta.density });
    if (meta.channels === 1 || meta.space === 'b-w') img = img.greyscale();
    const { data, info } = await img.png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (err) {
    // Retrying cannot fix a file sharp cannot read, hence not retryable.
    throw new PindaiError('ocr_failed', `page image cannot be decoded: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
