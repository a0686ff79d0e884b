/**
 * Page-image engine: the only code that decodes scans with sharp for cleaning. `probeImage`
 * validates an upload cheaply and completely; `cleanPage` produces the deskewed, border-free,
 * illumination-flattened greyscale page that OCR reads, plus access/web/thumbnail derivatives.
 *
 * Pixel work that sharp has no operator for (profiles, closing, division) is done in plain JS on
 * 8-bit greyscale buffers; everything stays greyscale because a global binarisation before OCR
 * wipes text in shadows.
 */
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { type CleanSettings, DEFAULT_CLEAN_SETTINGS, type Rotation } from '../../core/clean-settings.ts';
import { PindaiError } from '../../core/errors.ts';
import type { PageRegion } from '../../core/item.types.ts';
import { measureSkew } from './deskew.ts';
import { detectOrientation } from './page-orientation.ts';
import { pdfPageImageOf } from './pdf-page-image.ts';
import { paintBed } from './scanner-bed.ts';
import { regionBox } from './spread.ts';
import { measureTextSize, resolveDpi } from './text-size.ts';
import { readTiffDirectory } from './tiff-directory.ts';

export type PageFormat = 'jpeg' | 'png' | 'tiff';

export interface ImageProbe {
  format: PageFormat;
  pages: number;
  width: number;
  height: number;
  /** Pixels per inch recorded in the file, if any. */
  density: number | null;
  channels: number;
  depth: string;
  /** Size and density of each page (multi-page TIFF pages may differ). */
  pageSizes: { width: number; height: number; density: number | null }[];
}

export interface PixelCrop {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface CleanedPage {
  /**
   * Greyscale JPEG (quality 85), full resolution, deskewed, borders cropped, illumination
   * flattened: what OCR reads, what the PDF page image is cut from, and the IIIF source. OCR on it
   * scores the same CER as on a lossless PNG of the same pixels (checked on the sample corpus),
   * at a fifth of the size and without the PNG's encode time.
   */
  access: Buffer;
  /** What the PDF shows for this page: a G4 TIFF for text, a JPEG for photographs (pdf-page-image.ts). */
  pdfImage: Buffer;
  /** JPEG at most 1400 px wide. */
  web: Buffer;
  /** JPEG at most 240 px wide. */
  thumb: Buffer;
  /** Size of `access`. */
  width: number;
  height: number;
  /**
   * The page's real resolution: the file's density when plausible and not contradicted by the
   * text's size, else estimated from the x-height, else 300 (text-size.ts `resolveDpi`).
   */
  dpi: number;
  /** Angle corrected, degrees, clockwise-positive (see deskew.ts); 0 when no rotation was applied. */
  skewDegrees: number;
  /** Pixels removed from each side of the (EXIF-oriented) original, or of its region when one was given. */
  crop: PixelCrop;
  /** Share of the cleaned page that is ink (darker than mid-grey); near 0 on a blank page. */
  inkShare: number;
  /** x-height of the page's text in `access` pixels (text-size.ts); null when there is too little text. */
  xHeightPx: number | null;
  /** Clockwise quarter turn applied after the EXIF orientation, and who chose it (see `cleanPage`). */
  turn: Rotation;
  turnedBy: 'detected' | 'page' | 'item';
  /** Orientation detection's confidence (0–1) in its best guess; null when detection did not run. */
  orientationConfidence: number | null;
}

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

const SKEW_SAMPLE_WIDTH = 1000;
/** Below this the rotation's resampling blur costs more than the skew. */
const MIN_CORRECTION_DEG = 0.05;
const MIN_BILEVEL_CORRECTION_DEG = 1;
const MIN_SKEW_CONFIDENCE = 0.25;

// ---------------------------------------------------------------------------------------------
// Format and validation

/** Identify the container by its magic bytes; the file name is not trusted. */
export function sniffFormat(input: Buffer): PageFormat | null {
  if (input.length >= 3 && input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff) return 'jpeg';
  if (
    input.length >= 8 &&
    input.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'png';
  }
  if (input.length >= 4) {
    const le =
      input[0] === 0x49 && input[1] === 0x49 && input[3] === 0x00 && (input[2] === 0x2a || input[2] === 0x2b);
    const be =
      input[0] === 0x4d && input[1] === 0x4d && input[2] === 0x00 && (input[3] === 0x2a || input[3] === 0x2b);
    if (le || be) return 'tiff';
  }
  return null;
}

function assertSupported(input: Buffer): PageFormat {
  if (input.length === 0) throw new PindaiError('image_empty', 'Image file is empty (0 bytes)');
  const format = sniffFormat(input);
  if (!format) {
    const head = input
      .subarray(0, 8)
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '.');
    throw new PindaiError('image_unsupported', `Not a JPEG, PNG or TIFF image (starts with "${head}")`, {
      params: { head, ...(looksLikeText(input) ? { content: 'text' } : {}) },
    });
  }
  return format;
}

/**
 * Plain text, judged from the first 512 bytes: no control characters besides tab, line ends and
 * form feed (every binary image or document format has some there). Bytes above 0x7f pass: UTF-8.
 */
function looksLikeText(input: Buffer): boolean {
  for (const b of input.subarray(0, 512)) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return false;
  }
  return true;
}

/**
 * The decoder's words for data that ends too soon (libjpeg "premature end", libpng "Read Error",
 * libtiff "unexpected end", our own TIFF walk's "cut short"): the file is incomplete, not garbled.
 */
const CUT_SHORT =
  /premature end|unexpected end|end of (file|stream)|truncat|cut short|read error|not enough (data|image data)/i;

/**
 * A damaged image: `params.damage` says in a word what the decoder's message says in its own terms.
 * Every line of the message is read: libvips' error buffer is shared by the process and may still
 * hold an earlier operation's lines ahead of this decode's own (seen in CI), so the first line alone
 * is not this file's verdict.
 */
export function corrupt(err: unknown, what: string, input?: Buffer): PindaiError {
  const full = err instanceof Error ? err.message : String(err);
  const msg = full.split('\n')[0] ?? full;
  const short = CUT_SHORT.test(full) || (input !== undefined && endsShort(input));
  return new PindaiError('image_corrupt', `${what}: ${msg}`, {
    cause: err,
    params: { damage: short ? 'truncated' : 'garbled' },
  });
}

/**
 * A JPEG without its end-of-image marker or a PNG without its IEND chunk at the end: the file
 * stops early, whatever the decoder's message says (another operation may have cleared libvips'
 * shared error buffer before this decode's words reached it: seen in CI).
 */
export function endsShort(input: Buffer): boolean {
  const tail = input.subarray(Math.max(0, input.length - 64));
  const format = sniffFormat(input);
  if (format === 'jpeg') return !tail.includes(JPEG_EOI);
  if (format === 'png') return !tail.includes(PNG_IEND);
  return false;
}
const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const PNG_IEND = Buffer.from('IEND', 'latin1');

/** Read the header of one page without decoding pixels, and enforce the pixel budget. */
async function readHeader(input: Buffer, page: number, maxPixels: number): Promise<Metadata> {
  let meta: Metadata;
  try {
    // No pixel limit here: metadata only parses the header, and we check the size ourselves
    // so the error can carry the declared dimensions.
    meta = await sharp(input, { limitInputPixels: false, page }).metadata();
  } catch (err) {
    throw corrupt(err, `Cannot read image header (page ${page + 1})`, input);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw corrupt(new Error('no dimensions'), 'Cannot read image header');
  if (width * height > maxPixels) {
    throw new PindaiError(
      'image_too_large',
      `Image is ${width}x${height} pixels, above the ${maxPixels}-pixel limit`,
      {
        params: { width, height, maxPixels },
      },
    );
  }
  return meta;
}

function decodeError(err: unknown, page: number, maxPixels: number, input?: Buffer): PindaiError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) {
    return new PindaiError('image_too_large', `Image exceeds the ${maxPixels}-pixel limit`, {
      params: { maxPixels },
      cause: err,
    });
  }
  return corrupt(err, `Cannot decode image (page ${page + 1})`, input);
}

/** Pages of a multi-page TIFF decoded in full at intake; beyond this, the first and last only. */
const FULL_DECODE_PAGES = 16;

export interface ProbeOptions {
  maxPixels: number;
  /** More pages than this in one file are refused (default: no limit). */
  maxPages?: number;
}

export async function probeImage(input: Buffer, opts: ProbeOptions): Promise<ImageProbe> {
  const format = assertSupported(input);
  const maxPages = opts.maxPages ?? Number.POSITIVE_INFINITY;
  const dir = format === 'tiff' ? readTiffDirectory(input, Math.min(maxPages, 1_000_000)) : null;
  if (dir && dir.length > maxPages) throw tooManyPages(maxPages, `${maxPages}+`);
  const first = await readHeader(input, 0, opts.maxPixels);
  const pages = format === 'tiff' ? Math.max(1, first.pages ?? 1) : 1;
  if (pages > maxPages) throw tooManyPages(maxPages, pages);
  const sizes: ImageProbe['pageSizes'] = [];
  // A page whose data runs past the end of the file: a copy cut short. libvips would simply count
  // the pages before it, and the rest of the book would be lost without a word.
  const cut = dir?.findIndex((p) => !p.complete || !(p.width > 0 && p.height > 0)) ?? -1;
  if (cut >= 0)
    throw corrupt(new Error('page data is missing (file cut short?)'), `Cannot read page ${cut + 1}`);
  if (dir && dir.length === pages && pages > 1) {
    // Long multi-page TIFF: sizes from one walk of the directory chain (linear).
    for (const [i, p] of dir.entries()) {
      if (p.width * p.height > opts.maxPixels) {
        throw new PindaiError('image_too_large', `Page ${i + 1} is ${p.width}x${p.height} pixels`, {
          params: { width: p.width, height: p.height, maxPixels: opts.maxPixels },
        });
      }
      sizes.push({ width: p.width, height: p.height, density: p.density });
    }
  }
  const decode = sizes.length > FULL_DECODE_PAGES ? [0, pages - 1] : [...Array(pages).keys()];
  for (const page of decode) {
    const meta = page === 0 ? first : sizes.length > 0 ? null : await readHeader(input, page, opts.maxPixels);
    if (meta)
      sizes[page] = { width: meta.width ?? 0, height: meta.height ?? 0, density: meta.density ?? null };
    try {
      // A tiny resize still runs the whole decoder, so truncation and bad data surface here
      // (JPEG shrink-on-load keeps it cheap).
      await sharp(input, { failOn: 'truncated', limitInputPixels: opts.maxPixels, page })
        .resize(64)
        .raw()
        .toBuffer();
    } catch (err) {
      throw decodeError(err, page, opts.maxPixels, input);
    }
  }
  return {
    format,
    pages,
    width: first.width ?? 0,
    height: first.height ?? 0,
    density: first.density ?? null,
    channels: first.channels ?? 0,
    depth: first.depth ?? 'uchar',
    pageSizes: sizes,
  };
}

function tooManyPages(max: number, pages: number | string): PindaiError {
  return new PindaiError('image_too_many_pages', `File has ${pages} pages, over the limit of ${max}`, {
    params: { pages, max },
  });
}

// ---------------------------------------------------------------------------------------------
// Pixel helpers

function rawInput(img: Grey): SharpOptions {
  return { raw: { width: img.width, height: img.height, channels: 1 }, limitInputPixels: false };
}

async function toGrey(pipeline: Sharp): Promise<Grey> {
  // Raw one-band input still comes back as sRGB unless the output space is pinned.
  const { data, info } = await pipeline
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

/** Grey level below which `fraction` of the pixels lie (sampled; exactness is not needed). */
function percentile(img: Grey, fraction: number): number {
  const hist = new Uint32Array(256);
  const step = Math.max(1, Math.floor(img.data.length / 250_000)) | 1;
  let n = 0;
  for (let i = 0; i < img.data.length; i += step) {
    const v = img.data[i] as number;
    hist[v] = (hist[v] as number) + 1;
    n++;
  }
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= n * fraction) return v;
  }
  return 255;
}

function cropGrey(img: Grey, c: PixelCrop): Grey {
  // Nothing to crop (the usual case): paintBed may still paint, on the decoded copy we own.
  if (c.left + c.top + c.right + c.bottom === 0) return img;
  const width = img.width - c.left - c.right;
  const height = img.height - c.top - c.bottom;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const src = (y + c.top) * img.width + c.left;
    data.set(img.data.subarray(src, src + width), y * width);
  }
  return { data, width, height };
}

// ---------------------------------------------------------------------------------------------
// Scanner-bed borders

interface BorderRule {
  /** A row/column belongs to the bed when at least this share of it is dark. */
  minDarkShare: number;
  /** Never remove more than this share of a dimension from one side. */
  maxSideShare: number;
}

/** Solid bands only: a tilted page's corner wedges are painted over instead (see paintBed). */
const BED_BANDS: BorderRule = { minDarkShare: 0.75, maxSideShare: 0.2 };

/**
 * Dark bands along the image edges, from row/column darkness profiles. Stops at the first row or
 * column that is not mostly near-black, so it never walks into text; a normal page has paper at its
 * edges and is left alone. A side whose band would exceed the limit is left uncropped (a dark
 * photograph or an all-dark scan, not a bed).
 */
function findBorders(img: Grey, darkBelow: number, rule: BorderRule): PixelCrop {
  const { data, width, height } = img;
  const crop: PixelCrop = { left: 0, top: 0, right: 0, bottom: 0 };
  // Two rounds: rows first, then columns counted only over the rows that remain (and vice versa),
  // so a thick top band does not make every column look a little darker.
  for (let round = 0; round < 2; round++) {
    const x0 = crop.left;
    const x1 = width - crop.right;
    const y0 = crop.top;
    const y1 = height - crop.bottom;
    // Counted only where a walk from an edge reaches: on a normal page (paper at its edges) that
    // is the outermost rows and columns, not the whole page.
    const rowDark = new Int32Array(height).fill(-1);
    const colDark = new Int32Array(width).fill(-1);
    const rowCount = (y: number): number => {
      if (y < 0 || y >= height) return -1;
      let n = rowDark[y] as number;
      if (n < 0) {
        n = 0;
        for (let x = x0, i = y * width + x0; x < x1; x++, i++) if ((data[i] as number) < darkBelow) n++;
        rowDark[y] = n;
      }
      return n;
    };
    const colCount = (x: number): number => {
      if (x < 0 || x >= width) return -1;
      let n = colDark[x] as number;
      if (n < 0) {
        n = 0;
        for (let y = y0, i = y0 * width + x; y < y1; y++, i += width)
          if ((data[i] as number) < darkBelow) n++;
        colDark[x] = n;
      }
      return n;
    };
    const rowLen = x1 - x0;
    const colLen = y1 - y0;
    const walk = (
      count: (i: number) => number,
      len: number,
      from: number,
      dir: 1 | -1,
      size: number,
    ): number => {
      const limit = Math.floor(size * rule.maxSideShare);
      let n = 0;
      while (n <= limit && count(from + dir * n) >= len * rule.minDarkShare) n++;
      if (n === 0 || n > limit) return 0;
      // Step over the blurred edge of the band (a few pixels that are only partly dark).
      let edge = 0;
      const maxEdge = Math.max(2, Math.round(size * 0.002));
      while (edge < maxEdge && count(from + dir * (n + edge)) >= len * 0.1) edge++;
      return n + edge;
    };
    crop.top = walk(rowCount, rowLen, 0, 1, height);
    crop.bottom = walk(rowCount, rowLen, height - 1, -1, height);
    crop.left = walk(colCount, colLen, 0, 1, width);
    crop.right = walk(colCount, colLen, width - 1, -1, width);
    // Nothing found (the usual case): the second, refining round would find nothing either.
    if (crop.left + crop.top + crop.right + crop.bottom === 0) break;
  }
  if (crop.left + crop.right >= width - 16 || crop.top + crop.bottom >= height - 16) {
    return { left: 0, top: 0, right: 0, bottom: 0 };
  }
  return crop;
}

// ---------------------------------------------------------------------------------------------
// Paper estimate and the final resampling

async function downscale(img: Grey, targetWidth: number): Promise<Grey> {
  if (img.width <= targetWidth) return img;
  return toGrey(sharp(img.data, rawInput(img)).resize({ width: targetWidth }));
}

/**
 * Sliding max along rows or columns of a small float image of grey levels (0–255), the window
 * clipped at the ends. Van Herk / Gil-Werman: block-wise running maxima from both sides, three
 * comparisons per pixel whatever the radius; the line is padded with 0, which leaves every clipped
 * window's maximum as it is. (The sliding min is taken as 255 - max(255 - x): exact on these
 * whole grey levels, and one loop without a max/min branch per pixel.)
 */
function slideMax(src: Float32Array, w: number, h: number, r: number, vertical: boolean): Float32Array {
  const out = new Float32Array(src.length);
  const [outer, inner, stride, lineStride] = vertical ? [w, h, w, 1] : [h, w, 1, w];
  const k = 2 * r + 1;
  const n = inner + 2 * r;
  const blocks = Math.ceil(n / k);
  const len = blocks * k;
  const line = new Float32Array(len);
  const fwd = new Float32Array(len);
  const bwd = new Float32Array(len);
  for (let o = 0; o < outer; o++) {
    const base = o * lineStride;
    line.fill(0);
    for (let i = 0; i < inner; i++) line[r + i] = src[base + i * stride] as number;
    for (let b = 0; b < len; b += k) {
      let f = 0;
      let g = 0;
      for (let j = 0; j < k; j++) {
        const a = line[b + j] as number;
        if (a > f) f = a;
        fwd[b + j] = f;
        const c = line[b + k - 1 - j] as number;
        if (c > g) g = c;
        bwd[b + k - 1 - j] = g;
      }
    }
    // The window of output i is line[i .. i + k - 1]: the tail of one block and the head of the next.
    for (let i = 0; i < inner; i++) {
      const a = bwd[i] as number;
      const b = fwd[i + k - 1] as number;
      out[base + i * stride] = Math.max(a, b);
    }
  }
  return out;
}

function invert(img: Float32Array): Float32Array {
  for (let i = 0; i < img.length; i++) img[i] = 255 - (img[i] as number);
  return img;
}

function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  let img = src;
  for (const vertical of [false, true]) {
    const out = new Float32Array(img.length);
    const [outer, inner, stride, lineStride] = vertical ? [w, h, w, 1] : [h, w, 1, w];
    for (let o = 0; o < outer; o++) {
      const base = o * lineStride;
      for (let i = 0; i < inner; i++) {
        const a = Math.max(0, i - r);
        const b = Math.min(inner - 1, i + r);
        let s = 0;
        for (let k = a; k <= b; k++) s += img[base + k * stride] as number;
        out[base + i * stride] = s / (b - a + 1);
      }
    }
    img = out;
  }
  return img;
}

interface PaperMap {
  /** Low-res paper brightness, `w` x `h`, covering the full image. */
  bg: Float32Array;
  w: number;
  h: number;
}

/**
 * Estimate the paper under the ink: a greyscale closing of a ~320-px copy. The window is tall
 * (longer than a line pitch, so it always reaches the paper between lines) but narrow, so vertical
 * gutter shadows and lighting gradients are followed rather than averaged away.
 */
async function estimatePaper(img: Grey): Promise<PaperMap> {
  const small = await downscale(img, 320);
  const { width: w, height: h } = small;
  const rv = Math.max(3, Math.round(w * 0.03));
  const rh = Math.max(1, Math.round(w * 0.01));
  let bg: Float32Array = Float32Array.from(small.data);
  bg = slideMax(slideMax(bg, w, h, rh, false), w, h, rv, true);
  bg = invert(slideMax(slideMax(invert(bg), w, h, rh, false), w, h, rv, true));
  bg = boxBlur(bg, w, h, rh);
  for (let i = 0; i < bg.length; i++) bg[i] = Math.max(1, bg[i] as number);
  return { bg, w, h };
}

/** Bilinear sample of the paper map at full-resolution coordinates (x, y). */
function paperAt(map: PaperMap, x: number, y: number, W: number, H: number): number {
  const { bg, w, h } = map;
  const sx = Math.min(w - 1, Math.max(0, (x * w) / W - 0.5));
  const sy = Math.min(h - 1, Math.max(0, (y * h) / H - 0.5));
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const top = (bg[y0 * w + x0] as number) * (1 - fx) + (bg[y0 * w + x1] as number) * fx;
  const bot = (bg[y1 * w + x0] as number) * (1 - fx) + (bg[y1 * w + x1] as number) * fx;
  return top * (1 - fy) + bot * fy;
}

/** Gain that puts typical paper (the 70th percentile of pixel / paper) just below white. */
function paperGain(img: Grey, map: PaperMap): number {
  const hist = new Uint32Array(512);
  let n = 0;
  for (let y = 3; y < img.height; y += 8) {
    for (let x = y % 7; x < img.width; x += 7) {
      const ratio =
        (img.data[y * img.width + x] as number) / paperAt(map, x + 0.5, y + 0.5, img.width, img.height);
      const k = Math.min(511, Math.round(ratio * 256));
      hist[k] = (hist[k] as number) + 1;
      n++;
    }
  }
  let acc = 0;
  for (let v = 0; v < 512; v++) {
    acc += hist[v] as number;
    if (acc >= n * 0.7) return (250 * 256) / Math.max(v, 128);
  }
  return 1;
}

/**
 * One pass over the output: rotate by -angle about the centre (bilinear, same frame size) and
 * divide by the paper estimate, so paper ends near white and ink keeps its contrast against the
 * local paper, in shadows too. Areas that rotate in from outside the frame become white paper,
 * never black wedges. No threshold: binarising here would wipe text in shadows.
 */
function straightenAndFlatten(img: Grey, angle: number, map: PaperMap): Grey {
  const { data, width: W, height: H } = img;
  const gain = paperGain(img, map);
  const t = (angle * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = W / 2;
  const cy = H / 2;
  // The paper map is smooth, so it is rotated once on its own small grid.
  const { w, h } = map;
  const rotated = new Float32Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const ox = ((i + 0.5) * W) / w - cx;
      const oy = ((j + 0.5) * H) / h - cy;
      rotated[j * w + i] = paperAt(map, cx + ox * cos - oy * sin, cy + ox * sin + oy * cos, W, H);
    }
  }
  const x0s = new Int32Array(W);
  const wxs = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const sx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / W - 0.5));
    x0s[x] = Math.min(Math.max(0, w - 2), Math.floor(sx));
    wxs[x] = w > 1 ? sx - (x0s[x] as number) : 0;
  }
  // Per output row: gain / paper on the small grid (one extra cell so i + 1 is always valid).
  // Interpolating the inverse between grid cells instead of dividing per pixel differs by far
  // less than one grey level: the paper map is smooth.
  const scaleRow = new Float32Array(w + 1);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / H - 0.5));
    const r0 = Math.floor(sy);
    const r1 = Math.min(h - 1, r0 + 1);
    const fy = sy - r0;
    for (let i = 0; i < w; i++) {
      scaleRow[i] =
        gain / ((rotated[r0 * w + i] as number) * (1 - fy) + (rotated[r1 * w + i] as number) * fy);
    }
    scaleRow[w] = scaleRow[w - 1] as number;
    // Source position of pixel centre (0.5, y + 0.5), stepped along the row.
    const oy = y + 0.5 - cy;
    let sx = cx + (0.5 - cx) * cos - oy * sin - 0.5;
    let syp = cy + (0.5 - cx) * sin + oy * cos - 0.5;
    const row = y * W;
    for (let x = 0; x < W; x++, sx += cos, syp += sin) {
      let grey: number;
      if (sx >= 0 && syp >= 0 && sx < W - 1 && syp < H - 1) {
        // Inside: all four neighbours exist (the common case, no clamping).
        const ix = sx | 0;
        const iy = syp | 0;
        const fx = sx - ix;
        const a = iy * W + ix;
        const p00 = data[a] as number;
        const p10 = data[a + 1] as number;
        const p01 = data[a + W] as number;
        const p11 = data[a + W + 1] as number;
        const top = p00 + (p10 - p00) * fx;
        const bot = p01 + (p11 - p01) * fx;
        grey = top + (bot - top) * (syp - iy);
      } else if (sx > -1 && syp > -1 && sx < W && syp < H) {
        const ix = Math.floor(sx);
        const iy = Math.floor(syp);
        const fx = sx - ix;
        const fyy = syp - iy;
        const xa = Math.max(ix, 0);
        const xb = Math.min(ix + 1, W - 1);
        const ya = Math.max(iy, 0) * W;
        const yb = Math.min(iy + 1, H - 1) * W;
        const top = (data[ya + xa] as number) * (1 - fx) + (data[ya + xb] as number) * fx;
        const bot = (data[yb + xa] as number) * (1 - fx) + (data[yb + xb] as number) * fx;
        grey = top * (1 - fyy) + bot * fyy;
      } else {
        out[row + x] = 255;
        continue;
      }
      const i = x0s[x] as number;
      const k = scaleRow[i] as number;
      const v = grey * (k + ((scaleRow[i + 1] as number) - k) * (wxs[x] as number));
      out[row + x] = Math.min(v, 255); // Uint8Array truncates the fraction
    }
  }
  return { data: out, width: W, height: H };
}

// ---------------------------------------------------------------------------------------------
// Cleaning

// Quarter turns and item cleaning settings live in core (the staff workspace reads them too).
export {
  type CleanSettings,
  DEFAULT_CLEAN_SETTINGS,
  ROTATIONS,
  type Rotation,
} from '../../core/clean-settings.ts';

const NO_CROP: PixelCrop = { left: 0, top: 0, right: 0, bottom: 0 };

/**
 * Clean one page. Its quarter turn, by precedence: `pageTurn` (staff's choice for this page) if
 * given; else the item's `settings.rotate` if not 0; else the turn orientation detection finds
 * (0 when it is unsure). The turn is lossless and comes before everything that looks at the layout.
 */
export async function cleanPage(
  input: Buffer,
  opts: {
    page?: number;
    maxPixels: number;
    settings?: Partial<CleanSettings>;
    /** Resolution the page is known to have (a PDF page's placement); overrides the file's density tag. */
    dpi?: number;
    pageTurn?: Rotation | null;
    /** One page of a two-page spread: clean only this strip of the EXIF-upright image. */
    region?: Pick<PageRegion, 'x0' | 'x1'> | null;
  },
): Promise<CleanedPage> {
  const settings = { ...DEFAULT_CLEAN_SETTINGS, ...opts.settings };
  const page = opts.page ?? 0;
  assertSupported(input);
  const first = await readHeader(input, 0, opts.maxPixels);
  const pages = Math.max(1, first.pages ?? 1);
  if (!Number.isInteger(page) || page < 0 || page >= pages) {
    throw new PindaiError('image_page_missing', `Image has no page ${page + 1} (it has ${pages})`, {
      params: { page: page + 1, pages },
    });
  }
  const meta = page === 0 ? first : await readHeader(input, page, opts.maxPixels);

  // A spread's page is cut first, so borders, skew and paper are measured on that page alone.
  const strip = opts.region ? regionBox(opts.region, meta.autoOrient) : null;
  let grey: Grey;
  try {
    const upright = sharp(input, { failOn: 'truncated', limitInputPixels: opts.maxPixels, page }).rotate(); // EXIF orientation
    grey = await toGrey(
      (strip ? upright.extract(strip) : upright).flatten({ background: '#ffffff' }), // transparent scans read as paper; b-w in toGrey converts CMYK and 16-bit
    );
  } catch (err) {
    throw decodeError(err, page, opts.maxPixels, input);
  }
  const { turn, turnedBy, confidence } = await chooseTurn(grey, settings.rotate, opts.pageTurn ?? null);
  if (turn !== 0) grey = await toGrey(sharp(grey.data, rawInput(grey)).rotate(turn));

  const paper = percentile(grey, 0.75);
  const darkBelow = Math.max(24, Math.round(paper * 0.45));
  const bands = settings.cropBorders && paper > 80 ? findBorders(grey, darkBelow, BED_BANDS) : NO_CROP;
  const page0 = cropGrey(grey, bands);
  if (settings.cropBorders) paintBed(page0, Math.round(paper * 0.4), paper);

  const [skew, map] = await Promise.all([
    settings.deskew
      ? downscale(page0, SKEW_SAMPLE_WIDTH).then((s) => measureSkew(s.data, s.width, s.height))
      : null,
    estimatePaper(page0),
  ]);
  // Resampling a 1-bit scan turns its hard edges into jagged grey steps that OCR reads worse
  // than a small skew, which tesseract corrects for itself (bench:intake, bitonal pages).
  const minAngle = meta.bitsPerSample === 1 ? MIN_BILEVEL_CORRECTION_DEG : MIN_CORRECTION_DEG;
  const corrected =
    skew !== null && skew.confidence >= MIN_SKEW_CONFIDENCE && Math.abs(skew.angle) >= minAngle;
  const skewDegrees = corrected ? skew.angle : 0;
  const img = straightenAndFlatten(page0, skewDegrees, map);

  const textSize = measureTextSize(img);
  const dpi = opts.dpi ?? resolveDpi(meta.density, textSize);
  // Pin the output to one band: raw one-band input is otherwise written as sRGB.
  // A pipeline per output rather than clone(): sharp's clone deep-copies its options, the page's
  // raw pixels included (~9 MB for an A4 page at 300 dpi).
  const base = () => sharp(img.data, rawInput(img)).toColourspace('b-w').withDensity(dpi);
  // Without Huffman optimisation: the same pixels, 1–2 % more bytes on a cleaned (white-paper)
  // page, and ~50 ms less CPU per access image (its second pass over the coefficients).
  const [access, pdfImage, web, thumb] = await Promise.all([
    base().jpeg({ quality: 85, optimiseCoding: false }).toBuffer(),
    // Cut from these lossless pixels, not from the JPEG: no second decode, no JPEG noise in the G4.
    pdfPageImageOf(img, dpi),
    base()
      .resize({ width: 1400, withoutEnlargement: true })
      .jpeg({ quality: 80, optimiseCoding: false })
      .toBuffer(),
    base().resize({ width: 240, withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer(),
  ]);
  return {
    access,
    pdfImage,
    web,
    thumb,
    width: img.width,
    height: img.height,
    dpi,
    skewDegrees,
    crop: bands,
    inkShare: inkShareOf(img),
    xHeightPx: textSize?.xHeightPx ?? null,
    turn,
    turnedBy,
    orientationConfidence: confidence,
  };
}

async function chooseTurn(grey: Grey, itemRotate: Rotation, pageTurn: Rotation | null) {
  if (pageTurn !== null) return { turn: pageTurn, turnedBy: 'page' as const, confidence: null };
  if (itemRotate !== 0) return { turn: itemRotate, turnedBy: 'item' as const, confidence: null };
  const m = await detectOrientation(grey.data, grey.width, grey.height);
  return { turn: m.turn, turnedBy: 'detected' as const, confidence: m.confidence };
}

/** Share of pixels darker than mid-grey, on a sparse grid (every 3rd row and column). */
function inkShareOf(img: Grey): number {
  let ink = 0;
  let n = 0;
  for (let y = 1; y < img.height; y += 3) {
    const row = y * img.width;
    for (let x = 1; x < img.width; x += 3, n++) if ((img.data[row + x] as number) < 128) ink++;
  }
  return n > 0 ? ink / n : 0;
}
