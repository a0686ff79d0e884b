import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { OcrEngine, OcrPageResult } from '../../core/ocr.types.ts';

export interface FakeOcrOptions {
  /** Milliseconds each page takes (default 0). */
  delayMs?: number;
  /** Throw (or crash, via the returned promise) for some pages. */
  onPage?: (image: Buffer, info: { width: number; height: number }) => void | Promise<void>;
}

/**
 * A fast, deterministic OcrEngine of our own port for OCR-independent fault tests: the text of a
 * page is derived from its bytes ("halaman uji <8 hex>"), one word box over the whole image.
 */
export function createFakeOcr(opts: FakeOcrOptions = {}): OcrEngine & { calls: number } {
  const engine = {
    name: 'fake-ocr',
    calls: 0,
    async recognize(image: Buffer): Promise<OcrPageResult> {
      engine.calls++;
      const meta = await sharp(image).metadata();
      const width = meta.width ?? 1;
      const height = meta.height ?? 1;
      await opts.onPage?.(image, { width, height });
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const tag = createHash('sha256').update(image).digest('hex').slice(0, 8);
      const text = `halaman uji ${tag}`;
      const bbox = { x0: 10, y0: 10, x1: Math.max(11, width - 10), y1: Math.min(height, 60) };
      return {
        width,
        height,
        text,
        confidence: 90,
        blocks: [
          {
            bbox,
            paragraphs: [
              {
                bbox,
                lines: [{ bbox, baseline: null, words: [{ text, bbox, confidence: 90 }] }],
              },
            ],
          },
        ],
        warnings: [],
        engine: 'fake-ocr',
      };
    },
    async close() {},
  };
  return engine;
}
