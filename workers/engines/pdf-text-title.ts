import type { OcrLine } from '../../core/ocr.types.ts';
import { heightAboveBaseline, lineBaselinePx, lineHeight, medianOf } from './ocr-line-geometry.ts';
import type { CleanLine } from './pdf-text-layer.ts';

/**
 * tesseract may read a title over the columns as one line per column when a word space of the
 * title falls on a gutter. Each piece is then taken for the first line of its column, and poppler
 * reads the left piece, the whole left column, and only then the rest of the title. Single-line
 * paragraphs of neighbouring columns that are pieces of one line (one baseline, a word space apart
 * across the gutter, set larger than the text, nothing else on their row) are written as one line
 * over the columns instead: read first, as a title is.
 */

/** Set this much larger than the body text (letters' height above the baseline): a title. */
const TITLE_HEIGHT = 1.2;
/** Pieces of one line stand a word space apart: under a line height. */
const PIECE_GAP_HEIGHTS = 1;
/** Baselines of pieces of one line differ by less than this share of a line height. */
const SAME_BASELINE = 0.25;

function joined(pieces: readonly CleanLine[]): CleanLine {
  const sources = pieces.map((p) => p.source);
  const bbox = {
    x0: Math.min(...sources.map((s) => s.bbox.x0)),
    y0: Math.min(...sources.map((s) => s.bbox.y0)),
    x1: Math.max(...sources.map((s) => s.bbox.x1)),
    y1: Math.max(...sources.map((s) => s.bbox.y1)),
  };
  const base = medianOf(sources.map(lineBaselinePx));
  const source: OcrLine = {
    bbox,
    baseline: { x0: bbox.x0, y0: base, x1: bbox.x1, y1: base },
    words: sources.flatMap((s) => s.words),
  };
  return { source, words: pieces.flatMap((p) => p.words) };
}

export function joinTitlePieces(
  paragraphs: CleanLine[][],
  column: readonly (number | null)[],
): { paragraphs: CleanLine[][]; column: (number | null)[] } {
  const all = paragraphs.flat();
  if (all.length === 0) return { paragraphs, column: [...column] };
  // Lines OCR read whole (pieces cut at a gutter here carry no OCR words: they were one OCR line
  // with a gap wide enough to be a column break, and stay cut).
  const read = all.filter((l) => l.source.words.length > 0);
  const body = medianOf(read.map((l) => heightAboveBaseline(l.source)));
  const pieces = paragraphs.flatMap((p, i) => {
    const line = p[0];
    const k = column[i];
    if (p.length !== 1 || !line || k === null || k === undefined || line.source.words.length === 0) return [];
    return heightAboveBaseline(line.source) >= TITLE_HEIGHT * body ? [{ i, k, line }] : [];
  });
  pieces.sort((a, b) => a.line.source.bbox.x0 - b.line.source.bbox.x0);
  // Runs of pieces left to right, each in the column after the one before, a word space apart.
  const groups: (typeof pieces)[] = [];
  for (const piece of pieces) {
    const group = groups.find((g) => {
      const last = g.at(-1) as (typeof pieces)[number];
      const h = Math.max(lineHeight(last.line.source), lineHeight(piece.line.source));
      const gap = piece.line.source.bbox.x0 - last.line.source.bbox.x1;
      const dBase = Math.abs(lineBaselinePx(piece.line.source) - lineBaselinePx(last.line.source));
      return piece.k === last.k + 1 && gap >= 0 && gap <= PIECE_GAP_HEIGHTS * h && dBase <= SAME_BASELINE * h;
    });
    if (group) group.push(piece);
    else groups.push([piece]);
  }
  const joins = groups.filter((g) => {
    if (g.length < 2) return false;
    const y0 = Math.min(...g.map((p) => p.line.source.bbox.y0));
    const y1 = Math.max(...g.map((p) => p.line.source.bbox.y1));
    const members = new Set(g.map((p) => p.line));
    return !all.some((l) => !members.has(l) && l.source.bbox.y0 < y1 && l.source.bbox.y1 > y0);
  });
  if (joins.length === 0) return { paragraphs, column: [...column] };
  const replaced = new Map<number, CleanLine>();
  const dropped = new Set<number>();
  for (const g of joins) {
    replaced.set((g[0] as (typeof pieces)[number]).i, joined(g.map((p) => p.line)));
    for (const p of g.slice(1)) dropped.add(p.i);
  }
  const out = { paragraphs: [] as CleanLine[][], column: [] as (number | null)[] };
  paragraphs.forEach((p, i) => {
    if (dropped.has(i)) return;
    const line = replaced.get(i);
    out.paragraphs.push(line ? [line] : p);
    out.column.push(line ? null : (column[i] ?? null));
  });
  return out;
}
