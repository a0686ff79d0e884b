/**
 * IIIF Image API pixel work: cut a region of a stored page image and scale it. The server's
 * image routes call this through the small `CutImage` function type (server/collection/iiif-image.ts)
 * so that sharp stays inside workers/engines/.
 */
import sharp from 'sharp';

export interface CutRequest {
  /** Region in source pixels (already clamped to the image). */
  region: { x: number; y: number; w: number; h: number };
  /** Output size in pixels. */
  width: number;
  height: number;
  quality: 'default' | 'gray' | 'color';
  format: 'jpg' | 'png' | 'webp';
}

/** Decode at most this many source pixels per request (a page scan at 600 dpi is ~35 MP). */
const MAX_INPUT_PIXELS = 80_000_000;

export async function cutPageImage(input: Buffer, req: CutRequest): Promise<Buffer> {
  let img = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .extract({ left: req.region.x, top: req.region.y, width: req.region.w, height: req.region.h })
    .resize({ width: req.width, height: req.height, fit: 'fill' });
  if (req.quality === 'gray') img = img.greyscale();
  switch (req.format) {
    case 'png':
      return img.png({ compressionLevel: 6 }).toBuffer();
    case 'webp':
      return img.webp({ quality: 75 }).toBuffer();
    default:
      return img.jpeg({ quality: 80, mozjpeg: true }).toBuffer();
  }
}
