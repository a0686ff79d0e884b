/**
 * Two-page spreads: does a wide image show two book pages side by side, and where is the fold?
 *
 * Works on a ~800 px greyscale copy. A spread is accepted only when an empty vertical band near the
 * middle runs the whole height of the text, text stands on both sides of it, and page cues agree:
 * a binding shadow along the band, page numbers (or running heads) in both halves, a band wider
 * than the outer margins (two inner margins side by side). A two-column landscape page has an
 * empty band too, but its column gap is narrower than its margins, its title and centred page number
 * cross the band, and it has no fold shadow; so without such cues we do not split. Precision first:
 * a wrongly split page interleaves nothing but breaks a map or a table in two.
 */
import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import type { PageRegion } from '../../core/item.types.ts';

/** Why a verdict was reached; every share is of the sample width unless said otherwise. */
export interface SpreadCues {
  /** Depth of the paper-brightness valley at the fold, share of the paper level (0: none). */
  shadowDepth: number;
  /** Page numbers (or running heads) found in both halves at the same height. */
  pageMarks: boolean;
  /** Text-to-text distance across the band divided by the mean outer margin. */
  gapToMargin: number;
  /** Shorter text block height over the taller one. */
  heightRatio: number;
  /** Text lines found in the left and the right half. */
  lines: [number, number];
}

export interface SpreadDetection {
  /**
   * Where the fold is: x in the source image's pixels after EXIF orientation. The left page is
   * [0, splitX), the right page [splitX, width).
   */
  splitX: number;
  /** 0..1, how sure. `split` is `confidence >= SPREAD_SPLIT_CONFIDENCE`. */
  confidence: number;
  /**
   * true: cut the image into two pages. false: keep it as one page, but it may be a spread (flag it
   * for staff). Precision is favoured: a spread without any page cue stays whole.
   */
  split: boolean;
  cues: SpreadCues;
}

export const SPREAD_SPLIT_CONFIDENCE = 0.5;
/** Below this the image is simply not a spread (`null`): nothing worth a staff flag. */
const REPORT_CONFIDENCE = 0.2;
/** The sample is 500-1000 px wide: text lines stay a few pixels apart, and it is cheap. */
const MIN_SAMPLE_WIDTH = 500;
/** Two portrait pages side by side are ~1.4 wide; a single upright page is below 1. */
const MIN_ASPECT = 1.2;
/** Where a fold may be, shares of the width: a book opened near its middle. */
const FOLD_ZONE: [number, number] = [0.35, 0.65];

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

interface Run {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Runs of indices where `test` holds, joining runs separated by at most `mergeGap` misses. */
function runsOf(n: number, test: (i: number) => boolean, mergeGap = 0): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    if (!test(i)) continue;
    const last = runs[runs.length - 1];
    if (last && i - last.end <= mergeGap) last.end = i + 1;
    else runs.push({ start: i, end: i + 1 });
  }
  return runs;
}

/**
 * Sliding max down every column of a `w`-wide array at once (w = 1: a plain line), window 2r+1
 * clipped at the ends. O(1) per value (van Herk / Gil-Werman), row-major so it runs at memory speed.
 */
function slideMax(src: Float32Array, w: number, r: number): Float32Array {
  const n = src.length / w;
  const k = 2 * r + 1;
  const len = n + 2 * r;
  // Padded by r neutral rows on both sides, so no window is cut short or stretched. Branches are
  // per row, not per value: this is the hot loop of the whole detector.
  const fwd = new Float32Array(len * w);
  const back = new Float32Array(len * w);
  const NEG = Number.NEGATIVE_INFINITY;
  const pass = (out: Float32Array, i: number, restart: boolean, from: number) => {
    const o = i * w;
    const s = (i - r) * w;
    const p = from * w;
    if (i < r || i >= n + r) {
      if (restart) out.fill(NEG, o, o + w);
      else out.copyWithin(o, p, p + w);
    } else if (restart) {
      out.set(src.subarray(s, s + w), o);
    } else {
      for (let x = 0; x < w; x++) out[o + x] = Math.max(out[p + x] as number, src[s + x] as number);
    }
  };
  for (let i = 0; i < len; i++) pass(fwd, i, i % k === 0, i - 1);
  for (let i = len - 1; i >= 0; i--) pass(back, i, i % k === k - 1 || i === len - 1, i + 1);
  const out = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    const a = i * w;
    const b = (i + 2 * r) * w;
    for (let x = 0; x < w; x++) out[a + x] = Math.max(back[a + x] as number, fwd[b + x] as number);
  }
  return out;
}

function negate(a: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = -(a[i] as number);
  return a;
}

/**
 * Greyscale closing (max then min) down the columns, window 2r+1. With `pad`, each column
 * continues with that value beyond its ends, so a dark band along the image edge stays a step
 * instead of being closed over.
 */
function closeColumns(src: Float32Array, w: number, r: number, pad?: number): Float32Array {
  const m = pad === undefined ? 0 : r;
  const ext = new Float32Array(src.length + 2 * m * w).fill(pad ?? 0);
  ext.set(src, m * w);
  const closed = negate(slideMax(negate(slideMax(ext, w, r)), w, r));
  return m === 0 ? closed : closed.subarray(m * w, m * w + src.length);
}

/**
 * Paper brightness under the ink: a closing along each column. Text lines and horizontal rules are
 * shorter than the window and vanish; vertical things (the fold, a binding shadow, page edges,
 * vertical rules) are kept, so they never count as ink. Outside the image counts as dark: a strip
 * of scanner bed along the top or bottom stays bed, not ink.
 */
function paperOf(g: Grey, r: number): Float32Array {
  return closeColumns(Float32Array.from(g.data), g.width, r, 0);
}

/** Ink: clearly darker than the paper around it, on paper (not on the bed); lone specks dropped. */
function inkOf(g: Grey, bg: Float32Array, paper: number): Uint8Array {
  const { data, width: w, height: h } = g;
  const raw = new Uint8Array(w * h);
  for (let i = 0; i < raw.length; i++) {
    const b = bg[i] as number;
    if (b >= paper * 0.45 && b - (data[i] as number) > Math.max(18, b * 0.12)) raw[i] = 1;
  }
  const ink = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!raw[i]) continue;
      if (
        raw[i - 1] ||
        raw[i + 1] ||
        raw[i - w] ||
        raw[i + w] ||
        raw[i - w - 1] ||
        raw[i - w + 1] ||
        raw[i + w - 1] ||
        raw[i + w + 1]
      ) {
        ink[i] = 1;
      }
    }
  }
  return ink;
}

function percentileOf(data: Uint8Array, fraction: number): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i += 3) hist[data[i] as number] = (hist[data[i] as number] as number) + 1;
  const n = Math.ceil(data.length / 3);
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= n * fraction) return v;
  }
  return 255;
}

interface Block {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Text lines, top to bottom. */
  lines: Run[];
  /** A short line set apart below (footer) or above (header) the body: a page number or running head. */
  footerY: number | null;
  headerY: number | null;
}

/** The ink as a list of points, for projections at several slants. */
interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
}

function inkPoints(ink: Uint8Array, w: number): InkPoints {
  let n = 0;
  for (let i = 0; i < ink.length; i++) n += ink[i] as number;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  for (let i = 0, k = 0; i < ink.length; i++) {
    if (!ink[i]) continue;
    xs[k] = i % w;
    ys[k++] = (i / w) | 0;
  }
  return { xs, ys };
}

/**
 * The slant of the text lines (dy per dx), from the projection that is most peaked: a photographed
 * or tilted book's lines would otherwise smear into one block across a half-width row profile.
 */
function lineSlant(pts: InkPoints, w: number, h: number, x0: number, x1: number): number {
  const pad = Math.ceil(w * 0.06) + 1;
  const hist = new Float64Array(h + 2 * pad);
  const xc = (x0 + x1) / 2;
  let best = 0;
  let bestScore = -1;
  for (let s = -0.06; s <= 0.0601; s += 0.005) {
    hist.fill(0);
    // Every second point is plenty for a histogram of a few hundred rows.
    for (let k = 0; k < pts.xs.length; k += 2) {
      const x = pts.xs[k] as number;
      if (x < x0 || x >= x1) continue;
      const y = Math.round((pts.ys[k] as number) + s * (x - xc)) + pad;
      hist[y] = (hist[y] as number) + 1;
    }
    let score = 0;
    for (let y = 0; y < hist.length; y++) score += (hist[y] as number) ** 2;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

/**
 * The text block of the columns [x0, x1): its lines, extent, and a footer/header line if any. Rows
 * are taken along the text's own slant (each page of a spread may lie at its own angle), pivoting
 * on the middle of the columns, so heights compare across the two halves.
 */
function blockOf(pts: InkPoints, w: number, h: number, x0: number, x1: number): Block | null {
  const slant = lineSlant(pts, w, h, x0, x1);
  const xc = (x0 + x1) / 2;
  const pad = Math.ceil(w * 0.06) + 1;
  const rows = h + 2 * pad;
  const count = new Uint32Array(rows);
  const minX = new Int32Array(rows).fill(w);
  const maxX = new Int32Array(rows).fill(-1);
  const cols = new Uint32Array(w);
  let total = 0;
  for (let k = 0; k < pts.xs.length; k++) {
    const x = pts.xs[k] as number;
    if (x < x0 || x >= x1) continue;
    const y = Math.round((pts.ys[k] as number) + slant * (x - xc)) + pad;
    count[y] = (count[y] as number) + 1;
    if (x < (minX[y] as number)) minX[y] = x;
    if (x > (maxX[y] as number)) maxX[y] = x;
    cols[x] = (cols[x] as number) + 1;
    total++;
  }
  if (total === 0) return null;
  // A text row holds a fair share of a full line's ink; the blurred gap between lines does not.
  const sorted = Array.from(count)
    .filter((c) => c > 0)
    .sort((a, b) => a - b);
  const fullLine = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
  const minRow = Math.max(2, fullLine * 0.2);
  // Anything at all: the block's reach, and small marks such as a page number.
  const faint = Math.max(2, (x1 - x0) * 0.01);
  const all = runsOf(rows, (y) => (count[y] as number) >= faint, 1);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last) return null;
  // Extent of the block, ignoring the outermost 0.3% of its ink (specks, a bed edge).
  const trim = total * 0.003;
  let left = x0;
  for (let acc = 0; left < x1; left++) {
    acc += cols[left] as number;
    if (acc > trim) break;
  }
  let right = x1 - 1;
  for (let acc = 0; right > x0; right--) {
    acc += cols[right] as number;
    if (acc > trim) break;
  }
  const lines = runsOf(rows, (y) => (count[y] as number) >= minRow, 1).filter(
    (r) => r.end - r.start <= h * 0.08,
  );
  const block: Block = {
    top: first.start - pad,
    bottom: last.end - pad,
    left,
    right: right + 1,
    lines,
    footerY: null,
    headerY: null,
  };
  if (lines.length >= 4) {
    const steps = lines.slice(1).map((l, i) => l.start - (lines[i] as Run).start);
    const pitch = steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)] as number;
    const spanOf = (line: Run) => {
      let a = w;
      let b = -1;
      for (let y = line.start; y < line.end; y++) {
        a = Math.min(a, minX[y] as number);
        b = Math.max(b, maxX[y] as number);
      }
      return b - a + 1;
    };
    const inkOf = (run: Run) => {
      let n = 0;
      for (let y = run.start; y < run.end; y++) n += count[y] as number;
      return n;
    };
    /** Something short with a few letters' worth of ink, set apart from the body by more than a paragraph break. */
    const isMark = (mark: Run, gap: number) =>
      gap >= pitch * 1.4 && spanOf(mark) <= (block.right - block.left) * 0.3 && inkOf(mark) >= 8;
    const [l0, ln] = [lines[0] as Run, lines[lines.length - 1] as Run];
    if (isMark(last, last.start - ln.end)) block.footerY = (last.start + last.end) / 2 - pad;
    if (isMark(first, l0.start - first.end)) block.headerY = (first.start + first.end) / 2 - pad;
  }
  return block;
}

/** Mean paper brightness per column over rows [y0, y1), with thin dark lines closed over. */
function paperProfile(bg: Float32Array, w: number, y0: number, y1: number): Float32Array {
  const p = new Float32Array(w);
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < w; x++) p[x] = (p[x] as number) + (bg[y * w + x] as number);
  for (let x = 0; x < w; x++) p[x] = (p[x] as number) / Math.max(1, y1 - y0);
  // A ruled line or a fold crease is no shadow: close dips narrower than ~1% of the width.
  return closeColumns(p, 1, Math.max(2, Math.round(w * 0.006)));
}

interface Valley {
  x: number;
  depth: number;
}

/** The darkest point of `p` within [a, b), and how far it lies below the paper on both sides. */
function valleyIn(p: Float32Array, a: number, b: number): Valley {
  const w = p.length;
  let x = a;
  for (let i = a; i < b; i++) if ((p[i] as number) < (p[x] as number)) x = i;
  const near = Math.round(w * 0.015);
  const far = Math.round(w * 0.12);
  let refL = 0;
  let refR = 0;
  for (let i = Math.max(0, x - far); i <= x - near; i++) refL = Math.max(refL, p[i] as number);
  for (let i = x + near; i <= Math.min(w - 1, x + far); i++) refR = Math.max(refR, p[i] as number);
  const ref = Math.min(refL, refR);
  return { x, depth: ref > 0 ? Math.max(0, (ref - (p[x] as number)) / ref) : 0 };
}

/** Where the paper ends going outwards from column `from` (a darker bed or table), else the image edge. */
function paperEdge(p: Float32Array, from: number, dir: 1 | -1, paper: number): number {
  let x = from;
  while (x + dir >= 0 && x + dir < p.length && (p[x + dir] as number) >= paper * 0.6) x += dir;
  return dir === 1 ? x + 1 : x;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

interface Verdict {
  /** Fold, sample pixels. */
  x: number;
  confidence: number;
  cues: SpreadCues;
}

/** The spread verdict on a greyscale sample (exported for tests of the rules on small images). */
export function analyseSpread(g: Grey): Verdict | null {
  const { width: w, height: h } = g;
  if (w / h < MIN_ASPECT) return null;
  const paper = percentileOf(g.data, 0.9);
  if (paper < 60) return null; // a dark or empty frame: nothing to read
  const bg = paperOf(g, Math.max(4, Math.round(h * 0.03)));
  const ink = inkOf(g, bg, paper);

  const colInk = new Uint32Array(w);
  for (let y = 0, i = 0; y < h; y++)
    for (let x = 0; x < w; x++, i++) colInk[x] = (colInk[x] as number) + (ink[i] as number);
  const allowance = Math.max(1, Math.round(h * 0.002));
  const zoneA = Math.round(w * FOLD_ZONE[0]);
  const zoneB = Math.round(w * FOLD_ZONE[1]);
  const bands = runsOf(w, (x) => (colInk[x] as number) <= allowance).filter((r) => {
    const mid = (r.start + r.end) / 2;
    // A band touching the image edge is a margin, not a fold.
    return (
      mid >= zoneA && mid < zoneB && r.start > 0 && r.end < w && r.end - r.start >= Math.max(3, w * 0.012)
    );
  });
  if (bands.length === 0) return null;

  const slabs: Array<[number, number]> = [
    [0.15, 0.38],
    [0.38, 0.62],
    [0.62, 0.85],
  ];
  const profiles = slabs.map(([a, b]) => paperProfile(bg, w, Math.round(h * a), Math.round(h * b)));
  const middle = profiles[1] as Float32Array;
  /** The shadow along a band: the shallowest of the three slabs' valleys, if they line up. */
  const shadowOf = (band: Run): Valley => {
    const pad = Math.round(w * 0.01);
    const valleys = profiles.map((p) =>
      valleyIn(p, Math.max(0, band.start - pad), Math.min(w, band.end + pad)),
    );
    const xs = valleys.map((v) => v.x);
    const aligned = Math.max(...xs) - Math.min(...xs) <= w * 0.03;
    const depth = aligned ? Math.min(...valleys.map((v) => v.depth)) : 0;
    return { x: Math.round(xs.reduce((s, x) => s + x, 0) / xs.length), depth };
  };
  const scored = bands.map((band) => ({ band, shadow: shadowOf(band) }));
  scored.sort(
    (a, b) => b.shadow.depth - a.shadow.depth || b.band.end - b.band.start - (a.band.end - a.band.start),
  );
  const { band, shadow } = scored[0] as (typeof scored)[number];

  const pts = inkPoints(ink, w);
  const left = blockOf(pts, w, h, 0, band.start);
  const right = blockOf(pts, w, h, band.end, w);
  const shadowScore = clamp01((shadow.depth - 0.05) / 0.12);
  const fold =
    shadowScore > 0.3 && shadow.x >= band.start - w * 0.01 && shadow.x < band.end + w * 0.01
      ? shadow.x
      : Math.round((band.start + band.end) / 2);
  const cues: SpreadCues = {
    shadowDepth: Math.round(shadow.depth * 1000) / 1000,
    pageMarks: false,
    gapToMargin: 0,
    heightRatio: 0,
    lines: [left?.lines.length ?? 0, right?.lines.length ?? 0],
  };
  let confidence: number;
  if (!left || !right) {
    // A fold with a blank (or picture-only) page beside it: maybe a spread, never cut unasked.
    confidence = 0.5 * 0.6 * shadowScore;
  } else {
    const tol = h * 0.04;
    const near = (a: number | null, b: number | null) => a !== null && b !== null && Math.abs(a - b) <= tol;
    cues.pageMarks = near(left.footerY, right.footerY) || near(left.headerY, right.headerY);
    const gap = right.left - left.right;
    const paperL = middle[Math.round((left.left + left.right) / 2)] as number;
    const paperR = middle[Math.round((right.left + right.right) / 2)] as number;
    const outerL = left.left - paperEdge(middle, left.left, -1, paperL);
    const outerR = paperEdge(middle, right.right - 1, 1, paperR) - right.right;
    cues.gapToMargin = Math.round((gap / Math.max(1, (outerL + outerR) / 2)) * 100) / 100;
    const heightL = left.bottom - left.top;
    const heightR = right.bottom - right.top;
    cues.heightRatio = Math.round((Math.min(heightL, heightR) / Math.max(1, heightL, heightR)) * 100) / 100;
    const gapScore = clamp01((cues.gapToMargin - 0.6) / 0.8);
    confidence = 0.6 * shadowScore + 0.4 * (cues.pageMarks ? 1 : 0) + 0.25 * gapScore;
    // Each page has text with margins on both sides, and the two blocks are of a size.
    if (Math.min(outerL, outerR) < w * 0.01) confidence *= 0.5;
    if (Math.min(...cues.lines) < 3) confidence *= 0.5;
    confidence *= Math.max(0.4, Math.min(1, cues.heightRatio / 0.6));
  }
  confidence = Math.round(Math.min(1, confidence) * 1000) / 1000;
  if (confidence < REPORT_CONFIDENCE) return null;
  return { x: fold, confidence, cues };
}

// ---------------------------------------------------------------------------------------------
// Engine entry points

/** Width and height after the EXIF orientation (what every region's pixels refer to). */
async function uprightSize(input: Buffer, page: number): Promise<{ width: number; height: number }> {
  const meta = await sharp(input, { limitInputPixels: false, page }).metadata();
  return { width: meta.autoOrient.width, height: meta.autoOrient.height };
}

/**
 * The source width divided by a power of two: a JPEG then decodes straight at that scale
 * (shrink-on-load), four to eight times faster than decoding in full and resampling.
 */
function sampleWidth(width: number): number {
  const shrink = 2 ** Math.max(0, Math.floor(Math.log2(width / MIN_SAMPLE_WIDTH)));
  return Math.round(width / shrink);
}

/**
 * Is this image a two-page spread? `null`: no (including every image not clearly wider than tall).
 * Cheap: one decode to a small greyscale sample (JPEG shrink-on-load), then profiles.
 */
export async function detectSpread(
  input: Buffer,
  opts: { page?: number; maxPixels?: number } = {},
): Promise<SpreadDetection | null> {
  const page = opts.page ?? 0;
  const size = await uprightSize(input, page);
  if (size.width / size.height < MIN_ASPECT) return null;
  const { data, info } = await sharp(input, { page, limitInputPixels: opts.maxPixels ?? false })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({ width: sampleWidth(size.width), withoutEnlargement: true })
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const verdict = analyseSpread({
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  });
  if (!verdict) return null;
  return {
    splitX: Math.round(((verdict.x + 0.5) * size.width) / info.width),
    confidence: verdict.confidence,
    split: verdict.confidence >= SPREAD_SPLIT_CONFIDENCE,
    cues: verdict.cues,
  };
}

/** The two pages of a spread split at `splitX`, left then right (reading order is the caller's). */
export function spreadRegions(splitX: number, width: number): [PageRegion, PageRegion] {
  return [
    { side: 'left', x0: 0, x1: splitX },
    { side: 'right', x0: splitX, x1: width },
  ];
}

/**
 * The sharp `extract` box of a region of the upright image, checked against its size: a region
 * recorded for another file (a replaced original) must fail loudly, not cut the wrong strip.
 */
export function regionBox(
  region: Pick<PageRegion, 'x0' | 'x1'>,
  size: { width: number; height: number },
): { left: number; top: number; width: number; height: number } {
  const { x0, x1 } = region;
  if (!Number.isInteger(x0) || !Number.isInteger(x1) || x0 < 0 || x1 <= x0 || x1 > size.width) {
    throw new PindaiError(
      'image_region_outside',
      `Page region [${x0}, ${x1}) lies outside the ${size.width}-pixel-wide image`,
      { params: { x0, x1, width: size.width } },
    );
  }
  return { left: x0, top: 0, width: x1 - x0, height: size.height };
}

/** One page of a spread as a lossless PNG, EXIF orientation applied, colour kept. */
export async function cutRegion(
  input: Buffer,
  region: Pick<PageRegion, 'x0' | 'x1'>,
  opts: { page?: number; maxPixels?: number } = {},
): Promise<Buffer> {
  const page = opts.page ?? 0;
  const box = regionBox(region, await uprightSize(input, page));
  return sharp(input, { page, limitInputPixels: opts.maxPixels ?? false })
    .rotate()
    .extract(box)
    .png()
    .toBuffer();
}
