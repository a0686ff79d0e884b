/**
 * How big the text on a page is, in pixels, and what resolution that implies. The x-height (height
 * of "a", "e", "n", "o") is the size OCR cares about: tesseract reads best with an x-height of
 * about 20–30 px, and a file's DPI tag says nothing about the type size, nor is the tag always right
 * (72/96 from image editors, 300 kept by a tool that downsampled the page).
 */
import { inkBoxesBelow } from './ink-boxes.ts';
import { otsuOfHistogram } from './otsu.ts';

/** 8-bit greyscale pixels, one byte per pixel, row by row. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface TextSize {
  /** Most common height of lowercase letters without ascenders or descenders, pixels. */
  xHeightPx: number;
  /** Letters the estimate rests on. */
  letters: number;
}

/** Fewer x-height letters than this (a blank page, a photograph) gives no estimate. */
const MIN_LETTERS = 40;
/** Components shorter than this are specks or punctuation at any resolution worth reading. */
const MIN_HEIGHT_PX = 4;
/** Width / height of lowercase letters from "r" and "s" (narrow) to "m" and "w" (wide). */
const LETTER_ASPECT = { min: 0.55, max: 2.1 };

/** Otsu's cut over a sampled histogram (ink is below it): ink versus paper on any page, cleaned or not. */
function inkThreshold(img: GreyImage): number {
  const hist = new Float64Array(256);
  const step = Math.max(1, Math.floor(img.data.length / 500_000));
  for (let i = 0; i < img.data.length; i += step) {
    const v = img.data[i] as number;
    hist[v] = (hist[v] as number) + 1;
  }
  // The darker class includes Otsu's level itself (on a 0/255 page, 0): ink is below level + 1.
  return otsuOfHistogram(hist, 127) + 1;
}

/**
 * Ink runs measured at most. Running text has ~250,000 on an A4 page at 300 dpi (~1M at 600 dpi);
 * a page of noise has millions, and measuring them held gigabytes (a 4000² noise page took the
 * OCR process past 2 GB). Beyond this the page is "not measurable": no enlarging, the DPI tag stands.
 */
const MAX_RUNS = 1_500_000;

/**
 * The page's x-height: the most common height among letter-shaped ink components (lowercase
 * letters without ascenders outnumber everything else in running text). Null when the page has
 * too little text to tell, or is mostly noise. Works on greyscale, colour-converted or 1-bit pages, cleaned or not.
 */
/** More specks than this per letter-sized component: the "letters" are noise. */
const NOISE_SPECKS_PER_LETTER = 8;

export function measureTextSize(img: GreyImage): TextSize | null {
  if (img.width < 8 || img.height < 8) return null;
  const boxes = inkBoxesBelow(img.data, img.width, img.height, inkThreshold(img), MAX_RUNS);
  if (!boxes) return null;
  const w = Array.from(boxes.x1.subarray(0, boxes.n), (x1, i) => x1 - (boxes.x0[i] as number) + 1);
  const h = Array.from(boxes.y1.subarray(0, boxes.n), (y1, i) => y1 - (boxes.y0[i] as number) + 1);
  const maxH = Math.max(MIN_HEIGHT_PX + 1, Math.floor(img.height / 8));
  const hist = new Float64Array(maxH + 2);
  let specks = 0;
  for (let i = 0; i < h.length; i++) {
    const hi = h[i] as number;
    const aspect = (w[i] as number) / hi;
    if (hi < MIN_HEIGHT_PX) specks++;
    if (hi < MIN_HEIGHT_PX || hi > maxH || aspect < LETTER_ASPECT.min || aspect > LETTER_ASPECT.max) continue;
    hist[hi] = (hist[hi] as number) + 1;
  }
  // Mode over a window of ±1 px (rounding and overshoot of round letters), then its centroid.
  let best = 0;
  let at = 0;
  for (let v = MIN_HEIGHT_PX; v <= maxH; v++) {
    const s = (hist[v - 1] as number) + (hist[v] as number) + (hist[v + 1] as number);
    if (s > best) {
      best = s;
      at = v;
    }
  }
  // Noise (or a photograph's grain) makes letter-sized blobs too, among far more specks: not text.
  if (best < MIN_LETTERS || specks > NOISE_SPECKS_PER_LETTER * best) return null;
  const lo = hist[at - 1] as number;
  const mid = hist[at] as number;
  const hi = hist[at + 1] as number;
  return { xHeightPx: (lo * (at - 1) + mid * at + hi * (at + 1)) / best, letters: Math.round(best) };
}

/**
 * x-height of book text in inches: 11 pt type with an x-height of half an em (Times-like faces
 * ~0.45, DejaVu ~0.55; body text 9–13 pt), so an estimate is good to about ±25 %.
 */
const BODY_X_HEIGHT_IN = (11 * 0.5) / 72;
/**
 * Resolutions scanners are set to. An estimate within 25 % of one (its own uncertainty) is taken
 * as that one: a wrong guess between two settings is no worse, a right one is exact.
 */
const STANDARD_DPI = [75, 100, 150, 200, 300, 400, 600, 1200];
const SNAP = 0.25;
const MIN_DPI = 50;
const MAX_DPI = 2400;

/** Resolution implied by an x-height, snapped to a standard setting when within 25 %. */
export function dpiFromXHeight(xHeightPx: number): number {
  const raw = Math.min(MAX_DPI, Math.max(MIN_DPI, xHeightPx / BODY_X_HEIGHT_IN));
  const near = STANDARD_DPI.reduce((a, b) => (Math.abs(b - raw) < Math.abs(a - raw) ? b : a));
  return Math.abs(near - raw) <= SNAP * near ? near : Math.round(raw);
}

export const DEFAULT_DPI = 300;
/** Tags below this are software defaults (72, 96), not scan resolutions. */
const MIN_TAG_DPI = 100;
/**
 * A plausible tag is overridden only when the text contradicts it strongly: type a half or less
 * the size the tag implies (a downsampled page that kept its 300 dpi tag), or three times the size
 * (large print is common enough that the tag gets the benefit of the doubt).
 */
const TAG_TOO_HIGH = 2;
const TAG_TOO_LOW = 3;

/**
 * The page's resolution: the file's DPI tag when plausible and not contradicted by the text's size,
 * else the estimate from the x-height, else the tag when plausible, else 300.
 */
export function resolveDpi(tag: number | null | undefined, text: TextSize | null): number {
  const tagged = tag && Number.isFinite(tag) && tag >= MIN_TAG_DPI && tag <= MAX_DPI ? Math.round(tag) : null;
  const estimate = text ? dpiFromXHeight(text.xHeightPx) : null;
  if (tagged && (!estimate || (tagged / estimate < TAG_TOO_HIGH && estimate / tagged < TAG_TOO_LOW))) {
    return tagged;
  }
  return estimate ?? tagged ?? DEFAULT_DPI;
}
