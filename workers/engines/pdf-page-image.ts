import sharp from 'sharp';
import { allAtLeast, skipPaper } from './ink-boxes.ts';
import { otsuOfHistogram } from './otsu.ts';

/**
 * Page images in the PDF. A page that is text and line art (almost no mid-tones once the clean
 * stage has flattened the paper) becomes a 300 dpi bilevel CCITT G4 image: ~40–80 KB for a dense
 * A4 page, sharp at any zoom, and re-OCR-able like the original. Pages with photographs or
 * shading keep a greyscale JPEG at PHOTO_DPI. pdf-builder.ts embeds either (TIFF or JPEG bytes).
 */
const BILEVEL_MAX_DPI = 300;
const PHOTO_DPI = 150;
const PHOTO_JPEG_QUALITY = 50;
/** A page with more mid-tone pixels than this share is treated as a photograph. */
export const MAX_MIDTONE_SHARE = 0.15;
const MIDTONE = { from: 64, to: 192 };
/** Threshold bounds: flattened paper sits near 250, ink far below. */
const THRESHOLD = { min: 140, max: 200 };

export interface PdfPageImageOptions {
  /** 'auto' (default): bilevel for text pages, JPEG for photographs. */
  mode?: 'auto' | 'bilevel' | 'jpeg';
}

/**
 * Grey-level histogram of every third pixel: plenty for a threshold and a mid-tone share. Counted
 * into four interleaved tables, summed at the end: runs of one grey level (paper) then do not
 * wait on the previous increment of the same counter (about twice as fast on a page).
 */
function histogram(data: Uint8Array): Uint32Array {
  const h = new Uint32Array(1024);
  const n = data.length;
  let i = 0;
  for (; i + 9 < n; i += 12) {
    const a = data[i] as number;
    const b = (data[i + 3] as number) | 256;
    const c = (data[i + 6] as number) | 512;
    const d = (data[i + 9] as number) | 768;
    h[a] = (h[a] as number) + 1;
    h[b] = (h[b] as number) + 1;
    h[c] = (h[c] as number) + 1;
    h[d] = (h[d] as number) + 1;
  }
  for (; i < n; i += 3) h[data[i] as number] = (h[data[i] as number] as number) + 1;
  const hist = new Uint32Array(256);
  for (let v = 0; v < 256; v++)
    hist[v] = (h[v] as number) + (h[v + 256] as number) + (h[v + 512] as number) + (h[v + 768] as number);
  return hist;
}

export function midtoneShare(hist: Uint32Array): number {
  let total = 0;
  let mid = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v] as number;
    if (v > MIDTONE.from && v < MIDTONE.to) mid += hist[v] as number;
  }
  return total ? mid / total : 0;
}

/** Otsu's threshold, clamped so a near-empty or all-dark page still gets a sane cut. */
export function otsuThreshold(hist: Uint32Array): number {
  return Math.min(THRESHOLD.max, Math.max(THRESHOLD.min, otsuOfHistogram(hist, 128)));
}

/** 8-bit greyscale pixels, one byte per pixel, row by row. */
export interface GreyPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

const rawOf = (page: GreyPixels) => ({
  raw: { width: page.width, height: page.height, channels: 1 as const },
  limitInputPixels: false as const,
});

/**
 * Pages below this are enlarged to BILEVEL_MAX_DPI before the cut: at 100–150 dpi a bilevel image
 * turns 1–2 px strokes into stairs and the 3x3 despeckle eats them, while a cut of the smoothly
 * enlarged page stays legible (G4 of text costs little more at 300 dpi).
 */
const BILEVEL_UPSCALE_BELOW_DPI = 200;

/** Scale from the page's pixels to the bilevel image's. */
function bilevelScale(dpi: number): number {
  return dpi < BILEVEL_UPSCALE_BELOW_DPI ? BILEVEL_MAX_DPI / dpi : Math.min(1, BILEVEL_MAX_DPI / dpi);
}

/** The page at ≤ BILEVEL_MAX_DPI (small pages enlarged to it): what the bilevel image is cut from. */
async function atBilevelDpi(page: GreyPixels, dpi: number): Promise<GreyPixels> {
  const target = Math.max(1, Math.round(page.width * bilevelScale(dpi)));
  if (target === page.width) return page;
  const { data, info } = await sharp(page.data, rawOf(page))
    .resize({ width: target, kernel: 'lanczos3' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Cut at `cut` and remove scanner speckle, which G4 pays for dearly and which is not text: each
 * pixel takes the majority of its 3x3 neighbourhood (edges replicated). Because a threshold is
 * monotone, this is exactly a 3x3 median followed by the cut, at a tenth of the cost of a
 * greyscale median on a full page. Returns 0 (ink) / 255 (paper) bytes.
 *
 * Bit-parallel: the cut packs 32 pixels into a word, the nine-way majority is counted for a whole
 * word at once with bitwise adders, and only ink pixels (a few per cent of a page) are written
 * into an output that starts as paper: a fifth of the cost of counting pixel by pixel.
 */
export function despeckledBilevel(grey: Uint8Array, width: number, height: number, cut: number): Uint8Array {
  const out = new Uint8Array(width * height).fill(255);
  if (width === 0 || height === 0) return out;
  // One spare bit after the last pixel of a row, holding a copy of it (the right edge's replica).
  const words = (width >>> 5) + 1;
  const ink = new Int32Array(words * height);
  // Paper (most of a page) is recognised four pixels at a time where the bytes can be read as words.
  const packed =
    grey.byteOffset % 4 === 0 ? new Uint32Array(grey.buffer, grey.byteOffset, grey.length >>> 2) : null;
  const paper = allAtLeast(cut);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const wrow = y * words;
    for (let k = 0, x = 0; x < width; k++) {
      let word = 0;
      const end = Math.min(width, x + 32);
      if (skipPaper(grey, packed, row + x, row + end, cut, paper) === row + end) {
        x = end; // all paper: no ink bits
        continue;
      }
      // Branch-free: (g - cut) is negative, its sign bit set, exactly when g < cut.
      for (let bit = 0; x < end; bit++, x++) word |= (((grey[row + x] as number) - cut) >>> 31) << bit;
      ink[wrow + k] = word;
    }
    if ((grey[row + width - 1] as number) < cut) {
      const k = wrow + (width >>> 5);
      ink[k] = (ink[k] as number) | (1 << (width & 31));
    }
  }
  // Per row, the count of ink among each pixel and its left and right neighbours (0–3) as two bit planes.
  const ones = new Int32Array(words * height);
  const twos = new Int32Array(words * height);
  for (let y = 0; y < height; y++) {
    const wrow = y * words;
    for (let k = 0; k < words; k++) {
      const c = ink[wrow + k] as number;
      const l = (c << 1) | (k > 0 ? (ink[wrow + k - 1] as number) >>> 31 : c & 1);
      const r = (c >>> 1) | (k + 1 < words ? (ink[wrow + k + 1] as number) << 31 : 0);
      const lc = l ^ c;
      ones[wrow + k] = lc ^ r;
      twos[wrow + k] = (l & c) | (r & lc);
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * words;
    const mid = y * words;
    const down = (y + 1 < height ? y + 1 : y) * words;
    const row = y * width;
    for (let k = 0; k < words; k++) {
      const u0 = ones[up + k] as number;
      const u1 = twos[up + k] as number;
      const m0 = ones[mid + k] as number;
      const m1 = twos[mid + k] as number;
      const d0 = ones[down + k] as number;
      const d1 = twos[down + k] as number;
      // up + mid (0–6) in three bit planes, then + down (0–9) in four.
      const r0 = u0 ^ m0;
      const c0 = u0 & m0;
      const r1 = u1 ^ m1 ^ c0;
      const r2 = (u1 & m1) | (c0 & (u1 ^ m1));
      const t0 = r0 ^ d0;
      const k0 = r0 & d0;
      const t1 = r1 ^ d1 ^ k0;
      const k1 = (r1 & d1) | (k0 & (r1 ^ d1));
      const t2 = r2 ^ k1;
      const t3 = r2 & k1;
      // At least 5 of 9: 5–7 (0101–0111) or 8–9 (1000–1001).
      let majority = t3 | (t2 & (t1 | t0));
      const x0 = k << 5;
      if (x0 + 32 > width) majority &= (1 << (width - x0)) - 1; // the spare bit and beyond (never 32 here)
      while (majority !== 0) {
        const low = majority & -majority;
        out[row + x0 + 31 - Math.clz32(low)] = 0;
        majority ^= low;
      }
    }
  }
  return out;
}

function g4(bilevel: Uint8Array, info: { width: number; height: number }, dpi: number): Promise<Buffer> {
  return sharp(bilevel, { raw: { width: info.width, height: info.height, channels: 1 } })
    .threshold(128)
    .toColourspace('b-w')
    .withDensity(dpi)
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: info.height })
    .toBuffer();
}

function photoJpeg(page: GreyPixels, dpi: number): Promise<Buffer> {
  const target = Math.max(1, Math.round(page.width * Math.min(1, PHOTO_DPI / dpi)));
  return sharp(page.data, rawOf(page))
    .resize({ width: target, kernel: 'lanczos3' })
    .toColourspace('b-w')
    .jpeg({ quality: PHOTO_JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
}

/**
 * The image shown on a PDF page, cut from the cleaned page's pixels (`dpi` is their resolution).
 * The clean stage calls this with the pixels it has in memory; the text layer is positioned in
 * the cleaned page's coordinates, so any pixel size works. Returns G4 TIFF bytes (bilevel) or
 * JPEG bytes.
 */
export async function pdfPageImageOf(
  page: GreyPixels,
  dpi: number,
  opts: PdfPageImageOptions = {},
): Promise<Buffer> {
  const mode = opts.mode ?? 'auto';
  // sharp's strip height (one strip = one CCITT stream) stops at 32768 rows; no page is that tall.
  if (mode === 'jpeg' || page.height * bilevelScale(dpi) > 32_000) return photoJpeg(page, dpi);
  const grey = await atBilevelDpi(page, dpi);
  const hist = histogram(grey.data);
  if (mode === 'auto' && midtoneShare(hist) > MAX_MIDTONE_SHARE) return photoJpeg(page, dpi);
  const bilevel = despeckledBilevel(grey.data, grey.width, grey.height, otsuThreshold(hist));
  return g4(bilevel, grey, Math.round((dpi * grey.width) / page.width));
}

/** The same from a stored access image (items cleaned before the clean stage made it). */
export async function makePdfPageImage(
  access: Buffer,
  dpi: number,
  opts: PdfPageImageOptions = {},
): Promise<Buffer> {
  const { data, info } = await sharp(access)
    .greyscale()
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return pdfPageImageOf({ data, width: info.width, height: info.height }, dpi, opts);
}
