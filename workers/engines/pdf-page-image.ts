import sharp from 'sharp';
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

/** Grey-level histogram of every third pixel: plenty for a threshold and a mid-tone share. */
function histogram(data: Uint8Array): Uint32Array {
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i += 3) hist[data[i] as number] = (hist[data[i] as number] as number) + 1;
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
 */
export function despeckledBilevel(grey: Uint8Array, width: number, height: number, cut: number): Uint8Array {
  // Horizontal 3-sums of ink, row by row, then the vertical 3-sum of those decides.
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const r = y * width;
    let left = (grey[r] as number) < cut ? 1 : 0;
    let here = left;
    for (let x = 0; x < width; x++) {
      const right = x + 1 < width ? ((grey[r + x + 1] as number) < cut ? 1 : 0) : here;
      rows[r + x] = left + here + right;
      left = here;
      here = right;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const mid = y * width;
    const down = (y + 1 < height ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      out[mid + x] =
        (rows[up + x] as number) + (rows[mid + x] as number) + (rows[down + x] as number) >= 5 ? 0 : 255;
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
