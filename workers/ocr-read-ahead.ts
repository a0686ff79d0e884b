import { createHash } from 'node:crypto';
import type { OcrEngine, OcrPageResult } from '../core/ocr.types.ts';
import { type OcrInput, recognizeInput } from './stages/ocr-input.ts';

/**
 * OCR read-ahead. Stages take an item whole (every page cleaned, then every page recognised), so
 * while a book is being cleaned its OCR processes would wait. The clean stage offers each page it
 * has just stored; when fewer than `maxInFlight` read-ahead pages are being recognised, the page
 * goes to OCR at once, and the OCR stage later takes the result instead of recognising the page
 * again. Nothing here is durable or shared between processes: a result is only taken for the very
 * same image bytes and languages (the key holds their SHA-256), so a page cleaned again, other
 * languages, a failed read-ahead or a restart simply mean the OCR stage reads the page itself.
 */
export interface OcrReadAhead {
  offer(itemId: string, pageNo: number, langs: readonly string[], input: OcrInput): void;
  /** The read-ahead result for exactly this image, if there is one (taken: asked once). */
  take(
    itemId: string,
    pageNo: number,
    langs: readonly string[],
    image: Buffer,
  ): Promise<OcrPageResult> | null;
  /** Items with results waiting, most recent last: the runner claims their OCR first. */
  waitingItems(): string[];
  readonly stats: { offered: number; started: number; taken: number };
}

interface Entry {
  itemId: string;
  result: Promise<OcrPageResult>;
  at: number;
}

export function createOcrReadAhead(
  ocr: OcrEngine,
  opts: { maxInFlight: number; maxHeld?: number; maxAgeMs?: number; now?: () => number },
): OcrReadAhead {
  // A page's result is ~40 KB as JSON and a few times that as objects: 200 held stay well under
  // 100 MB, also on a machine that only cleans while others run the OCR stage.
  const maxHeld = opts.maxHeld ?? 200;
  const maxAgeMs = opts.maxAgeMs ?? 30 * 60_000;
  const now = opts.now ?? Date.now;
  const held = new Map<string, Entry>();
  const stats = { offered: 0, started: 0, taken: 0 };
  let inFlight = 0;
  const keyOf = (itemId: string, pageNo: number, langs: readonly string[], image: Buffer) =>
    `${itemId}\n${pageNo}\n${langs.join('+')}\n${createHash('sha256').update(image).digest('hex')}`;
  /** Results nobody took (the item's OCR ran elsewhere, or the item was withdrawn) age out. */
  const prune = () => {
    const oldest = now() - maxAgeMs;
    for (const [k, e] of held) if (e.at < oldest || held.size > maxHeld) held.delete(k);
  };
  return {
    stats,
    offer(itemId, pageNo, langs, input) {
      stats.offered++;
      prune();
      if (inFlight >= opts.maxInFlight || held.size >= maxHeld) return;
      inFlight++;
      stats.started++;
      const result = recognizeInput(ocr, input, langs).finally(() => {
        inFlight--;
      });
      // A failure is the OCR stage's to report, when it reads the page itself.
      result.catch(() => undefined);
      held.set(keyOf(itemId, pageNo, langs, input.image), { itemId, result, at: now() });
    },
    take(itemId, pageNo, langs, image) {
      if (held.size === 0) return null;
      const key = keyOf(itemId, pageNo, langs, image);
      const e = held.get(key);
      if (!e) return null;
      held.delete(key);
      stats.taken++;
      return e.result;
    },
    waitingItems() {
      return [...new Set([...held.values()].map((e) => e.itemId))];
    },
  };
}
