import type { OcrLine } from '../../core/ocr.types.ts';

/** Baseline estimate when the engine gives none: descenders take about a fifth of a line box. */
const DESCENT_RATIO = 0.2;

/** The middle value, the upper of the two middle ones for an even count; 0 for none. */
export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? 0;
}

export function lineHeight(line: OcrLine): number {
  return Math.max(1, line.bbox.y1 - line.bbox.y0);
}

/**
 * Baseline y (pixels) of a line at x (its middle by default), or null where the engine gave none
 * or one not plausibly inside the line box (other engines, other conventions).
 */
function reportedBaseline(line: OcrLine, x?: number): number | null {
  const { x0, x1, y0, y1 } = line.bbox;
  const h = lineHeight(line);
  const b = line.baseline;
  if (!b || !Number.isFinite(b.y0) || !Number.isFinite(b.y1)) return null;
  const xm = x ?? (x0 + x1) / 2;
  const y = b.x1 !== b.x0 ? b.y0 + ((b.y1 - b.y0) * (xm - b.x0)) / (b.x1 - b.x0) : (b.y0 + b.y1) / 2;
  return y >= y0 + 0.3 * h && y <= y1 + 0.1 * h ? y : null;
}

/** Baseline y (pixels) of a line, one value for the whole line so the text layer runs straight. */
export function lineBaselinePx(line: OcrLine): number {
  return reportedBaseline(line) ?? line.bbox.y1 - DESCENT_RATIO * lineHeight(line);
}

/**
 * Height of a line's letters above its baseline: the median over its words of box top to baseline
 * (under each word, on a sloping baseline). Unlike box heights, it does not grow with descenders
 * (a row of "tempat", "sebagian", "yang" is as tall as any) or with a speck glued under a word;
 * it grows with the type size. Without words, the line box's height above its baseline.
 */
export function heightAboveBaseline(line: OcrLine): number {
  const base = (x: number) => reportedBaseline(line, x) ?? lineBaselinePx(line);
  const heights = line.words.map((w) => base((w.bbox.x0 + w.bbox.x1) / 2) - w.bbox.y0).sort((a, b) => a - b);
  if (heights.length === 0) return Math.max(1, lineBaselinePx(line) - line.bbox.y0);
  return Math.max(1, heights[heights.length >> 1] as number);
}
