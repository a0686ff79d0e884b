import type { Box, OcrLine } from '../../core/ocr.types.ts';
import { heightAboveBaseline, lineHeight, medianOf } from './ocr-line-geometry.ts';
import type { CleanLine, CleanWord } from './pdf-text-layer.ts';

/**
 * Columns for poppler's layout mode (plain `pdftotext`, and viewers built on poppler).
 *
 * poppler (TextOutputDev) grows a block from its top word: lines above or below within 1.5 font
 * sizes that overlap it horizontally at a size within 5%; words on the block's lines within 0.7
 * sizes of it at a size within 60%; up to three lines within 1 size beside it at a size within
 * 20%. Blocks are then read in Breuel's order (above and overlapping first, else left first),
 * except that four blocks aligned in a 2×2 grid are taken for a table and read row by row. So a
 * column is read whole when it is one block and nothing links it to its neighbours:
 * - columns are found per row of text, so a title, a page number or OCR dust crossing a gutter
 *   does not hide it, even on a page of few rows; text is told from dust by its words (specks
 *   read as "i" or ".", quotes glued to a word's end reach into a narrow gutter on row after
 *   row), and a page number centred over a gutter belongs to no column (`findColumns`);
 * - specks in a gutter between two columns' text are dropped (`dropGutterSpecks`);
 * - lines OCR ran across a gutter are cut there, and dust wholly in a gutter joins the nearest
 *   column (`splitAtGutters`, `findColumns`);
 * - each column gets one font size, neighbours 30% apart, full-width lines a third size;
 * - each column's words are squeezed inside its own span, leaving the gutter empty and at least
 *   `GUTTER_EM` of the largest font size wide (`squeezeIntoColumns`);
 * - the content stream is written column by column as well (`inColumnOrder`), for `-raw`,
 *   pdf.js and copy and paste.
 * Only the invisible layer changes (glyph height, and a few pixels of width on lines that strayed
 * into the gutter); baselines stay.
 */
export const ODD_COLUMN_SIZE = 1.3;
export const FULL_WIDTH_SIZE = 0.75;
/** Empty gutter to keep, in font sizes (poppler: words under 1.5 sizes apart make one line). */
const GUTTER_EM = 1.6;
/**
 * A strip is a gutter where words of at most this share of the busiest strip's rows cross it;
 * or where at least half the rows reaching across it leave it empty one after another, or words
 * of at most a third of them cross it in a valley far below the text beside it (on a page of
 * few rows, a title, a page number and OCR dust or punctuation glued to the last word of a line
 * can be a quarter of them; the rivers of justified text neither run down half a page nor open
 * in two rows of three between dense text).
 */
const GUTTER_COVER = 0.12;
const GUTTER_ROW_SHARE = 0.5;
const GUTTER_ROW_COVER = 1 / 3;
const GUTTER_DUST_ROWS = 1 / 2;
/** ... where the text within two line heights (`FLANK_BINS` bins each) on both sides is 2.5× denser. */
const GUTTER_CONTRAST = 0.4;
const FLANK_BINS = 8;
const GUTTER_MIN_ROWS = 3;
/** A column is at least this many line heights wide (about an inch); narrower runs are not columns. */
const MIN_COLUMN_HEIGHTS = 4;
const MIN_GUTTER_HEIGHTS = 0.5;
/** Overlapping a second column by this share of the first makes a paragraph span both. */
const SPANNING_OVERLAP = 0.25;

export interface ColumnLayout {
  /** Column number (0 = leftmost) of each paragraph, or null where it spans columns. */
  column: (number | null)[];
  /** Each column's horizontal span in OCR pixels, left to right. */
  spans: [number, number][];
  /** The dense middle of each column (rows mostly covered); the gutters lie between them. */
  cores: [number, number][];
}

/**
 * Columns are the runs of the page's width the words of most rows cover; a gutter is a strip down
 * the page that rows leave empty — a centred page number, a title or a speck may cross it, so
 * overlap alone cannot tell. `spans` reach as far as each column's own lines do; `cores` are the
 * dense middles, and the gutters lie between them.
 */
export function findColumns(paragraphs: OcrLine[][]): ColumnLayout {
  const lines = paragraphs.flat();
  const lineParagraph = paragraphs.flatMap((p, pi) => p.map(() => pi));
  const single: ColumnLayout = { column: paragraphs.map(() => 0), spans: [], cores: [] };
  if (lines.length === 0) return single;
  const left = Math.min(...lines.map((l) => l.bbox.x0));
  const right = Math.max(...lines.map((l) => l.bbox.x1));
  const step = Math.max(1, medianOf(lines.map((l) => l.bbox.y1 - l.bbox.y0)) / 4);
  const n = Math.max(1, Math.ceil((right - left) / step));
  // Coverage by words, not by line boxes: a line OCR ran across the gutter ("… end of left |
  // start of right …") has a box over the gutter but no word in it. Counted per row (lines side
  // by side: a column's line and its neighbours across the gutters, or one line OCR ran across
  // them), so a gutter is a strip that most rows reaching across it leave empty; a title, a page
  // number or a speck of dust crossing it weighs one row each, however few rows the page has.
  const cover = new Array<number>(n).fill(0);
  // ... and by text alone (`textBox`: no specks, no punctuation at word ends), where OCR dust in
  // a narrow gutter (a quote glued to a word, a lone "i" or dot) does not fill the valley.
  const text = new Array<number>(n).fill(0);
  const spanned = new Array<number>(n).fill(0);
  // Longest run of consecutive rows reaching across a strip and leaving it empty: a gutter runs
  // down the page; the rivers of justified text come and go.
  const run = new Array<number>(n).fill(0);
  const longest = new Array<number>(n).fill(0);
  for (const row of rowsOf(lines)) {
    const boxes = row.flatMap((l) => (l.words.length > 0 ? l.words.map((w) => w.bbox) : [l.bbox]));
    const textBoxes = row.flatMap((l) =>
      l.words.length > 0 ? l.words.flatMap((w) => textBox(w.text, w.bbox) ?? []) : [l.bbox],
    );
    const bin = (x: number) => Math.min(n - 1, Math.max(0, Math.floor((x - left) / step)));
    const hit = new Uint8Array(n);
    for (const box of boxes) hit.fill(1, bin(box.x0), bin(box.x1 - 1) + 1);
    const textHit = new Uint8Array(n);
    for (const box of textBoxes) textHit.fill(1, bin(box.x0), bin(box.x1 - 1) + 1);
    hit.forEach((h, i) => {
      cover[i] = (cover[i] ?? 0) + h;
      text[i] = (text[i] ?? 0) + (textHit[i] ?? 0);
    });
    const from = bin(Math.min(...boxes.map((b) => b.x0)));
    const to = bin(Math.max(...boxes.map((b) => b.x1)) - 1);
    for (let i = from; i <= to; i++) {
      spanned[i] = (spanned[i] ?? 0) + 1;
      run[i] = hit[i] ? 0 : (run[i] ?? 0) + 1;
      longest[i] = Math.max(longest[i] ?? 0, run[i] ?? 0);
    }
  }
  const full = Math.max(...cover);
  const fullText = Math.max(...text);
  const peak = (a: number, b: number) => Math.max(0, ...text.slice(Math.max(0, a), Math.max(0, b)));
  const runs: [number, number][] = [];
  let from = -1;
  for (let i = 0; i <= n; i++) {
    const c = cover[i] ?? 0;
    const across = spanned[i] ?? 0;
    const downPage = (longest[i] ?? 0) >= Math.max(GUTTER_MIN_ROWS, GUTTER_ROW_SHARE * across);
    // ... or a clear valley: rows mostly leave it without text, at most half of them hold
    // anything at all (dust, punctuation), and text on both sides is far denser.
    const t = text[i] ?? 0;
    const flank = Math.min(peak(i - FLANK_BINS, i), peak(i + 1, i + 1 + FLANK_BINS));
    const mostlyEmpty =
      across >= GUTTER_MIN_ROWS &&
      t <= GUTTER_ROW_COVER * across &&
      c <= GUTTER_DUST_ROWS * across &&
      t <= GUTTER_CONTRAST * flank;
    const inText = i < n && c > GUTTER_COVER * full && !downPage && !mostlyEmpty;
    if (inText && from < 0) from = i;
    if (!inText && from >= 0) {
      // A run of bins only dust and punctuation reach (specks along a gutter) holds no text.
      if (text.slice(from, i).some((v) => v > GUTTER_COVER * fullText))
        runs.push([left + from * step, left + i * step]);
      from = -1;
    }
  }
  // A gap narrower than half a line height is a river of word spaces, not a gutter (the
  // narrowest gutters are ~0.7 line heights); runs too narrow to be a column are words crossing
  // a gutter (OCR dust, a title's word): part of the gutter, not a column of their own.
  const merged: [number, number][] = [];
  for (const run of runs) {
    const prev = merged.at(-1);
    if (prev && run[0] - prev[1] < MIN_GUTTER_HEIGHTS * 4 * step) prev[1] = run[1];
    else merged.push([...run]);
  }
  const cores = withoutRivers(
    merged.filter(([a, b]) => b - a >= MIN_COLUMN_HEIGHTS * 4 * step),
    lines,
  );
  if (cores.length < 2) return single;
  // A column reaches as far as its own lines do (a ragged edge crosses the threshold above at a
  // few lines), up to the middle of the gutter: only lines reaching past that are squeezed.
  const spans = cores.map(([a, b], k): [number, number] => {
    const lo = k > 0 ? ((cores[k - 1] as [number, number])[1] + a) / 2 : Number.NEGATIVE_INFINITY;
    const hi =
      k + 1 < cores.length ? (b + (cores[k + 1] as [number, number])[0]) / 2 : Number.POSITIVE_INFINITY;
    let [x0, x1] = [a, b];
    for (const l of lines) {
      if (columnOfRange(l.bbox.x0, l.bbox.x1, cores) !== k) continue;
      x0 = Math.min(x0, Math.max(lo, l.bbox.x0));
      x1 = Math.max(x1, Math.min(hi, l.bbox.x1));
    }
    return [x0, x1];
  });
  // A paragraph belongs to the column it overlaps most, unless it reaches well into another
  // (a title or a centred page number across the gutter). Lines straying into the gutter count.
  const column = paragraphs.map((p) => {
    const a = Math.min(...p.map((l) => l.bbox.x0));
    const b = Math.max(...p.map((l) => l.bbox.x1));
    return crossesGutter(a, b, cores, medianOf(p.map(lineHeight))) ? null : columnOfRange(a, b, cores);
  });
  // A short paragraph centred over a gutter with its rows to itself (a page number under the
  // columns, reaching a little into one of them) belongs to neither column: taken for a line of
  // one, it is squeezed into it and sized like it, and poppler may then read that column early.
  paragraphs.forEach((p, pi) => {
    const centre = (Math.min(...p.map((l) => l.bbox.x0)) + Math.max(...p.map((l) => l.bbox.x1))) / 2;
    const overGutter = cores
      .slice(1)
      .some(([c0], k) => centre > (cores[k] as [number, number])[1] && centre < c0);
    const alone = p.every((l) =>
      lines.every((o, oi) => lineParagraph[oi] === pi || o.bbox.y0 >= l.bbox.y1 || o.bbox.y1 <= l.bbox.y0),
    );
    if (overGutter && alone) column[pi] = null;
  });
  // Something wholly in a gutter or margin beside column text (OCR dust such as "|)", a margin
  // note) belongs to the nearest column: left spanning, it would be spread or sized as a
  // full-width line and bridge the columns. A page number or title has its row to itself.
  const inColumns = lines.filter((_, i) => column[lineParagraph[i] as number] !== null);
  paragraphs.forEach((p, pi) => {
    const a = Math.min(...p.map((l) => l.bbox.x0));
    const b = Math.max(...p.map((l) => l.bbox.x1));
    if (column[pi] !== null || cores.some(([c0, c1]) => Math.min(b, c1) > Math.max(a, c0))) return;
    const beside = p.some((l) => inColumns.some((o) => o.bbox.y0 < l.bbox.y1 && o.bbox.y1 > l.bbox.y0));
    if (!beside) return;
    const distance = cores.map(([c0, c1]) => Math.max(c0 - b, a - c1, 0));
    column[pi] = distance.indexOf(Math.min(...distance));
  });
  return { column, spans, cores };
}

/**
 * The columns and gutters of a page are set alike. Between three or more column candidates, a
 * "gutter" is a river of word spaces running down a column (justified monospaced text lines its
 * spaces up row after row) where it is under a third as wide as the widest gutter; or where the
 * candidates on both sides are each narrower than the page's widest column, together no wider
 * than it, and OCR read most lines reaching into both across the gap as one. The candidates on
 * both sides of a river are one column.
 */
const RIVER_SHARE = 1 / 3;
const PART_OF_COLUMN = 0.8;
const SAME_WIDTH = 0.15;
const READ_ACROSS = 0.5;

function withoutRivers(cores: [number, number][], lines: readonly OcrLine[]): [number, number][] {
  if (cores.length < 3) return cores;
  const gaps = cores.slice(1).map(([c0], k) => c0 - (cores[k] as [number, number])[1]);
  const widestGap = Math.max(...gaps);
  const widest = Math.max(...cores.map(([a, b]) => b - a));
  const halves = ([a0, a1]: [number, number], [b0, b1]: [number, number]): boolean => {
    if (a1 - a0 >= PART_OF_COLUMN * widest || b1 - b0 >= PART_OF_COLUMN * widest) return false;
    if (b1 - a0 > (1 + SAME_WIDTH) * widest) return false;
    const reaching = lines.filter(
      (l) => l.bbox.x0 < a1 && l.bbox.x1 > b0 && l.bbox.x1 > a0 && l.bbox.x0 < b1,
    );
    const inEither = lines.filter((l) => l.bbox.x0 < b1 && l.bbox.x1 > a0);
    return reaching.length >= READ_ACROSS * inEither.length;
  };
  const out: [number, number][] = [[...(cores[0] as [number, number])]];
  cores.slice(1).forEach((core, k) => {
    const last = out.at(-1) as [number, number];
    if ((gaps[k] as number) < RIVER_SHARE * widestGap || halves(last, core)) last[1] = core[1];
    else out.push([...core]);
  });
  return out;
}

/** Punctuation OCR glues to a word's ends: quotes, brackets, dots (often a speck beside the word). */
const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
/** Words shorter than this (after their edge punctuation) do not mark text for the column finder. */
const MIN_TEXT_CHARS = 3;

/**
 * The part of an OCR word that shows where text runs: without the punctuation at its ends
 * (a speck in a narrow gutter is read as a quote or a dot glued to the nearest word, which then
 * reaches into the gutter), and nothing for words of one or two characters (specks read as "i",
 * "a", "4"; short real words are few and always among longer ones). Null when nothing is left.
 */
function textBox(text: string, box: Box): Box | null {
  const chars = [...text];
  const core = [...text.replace(EDGE_PUNCTUATION, '')];
  if (core.length < MIN_TEXT_CHARS) return null;
  const lead = chars.length - [...text.replace(/^[\p{P}\p{S}]+/u, '')].length;
  const trail = chars.length - [...text.replace(/[\p{P}\p{S}]+$/u, '')].length;
  const per = (box.x1 - box.x0) / chars.length;
  return { ...box, x0: box.x0 + lead * per, x1: box.x1 - trail * per };
}

/** Lines grouped into rows: a line joins the row whose vertical extent holds its middle. */
function rowsOf(lines: readonly OcrLine[]): OcrLine[][] {
  const mid = (l: OcrLine) => (l.bbox.y0 + l.bbox.y1) / 2;
  const rows: { y0: number; y1: number; lines: OcrLine[] }[] = [];
  for (const l of [...lines].sort((a, b) => mid(a) - mid(b))) {
    const row = rows.find((r) => mid(l) >= r.y0 && mid(l) <= r.y1);
    if (row) row.lines.push(l);
    else rows.push({ y0: l.bbox.y0, y1: l.bbox.y1, lines: [l] });
  }
  return rows.map((r) => r.lines);
}

/**
 * Text reaching this many of its line heights into a column's dense middle overlaps that column's
 * text: two columns' lines cannot, so it belongs to neither (blur and a stray speck reach less).
 */
const CROSSING_HEIGHTS = 0.5;

/**
 * Whether [a, b] (text of line height `h`) reaches across a whole gutter, well into the dense
 * middles of the columns on both sides: text of neither column alone (a title set off-centre over
 * the columns, or a row OCR read across them).
 */
function crossesGutter(a: number, b: number, cores: readonly [number, number][], h: number): boolean {
  const depth = CROSSING_HEIGHTS * h;
  return cores.slice(1).some(([c0], k) => a < (cores[k] as [number, number])[1] - depth && b > c0 + depth);
}

/** The column [a, b] overlaps most, or null when it reaches well into a second one or none. */
function columnOfRange(a: number, b: number, spans: readonly [number, number][]): number | null {
  const overlaps = spans.map(([c0, c1]) => Math.max(0, Math.min(b, c1) - Math.max(a, c0)));
  const sorted = [...overlaps].sort((x, y) => y - x);
  const best = sorted[0] ?? 0;
  if (best <= 0 || (sorted[1] ?? 0) > SPANNING_OVERLAP * best) return null;
  const k = overlaps.indexOf(best);
  // Reaching into the columns on both sides of its own, it crosses two gutters: no line of one
  // column does that (a short title centred over the middle of three columns does).
  if ((overlaps[k - 1] ?? 0) > 0 && (overlaps[k + 1] ?? 0) > 0) return null;
  return k;
}

/** The column a piece of a line sits in; one wholly in a gutter goes to the nearest column. */
function inColumn(line: CleanLine, spans: readonly [number, number][]): number | null {
  const a = line.words[0]?.x0 ?? 0;
  const b = line.words.at(-1)?.x1 ?? 0;
  if (spans.some(([c0, c1]) => Math.min(b, c1) > Math.max(a, c0))) return columnOfRange(a, b, spans);
  const distance = spans.map(([c0, c1]) => Math.max(c0 - b, a - c1, 0));
  return distance.indexOf(Math.min(...distance));
}

/**
 * Squeeze each column's lines inside its share of the page, so every gutter stays empty and at
 * least GUTTER_EM × `maxSizePx` wide. A line is scaled about its own start (or end, if it starts
 * in the gutter), so its words keep their order and relative spacing.
 */
export function squeezeIntoColumns(paragraphs: CleanLine[][], layout: ColumnLayout, maxSizePx: number): void {
  const { spans, column } = layout;
  if (spans.length < 2) return;
  const half = (GUTTER_EM * maxSizePx) / 2;
  const bounds = spans.map(([c0, c1], k) => {
    const prev = spans[k - 1];
    const next = spans[k + 1];
    const lo = prev ? Math.max(c0, Math.min((prev[1] + c0) / 2 + half, c0 + half)) : Number.NEGATIVE_INFINITY;
    const hi = next ? Math.min(c1, Math.max((c1 + next[0]) / 2 - half, c1 - half)) : Number.POSITIVE_INFINITY;
    return [lo, hi] as const;
  });
  paragraphs.forEach((lines, pi) => {
    const k = column[pi];
    if (k === null || k === undefined) return;
    const [lo, hi] = bounds[k] ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    for (const line of lines) {
      const x0 = line.words[0]?.x0 ?? 0;
      const x1 = line.words.at(-1)?.x1 ?? 0;
      let nx0 = Math.max(x0, lo);
      let nx1 = Math.min(x1, hi);
      if (nx0 === x0 && nx1 === x1) continue;
      // A line wholly outside its column (dust in the gutter) moves in, at the near edge.
      if (nx1 <= nx0)
        [nx0, nx1] = x1 <= lo ? [lo, Math.min(hi, lo + (x1 - x0))] : [Math.max(lo, hi - (x1 - x0)), hi];
      if (nx1 <= nx0) continue;
      const scale = (nx1 - nx0) / Math.max(1, x1 - x0);
      for (const w of line.words) {
        w.x0 = nx0 + (w.x0 - x0) * scale;
        w.x1 = nx0 + (w.x1 - x0) * scale;
      }
    }
  });
}

/**
 * A line OCR ran across a gutter (the end of a left-column line joined to the start of the
 * right-column line beside it; on a narrow gutter tesseract may do this for a whole column pair)
 * would bridge the columns for poppler and fuse them. Such a line is cut at the gutter and each
 * piece joins the column it sits in. Only paragraphs spanning columns are cut, and only where the
 * gap between two words reaches into the gutter from both sides and is wider than a word space can be
 * (`CUT_GAP_HEIGHTS` line heights): the word spaces of a centred title are not. Consecutive cut
 * paragraphs are written column by column (all left pieces, then all right pieces), so the
 * content order (`-raw`, copy and paste) reads columns whole as well.
 */
export function splitAtGutters(
  paragraphs: CleanLine[][],
  layout: ColumnLayout,
): { paragraphs: CleanLine[][]; layout: ColumnLayout } {
  const { spans } = layout;
  if (spans.length < 2) return { paragraphs, layout };
  dropGutterSpecks(paragraphs, layout.cores);
  const outParagraphs: CleanLine[][] = [];
  const outColumn: (number | null)[] = [];
  // Pieces of the current run of cut paragraphs: per column, per paragraph.
  let run = new Map<number, CleanLine[][]>();
  const flush = () => {
    for (const [k, parts] of [...run].sort((a, b) => a[0] - b[0])) {
      for (const part of parts) {
        outParagraphs.push(part);
        outColumn.push(k);
      }
    }
    run = new Map();
  };
  const bodyHeight = medianOf(paragraphs.flat().map(textHeight));
  // A line still spanning columns with each column's text running on just above and below it
  // is a row of both columns that OCR read as one (through a word glued across the gutter by
  // dust, "dalam|.menjadi"); a title or a page number has no column text on both sides.
  const columnLines = paragraphs
    .flat()
    .flatMap((line) => cutLine(line, layout.cores, bodyHeight) ?? [line])
    .flatMap((piece) => {
      const k = inColumn(piece, layout.cores);
      return k === null ? [] : [{ k, box: piece.source.bbox }];
    });
  const crossing = (piece: CleanLine): boolean =>
    crossesGutter(
      piece.words[0]?.x0 ?? 0,
      piece.words.at(-1)?.x1 ?? 0,
      layout.cores,
      lineHeight(piece.source),
    );
  // (A piece reaching across a whole gutter spans the columns, whichever it overlaps most.)
  const sandwiched = (piece: CleanLine): boolean => {
    if (inColumn(piece, layout.cores) !== null && !crossing(piece)) return false;
    const { y0, y1 } = piece.source.bbox;
    const reach = SANDWICH_HEIGHTS * (y1 - y0);
    const a = piece.words[0]?.x0 ?? 0;
    const b = piece.words.at(-1)?.x1 ?? 0;
    return layout.cores.every(([c0, c1], k) => {
      if (Math.min(b, c1) <= Math.max(a, c0)) return true;
      const near = columnLines.filter((l) => l.k === k);
      return (
        near.some((l) => l.box.y1 <= y0 + 0.5 * (y1 - y0) && l.box.y1 > y0 - reach) &&
        near.some((l) => l.box.y0 >= y1 - 0.5 * (y1 - y0) && l.box.y0 < y1 + reach)
      );
    });
  };
  paragraphs.forEach((lines, pi) => {
    const own = layout.column[pi] ?? null;
    // Lines without a cut (a short last line, a line of one column beside a blank; tesseract
    // also groups lines of two columns into one paragraph) stay whole, but must then sit in one
    // column: a title line spanning the gutter keeps its paragraph whole.
    // A paragraph wholly in a gutter or margin (a page number) was placed by findColumns.
    const a = Math.min(...lines.map((l) => l.words[0]?.x0 ?? 0));
    const b = Math.max(...lines.map((l) => l.words.at(-1)?.x1 ?? 0));
    const split = own === null && layout.cores.some(([c0, c1]) => Math.min(b, c1) > Math.max(a, c0));
    const pieces = split
      ? lines
          .flatMap((line) => cutLine(line, layout.cores, bodyHeight) ?? [line])
          .flatMap((piece) => (sandwiched(piece) ? cutAtWords(piece, layout.cores) : [piece]))
      : [];
    // A paragraph reaching into one column only, left whole: findColumns' choice stands (a page
    // number centred over the gutter that reaches a little into one column belongs to neither).
    const uncut = pieces.length === lines.length && pieces.every((p, i) => p === lines[i]);
    const oneColumn = layout.cores.filter(([c0, c1]) => Math.min(b, c1) > Math.max(a, c0)).length === 1;
    const overGutter = layout.cores
      .slice(1)
      .some(([c0], k) => (a + b) / 2 > (layout.cores[k] as [number, number])[1] && (a + b) / 2 < c0);
    // Left whole and reaching across a gutter without column text on both sides (a title set
    // off-centre over the columns): it is no column's line. (A row of both columns OCR read as
    // one was cut at its words above; a word OCR ran across the gutter goes where most of it is.)
    const title = uncut && pieces.some(crossing);
    if (
      pieces.length === 0 ||
      pieces.some((p) => inColumn(p, layout.cores) === null) ||
      (uncut && oneColumn && overGutter) ||
      title
    ) {
      flush();
      outParagraphs.push(lines);
      outColumn.push(own);
      return;
    }
    const byColumn = new Map<number, CleanLine[]>();
    for (const piece of pieces) {
      const k = inColumn(piece, layout.cores) as number;
      byColumn.set(k, [...(byColumn.get(k) ?? []), piece]);
    }
    for (const [k, part] of byColumn) run.set(k, [...(run.get(k) ?? []), part]);
  });
  flush();
  return { paragraphs: outParagraphs, layout: { ...layout, column: outColumn } };
}

/** A word OCR made of a speck: no text left without its punctuation, or one or two characters. */
function isSpeck(w: CleanWord): boolean {
  return textBox(w.text, { x0: w.x0, x1: w.x1, y0: 0, y1: 0 }) === null;
}

/**
 * Specks wholly in a gutter (read as "i", "a", "4", a dot or a quote) on a row with text of both
 * columns beside them are dust, not text of either column: they are dropped from their lines
 * (a line keeps at least one word). A page number over the gutter has its row to itself and
 * stays.
 */
function dropGutterSpecks(paragraphs: CleanLine[][], cores: readonly [number, number][]): void {
  const strips = cores.slice(1).map(([c0], k): [number, number] => [(cores[k] as [number, number])[1], c0]);
  const lines = paragraphs.flat();
  const inCore = (w: CleanWord, k: number) => {
    const [c0, c1] = cores[k] as [number, number];
    return !isSpeck(w) && Math.min(w.x1, c1) > Math.max(w.x0, c0);
  };
  const sameRow = (a: CleanLine, b: CleanLine) => {
    const h = Math.min(a.source.bbox.y1 - a.source.bbox.y0, b.source.bbox.y1 - b.source.bbox.y0);
    return (
      Math.min(a.source.bbox.y1, b.source.bbox.y1) - Math.max(a.source.bbox.y0, b.source.bbox.y0) >= 0.5 * h
    );
  };
  for (const line of lines) {
    const row = lines.filter((o) => o === line || sameRow(o, line));
    const dust = (w: CleanWord) =>
      isSpeck(w) &&
      strips.some(
        ([a, b], k) =>
          w.x0 >= a &&
          w.x1 <= b &&
          row.some((o) => o.words.some((x) => inCore(x, k))) &&
          row.some((o) => o.words.some((x) => inCore(x, k + 1))),
      );
    const kept = line.words.filter((w) => !dust(w));
    if (kept.length > 0 && kept.length < line.words.length) line.words = kept;
  }
}

/** Column text within this many line heights above and below makes a spanning line a row of both. */
const SANDWICH_HEIGHTS = 2.5;

/** `line` cut into runs of words sitting in one column each (a word across a gutter goes where most of it is). */
function cutAtWords(line: CleanLine, cores: [number, number][]): CleanLine[] {
  const pieces: CleanLine[] = [];
  let current: CleanWord[] = [];
  let currentK = -1;
  const flushPiece = () => {
    if (current.length === 0) return;
    const x0 = current[0]?.x0 ?? 0;
    const x1 = current.at(-1)?.x1 ?? 0;
    pieces.push({
      source: { ...line.source, bbox: { ...line.source.bbox, x0, x1 }, words: [] },
      words: current,
    });
    current = [];
  };
  for (const w of line.words) {
    const overlaps = cores.map(([c0, c1]) => Math.min(w.x1, c1) - Math.max(w.x0, c0));
    const k = overlaps.indexOf(Math.max(...overlaps));
    if (k !== currentK) flushPiece();
    currentK = k;
    current.push(w);
  }
  flushPiece();
  return pieces;
}

/**
 * A gap between two words at least this many line heights wide, reaching across a gutter, is a
 * column break; word spaces are about a third of a line height, a little more in justified
 * text, and the narrowest gutters (~0.12 in) are about half a line height of 11 pt text. Where
 * the gap covers less than half the gutter (ragged lines), it must also be `CUT_GAP_SPACES`
 * times the line's other word spaces.
 */
const CUT_GAP_HEIGHTS = 0.4;
const CUT_GAP_SPACES = 2;

/**
 * A title over the columns is set larger than the text and its words evenly spaced: a line at
 * least `TITLE_HEIGHT` times the page's median line height whose gap over a gutter is no wider
 * than `TITLE_SPACES` times its other spaces is one line, even where its spaces (a bold
 * monospaced title) are as wide as the gutter.
 */
const TITLE_HEIGHT = 1.2;
const TITLE_SPACES = 1.25;

/**
 * Height of a line's text: its letters' height above the baseline (`heightAboveBaseline`). A box
 * height would also count descenders, a speck OCR glued to one word, and a row read across a
 * skewed page's columns, all making body text as tall as a title.
 */
function textHeight(line: CleanLine): number {
  return heightAboveBaseline(line.source);
}

/** The pieces of `line` between gutter-covering gaps, or null when it has no such gap. */
function cutLine(line: CleanLine, cores: [number, number][], bodyHeight: number): CleanLine[] | null {
  const height = line.source.bbox.y1 - line.source.bbox.y0;
  const title = textHeight(line) >= TITLE_HEIGHT * bodyHeight;
  const strips = cores.slice(1).map(([c0], k): [number, number] => [(cores[k] as [number, number])[1], c0]);
  // Words wholly inside a gutter (OCR dust such as "," or "|") do not close the gap they sit in.
  const words = line.words;
  const real = words.flatMap((w, i) => (strips.some(([a, b]) => w.x0 >= a && w.x1 <= b) ? [] : [i]));
  const gaps = real
    .slice(1)
    .map((j, r) => (words[j] as CleanWord).x0 - (words[real[r] as number] as CleanWord).x1);
  const cuts: number[] = [];
  gaps.forEach((gap, g) => {
    const i = real[g] as number;
    const j = real[g + 1] as number;
    const before = (words[i] as CleanWord).x1;
    const after = before + gap;
    if (gap <= CUT_GAP_HEIGHTS * height) return;
    const others = gaps.filter((_, o) => o !== g).sort((x, y) => x - y);
    const space = others[others.length >> 1] ?? Number.POSITIVE_INFINITY;
    // Across most of a gutter, or (ragged lines reach into it) into it and far wider than this
    // line's word spaces: a title's evenly spaced words are never cut.
    const across = strips.some(([a, b]) => {
      const overlap = Math.min(after, b) - Math.max(before, a);
      return overlap > 0 && (overlap >= 0.5 * (b - a) || gap > CUT_GAP_SPACES * space);
    });
    if (!across) return;
    if (title && others.length >= 2 && gap <= TITLE_SPACES * space) return;
    if (j > i + 1) cuts.push(i + 1);
    cuts.push(j);
  });
  if (cuts.length === 0) return null;
  const bounds = [0, ...cuts, line.words.length];
  // Between two columns' text on one row, a speck read as "i", "4" or "." wholly in the gutter
  // is dust, not text of either column: it is dropped, not moved into one.
  const speck = (w: CleanWord) => isSpeck(w) && strips.some(([a, b]) => w.x0 >= a && w.x1 <= b);
  return bounds.slice(1).flatMap((end, i) => {
    const words = line.words.slice(bounds[i], end);
    if (words.every(speck)) return [];
    const x0 = words[0]?.x0 ?? line.source.bbox.x0;
    const x1 = words.at(-1)?.x1 ?? line.source.bbox.x1;
    return [{ source: { ...line.source, bbox: { ...line.source.bbox, x0, x1 }, words: [] }, words }];
  });
}

/**
 * Content order on a page with columns: full-width paragraphs (title, page number, a heading
 * across the columns) cut the page into bands; within a band each column is written whole, left
 * to right — the order poppler's layout mode reads and the corpus ground truth uses. `-raw`
 * extraction, pdf.js selection and copy and paste follow the content order, so a page where OCR
 * read rows across a narrow gutter reads column by column there too. Left as OCR read it when a
 * full-width paragraph sits beside column text (no clean bands), or without columns.
 */
export function inColumnOrder(split: { paragraphs: CleanLine[][]; layout: ColumnLayout }): {
  paragraphs: CleanLine[][];
  layout: ColumnLayout;
} {
  const { paragraphs, layout } = split;
  if (layout.spans.length < 2) return split;
  const rows = paragraphs.map((p) => ({
    y0: Math.min(...p.map((l) => l.source.bbox.y0)),
    y1: Math.max(...p.map((l) => l.source.bbox.y1)),
  }));
  const full = paragraphs.flatMap((_, i) => (layout.column[i] === null ? [i] : []));
  const beside = full.some((i) =>
    paragraphs.some(
      (_, j) =>
        layout.column[j] !== null &&
        (rows[j]?.y0 ?? 0) < (rows[i]?.y1 ?? 0) &&
        (rows[j]?.y1 ?? 0) > (rows[i]?.y0 ?? 0),
    ),
  );
  if (beside) return split;
  const centre = (i: number) => ((rows[i]?.y0 ?? 0) + (rows[i]?.y1 ?? 0)) / 2;
  // Band of a paragraph: how many full-width paragraphs lie above it (itself included).
  const band = (i: number) => full.filter((f) => centre(f) <= centre(i)).length;
  const key = (i: number): number[] => {
    const k = layout.column[i];
    return k === null || k === undefined ? [band(i), -1, centre(i)] : [band(i), k, rows[i]?.y0 ?? 0];
  };
  const keys = paragraphs.map((_, i) => key(i));
  const order = paragraphs
    .map((_, i) => i)
    .sort((a, b) => {
      const ka = keys[a] as number[];
      const kb = keys[b] as number[];
      for (let n = 0; n < ka.length; n++) {
        const d = (ka[n] as number) - (kb[n] as number);
        if (d !== 0) return d;
      }
      return a - b;
    });
  return {
    paragraphs: order.map((i) => paragraphs[i] as CleanLine[]),
    layout: { ...layout, column: order.map((i) => layout.column[i] ?? null) },
  };
}
