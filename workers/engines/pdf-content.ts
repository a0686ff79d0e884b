/**
 * Reads a page's content stream just far enough to tell whether the page is "one scanned image":
 * exactly one image XObject painted, nothing else visible (invisible text — a scanner's own OCR
 * layer, rendering mode 3 — is allowed). Such a page's image can be taken out of the PDF as it is;
 * any other page is rendered. When unsure, the answer is "render": it is always correct, only
 * slower and possibly less sharp.
 */

/** The 2×3 affine matrix [a b c d e f] of PDF (user space = CTM × image unit square). */
export type Matrix = [number, number, number, number, number, number];

export interface ImagePlacement {
  /** Resource name of the image XObject, without the slash. */
  name: string;
  ctm: Matrix;
}

type Token = { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** Operators that paint something visible (path painting, shading, inline images, type 3 glyph setup). */
const PAINT = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh', 'BI', 'd0', 'd1']);
const SHOW_TEXT = new Set(['Tj', 'TJ', "'", '"']);

function multiply(m: Matrix, n: Matrix): Matrix {
  // m × n in PDF's row-vector convention: first m, then n.
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/**
 * Tokens of a content stream: numbers, names and operators. Strings, arrays and dictionaries are
 * skipped (their contents never decide what is painted here); inline image data is skipped and
 * reported as the operator BI.
 */
function* tokens(s: Uint8Array): Generator<Token> {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i] as number;
    if (WHITE.has(c)) {
      i++;
    } else if (c === 0x25) {
      while (i < n && s[i] !== 0x0a && s[i] !== 0x0d) i++; // comment
    } else if (c === 0x28) {
      let depth = 0;
      for (; i < n; i++) {
        const ch = s[i];
        if (ch === 0x5c) i++;
        else if (ch === 0x28) depth++;
        else if (ch === 0x29 && --depth === 0) break;
      }
      i++;
    } else if (c === 0x3c && s[i + 1] !== 0x3c) {
      while (i < n && s[i] !== 0x3e) i++; // hex string
      i++;
    } else if (c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
      i += c === 0x3c || c === 0x3e ? 2 : 1; // << >> [ ] { }: structure only
    } else if (c === 0x2f) {
      let j = i + 1;
      while (j < n && !WHITE.has(s[j] as number) && !DELIM.has(s[j] as number)) j++;
      yield { kind: 'name', value: Buffer.from(s.subarray(i + 1, j)).toString('latin1') };
      i = j;
    } else {
      let j = i;
      while (j < n && !WHITE.has(s[j] as number) && !DELIM.has(s[j] as number)) j++;
      if (j === i) j++;
      const word = Buffer.from(s.subarray(i, j)).toString('latin1');
      i = j;
      const value = Number(word);
      if (word !== '' && Number.isFinite(value) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
        yield { kind: 'num', value };
      } else if (word === 'BI') {
        // Inline image: skip to "EI" standing alone after its data.
        let k = i;
        while (k + 2 < n && !(s[k] === 0x45 && s[k + 1] === 0x49 && WHITE.has(s[k - 1] as number))) k++;
        i = k + 2;
        yield { kind: 'op', value: 'BI' };
      } else {
        yield { kind: 'op', value: word };
      }
    }
  }
}

/**
 * The one image a page paints, with its placement, or null when the page paints anything else
 * (a second image, a form, vector graphics, visible text) or nothing. `isImage(name)` tells
 * whether a resource name is an image XObject (false: a form or unknown).
 */
export function singleImageOf(
  content: Uint8Array,
  isImage: (name: string) => boolean,
): ImagePlacement | null {
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let renderMode = 0;
  const modes: number[] = [];
  let found: ImagePlacement | null = null;
  const operands: Token[] = [];
  for (const tok of tokens(content)) {
    if (tok.kind !== 'op') {
      operands.push(tok);
      if (operands.length > 64) operands.shift();
      continue;
    }
    const op = tok.value;
    const nums = operands.filter((t) => t.kind === 'num').map((t) => t.value as number);
    const last = operands.at(-1);
    operands.length = 0;
    if (op === 'q') {
      stack.push(ctm);
      modes.push(renderMode);
    } else if (op === 'Q') {
      ctm = stack.pop() ?? ctm;
      renderMode = modes.pop() ?? renderMode;
    } else if (op === 'cm') {
      if (nums.length < 6) return null;
      ctm = multiply(nums.slice(-6) as Matrix, ctm);
    } else if (op === 'Tr') {
      renderMode = nums.at(-1) ?? 0;
    } else if (SHOW_TEXT.has(op)) {
      if (renderMode !== 3) return null; // visible text on top of the scan
    } else if (op === 'Do') {
      if (last?.kind !== 'name' || !isImage(last.value) || found) return null;
      found = { name: last.value, ctm };
    } else if (PAINT.has(op)) {
      return null;
    }
  }
  return found;
}

/**
 * True when the image is drawn upright (no rotation, shear or flip) over at least `minShare` of the
 * page box in each direction: then its pixels are the page as printed.
 */
export function coversPage(
  ctm: Matrix,
  box: { x: number; y: number; width: number; height: number },
  minShare = 0.9,
): boolean {
  const [a, b, c, d, e, f] = ctm;
  if (Math.abs(b) > 1e-6 * Math.abs(a) || Math.abs(c) > 1e-6 * Math.abs(d) || a <= 0 || d <= 0) return false;
  const x0 = Math.max(e, box.x);
  const x1 = Math.min(e + a, box.x + box.width);
  const y0 = Math.max(f, box.y);
  const y1 = Math.min(f + d, box.y + box.height);
  return x1 - x0 >= minShare * box.width && y1 - y0 >= minShare * box.height;
}
