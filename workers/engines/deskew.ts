/**
 * Skew measurement on raw 8-bit greyscale pixels (no image library: pure arithmetic so it can be
 * unit-tested and reused on any downscaled copy).
 *
 * Sign convention: `angle` is the clockwise rotation of the content in image coordinates
 * (x right, y down), in degrees — the same sense as `sharp.rotate(angle)`. A page measured at
 * `angle` is straightened with `sharp(...).rotate(-angle)`.
 */
import { otsuOfHistogram } from './otsu.ts';

export interface SkewMeasurement {
  /** Degrees, positive = content rotated clockwise; straighten with rotate(-angle). */
  angle: number;
  /** 0 (no usable text lines) … 1 (sharp, unambiguous peak). */
  confidence: number;
}

const MAX_ANGLE = 6;
const COARSE_STEP = 0.25;
const FINE_SPAN = 0.4;
const FINE_STEP = 0.02;
/** Half-width of the parabola fit around the best fine angle. */
const FIT_SPAN = 0.16;
/** Enough ink samples for a stable profile; more only costs time. */
const MAX_POINTS = 60_000;
const MIN_POINTS = 150;
/**
 * The profile is scored per vertical strip and summed: on a two-column page the columns' baselines
 * do not line up, and scoring each half separately keeps both peaks sharp.
 */
const STRIPS = 2;

/** Otsu's threshold over all pixels of a greyscale image. */
export function otsuThreshold(gray: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < gray.length; i++) {
    const v = gray[i] as number;
    hist[v] = (hist[v] as number) + 1;
  }
  return otsuOfHistogram(hist, 127);
}

/**
 * Ink pixels: darker than Otsu's global threshold AND clearly darker than their neighbourhood, in a
 * neighbourhood that is not mostly dark. Both local tests drop large dark areas (scanner bed,
 * rotation wedges, gutter shadow, leftover borders) whose long straight edges would otherwise
 * dominate the projection profile and pull the answer towards 0°.
 */
function inkPoints(gray: Uint8Array, width: number, height: number): { xs: Float64Array; ys: Float64Array } {
  const otsu = otsuThreshold(gray);
  const r = Math.max(6, Math.round(Math.min(width, height) / 60));
  const iw = width + 1;
  // Two summed-area tables: grey level and "darker than Otsu" count. Int32 holds them exactly for
  // any sample up to 8 Mpx (255 x 8e6 < 2^31); callers pass ~1000 px wide copies.
  const cells = iw * (height + 1);
  const wide = width * height > 8_000_000;
  const sumGrey = wide ? new Float64Array(cells) : new Int32Array(cells);
  const sumDark = wide ? new Float64Array(cells) : new Int32Array(cells);
  for (let y = 0; y < height; y++) {
    let rowGrey = 0;
    let rowDark = 0;
    const row = y * width;
    const irow = (y + 1) * iw;
    for (let x = 0; x < width; x++) {
      const g = gray[row + x] as number;
      rowGrey += g;
      if (g <= otsu) rowDark++;
      sumGrey[irow + x + 1] = (sumGrey[irow - iw + x + 1] as number) + rowGrey;
      sumDark[irow + x + 1] = (sumDark[irow - iw + x + 1] as number) + rowDark;
    }
  }
  const boxSum = (t: Float64Array | Int32Array, x0: number, y0: number, x1: number, y1: number) =>
    (t[y1 * iw + x1] as number) -
    (t[y0 * iw + x1] as number) -
    (t[y1 * iw + x0] as number) +
    (t[y0 * iw + x0] as number);
  const marked: number[] = [];
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const g = gray[y * width + x] as number;
      if (g > otsu) continue;
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const area = (y1 - y0) * (x1 - x0);
      if (g >= (boxSum(sumGrey, x0, y0, x1, y1) / area) * 0.8) continue;
      // Text never fills its neighbourhood; solid dark regions and their edges do.
      if (boxSum(sumDark, x0, y0, x1, y1) > area * 0.4) continue;
      marked.push(y * width + x);
    }
  }
  // Deterministic, evenly spread subsample keeps the cost bounded on dense pages.
  const stride = Math.max(1, marked.length / MAX_POINTS);
  const n = Math.floor(marked.length / stride);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  // Each sample sits at a pseudo-random spot inside its pixel. Without this dither, at exactly 0°
  // every point lands on a bin boundary and the profile is sharper than at any other angle, which
  // pulls small skews to 0.
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    const p = marked[Math.floor(i * stride)] as number;
    xs[i] = (p % width) + rand() - width / 2;
    ys[i] = Math.floor(p / width) + rand() - height / 2;
  }
  return { xs, ys };
}

/**
 * Sharpness of the row profile after undoing a rotation of `deg`: the sum of squared differences
 * between adjacent rows. Text lines give steep edges when aligned; smooth blobs contribute little.
 */
function profileScore(
  xs: Float64Array,
  ys: Float64Array,
  strips: Int32Array,
  deg: number,
  hist: Float64Array,
): number {
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const bins = hist.length / STRIPS;
  const offset = bins / 2;
  hist.fill(0);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const yp = (ys[i] as number) * c - x * s + offset;
    const b = Math.floor(yp);
    const f = yp - b;
    const base = (strips[i] as number) + b;
    // Linear splat: sub-pixel shifts change the score smoothly, so the fine search can resolve them.
    hist[base] = (hist[base] as number) + 1 - f;
    hist[base + 1] = (hist[base + 1] as number) + f;
  }
  let score = 0;
  for (let k = 0; k < STRIPS; k++) {
    const start = k * bins;
    for (let i = start + 1; i < start + bins; i++) {
      const d = (hist[i] as number) - (hist[i - 1] as number);
      score += d * d;
    }
  }
  return score;
}

/** Measure the skew of text lines in a greyscale image (ideally ~1000 px wide). */
export function measureSkew(gray: Uint8Array, width: number, height: number): SkewMeasurement {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`measureSkew: bad size ${width}x${height}`);
  }
  if (gray.length < width * height) {
    throw new RangeError(`measureSkew: ${gray.length} bytes for ${width}x${height}`);
  }
  const { xs, ys } = inkPoints(gray, width, height);
  if (xs.length < MIN_POINTS) return { angle: 0, confidence: 0 };

  const bins = Math.ceil(Math.hypot(width, height)) + 4;
  const hist = new Float64Array(bins * STRIPS);
  // Each point's strip does not depend on the angle: its offset in `hist`, worked out once.
  const stripW = width / STRIPS;
  const strips = Int32Array.from(
    xs,
    (x) => Math.min(STRIPS - 1, Math.floor((x + width / 2) / stripW)) * bins,
  );
  const coarse: { deg: number; score: number }[] = [];
  for (let deg = -MAX_ANGLE; deg <= MAX_ANGLE + 1e-9; deg += COARSE_STEP) {
    coarse.push({ deg, score: profileScore(xs, ys, strips, deg, hist) });
  }
  let best = coarse[0] as { deg: number; score: number };
  for (const c of coarse) if (c.score > best.score) best = c;

  const fine: { deg: number; score: number }[] = [];
  const steps = Math.round(FINE_SPAN / FINE_STEP);
  for (let i = -steps; i <= steps; i++) {
    const deg = best.deg + i * FINE_STEP;
    fine.push({ deg, score: profileScore(xs, ys, strips, deg, hist) });
  }
  let bi = 0;
  for (let i = 1; i < fine.length; i++) if ((fine[i]?.score ?? 0) > (fine[bi]?.score ?? 0)) bi = i;
  let angle = fine[bi]?.deg ?? best.deg;
  // Least-squares parabola over the points near the peak: the score is a little noisy from angle
  // to angle, and a fit over several points locates the top better than the single best sample.
  const m = fine[bi];
  const fitHalf = Math.round(FIT_SPAN / FINE_STEP);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let i = Math.max(0, bi - fitHalf); i <= Math.min(fine.length - 1, bi + fitHalf); i++) {
    const f = fine[i] as { deg: number; score: number };
    const u = f.deg - angle;
    s0 += 1;
    s1 += u;
    s2 += u * u;
    s3 += u * u * u;
    s4 += u * u * u * u;
    t0 += f.score;
    t1 += f.score * u;
    t2 += f.score * u * u;
  }
  // Solve [s4 s3 s2; s3 s2 s1; s2 s1 s0] [a b c] = [t2 t1 t0] by Cramer's rule.
  const det3 = (
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
    f: number,
    g: number,
    h: number,
    k: number,
  ) => a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  const det = det3(s4, s3, s2, s3, s2, s1, s2, s1, s0);
  if (det !== 0) {
    const a = det3(t2, s3, s2, t1, s2, s1, t0, s1, s0) / det;
    const b = det3(s4, t2, s2, s3, t1, s1, s2, t0, s0) / det;
    const top = -b / (2 * a);
    if (a < 0 && Math.abs(top) <= FIT_SPAN) angle += top;
  }

  // Confidence: how far the peak stands above a typical (median) angle's score.
  const sorted = coarse.map((c) => c.score).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const peak = Math.max(best.score, m?.score ?? 0);
  const confidence = peak > 0 ? Math.max(0, Math.min(1, 1 - median / peak)) : 0;
  return { angle: Math.round(angle * 1000) / 1000, confidence: Math.round(confidence * 1000) / 1000 };
}
