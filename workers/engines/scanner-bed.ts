/**
 * The scanner bed still visible around a tilted or off-centre page (the corner wedges that remain
 * after solid bands are cropped), painted over with paper so that deskewing does not turn it into
 * dark slanted strips. See `paintBed`.
 */

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Paint the scanner bed with paper, by flooding near-black pixels connected to the image edge. The
 * flood is confined to a frame near the edges (within a tenth of the shorter side), and the
 * threshold sits well below shaded paper, so text (which never touches the bed) and gutter shadows
 * are left alone. A few more rings into the blurred bed/paper transition are painted too, so no
 * grey outline is left. Returns how many bed pixels (without that rim) were painted.
 */
export function paintBed(img: Grey, darkBelow: number, paper: number): number {
  const { data, width, height } = img;
  // No dark pixel on the edge (the usual case): nothing to flood, and no page-sized mask to allocate.
  let dark = false;
  for (let x = 0; x < width && !dark; x++)
    dark = (data[x] as number) < darkBelow || (data[(height - 1) * width + x] as number) < darkBelow;
  for (let y = 0; y < height && !dark; y++)
    dark = (data[y * width] as number) < darkBelow || (data[y * width + width - 1] as number) < darkBelow;
  if (!dark) return 0;
  const frame: Frame = { width, height, depth: Math.round(Math.min(width, height) * 0.1) };
  const mask = new Uint8Array(width * height);
  const bed = floodFromEdges(data, mask, frame, darkBelow);
  const rim = growRings(data, mask, frame, bed.boundary, Math.round(paper * 0.85), 3);
  const spans = bed.spans;
  for (let s = 0; s < spans.length; s += 3) {
    const row = (spans[s] as number) * width;
    data.fill(paper, row + (spans[s + 1] as number), row + (spans[s + 2] as number) + 1);
  }
  for (const i of rim) data[i] = paper;
  return bed.count;
}

interface Frame {
  width: number;
  height: number;
  /** A pixel may be flooded only when it is within this distance of an edge. */
  depth: number;
}

/** A growable list of int32 values. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  pop(): number {
    return this.data[--this.length] as number;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Scanline flood fill (4-connected) from every edge pixel darker than `below`, through pixels darker
 * than `below` within the frame. Marks them in `mask`; returns the runs it filled (row, first,
 * last column, flattened), how many pixels, and the filled pixels that have an unfilled
 * neighbour (where a further growth can start).
 */
function floodFromEdges(
  data: Uint8Array,
  mask: Uint8Array,
  frame: Frame,
  below: number,
): { spans: Int32Array; count: number; boundary: Int32Array } {
  const { width, height, depth } = frame;
  const right = width - depth;
  const bottom = height - depth;
  const stack = new IntList();
  const spans = new IntList();
  // Edge pixels are seeds whether or not they are in the frame (only a tiny image has none).
  for (let x = 0; x < width; x++) {
    stack.push(x);
    stack.push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    stack.push(y * width);
    stack.push(y * width + width - 1);
  }
  let count = 0;
  while (stack.length > 0) {
    const seed = stack.pop();
    if (mask[seed] || (data[seed] as number) >= below) continue;
    const x = seed % width;
    const y = (seed - x) / width;
    const row = y * width;
    const rowInFrame = y < depth || y >= bottom;
    // The run through the seed: pixels darker than `below`, in the frame, not yet filled.
    let x0 = x;
    while (
      x0 > 0 &&
      !mask[row + x0 - 1] &&
      (data[row + x0 - 1] as number) < below &&
      (rowInFrame || x0 - 1 < depth || x0 - 1 >= right)
    )
      x0--;
    let x1 = x;
    while (
      x1 < width - 1 &&
      !mask[row + x1 + 1] &&
      (data[row + x1 + 1] as number) < below &&
      (rowInFrame || x1 + 1 < depth || x1 + 1 >= right)
    )
      x1++;
    mask.fill(1, row + x0, row + x1 + 1);
    count += x1 - x0 + 1;
    spans.push(y);
    spans.push(x0);
    spans.push(x1);
    // A seed at the start of every fillable stretch above and below the run.
    for (const ny of [y - 1, y + 1]) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      const nInFrame = ny < depth || ny >= bottom;
      let open = false;
      for (let nx = x0; nx <= x1; nx++) {
        const j = nrow + nx;
        const fillable = !mask[j] && (data[j] as number) < below && (nInFrame || nx < depth || nx >= right);
        if (fillable && !open) stack.push(j);
        open = fillable;
      }
    }
  }
  // Filled pixels with an unfilled neighbour: the two ends of each run, and those with an
  // unfilled pixel above or below.
  const boundary = new IntList();
  const s = spans.view();
  for (let k = 0; k < s.length; k += 3) {
    const y = s[k] as number;
    const row = y * width;
    const x0 = s[k + 1] as number;
    const x1 = s[k + 2] as number;
    for (let x = x0; x <= x1; x++) {
      const i = row + x;
      if (x === x0 || x === x1 || (y > 0 && !mask[i - width]) || (y < height - 1 && !mask[i + width]))
        boundary.push(i);
    }
  }
  return { spans: s, count, boundary: boundary.view() };
}

/**
 * Breadth-first growth from `start` (already in `mask`) into pixels darker than `below` within the
 * frame, `rings` steps deep. Returns the pixels added.
 */
function growRings(
  data: Uint8Array,
  mask: Uint8Array,
  frame: Frame,
  start: Int32Array,
  below: number,
  rings: number,
): Int32Array {
  const { width, height, depth } = frame;
  const right = width - depth;
  const bottom = height - depth;
  let frontier = start;
  const added = new IntList();
  for (let ring = 0; ring < rings && frontier.length > 0; ring++) {
    const from = added.length;
    for (let k = 0; k < frontier.length; k++) {
      const i = frontier[k] as number;
      // The neighbours' coordinates follow from this pixel's: one division per pixel, not four.
      const x = i % width;
      const y = (i - x) / width;
      const rowInFrame = y < depth || y >= bottom;
      const colInFrame = x < depth || x >= right;
      if (x > 0) {
        const j = i - 1;
        if (!mask[j] && (data[j] as number) < below && (rowInFrame || x - 1 < depth || x - 1 >= right)) {
          mask[j] = 1;
          added.push(j);
        }
      }
      if (x < width - 1) {
        const j = i + 1;
        if (!mask[j] && (data[j] as number) < below && (rowInFrame || x + 1 < depth || x + 1 >= right)) {
          mask[j] = 1;
          added.push(j);
        }
      }
      if (y > 0) {
        const j = i - width;
        if (!mask[j] && (data[j] as number) < below && (colInFrame || y - 1 < depth || y - 1 >= bottom)) {
          mask[j] = 1;
          added.push(j);
        }
      }
      if (y < height - 1) {
        const j = i + width;
        if (!mask[j] && (data[j] as number) < below && (colInFrame || y + 1 < depth || y + 1 >= bottom)) {
          mask[j] = 1;
          added.push(j);
        }
      }
    }
    frontier = added.view().slice(from);
  }
  return added.view();
}
