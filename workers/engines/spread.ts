/**
 * Two-page spreads: does a wide image show two book pages side by side, and where is the fold?
 *
 * Works on a 500-1000 px wide greyscale copy. A spread is accepted only when an empty vertical band
 * near the middle runs the whole height of the text, text stands on both sides of it, and page cues
 * agree:
 * a binding shadow along the band, page numbers (or running heads) in both halves, a band wider
 * than the outer margins (two inner margins side by side). A two-column landscape page has an
 * empty band too, but its column gap is narrower than its margins, its title and centred page number
 * cross the band, and it has no fold shadow; so without such cues we do not split. Precision first:
 * a spread left whole is one flagged image staff can split, a map or table cut in two is damage.
 */
import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import type { PageRegion } from '../../core/item.types.ts';
import {
  type Block,
  blockOf,
  type Grey,
  inkOf,
  inkPoints,
  paperEdge,
  paperOf,
  paperProfile,
  percentileOf,
  type Run,
  runsOf,
  type Valley,
  valleyIn,
} from './spread-layout.ts';

/** Why a verdict was reached (for staff notes and for tuning on new material). */
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

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

interface Verdict {
  /** Fold, sample pixels. */
  x: number;
  confidence: number;
  cues: SpreadCues;
}

/** Three horizontal slabs (shares of the height) in which a fold's shadow must each be seen. */
const SLABS: Array<[number, number]> = [
  [0.15, 0.38],
  [0.38, 0.62],
  [0.62, 0.85],
];

/**
 * Candidate folds: bands of columns near the middle with no ink from the top of the text to its
 * bottom (a title or a centred page number across the middle rules a band out), deepest shadow first.
 */
function foldBands(
  ink: Uint8Array,
  profiles: Float32Array[],
  w: number,
  h: number,
): Array<{ band: Run; shadow: Valley }> {
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
  /** The shadow along a band: the shallowest of the slabs' valleys, if they line up. */
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
  return bands
    .map((band) => ({ band, shadow: shadowOf(band) }))
    .sort(
      (a, b) => b.shadow.depth - a.shadow.depth || b.band.end - b.band.start - (a.band.end - a.band.start),
    );
}

/**
 * The confidence that the two sides are two pages: the fold's shadow (`shadowPart`, already
 * weighted), page marks at the same height, a gap wider than the outer margins; scaled down unless
 * each block has margins on both sides and enough lines, and the two blocks are of a size.
 */
function pageCues(
  left: Block,
  right: Block,
  middle: Float32Array,
  w: number,
  h: number,
  cues: SpreadCues,
  shadowPart: number,
): number {
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
  const score = shadowPart + 0.4 * (cues.pageMarks ? 1 : 0) + 0.25 * clamp01((cues.gapToMargin - 0.6) / 0.8);
  // Each page has text with margins on both sides, enough lines, and the two blocks are of a size.
  let factor = 1;
  if (Math.min(outerL, outerR) < w * 0.01) factor *= 0.5;
  if (Math.min(...cues.lines) < 3) factor *= 0.5;
  factor *= Math.max(0.4, Math.min(1, cues.heightRatio / 0.6));
  return score * factor;
}

/** The spread verdict on a greyscale sample (exported for tests of the rules on small images). */
export function analyseSpread(g: Grey): Verdict | null {
  const { width: w, height: h } = g;
  if (w / h < MIN_ASPECT) return null;
  const paper = percentileOf(g.data, 0.9);
  if (paper < 60) return null; // a dark or empty frame: nothing to read
  const bg = paperOf(g, Math.max(4, Math.round(h * 0.03)));
  const ink = inkOf(g, bg, paper);
  const profiles = SLABS.map(([a, b]) => paperProfile(bg, w, Math.round(h * a), Math.round(h * b)));
  const best = foldBands(ink, profiles, w, h)[0];
  if (!best) return null;
  const { band, shadow } = best;

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
  const confidence =
    left && right
      ? pageCues(left, right, profiles[1] as Float32Array, w, h, cues, 0.6 * shadowScore)
      : // A fold with a blank (or picture-only) page beside it: maybe a spread, never cut unasked.
        0.5 * 0.6 * shadowScore;
  const rounded = Math.round(Math.min(1, confidence) * 1000) / 1000;
  if (rounded < REPORT_CONFIDENCE) return null;
  return { x: fold, confidence: rounded, cues };
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
