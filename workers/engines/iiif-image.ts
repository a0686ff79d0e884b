/**
 * IIIF Image API pixel work: cut a region of a stored page image and scale it. The server's
 * image routes call this through the small `CutImage` function type (server/collection/collection-deps.ts)
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

export type PageCutter = (input: Buffer, req: CutRequest, signal?: AbortSignal) => Promise<Buffer>;

/**
 * A cutter that decodes at most `maxPixels` source pixels: give it intake's limit
 * (PINDAI_MAX_PIXELS), so every page intake accepts can also be viewed.
 */
export function createPageCutter(opts: { maxPixels: number }): PageCutter {
  return async (input, req, signal) => {
    // sharp cannot be stopped once it runs: a cut nobody waits for any more is not started.
    signal?.throwIfAborted();
    let img = sharp(input, { limitInputPixels: opts.maxPixels })
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
  };
}
