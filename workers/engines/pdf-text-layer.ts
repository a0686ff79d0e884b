import type { Box, OcrLine, OcrPageResult, OcrWord } from '../../core/ocr.types.ts';
import { lineBaselinePx, lineHeight } from './ocr-line-geometry.ts';
import { descentsForBands } from './pdf-text-bands.ts';
import {
  FULL_WIDTH_SIZE,
  findColumns,
  inColumnOrder,
  ODD_COLUMN_SIZE,
  splitAtGutters,
  squeezeIntoColumns,
} from './pdf-text-columns.ts';
import { joinTitlePieces } from './pdf-text-title.ts';

/** Turns text into glyph codes of the embedded font; `advance` is the natural width in 1/1000 em. */
export interface GlyphEncoder {
  encode(text: string): { hex: string; advance: number };
}

/** Maps OCR pixels to PDF user space (points, origin bottom-left). */
export interface TextLayerGeometry {
  pageHeightPt: number;
  /** Points per OCR pixel, horizontally and vertically (72 / dpi, times any OCR→page rescale). */
  kx: number;
  ky: number;
  /** Page size in OCR pixels; words are clamped to it because poppler drops text off the page. */
  widthPx: number;
  heightPx: number;
}

/** Typical line pitch / font size of book text. */
const LEADING = 1.2;
/**
 * poppler joins lines into one block only while baselines are within 1.5 font sizes; stay under
 * that with a margin for rounding and OCR jitter.
 */
const MAX_GAP_IN_SIZES = 1.42;
/** Gaps up to this many line pitches (paragraph spacing) are bridged by enlarging the size. */
const BRIDGEABLE_GAP_IN_PITCHES = 1.55;
/** Fallback for a single line: a line box (ascender to descender) is about one em. */
const HEIGHT_TO_SIZE = 1.0;
/** Paragraphs whose lines are this much taller than the page's body text are headings. */
const HEADING_RATIO = 1.45;
/** ... and multi-line paragraphs this much smaller are footnotes or captions. */
const SMALL_TEXT_RATIO = 0.7;
const VERY_LOW_CONFIDENCE = 20;
const LOW_CONFIDENCE = 60;
const SINGLE_CHAR_MIN_CONFIDENCE = 40;

// Rules, underlines and dashes that OCR reads off gutters, page edges and binding shadows.
const RULE_CHARS = /^[|¦‖_\-‐‑‒–—―~]+$/u;
// Vertical bars and underscores are rules and edges even right beside a word: never kept.
const BAR_CHARS = /[|¦‖_]/u;
const SYMBOLS_ONLY = /^[\p{P}\p{S}]+$/u;
const CONTROL = /[\p{Cc}\p{Cs}\u200B\u2028\u2029\uFEFF]/gu;
/** Punctuation beside a word (`--`, `—`, `...`, `- 12 -`) is kept down to this confidence. */
const PUNCTUATION_MIN_CONFIDENCE = 10;
/** Largest gap (in line heights) between punctuation and the word it belongs to. */
const PUNCTUATION_GAP = { inside: 1.6, edge: 0.9 };
/** Punctuation taller or wider than this (in line heights) is a rule or a speck cluster. */
const PUNCTUATION_MAX = { height: 1.3, width: 3 };

/** NFC, without control characters or stray whitespace. */
export function cleanWordText(raw: string): string {
  return raw.replace(CONTROL, '').normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * OCR noise that would land in gutters and margins and wreck viewers' column detection, judged
 * on the word alone. Punctuation this rejects may still be kept by its place in a line
 * (`isLinePunctuation`).
 */
export function isDustWord(text: string, confidence: number): boolean {
  if (!text || RULE_CHARS.test(text)) return true;
  if (confidence < VERY_LOW_CONFIDENCE) return true;
  if (confidence < LOW_CONFIDENCE && SYMBOLS_ONLY.test(text)) return true;
  // A lone "l", "I", "1" or "'" at modest confidence is nearly always a speck or a rule.
  return confidence < SINGLE_CHAR_MIN_CONFIDENCE && [...text].length === 1;
}

interface WordCandidate {
  text: string;
  bbox: Box;
  confidence: number;
  /** A real word (not symbols only) that is not dust. */
  solid: boolean;
}

/** A real word: mostly letters, long enough that specks are not read as it. */
const WORDLIKE = { minLetters: 4, minShare: 0.7 };
const LETTER = /\p{L}/gu;

/**
 * A word tesseract is unsure of (confidence under 20 happens on correct words, e.g. a heading on a
 * page with bleed-through) is kept when it looks like a word and stands among the words of a line
 * that has at least one sure word: bare tesseract would print it too, and dropping it costs the
 * whole word. Dust is short, or symbols, or stands apart.
 */
export function isUnsureWordInLine(words: readonly WordCandidate[], i: number, lineH: number): boolean {
  const w = words[i];
  if (!w || w.solid || !words.some((o) => o.solid)) return false;
  const wordlike = (t: string) => {
    const letters = t.match(LETTER)?.length ?? 0;
    return letters >= WORDLIKE.minLetters && letters >= WORDLIKE.minShare * [...t].length;
  };
  if (!wordlike(w.text) || w.bbox.y1 - w.bbox.y0 > PUNCTUATION_MAX.height * lineH) return false;
  const near = (o: WordCandidate | undefined) =>
    o !== undefined &&
    (o.solid || wordlike(o.text)) &&
    Math.max(o.bbox.x0 - w.bbox.x1, w.bbox.x0 - o.bbox.x1) <= PUNCTUATION_GAP.inside * lineH;
  return near(words[i - 1]) || near(words[i + 1]);
}

/**
 * Symbols-only OCR words that belong to the text: a dash or an ellipsis between two words, or right
 * after (or before) a word at the line's edge, no taller than the line and no wider than a long
 * dash. Dust from gutters and page edges stands apart from the words or alone on its line, and
 * bars and underscores are never text.
 */
export function isLinePunctuation(words: readonly WordCandidate[], i: number, lineH: number): boolean {
  const w = words[i];
  if (!w || w.solid || !SYMBOLS_ONLY.test(w.text) || BAR_CHARS.test(w.text)) return false;
  if (w.confidence < PUNCTUATION_MIN_CONFIDENCE) return false;
  const { x0, x1, y0, y1 } = w.bbox;
  if (y1 - y0 > PUNCTUATION_MAX.height * lineH || x1 - x0 > PUNCTUATION_MAX.width * lineH) return false;
  let prev: WordCandidate | undefined;
  let next: WordCandidate | undefined;
  for (let j = i - 1; j >= 0 && !prev; j--) if (words[j]?.solid) prev = words[j];
  for (let j = i + 1; j < words.length && !next; j++) if (words[j]?.solid) next = words[j];
  const gapBefore = prev ? (x0 - prev.bbox.x1) / lineH : Number.POSITIVE_INFINITY;
  const gapAfter = next ? (next.bbox.x0 - x1) / lineH : Number.POSITIVE_INFINITY;
  if (prev && next) return gapBefore <= PUNCTUATION_GAP.inside && gapAfter <= PUNCTUATION_GAP.inside;
  return Math.min(gapBefore, gapAfter) <= PUNCTUATION_GAP.edge;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * One font size (pixels) for a run of lines in reading order (may span columns). Based on the
 * median baseline pitch / 1.2, enlarged so the widest paragraph gap in a column (up to 1.55 pitches)
 * still sits within 1.42 sizes: then poppler keeps a whole column in one block and cannot mistake
 * side-by-side paragraphs for a table. Falls back to the median line height without a usable
 * pitch. Null for no lines.
 */
export function pdfFontSizeForLines(lines: readonly OcrLine[]): number | null {
  if (lines.length === 0) return null;
  const h = median(lines.map(lineHeight));
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as OcrLine;
    const b = lines[i] as OcrLine;
    const d = lineBaselinePx(b) - lineBaselinePx(a);
    const overlap = b.bbox.x0 < a.bbox.x1 && b.bbox.x1 > a.bbox.x0;
    // Only lines stacked in one column; skips column jumps, side-by-side lines and figure gaps.
    if (overlap && d > 0.6 * h && d < 3 * h) gaps.push(d);
  }
  if (gaps.length === 0) return h * HEIGHT_TO_SIZE;
  const pitch = median(gaps);
  const widest = Math.max(...gaps.filter((d) => d <= BRIDGEABLE_GAP_IN_PITCHES * pitch));
  return Math.max(pitch / LEADING, widest / MAX_GAP_IN_SIZES);
}

/** A gap wider than this many font sizes would split the line in poppler's layout mode. */
const WIDE_GAP_EM = 0.8;
/** Width of the space left before the next word after a wide gap is closed. */
const SPACE_EM = 0.3;

export interface CleanWord {
  text: string;
  x0: number;
  x1: number;
}
export interface CleanLine {
  source: OcrLine;
  words: CleanWord[];
}

function finiteBox(b: Box): boolean {
  return Number.isFinite(b.x0) && Number.isFinite(b.y0) && Number.isFinite(b.x1) && Number.isFinite(b.y1);
}

/**
 * Letters are at least about a quarter of an em wide each: a "word" of several letters in a box far
 * narrower than that for its height is a vertical stroke OCR read as text — a page edge, the fold
 * at the cut of a spread, a binding shadow — and in a gutter or margin it fuses columns for poppler.
 */
const MIN_WIDTH_PER_LETTER_OF_HEIGHT = 0.12;

function isSliver(text: string, b: Box): boolean {
  const letters = [...text].length;
  return letters >= 2 && b.x1 - b.x0 < MIN_WIDTH_PER_LETTER_OF_HEIGHT * (b.y1 - b.y0) * letters;
}

/**
 * Words of a line stand side by side. A "line" taller than wide whose words mostly stand one
 * above another (each overlapping the next horizontally by over half the narrower one's width)
 * is a vertical strip — a dark page edge or binding left on a cleaned 1-bit page — whose blots
 * OCR read as short words.
 */
const STACKED_OVERLAP = 0.5;

function isStacked(line: OcrLine): boolean {
  const { x0, y0, x1, y1 } = line.bbox;
  const words = line.words.filter((w) => finiteBox(w.bbox));
  if (words.length < 2 || !finiteBox(line.bbox) || y1 - y0 <= x1 - x0) return false;
  let stacked = 0;
  for (let i = 1; i < words.length; i++) {
    const a = (words[i - 1] as OcrWord).bbox;
    const b = (words[i] as OcrWord).bbox;
    const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    const apart = Math.max(a.y0, b.y0) >= Math.min(a.y1, b.y1);
    if (apart && overlap > STACKED_OVERLAP * Math.min(a.x1 - a.x0, b.x1 - b.x0)) stacked++;
  }
  return stacked * 2 > words.length - 1;
}

/**
 * The x-ranges of the page's vertical strips: stacked "lines" at least twice as tall as wide.
 * Any other line wholly inside one is a blot of the same strip read as a word of its own.
 */
function verticalStrips(lines: readonly OcrLine[]): [number, number][] {
  return lines
    .filter((l) => isStacked(l) && 2 * (l.bbox.x1 - l.bbox.x0) <= l.bbox.y1 - l.bbox.y0)
    .map((l) => [l.bbox.x0, l.bbox.x1]);
}

function inStrip(line: OcrLine, strips: readonly [number, number][]): boolean {
  return strips.some(([a, b]) => line.bbox.x0 >= a && line.bbox.x1 <= b);
}

function cleanLine(line: OcrLine, widthPx: number): CleanLine | null {
  // A NaN from a misbehaving engine would otherwise end up as "NaN" in the content stream.
  if (!finiteBox(line.bbox) || isStacked(line)) return null;
  const candidates: WordCandidate[] = [];
  for (const w of line.words) {
    const text = cleanWordText(w.text);
    if (!text || !finiteBox(w.bbox) || isSliver(text, w.bbox)) continue;
    const solid = !SYMBOLS_ONLY.test(text) && !isDustWord(text, w.confidence);
    candidates.push({ text, bbox: w.bbox, confidence: w.confidence, solid });
  }
  const lineH = lineHeight(line);
  const words: CleanWord[] = [];
  candidates.forEach((w, i) => {
    const keep =
      w.solid ||
      !isDustWord(w.text, w.confidence) ||
      isLinePunctuation(candidates, i, lineH) ||
      isUnsureWordInLine(candidates, i, lineH);
    if (!keep) return;
    const x0 = Math.min(Math.max(w.bbox.x0, 0), widthPx - 1);
    const x1 = Math.min(Math.max(w.bbox.x1, x0 + 1), widthPx);
    words.push({ text: w.text, x0, x1 });
  });
  return words.length ? { source: line, words } : null;
}

/**
 * Two lines share a row when their baselines are within this share of the smaller line box's
 * height (tesseract's baselines of one row agree to a pixel or two), their boxes overlap by at
 * least half of it vertically, and neither box is more than twice as tall as the other (a speck
 * cluster or a drop capital is not a piece of the line).
 */
const SAME_ROW = { baseline: 0.25, overlap: 0.5, heightRatio: 2 };
/**
 * A row of pieces is one line of text when a line of the same column within `REFERENCE_HEIGHTS`
 * line heights above or below covers at least `REFERENCE_COVER` of the row's width: the
 * column's own text is that wide. Lines of two columns side by side cover twice a column's width.
 */
const REFERENCE_HEIGHTS = 3;
const REFERENCE_COVER = 0.9;

function sameRow(p: CleanLine, q: CleanLine): boolean {
  const hp = lineHeight(p.source);
  const hq = lineHeight(q.source);
  const overlap = Math.min(p.source.bbox.y1, q.source.bbox.y1) - Math.max(p.source.bbox.y0, q.source.bbox.y0);
  const dBase = Math.abs(lineBaselinePx(p.source) - lineBaselinePx(q.source));
  const h = Math.min(hp, hq);
  return (
    Math.max(hp, hq) <= SAME_ROW.heightRatio * h &&
    overlap >= SAME_ROW.overlap * h &&
    dBase <= SAME_ROW.baseline * h
  );
}

/** The words of `pieces` in one run left to right, or null where two of them overlap (two texts). */
function interleave(pieces: readonly CleanLine[]): CleanWord[] | null {
  const words = pieces.flatMap((p) => p.words).sort((a, b) => a.x0 - b.x0);
  // A pixel or two of overlap is the blur of neighbouring glyph boxes, not a second text.
  const slack = 0.1 * Math.min(...pieces.map((p) => lineHeight(p.source)));
  for (let i = 1; i < words.length; i++) {
    if ((words[i] as CleanWord).x0 < (words[i - 1] as CleanWord).x1 - slack) return null;
  }
  return words;
}

/**
 * tesseract sometimes reports pieces of one line as blocks of their own: a few words beside a
 * wide justified space, or a short justified line cut at its spaces into one block per word
 * column (each block then holds the words of two or three such lines). poppler's layout mode
 * puts them back by their position, but the content order (`-raw`, copy and paste, pdf.js)
 * follows the blocks and reads them after the paragraph, or a column of words at a time. Pieces
 * of one row in one column (shared baseline, words side by side, not overlapping) are written as
 * one line, in the paragraph with the most lines among theirs (left first on a tie), when the
 * column's text near the row (a line, or a row so joined) is as wide as the whole row. Lines of neighbouring columns never
 * qualify: where columns were found they carry other column numbers, and where they were not,
 * no line of one column is as wide as both.
 */
export function joinLineFragments(
  paragraphs: CleanLine[][],
  column: readonly (number | null)[],
): { paragraphs: CleanLine[][]; column: (number | null)[] } {
  const lines = paragraphs.flatMap((p, pi) => p.map((line) => ({ line, pi })));
  // Rows: lines joined through shared baselines, per column (union-find).
  const parent = lines.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  lines.forEach((a, i) => {
    for (let j = i + 1; j < lines.length; j++) {
      const b = lines[j] as (typeof lines)[number];
      if (column[a.pi] === column[b.pi] && sameRow(a.line, b.line) && interleave([a.line, b.line]))
        parent[root(j)] = root(i);
    }
  });
  const rows = new Map<number, number[]>();
  for (const i of lines.keys()) rows.set(root(i), [...(rows.get(root(i)) ?? []), i]);
  const extent = (ls: readonly CleanLine[]): [number, number] => [
    Math.min(...ls.map((l) => l.words[0]?.x0 ?? Number.POSITIVE_INFINITY)),
    Math.max(...ls.map((l) => l.words.at(-1)?.x1 ?? Number.NEGATIVE_INFINITY)),
  ];
  // The paragraph a row goes to: most lines, then leftmost, so every row two paragraphs share goes
  // to the same one and their lines stay in order.
  const rank = (pi: number): [number, number, number] => [
    -(paragraphs[pi]?.length ?? 0),
    extent(paragraphs[pi] ?? [])[0],
    pi,
  ];
  const before = (a: number, b: number) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return (ra[k] as number) < (rb[k] as number);
    return false;
  };
  type Span = { a: number; b: number; y0: number; y1: number; k: number | null };
  // Punctuation alone past either end of a row is gutter or margin dust more often than text:
  // it stays where it was (a real comma or dash beyond a line's end is OCR'd with its word).
  const symbolsOnly = (l: CleanLine) => l.words.every((w) => SYMBOLS_ONLY.test(w.text));
  const trimmed = (members: number[]): number[] => {
    const line = (i: number) => (lines[i] as (typeof lines)[number]).line;
    return members.filter((i) => {
      if (!symbolsOnly(line(i))) return true;
      const others = members.filter((j) => j !== i).map(line);
      const [a, b] = extent([line(i)]);
      const [o0, o1] = extent(others);
      return a < o1 && b > o0;
    });
  };
  const candidates = [...rows.values()].map(trimmed).flatMap((members) => {
    if (members.length < 2) return [];
    const pieces = members.map((i) => (lines[i] as (typeof lines)[number]).line);
    const words = interleave(pieces);
    if (!words) return [];
    const [a, b] = extent(pieces);
    const k = column[(lines[members[0] as number] as (typeof lines)[number]).pi] ?? null;
    const h = Math.max(...pieces.map((p) => lineHeight(p.source)));
    const y0 = Math.min(...pieces.map((p) => p.source.bbox.y0));
    const y1 = Math.max(...pieces.map((p) => p.source.bbox.y1));
    return [{ members, pieces, words, h, span: { a, b, y0, y1, k } }];
  });
  const single = (i: number): Span => {
    const { line, pi } = lines[i] as (typeof lines)[number];
    const [a, b] = extent([line]);
    return { a, b, y0: line.source.bbox.y0, y1: line.source.bbox.y1, k: column[pi] ?? null };
  };
  const covers = (ref: Span, row: Span, h: number) =>
    ref.k === row.k &&
    Math.max(ref.y0 - row.y1, row.y0 - ref.y1) <= REFERENCE_HEIGHTS * h &&
    Math.min(row.b, ref.b) - Math.max(row.a, ref.a) >= REFERENCE_COVER * (row.b - row.a);
  // A row next to a joined row (a short justified paragraph cut into word columns) may take that
  // row as its reference: repeat until no more rows qualify.
  const joined = new Set<(typeof candidates)[number]>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of candidates) {
      if (joined.has(c)) continue;
      const byLine = lines.some((_, i) => !c.members.includes(i) && covers(single(i), c.span, c.h));
      if (byLine || [...joined].some((o) => covers(o.span, c.span, c.h))) {
        joined.add(c);
        grew = true;
      }
    }
  }
  const gone = new Set<CleanLine>();
  for (const { members, pieces, words, span } of joined) {
    let host = members[0] as number;
    for (const i of members) {
      if (before((lines[i] as (typeof lines)[number]).pi, (lines[host] as (typeof lines)[number]).pi))
        host = i;
    }
    const line = (lines[host] as (typeof lines)[number]).line;
    line.words = words;
    const { x0, y0, x1, y1 } = line.source.bbox;
    line.source = { ...line.source, bbox: { x0: Math.min(x0, span.a), y0, x1: Math.max(x1, span.b), y1 } };
    for (const p of pieces) if (p !== line) gone.add(p);
  }
  const out = { paragraphs: [] as CleanLine[][], column: [] as (number | null)[] };
  paragraphs.forEach((ls, pi) => {
    const kept = ls.filter((l) => !gone.has(l));
    if (kept.length === 0) return;
    out.paragraphs.push(kept);
    out.column.push(column[pi] ?? null);
  });
  return out;
}

/**
 * `pdftotext -raw` runs two words together when the gap between them is under about 0.16 of the
 * font size (measured on poppler 22), even with a space glyph between them; the text layer's size
 * can be twice the line height (it bridges paragraph gaps), so small spaces fall under it.
 */
const MIN_SPACE_EM = 0.18;
/** A word is narrowed by at most this share of its width to make room for the space. */
const MAX_NARROWING = 0.2;

/**
 * OCR boxes include the blurred edges of the glyphs, so at low resolution (a 100 dpi page has 4–5
 * px spaces) neighbouring boxes nearly touch and PDF readers run the words together. Each word is
 * narrowed just enough to leave a space of MIN_SPACE_EM of the font size (`sizePx`) before the next.
 */
function keepSpacesOpen(words: CleanWord[], sizePx: number): void {
  const minSpace = MIN_SPACE_EM * sizePx;
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i] as CleanWord;
    const next = words[i + 1] as CleanWord;
    const short = minSpace - (next.x0 - w.x1);
    if (short > 0) w.x1 = Math.max(w.x0 + 1, w.x1 - Math.min(short, MAX_NARROWING * (w.x1 - w.x0)));
  }
}

/**
 * Font size (pixels) per paragraph: one shared size for the page's body text, so poppler sees
 * consistent sizes down each column; headings and small print (footnotes) get their own.
 */
function paragraphSizes(paragraphs: OcrLine[][], column: readonly (number | null)[]): number[] {
  const pageHeight = median(paragraphs.flat().map(lineHeight));
  const textLeft = Math.min(...paragraphs.flat().map((l) => l.bbox.x0));
  const textRight = Math.max(...paragraphs.flat().map((l) => l.bbox.x1));
  const multiColumn = column.some((c) => c !== null && c > 0);
  const own = paragraphs.map((lines, i) => {
    const ratio = median(lines.map(lineHeight)) / pageHeight;
    // A heading inside one column keeps the body size: with a size of its own poppler makes it
    // a separate flow and may read the other column before the rest of this one. (Line boxes
    // inflated by OCR dust look like headings too.)
    const spans = Math.max(...lines.map((l) => l.bbox.x1)) - Math.min(...lines.map((l) => l.bbox.x0));
    const inColumn = multiColumn ? column[i] !== null : spans < 0.55 * (textRight - textLeft);
    return (ratio > HEADING_RATIO && !inColumn) || (ratio < SMALL_TEXT_RATIO && lines.length > 1);
  });
  const body = pdfFontSizeForLines(paragraphs.filter((_, i) => !own[i]).flat()) ?? pageHeight;
  const columns = Math.max(0, ...column.map((c) => c ?? 0)) + 1;
  const sizes = paragraphs.map((lines, i) => {
    const size = own[i] ? (pdfFontSizeForLines(lines) ?? body) : body;
    const c = column[i] ?? null;
    if (columns < 2) return size;
    return size * (c === null ? FULL_WIDTH_SIZE : c % 2 ? ODD_COLUMN_SIZE : 1);
  });
  if (columns >= 2) bridgeBreaksSideBySide(paragraphs, column, own, sizes);
  return sizes;
}

/**
 * poppler joins lines whose baselines are within half a font size into one line; a column's size
 * is raised only while its closest baseline step stays this many sizes (a margin for OCR jitter).
 */
const MIN_STEP_IN_SIZES = 0.7;

/**
 * Where a paragraph gap too wide for the text layer's size splits two neighbouring columns on the
 * same rows, poppler sees four blocks in a 2×2 grid, aligned at their edges, takes them for a
 * table and reads them row by row, across the columns. One of the two columns is then kept whole
 * by raising its size (all its body lines, so its block keeps one size) until the gap is bridged:
 * the column needing the smaller raise, and only as far as its lines stay apart (`MIN_STEP_IN_SIZES`).
 * Gaps on different rows are harmless: the blocks of the two columns overlap in height. Where
 * neither column can be raised that far, `descentsForBands` (pdf-text-bands.ts) breaks the grid.
 */
function bridgeBreaksSideBySide(
  paragraphs: OcrLine[][],
  column: readonly (number | null)[],
  own: readonly boolean[],
  sizes: number[],
): void {
  const columns = Math.max(0, ...column.map((c) => c ?? 0)) + 1;
  const members = Array.from({ length: columns }, (_, k) =>
    paragraphs.flatMap((_, i) => (column[i] === k && !own[i] ? [i] : [])),
  );
  const sizeOf = (k: number) => sizes[members[k]?.[0] ?? -1] ?? 0;
  // Baseline steps down each column (lines side by side on one row, pieces of a line, left out),
  // and whether anything else lies in the gap (a heading across the columns, small print): a
  // column block bridged over it would be read before or after it as a whole.
  const steps = members.map((ps) => {
    const lines = ps.flatMap((i) => paragraphs[i] ?? []);
    const h = median(lines.map(lineHeight));
    const x0 = Math.min(...lines.map((l) => l.bbox.x0));
    const x1 = Math.max(...lines.map((l) => l.bbox.x1));
    const others = paragraphs
      .filter((_, i) => !ps.includes(i))
      .flat()
      .filter((l) => l.bbox.x0 < x1 && l.bbox.x1 > x0)
      .map(lineBaselinePx);
    const bases = lines.map(lineBaselinePx).sort((a, b) => a - b);
    return bases.slice(1).flatMap((b, j) => {
      const a = bases[j] as number;
      return b - a > 0.6 * h ? [{ a, b, empty: !others.some((y) => y > a && y < b) }] : [];
    });
  });
  const breaks = (k: number) => (steps[k] ?? []).filter(({ a, b }) => b - a > MAX_GAP_IN_SIZES * sizeOf(k));
  const maxSize = (k: number) => Math.min(...(steps[k] ?? []).map(({ a, b }) => b - a)) / MIN_STEP_IN_SIZES;
  for (let k = 0; k + 1 < columns; k++) {
    const tried = new Set<string>();
    for (let guard = 0; guard < 32; guard++) {
      const pair = breaks(k)
        .flatMap((p) => breaks(k + 1).flatMap((q) => (p.a < q.b && q.a < p.b ? [[p, q] as const] : [])))
        .find(([p, q]) => !tried.has(`${p.a} ${q.a}`));
      if (!pair) break;
      tried.add(`${pair[0].a} ${pair[1].a}`);
      // The raise each column needs to bridge its gap of the pair, if its lines allow it.
      const options = [k, k + 1]
        .flatMap((c, n) => {
          const { a, b, empty } = pair[n] as { a: number; b: number; empty: boolean };
          // (a hair over, so the gap counts as bridged after rounding)
          const need = (b - a) / MAX_GAP_IN_SIZES + 0.01;
          return empty && need <= maxSize(c) ? [{ c, need, ratio: need / sizeOf(c) }] : [];
        })
        .sort((x, y) => x.ratio - y.ratio);
      const best = options[0];
      if (best) for (const i of members[best.c] ?? []) sizes[i] = best.need;
    }
  }
}

/**
 * A short line standing between columns (a centred page number under a two-column page) makes
 * poppler's layout mode read the right column first. Such a line's words are spread across the
 * full text width: it then sits below both columns and is read after them. Only its selection
 * box changes; its text and baseline stay. But poppler widens a block over anything below it that
 * no block beside it bars: when a column's last block lies wholly below the column to its right,
 * a line spread that far would pull the right column ahead of that block. There it stops short
 * of the right column, narrowed if it reached into it (and may be read before it: one page
 * number misplaced, not a column).
 */
function spreadGutterLines(
  paragraphs: CleanLine[][],
  column: readonly (number | null)[],
  sizes: number[],
): void {
  const lines = paragraphs.flat();
  if (lines.length < 3) return;
  const left = Math.min(...lines.map((l) => l.words[0]?.x0 ?? Number.POSITIVE_INFINITY));
  const right = Math.max(...lines.map((l) => l.words.at(-1)?.x1 ?? 0));
  const span = right - left;
  const columns = Math.max(0, ...column.map((c) => c ?? 0)) + 1;
  const bodySize = Math.min(...sizes.filter((_, i) => column[i] !== null));
  // Column text other than `line` itself (a page number under the middle column belongs to it).
  const ofColumn = (k: number, line: CleanLine) =>
    paragraphs.filter((_, i) => column[i] === k).flatMap((p) => p.filter((l) => l !== line));
  const bottom = (k: number, line: CleanLine) =>
    Math.max(0, ...ofColumn(k, line).map((l) => l.source.bbox.y1));
  // Top of the last block poppler makes of column k: after the last baseline step wider than
  // 1.5 font sizes (the column's own size).
  const lastBlockTop = (k: number, line: CleanLine): number => {
    const size = sizes[column.indexOf(k)] ?? 0;
    const own = ofColumn(k, line).sort((a, b) => lineBaselinePx(a.source) - lineBaselinePx(b.source));
    let top = own[0]?.source.bbox.y0 ?? 0;
    own.forEach((l, i) => {
      const prev = own[i - 1];
      if (prev && lineBaselinePx(l.source) - lineBaselinePx(prev.source) > 1.5 * size) top = l.source.bbox.y0;
    });
    return top;
  };
  const start = (k: number, line: CleanLine) =>
    Math.min(right, ...ofColumn(k, line).map((l) => l.words[0]?.x0 ?? right));
  for (const line of lines) {
    const x0 = line.words[0]?.x0 ?? 0;
    const x1 = line.words.at(-1)?.x1 ?? 0;
    if (x1 - x0 > GUTTER_LINE_MAX_WIDTH * span) continue;
    // Text on both sides of its middle: a line centred over a gutter, even where it is wide
    // enough to reach into the columns beside it (a long footer over a narrow gutter).
    const mid = (x0 + x1) / 2;
    const leftOf = lines.some((o) => o !== line && (o.words.at(-1)?.x1 ?? 0) <= mid);
    const rightOf = lines.some((o) => o !== line && (o.words[0]?.x0 ?? 0) >= mid);
    // Inside a column (the middle one of three) the column's own lines sit just above or below
    // it, overlapping it: then it is not a gutter line. A distant centred title does not count.
    const h = line.source.bbox.y1 - line.source.bbox.y0;
    const inColumn = lines.some((o) => {
      const ox0 = o.words[0]?.x0 ?? 0;
      const ox1 = o.words.at(-1)?.x1 ?? 0;
      const dy = Math.max(o.source.bbox.y0 - line.source.bbox.y1, line.source.bbox.y0 - o.source.bbox.y1);
      return o !== line && ox0 < x1 && ox1 > x0 && dy < 3 * h;
    });
    // Only a line with its row to itself (a page number under the columns, a heading between
    // column sets): spread beside column text, it would bridge the columns.
    const alone = !lines.some(
      (o) => o !== line && o.source.bbox.y0 < line.source.bbox.y1 && o.source.bbox.y1 > line.source.bbox.y0,
    );
    if (!leftOf || !rightOf || inColumn || !alone) continue;
    let to = right;
    let short = false;
    for (let k = 0; k + 1 < columns; k++) {
      const under = line.source.bbox.y0 >= bottom(k, line);
      if (under && lastBlockTop(k, line) > bottom(k + 1, line)) {
        to = Math.min(to, start(k + 1, line) - h);
        short = true;
      }
    }
    // Stopping short means short of the right column even where the line itself reaches into it
    // (a long centred footer): its box is then narrowed, not widened.
    to = short ? Math.max(to, left + h) : Math.max(to, x1);
    const k = (to - left) / Math.max(1, x1 - x0);
    for (const w of line.words) {
      w.x0 = left + (w.x0 - x0) * k;
      w.x1 = left + (w.x1 - x0) * k;
    }
    // A line findColumns gave a column (a page number under the middle of three) would, spread,
    // join that column's block if close below it at the column's size, and the block, now as
    // wide as the page, would take in every column beside it: it gets a size of its own.
    const pi = paragraphs.findIndex((p) => p.includes(line));
    if (column[pi] !== null && paragraphs[pi]?.length === 1) sizes[pi] = FULL_WIDTH_SIZE * bodySize;
  }
}

/** Lines narrower than this share of the text width may be gutter lines. */
const GUTTER_LINE_MAX_WIDTH = 0.2;

function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

/**
 * Content-stream operators for an invisible (Tr 3) text layer over the page, in reading order
 * (OCR block → paragraph → line → word; on a page with columns, column by column). Each word is
 * placed at its box's left edge on the line baseline and stretched with Tz to its box width; the
 * space glyph after it (every word but the last of a line) is stretched to reach the next word,
 * so extractors see real spaces and no gaps. Returns '' when there is nothing to write.
 */
export function textLayerOperators(
  ocr: OcrPageResult,
  g: TextLayerGeometry,
  fontName: string,
  encoder: GlyphEncoder,
  deepFont?: (descentEm: number) => string,
): string {
  const strips = verticalStrips(ocr.blocks.flatMap((b) => b.paragraphs.flatMap((p) => p.lines)));
  const cleaned = ocr.blocks
    .flatMap((b) => b.paragraphs)
    .map((p) =>
      p.lines
        .filter((l) => !inStrip(l, strips))
        .map((l) => cleanLine(l, g.widthPx))
        .filter((l): l is CleanLine => l !== null),
    )
    .filter((p) => p.length > 0);
  if (cleaned.length === 0) return '';
  const split = splitAtGutters(cleaned, findColumns(cleaned.map((p) => p.map((l) => l.source))));
  const titled = joinTitlePieces(split.paragraphs, split.layout.column);
  const joined = joinLineFragments(titled.paragraphs, titled.column);
  const { paragraphs, layout: columns } = inColumnOrder({
    paragraphs: joined.paragraphs,
    layout: { ...split.layout, column: joined.column },
  });
  const sizes = paragraphSizes(
    paragraphs.map((p) => p.map((l) => l.source)),
    columns.column,
  );
  squeezeIntoColumns(paragraphs, columns, Math.max(...sizes));
  spreadGutterLines(paragraphs, columns.column, sizes);
  const deep = deepFont ? descentsForBands(paragraphs, columns.column, sizes) : new Map<CleanLine, number>();
  paragraphs.forEach((lines, pi) => {
    for (const line of lines) keepSpacesOpen(line.words, sizes[pi] ?? 1);
  });

  const out: string[] = ['BT 3 Tr'];
  const spaceGlyph = encoder.encode(' ');
  const space = spaceGlyph.hex;
  let curFont = '';
  let curSize = '';
  let curTz = '';
  paragraphs.forEach((lines, pi) => {
    // Rounded once so every line sharing a size carries exactly the same number.
    const sizePt = Math.max(0.5, Math.round((sizes[pi] ?? 1) * g.ky * 100) / 100);
    const size = num(sizePt);
    for (const line of lines) {
      const depth = deep.get(line);
      const font = depth !== undefined && deepFont ? deepFont(depth) : fontName;
      const basePx = Math.min(Math.max(lineBaselinePx(line.source), 0), g.heightPx);
      const y = num(g.pageHeightPt - basePx * g.ky);
      const last = line.words.length - 1;
      line.words.forEach((w, i) => {
        const { hex, advance } = encoder.encode(w.text);
        if (!hex || advance <= 0) return;
        if (size !== curSize || font !== curFont) {
          out.push(`${font} ${size} Tf`);
          curSize = size;
          curFont = font;
        }
        const setTz = (tz: string) => {
          if (tz !== curTz) {
            out.push(`${tz} Tz`);
            curTz = tz;
          }
        };
        const next = i < last ? (line.words[i + 1] as CleanWord) : undefined;
        // poppler's layout mode splits a line at a gap wider than about one font size and then
        // reads the pieces as table cells (justified lines with few words): such a word is
        // stretched over the excess so only a normal space remains before the next word.
        const gapPt = next ? (next.x0 - w.x1) * g.kx : 0;
        const wideGap = gapPt > WIDE_GAP_EM * sizePt;
        const spacePt = wideGap ? SPACE_EM * sizePt : Math.max(gapPt, 0);
        const wordPt = wideGap && next ? (next.x0 - w.x0) * g.kx - spacePt : (w.x1 - w.x0) * g.kx;
        setTz(num(Math.max(0.01, (100 * wordPt * 1000) / (advance * sizePt))));
        out.push(`1 0 0 1 ${num(w.x0 * g.kx)} ${y} Tm <${hex}> Tj`);
        if (next) {
          // A real space glyph, stretched to reach the next word: viewers that copy text need it.
          setTz(num(Math.max(1, (100 * spacePt * 1000) / (spaceGlyph.advance * sizePt))));
          out.push(`<${space}> Tj`);
        }
      });
    }
  });
  if (out.length === 1) return '';
  out.push('ET');
  return out.join('\n');
}
