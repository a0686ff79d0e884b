/**
 * Measurements on a small greyscale sample for spread detection (spread.ts holds the rules): the
 * paper under the ink, the ink, text blocks and their lines, and brightness valleys along x.
 * Plain JS on typed arrays; the verdict is made in spread.ts.
 */
export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Run {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Runs of indices where `test` holds, joining runs separated by at most `mergeGap` misses. */
export function runsOf(n: number, test: (i: number) => boolean, mergeGap = 0): Run[] {
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
export function paperOf(g: Grey, r: number): Float32Array {
  return closeColumns(Float32Array.from(g.data), g.width, r, 0);
}

/** Ink: clearly darker than the paper around it, on paper (not on the bed); lone specks dropped. */
export function inkOf(g: Grey, bg: Float32Array, paper: number): Uint8Array {
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

export function percentileOf(data: Uint8Array, fraction: number): number {
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

export interface Block {
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
export interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
}

export function inkPoints(ink: Uint8Array, w: number): InkPoints {
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
export function blockOf(pts: InkPoints, w: number, h: number, x0: number, x1: number): Block | null {
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
export function paperProfile(bg: Float32Array, w: number, y0: number, y1: number): Float32Array {
  const p = new Float32Array(w);
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < w; x++) p[x] = (p[x] as number) + (bg[y * w + x] as number);
  for (let x = 0; x < w; x++) p[x] = (p[x] as number) / Math.max(1, y1 - y0);
  // A ruled line or a fold crease is no shadow: close dips narrower than ~1% of the width.
  return closeColumns(p, 1, Math.max(2, Math.round(w * 0.006)));
}

export interface Valley {
  x: number;
  depth: number;
}

/** The darkest point of `p` within [a, b), and how far it lies below the paper on both sides. */
export function valleyIn(p: Float32Array, a: number, b: number): Valley {
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
export function paperEdge(p: Float32Array, from: number, dir: 1 | -1, paper: number): number {
  let x = from;
  while (x + dir >= 0 && x + dir < p.length && (p[x + dir] as number) >= paper * 0.6) x += dir;
  return dir === 1 ? x + 1 : x;
}
