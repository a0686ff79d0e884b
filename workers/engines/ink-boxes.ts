/**
 * Connected components of ink on raw 8-bit greyscale pixels, as bounding boxes (pure arithmetic;
 * orientation.ts reads letters and lines from them).
 */

/** Bounding boxes (inclusive pixel coordinates) of `n` components. */
export interface Boxes {
  x0: Int32Array;
  y0: Int32Array;
  x1: Int32Array;
  y1: Int32Array;
  n: number;
}

const BLOCK_SHIFT = 4;
const BLOCK = 1 << BLOCK_SHIFT;

/**
 * Grey level below which a pixel is ink, per 16x16 block: darker than Otsu's global threshold and
 * clearly darker than the paper around it (the mean of the surrounding 3x3 blocks), so paper
 * texture, shadows and the insides of dark areas are not ink. Blocks instead of a per-pixel
 * window: a tenth of the cost, the same letters.
 */
function inkLimits(gray: Uint8Array, w: number, h: number, otsu: number): Uint8Array {
  const bw = Math.ceil(w / BLOCK);
  const bh = Math.ceil(h / BLOCK);
  const sum = new Float64Array(bw * bh);
  for (let y = 0; y < h; y++) {
    const brow = (y >> BLOCK_SHIFT) * bw;
    for (let bx = 0, x = 0; bx < bw; bx++) {
      let s = 0;
      for (const end = Math.min(w, x + BLOCK); x < end; x++) s += gray[y * w + x] as number;
      sum[brow + bx] = (sum[brow + bx] as number) + s;
    }
  }
  const limit = new Uint8Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      for (let j = Math.max(0, by - 1); j <= Math.min(bh - 1, by + 1); j++)
        for (let i = Math.max(0, bx - 1); i <= Math.min(bw - 1, bx + 1); i++) s += sum[j * bw + i] as number;
      const xs = Math.min(w, (bx + 2) * BLOCK) - Math.max(0, (bx - 1) * BLOCK);
      const ys = Math.min(h, (by + 2) * BLOCK) - Math.max(0, (by - 1) * BLOCK);
      limit[by * bw + bx] = Math.min(otsu + 1, Math.floor((s / (xs * ys)) * 0.8));
    }
  }
  return limit;
}

/**
 * A test that all four bytes of a 32-bit word are >= `cut` (0–256), with the classic SWAR
 * comparisons ("has a byte less than n" for n <= 128; for larger cuts, "has a byte more than
 * 255 - cut" in the complement): exact, four pixels per step.
 */
export function allAtLeast(cut: number): (word: number) => boolean {
  if (cut <= 0) return () => true;
  if (cut > 255) return () => false;
  if (cut <= 128) {
    const n = Math.imul(0x01010101, cut) >>> 0;
    return (x) => ((x - n) & ~x & 0x80808080) === 0;
  }
  const m = Math.imul(0x01010101, 127 - (255 - cut)) >>> 0;
  return (x) => {
    const c = ~x >>> 0;
    return ((((c + m) >>> 0) | c) & 0x80808080) === 0;
  };
}

/** First index in [i, end) whose pixel is below `cut` (or `end`): skips the paper before a run of ink. */
export function skipPaper(
  gray: Uint8Array,
  words: Uint32Array | null,
  i: number,
  end: number,
  cut: number,
  paper: (word: number) => boolean,
): number {
  if (words !== null) {
    while (i < end && (i & 3) !== 0) {
      if ((gray[i] as number) < cut) return i;
      i++;
    }
    while (i + 4 <= end && paper(words[i >>> 2] as number)) i += 4;
  }
  while (i < end && (gray[i] as number) >= cut) i++;
  return i;
}

/** Bounding boxes of 8-connected ink components, by joining runs of adjacent rows (union-find). */
function components(
  gray: Uint8Array,
  limit: Uint8Array | number,
  w: number,
  h: number,
  maxRuns = Number.POSITIVE_INFINITY,
): Boxes | null {
  // One cut for the whole page (a number): compared directly, without a block lookup per pixel.
  const blocks = typeof limit === 'number' ? null : limit;
  const cut = typeof limit === 'number' ? limit : 0;
  const bw = Math.ceil(w / BLOCK);
  // Paper is skipped four pixels at a time where the pixels can be read as 32-bit words.
  const words =
    blocks === null && gray.byteOffset % 4 === 0
      ? new Uint32Array(gray.buffer, gray.byteOffset, gray.length >>> 2)
      : null;
  const paperTest = allAtLeast(cut);
  let cap = 1 << 14;
  let rx0 = new Int32Array(cap);
  let rx1 = new Int32Array(cap);
  let ry = new Int32Array(cap);
  let parent = new Int32Array(cap);
  let n = 0;
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[a] !== r) {
      const next = parent[a] as number;
      parent[a] = r;
      a = next;
    }
    return r;
  };
  const grow = <T extends Int32Array>(a: T): T => {
    const b = new Int32Array(cap * 2) as T;
    b.set(a);
    return b;
  };
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < h; y++) {
    const start = n;
    let p = prevStart;
    const row = y * w;
    const lrow = (y >> BLOCK_SHIFT) * bw;
    for (let x = 0; x < w; ) {
      if (blocks === null) {
        x = skipPaper(gray, words, row + x, row + w, cut, paperTest) - row;
      } else {
        while (x < w && (gray[row + x] as number) >= (blocks[lrow + (x >> BLOCK_SHIFT)] as number)) x++;
      }
      if (x === w) break;
      const a = x;
      if (blocks === null) {
        while (x < w && (gray[row + x] as number) < cut) x++;
      } else {
        while (x < w && (gray[row + x] as number) < (blocks[lrow + (x >> BLOCK_SHIFT)] as number)) x++;
      }
      if (n >= maxRuns) return null;
      if (n === cap) {
        [rx0, rx1, ry, parent] = [grow(rx0), grow(rx1), grow(ry), grow(parent)];
        cap *= 2;
      }
      rx0[n] = a;
      rx1[n] = x - 1;
      ry[n] = y;
      parent[n] = n;
      // Runs of the previous row touching this one (diagonals included).
      while (p < prevEnd && (rx1[p] as number) < a - 1) p++;
      for (let q = p; q < prevEnd && (rx0[q] as number) <= x; q++) {
        const ra = find(q);
        const rb = find(n);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
      n++;
    }
    prevStart = start;
    prevEnd = n;
  }
  // Roots come before their runs (a root is always the smallest index), so one pass suffices.
  const slot = new Int32Array(n);
  const boxes: Boxes = {
    x0: new Int32Array(n),
    y0: new Int32Array(n),
    x1: new Int32Array(n),
    y1: new Int32Array(n),
    n: 0,
  };
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (root === i) {
      const s = boxes.n++;
      slot[i] = s;
      boxes.x0[s] = rx0[i] as number;
      boxes.x1[s] = rx1[i] as number;
      boxes.y0[s] = ry[i] as number;
      boxes.y1[s] = ry[i] as number;
      continue;
    }
    const s = slot[root] as number;
    if ((rx0[i] as number) < (boxes.x0[s] as number)) boxes.x0[s] = rx0[i] as number;
    if ((rx1[i] as number) > (boxes.x1[s] as number)) boxes.x1[s] = rx1[i] as number;
    if ((ry[i] as number) > (boxes.y1[s] as number)) boxes.y1[s] = ry[i] as number;
  }
  return boxes;
}

/** The same boxes in the frame of the image turned 90° clockwise: (x, y) → (h − 1 − y, x). */
export function turnBoxes(b: Boxes, h: number): Boxes {
  const out: Boxes = {
    x0: new Int32Array(b.n),
    y0: new Int32Array(b.n),
    x1: new Int32Array(b.n),
    y1: new Int32Array(b.n),
    n: b.n,
  };
  for (let i = 0; i < b.n; i++) {
    out.x0[i] = h - 1 - (b.y1[i] as number);
    out.x1[i] = h - 1 - (b.y0[i] as number);
    out.y0[i] = b.x0[i] as number;
    out.y1[i] = b.x1[i] as number;
  }
  return out;
}

/** Boxes of the ink components of a page; `otsu` is its global Otsu threshold. */
export function inkBoxes(gray: Uint8Array, w: number, h: number, otsu: number): Boxes {
  return components(gray, inkLimits(gray, w, h, otsu), w, h) as Boxes;
}

/**
 * Boxes of the components of pixels darker than one global `cut` (0–255), or null when they make
 * more than `maxRuns` runs (noise, not text: stop before memory grows).
 */
export function inkBoxesBelow(
  gray: Uint8Array,
  w: number,
  h: number,
  cut: number,
  maxRuns: number,
): Boxes | null {
  return components(gray, cut, w, h, maxRuns);
}
