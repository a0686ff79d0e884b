import { lineBaselinePx } from './ocr-line-geometry.ts';
import type { CleanLine } from './pdf-text-layer.ts';

/**
 * poppler's layout mode (TextPage::coalesce) takes four blocks for a table when a block, the
 * nearest block to its right, the nearest below it and the nearest below and to the right line up
 * in a 2×2 grid, aligned at their edges, and the upper pair overlaps neither lower block in
 * height. It then reads them row by row, across the columns. Two neighbouring columns make such a
 * grid when each is split into an upper and a lower block by a gap on the same rows: a band of
 * empty space across both (headings on the same row in both columns, with space above them).
 * `bridgeBreaksSideBySide` closes most such gaps by raising one column's font size; where the
 * lines of neither column allow that, the last line above each of the two gaps gets a deeper glyph
 * box, reaching past the top of the next line in its column (`descentsForBands`): the column's
 * upper block then overlaps its lower block in height, and poppler's rule rejects a grid whose
 * right-hand blocks overlap so. Blocks, lines, baselines and sizes stay as they were; only that
 * line's selection box grows downwards, over the gap.
 */

/** poppler joins lines into one block only while baselines are within 1.5 font sizes (with a margin). */
const BLOCK_GAP_IN_SIZES = 1.42;
/** Font sizes differing by more than this share split a block in poppler. */
const BLOCK_SIZE_DELTA = 0.05;
/** Lines this close (in line heights) are pieces of one row. */
const SAME_ROW_HEIGHTS = 0.6;
/** A font's ascent is at least this (em): the depth computed with it reaches the next line's top. */
const MIN_ASCENT_EM = 0.7;
/** Depth beyond the next line's top (em), and the step descents are rounded up to. */
const REACH_MARGIN_EM = 0.2;
const DEPTH_STEP_EM = 0.25;
/** poppler ignores a font descriptor's Descent of 3 em or more (and uses its default). */
export const MAX_DESCENT_EM = 2.75;

interface Row {
  lines: CleanLine[];
  base: number;
  size: number;
}

interface Break {
  above: Row;
  below: Row;
}

/** Rows of one column's lines, top to bottom (pieces of one row together). */
function rowsOfColumn(lines: readonly { line: CleanLine; size: number }[]): Row[] {
  const sorted = [...lines].sort((a, b) => lineBaselinePx(a.line.source) - lineBaselinePx(b.line.source));
  const rows: Row[] = [];
  for (const { line, size } of sorted) {
    const base = lineBaselinePx(line.source);
    const h = Math.max(1, line.source.bbox.y1 - line.source.bbox.y0);
    const last = rows.at(-1);
    if (last && base - last.base <= SAME_ROW_HEIGHTS * h) {
      last.lines.push(line);
      last.base = base;
    } else rows.push({ lines: [line], base, size });
  }
  return rows;
}

/** Where poppler splits the column into blocks: a gap over 1.5 sizes, or a change of size. */
function breaksOf(rows: readonly Row[]): Break[] {
  return rows.slice(1).flatMap((below, i) => {
    const above = rows[i] as Row;
    const gap = below.base - above.base > BLOCK_GAP_IN_SIZES * above.size;
    const resized = Math.abs(below.size - above.size) > BLOCK_SIZE_DELTA * Math.max(below.size, above.size);
    return gap || resized ? [{ above, below }] : [];
  });
}

/** Descent (em) that takes the row above a break past the top of the row below it. */
function depthFor({ above, below }: Break): number {
  const reach = (below.base - MIN_ASCENT_EM * below.size - above.base) / above.size + REACH_MARGIN_EM;
  return Math.ceil(reach / DEPTH_STEP_EM) * DEPTH_STEP_EM;
}

/**
 * The lines to write with a deeper font descent (em), by line: the last rows above gaps that
 * split two neighbouring columns on the same rows. A gap too deep to reach over (over about three
 * sizes: a figure, a table) is left as it is.
 */
export function descentsForBands(
  paragraphs: readonly CleanLine[][],
  column: readonly (number | null)[],
  sizes: readonly number[],
): Map<CleanLine, number> {
  const columns = Math.max(0, ...column.map((c) => c ?? 0)) + 1;
  const deep = new Map<CleanLine, number>();
  if (columns < 2) return deep;
  const breaks = Array.from({ length: columns }, (_, k) =>
    breaksOf(
      rowsOfColumn(
        paragraphs.flatMap((lines, i) =>
          column[i] === k ? lines.map((line) => ({ line, size: sizes[i] ?? 1 })) : [],
        ),
      ),
    ),
  );
  const mark = (b: Break) => {
    const depth = depthFor(b);
    if (depth > MAX_DESCENT_EM) return;
    for (const line of b.above.lines) deep.set(line, Math.max(depth, deep.get(line) ?? 0));
  };
  for (let k = 0; k + 1 < columns; k++) {
    for (const p of breaks[k] ?? []) {
      for (const q of breaks[k + 1] ?? []) {
        // The two gaps share rows: an empty band across both columns.
        if (p.above.base < q.below.base && q.above.base < p.below.base) {
          mark(p);
          mark(q);
        }
      }
    }
  }
  return deep;
}
