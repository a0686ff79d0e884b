/**
 * Page orientation on raw 8-bit greyscale pixels (pure arithmetic, like deskew.ts): which clockwise
 * quarter turn makes a page of Latin-script text upright. Works the same whichever OCR engine runs
 * and costs a few milliseconds, where tesseract's OSD needs its own model and a second recognition.
 *
 * Two tests on the connected components (letters, or words where letters touch) of a ~120-dpi copy:
 * - Axis: a letter's nearest neighbour is in its own line (small gap), not the next line; so most
 *   components have their nearest neighbour left/right when lines run across the page, above/below
 *   when the page lies on its side. Gaps between boxes, not centre distances, so skew up to several
 *   degrees and letters merged into words do not change the answer.
 * - Up or down: in a line, neighbouring letters mostly share their baseline, while their tops differ
 *   (ascenders and capitals: b d f h k l t A–Z 0–9) more often than their bottoms differ
 *   (descenders: g j p q y) — about 2.5 to 1 in Indonesian and English text. Turned 180°, the
 *   bottoms differ more than the tops. Dots over i and j add their votes: above a letter when
 *   upright, below one when upside down.
 * A page with too few such pairs or no clear majority (blank, a photograph, a few words) is left as
 * it is: a wrong turn is far worse than no turn.
 */

import { otsuThreshold } from './deskew.ts';
import { type Boxes, inkBoxes, turnBoxes } from './ink-boxes.ts';

export type QuarterTurn = 0 | 90 | 180 | 270;

export interface OrientationMeasurement {
  /** Clockwise quarter turn that makes the page upright; 0 whenever `confidence` is below the bar. */
  turn: QuarterTurn;
  /** 0 (no text found, or no clear answer) … 1 (many letter pairs, clear majority) for the best guess. */
  confidence: number;
  /** The best guess before the confidence bar (what `turn` would be if it were sure enough). */
  guess: QuarterTurn;
  /** The evidence, for diagnostics: neighbours beside/above, pairs voting upright/upside down. */
  votes: { along: number; across: number; up: number; down: number };
  /** Typical letter size found, pixels of the measured image (0: none). */
  letterSize: number;
}

/** Below this confidence the page is left as it is. */
export const MIN_ORIENTATION_CONFIDENCE = 0.5;

interface FrameVotes {
  /** Components whose nearest neighbour is beside them (lines run across this frame). */
  along: number;
  /** … above or below them. */
  across: number;
  /** Neighbour pairs in a line whose bottoms agree and tops differ (upright text). */
  up: number;
  /** … whose tops agree and bottoms differ (text upside down in this frame). */
  down: number;
  /** Typical letter height in lines, pixels (about the x-height); else a component's short side. */
  size: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Letter-sized components: not specks, not rules, pictures or scanner bed. */
function letterLike(b: Boxes, w: number, h: number): Int32Array {
  const short = Math.min(w, h);
  const out: number[] = [];
  for (let i = 0; i < b.n; i++) {
    const bw = (b.x1[i] as number) - (b.x0[i] as number) + 1;
    const bh = (b.y1[i] as number) - (b.y0[i] as number) + 1;
    const big = Math.max(bw, bh);
    if (big >= 5 && big <= short / 4 && Math.min(bw, bh) <= short / 20) out.push(i);
  }
  return Int32Array.from(out);
}

const CELL = 32;

interface Pair {
  /** Centre distance along the line, and the differences of the right box's top and bottom. */
  dx: number;
  dt: number;
  db: number;
  /** The smaller box's height. */
  h: number;
}

/**
 * Upright votes (bottoms agree within 10% of the letter height, tops differ by 15% or more) and
 * upside-down votes (the other way round). Thresholds this tight still count the short ascender
 * of t; with looser ones a sans-serif page rich in g, p and y voted upside down.
 */
function baselineVotes(pairs: Pair[]): { up: number; down: number; size: number } {
  // Skew moves tops and bottoms of a pair alike, in proportion to their distance: take it out first.
  const slope = median(pairs.map((p) => (p.dt + p.db) / 2 / p.dx));
  const size = median(pairs.map((p) => p.h));
  const tol = Math.max(1, size * 0.1);
  let up = 0;
  let down = 0;
  for (const p of pairs) {
    const t = Math.abs(p.dt - slope * p.dx);
    const d = Math.abs(p.db - slope * p.dx);
    if (d <= tol && t >= 1.5 * tol) up++;
    else if (t <= tol && d >= 1.5 * tol) down++;
  }
  return { up, down, size };
}

/** Grid of the components touching each 32-px cell, as one array with offsets per cell (CSR). */
function cellGrid(b: Boxes, ids: Int32Array, w: number, h: number) {
  const gw = Math.ceil(w / CELL);
  const gh = Math.ceil(h / CELL);
  const start = new Int32Array(gw * gh + 1);
  const eachCell = (i: number, visit: (cell: number) => void) => {
    const cy1 = Math.floor((b.y1[i] as number) / CELL);
    const cx1 = Math.floor((b.x1[i] as number) / CELL);
    for (let cy = Math.floor((b.y0[i] as number) / CELL); cy <= cy1; cy++)
      for (let cx = Math.floor((b.x0[i] as number) / CELL); cx <= cx1; cx++) visit(cy * gw + cx);
  };
  for (const i of ids) eachCell(i, (c) => (start[c + 1] = (start[c + 1] as number) + 1));
  for (let c = 0; c < gw * gh; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fill = start.slice(0, gw * gh);
  const members = new Int32Array(start[gw * gh] as number);
  for (const i of ids)
    eachCell(i, (c) => {
      members[fill[c] as number] = i;
      fill[c] = (fill[c] as number) + 1;
    });
  return { gw, gh, start, members };
}

/** Votes in one frame: lines across or down, and (for lines across) upright or upside down. */
function frameVotes(b: Boxes, ids: Int32Array, w: number, h: number): FrameVotes {
  const { gw, gh, start, members } = cellGrid(b, ids, w, h);
  // Letter size: the typical short side of a component (x-height, or a letter's width).
  const sizes: number[] = [];
  for (const i of ids)
    sizes.push(
      Math.min((b.x1[i] as number) - (b.x0[i] as number), (b.y1[i] as number) - (b.y0[i] as number)) + 1,
    );
  const size = median(sizes);
  const reach = Math.max(4, Math.round(size * 2));
  const votes: FrameVotes = { along: 0, across: 0, up: 0, down: 0, size };
  const pairs: Pair[] = [];
  const seen = new Int32Array(b.n).fill(-1);
  for (const i of ids) {
    const ax0 = b.x0[i] as number;
    const ax1 = b.x1[i] as number;
    const ay0 = b.y0[i] as number;
    const ay1 = b.y1[i] as number;
    const ah = ay1 - ay0 + 1;
    const aw = ax1 - ax0 + 1;
    let hGap = Number.POSITIVE_INFINITY;
    let vGap = Number.POSITIVE_INFINITY;
    let right = -1;
    let rightGap = Number.POSITIVE_INFINITY;
    const cx0 = Math.max(0, ((ax0 - reach) / CELL) | 0);
    const cx1 = Math.min(gw - 1, ((ax1 + reach) / CELL) | 0);
    const cy0 = Math.max(0, ((ay0 - reach) / CELL) | 0);
    const cy1 = Math.min(gh - 1, ((ay1 + reach) / CELL) | 0);
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        for (let k = start[cy * gw + cx] as number, end = start[cy * gw + cx + 1] as number; k < end; k++) {
          const j = members[k] as number;
          if (j === i || seen[j] === i) continue;
          seen[j] = i;
          const bx0 = b.x0[j] as number;
          const bx1 = b.x1[j] as number;
          const by0 = b.y0[j] as number;
          const by1 = b.y1[j] as number;
          const yOver = Math.min(ay1, by1) - Math.max(ay0, by0) + 1;
          const xOver = Math.min(ax1, bx1) - Math.max(ax0, bx0) + 1;
          if (yOver >= 0.5 * Math.min(ah, by1 - by0 + 1) && xOver <= 0) {
            const gap = -xOver;
            if (gap < hGap) hGap = gap;
            if (bx0 > ax1 && gap < rightGap) {
              rightGap = gap;
              right = j;
            }
          } else if (xOver >= 0.5 * Math.min(aw, bx1 - bx0 + 1) && yOver <= 0) {
            const gap = -yOver;
            if (gap < vGap) vGap = gap;
          }
        }
      }
    }
    if (hGap > reach && vGap > reach) continue;
    if (hGap < vGap) votes.along++;
    else if (vGap < hGap) votes.across++;
    if (right >= 0 && rightGap <= reach) {
      const bh = (b.y1[right] as number) - (b.y0[right] as number) + 1;
      // Letters of one size only: a heading next to body text says nothing about baselines.
      if (bh <= 2.5 * ah && ah <= 2.5 * bh)
        pairs.push({
          dx: ((b.x0[right] as number) + (b.x1[right] as number) - ax0 - ax1) / 2,
          dt: (b.y0[right] as number) - ay0,
          db: (b.y1[right] as number) - ay1,
          h: Math.min(ah, bh),
        });
    }
  }
  if (pairs.length === 0) return votes;
  const { up, down, size: pairSize } = baselineVotes(pairs);
  // Letters in lines are the better size estimate: specks and dust pull the plain median down.
  if (pairs.length >= 20) votes.size = pairSize;
  const dots = dotVotes(b, { gw, gh, start, members }, votes.size);
  votes.up = up + dots.up;
  votes.down = down + dots.down;
  return votes;
}

/**
 * Dots over i and j (and accents) sit just above a letter; turned 180° they sit just below one.
 * Full stops and commas sit beside letters, not over them, and specks of noise fall either way.
 * About one letter in twelve is an i in Indonesian: many votes, nearly all one way.
 */
function dotVotes(b: Boxes, grid: ReturnType<typeof cellGrid>, size: number) {
  const { gw, gh, start, members } = grid;
  const maxDot = Math.max(2, size * 0.45);
  const maxGap = Math.max(2, size * 0.4);
  let up = 0;
  let down = 0;
  for (let i = 0; i < b.n; i++) {
    const x0 = b.x0[i] as number;
    const x1 = b.x1[i] as number;
    const y0 = b.y0[i] as number;
    const y1 = b.y1[i] as number;
    if (x1 - x0 + 1 > maxDot || y1 - y0 + 1 > maxDot || (x1 === x0 && y1 === y0)) continue;
    const cx = (x0 + x1) / 2;
    let below = Number.POSITIVE_INFINITY;
    let above = Number.POSITIVE_INFINITY;
    const col = Math.min(gw - 1, Math.floor(cx / CELL));
    const row0 = Math.max(0, Math.floor((y0 - maxGap - 1) / CELL));
    const row1 = Math.min(gh - 1, Math.floor((y1 + maxGap + 1) / CELL));
    for (let cy = row0; cy <= row1; cy++) {
      const cell = cy * gw + col;
      for (let k = start[cell] as number, end = start[cell + 1] as number; k < end; k++) {
        const j = members[k] as number;
        if (cx < (b.x0[j] as number) - 0.5 || cx > (b.x1[j] as number) + 0.5) continue;
        if ((b.y0[j] as number) > y1) below = Math.min(below, (b.y0[j] as number) - y1 - 1);
        else if ((b.y1[j] as number) < y0) above = Math.min(above, y0 - (b.y1[j] as number) - 1);
      }
    }
    if (below <= maxGap && above > maxGap) up++;
    else if (above <= maxGap && below > maxGap) down++;
  }
  return { up, down };
}

/** Raw evidence in the page's own frame and in the frame turned 90° clockwise. */
export function orientationVotes(gray: Uint8Array, w: number, h: number) {
  const boxes = inkBoxes(gray, w, h, otsuThreshold(gray));
  const ids = letterLike(boxes, w, h);
  const upright = frameVotes(boxes, ids, w, h);
  // The turned frame only matters when lines run down the page; its neighbour counts are the
  // upright frame's, swapped.
  const turned =
    upright.across > upright.along
      ? frameVotes(turnBoxes(boxes, h), ids, h, w)
      : { along: upright.across, across: upright.along, up: 0, down: 0, size: upright.size };
  return { upright, turned, letters: ids.length };
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

/**
 * Measure a page (ideally ~100–150 dpi: a long side near 1000–1750 px). `letterSize` says how big
 * the letters were, so a caller can look again on a finer copy when they were tiny.
 */
export function measureOrientation(gray: Uint8Array, w: number, h: number): OrientationMeasurement {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0 || gray.length < w * h) {
    throw new RangeError(`measureOrientation: bad size ${w}x${h} for ${gray.length} bytes`);
  }
  const v = orientationVotes(gray, w, h);
  const lying = v.turned.along > v.upright.along;
  const f = lying ? v.turned : v.upright;
  const base: QuarterTurn = lying ? 90 : 0;
  const guess = (f.down > f.up ? base + 180 : base) as QuarterTurn;
  // Axis: text gives an overwhelming majority (typically > 95%) of neighbours within the line.
  const axisMargin = (f.along - f.across) / (f.along + f.across + 10);
  const axisConfidence = clamp01((axisMargin - 0.5) / 0.3);
  // Up or down: enough pairs for the majority to be no accident (z), and a majority of the size
  // letters give (ascenders ≈ 2–3× descenders), not a slight lean of some pattern in a picture.
  const votes = f.up + f.down;
  const z = Math.abs(f.up - f.down) / Math.sqrt(votes + 1);
  const lean = Math.abs(f.up - f.down) / (votes + 1);
  // Text always has some descenders: a perfect lean is a pattern (fence, grass), not letters.
  const upConfidence = lean > 0.85 ? 0 : Math.min(clamp01((z - 1.5) / 4), clamp01((lean - 0.05) / 0.15));
  const confidence = Math.round(Math.min(axisConfidence, upConfidence) * 1000) / 1000;
  return {
    turn: confidence >= MIN_ORIENTATION_CONFIDENCE ? guess : 0,
    confidence,
    guess,
    votes: { along: f.along, across: f.across, up: f.up, down: f.down },
    letterSize: f.size,
  };
}
