/**
 * IIIF cuts with bounds: a repeated cut comes from the disk cache without touching sharp; a new
 * one waits for one of a few slots (the queue refuses newcomers when full, so the route can answer
 * 503), and a cut whose client left is never started.
 */
import type { ObjectInfo, ObjectStore } from '../../core/store/object-store.ts';
import type { CutImage, CutLimits } from './collection-deps.ts';
import { createCutCache } from './cut-cache.ts';
import { createCutQueue } from './cut-queue.ts';

export { QueueFullError } from './cut-queue.ts';

export type Cut = Parameters<CutImage>[1];

export interface ImageCuts {
  /**
   * The cut of `sourceKey` (as `info` describes it now). Rejects with QueueFullError when every
   * slot and queue place is taken, and with the signal's reason when the client left first.
   */
  cut(sourceKey: string, info: ObjectInfo, cut: Cut, signal: AbortSignal): Promise<Buffer>;
}

export const DEFAULT_CUT_LIMITS: CutLimits = { concurrency: 2, maxQueue: 50, cacheMaxBytes: 0 };

export function createImageCuts(store: ObjectStore, cutImage: CutImage, limits: CutLimits): ImageCuts {
  const queue = createCutQueue(limits);
  const cache =
    limits.cacheDir && limits.cacheMaxBytes > 0
      ? createCutCache({ dir: limits.cacheDir, maxBytes: limits.cacheMaxBytes })
      : null;
  return {
    async cut(sourceKey, info, cut, signal) {
      // The cut itself, not its spelling: `pct:` and pixel regions of the same pixels share an
      // entry; a replaced source (other size or time) never meets its old cuts.
      const { x, y, w, h } = cut.region;
      const key = [
        sourceKey,
        info.size,
        info.modified.getTime(),
        `${x},${y},${w},${h}`,
        `${cut.width}x${cut.height}`,
        cut.quality,
        cut.format,
      ].join('|');
      const cached = await cache?.get(key);
      if (cached) return cached;
      const out = await queue.run(async () => {
        // Read inside the slot: waiting requests hold no page images in memory.
        const source = await store.getBuffer(sourceKey);
        signal.throwIfAborted();
        return cutImage(source, cut, signal);
      }, signal);
      // Kept even when the client has just left: the work is done, the next asker gets it.
      await cache?.put(key, out);
      return out;
    },
  };
}
