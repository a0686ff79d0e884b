/**
 * A PDF as a source of page images (a scanner's or MFP's multi-page PDF). Each page becomes a page
 * of the item. A page that is one embedded scan gives that image's own bytes (JPEG, CCITT G4 —
 * wrapped in a TIFF header, not re-encoded — or lossless Flate pixels) at the scan's resolution;
 * any other page is rendered at 300 dpi (pdf-render.ts). Encrypted, broken and script-bearing PDFs
 * are refused: they cannot be read reliably, or carry code a library has no business keeping.
 */
import { inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from 'pdf-lib';
import sharp from 'sharp';
import { PindaiError } from '../../core/errors.ts';
import { coversPage, singleImageOf } from './pdf-content.ts';

export { isPdf } from './pdf-magic.ts';

import { openPdfRenderer, type PdfRenderer } from './pdf-render.ts';

/** Resolution of rendered pages that have no scan of their own. */
export const RENDER_DPI = 300;
const MIN_SCAN_DPI = 50;
const MAX_SCAN_DPI = 1200;

export type PdfPageKind = 'jpeg' | 'ccitt' | 'flate' | 'render';

export interface PdfPagePlan {
  kind: PdfPageKind;
  /** Pixel size of the page image that `extract` gives. */
  width: number;
  height: number;
  dpi: number;
}

export interface ExtractedPdfPage {
  /** JPEG, TIFF or PNG bytes. */
  image: Buffer;
  kind: PdfPageKind;
  dpi: number;
}

export interface PdfSource {
  readonly pageCount: number;
  plan(index: number): PdfPagePlan;
  extract(index: number): Promise<ExtractedPdfPage>;
  close(): void;
}

export interface PdfSourceOptions {
  maxPages: number;
  maxPixels: number;
}

/** `reason` is what the operator reads (the catalogue's {detail}, Bahasa Indonesia); `detail` goes to the log. */
function refused(
  code: 'pdf_broken' | 'pdf_encrypted' | 'pdf_script',
  reason: string,
  detail = reason,
  cause?: unknown,
) {
  return new PindaiError(code, `PDF ${code.slice(4)}: ${detail}`, { params: { detail: reason }, cause });
}

/** Action types and keys that run code or reach outside the file (PDF 32000-1, 12.6). */
const SCRIPT_ACTIONS = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'RichMediaExecute',
  'Rendition',
]);
const SCRIPT_KEYS = new Set(['JS', 'JavaScript', 'XFA', 'RichMedia']);

/** The first script-like construct found in any object of the document, or null. */
function findScript(doc: PDFDocument): string | null {
  const seen = new Set<PDFObject>();
  const walk = (obj: PDFObject | undefined, depth: number): string | null => {
    if (!obj || depth > 64 || seen.has(obj)) return null;
    seen.add(obj);
    const dict = obj instanceof PDFDict ? obj : obj instanceof PDFStream ? obj.dict : null;
    if (dict) {
      for (const [key, value] of dict.entries()) {
        const k = key.decodeText();
        if (SCRIPT_KEYS.has(k)) return k;
        if (k === 'S' && value instanceof PDFName && SCRIPT_ACTIONS.has(value.decodeText())) {
          return value.decodeText();
        }
        if (!(value instanceof PDFRef)) {
          const found = walk(value, depth + 1);
          if (found) return found;
        }
      }
    } else if (obj instanceof PDFArray) {
      for (const v of obj.asArray()) {
        const found = v instanceof PDFRef ? null : walk(v, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    const found = walk(obj, 0);
    if (found) return found;
  }
  return walk(doc.context.trailerInfo.Root, 0);
}

function num(dict: PDFDict, key: string, fallback: number): number {
  const v = dict.lookup(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : fallback;
}

function nameOf(obj: PDFObject | undefined): string | null {
  return obj instanceof PDFName ? obj.decodeText() : null;
}

/** The only filter of an image stream, '' for none, or null when it has a chain of several. */
function singleFilter(dict: PDFDict): string | null {
  const f = dict.lookup(PDFName.of('Filter'));
  if (f === undefined) return '';
  if (f instanceof PDFName) return f.decodeText();
  if (f instanceof PDFArray && f.size() === 1) return nameOf(f.lookup(0));
  return null;
}

function decodeParms(dict: PDFDict): PDFDict | null {
  const p = dict.lookup(PDFName.of('DecodeParms'));
  if (p instanceof PDFDict) return p;
  if (p instanceof PDFArray && p.size() === 1)
    return p.lookup(0) instanceof PDFDict ? (p.lookup(0) as PDFDict) : null;
  return null;
}

/** Components of a plain grey or RGB colour space, else null (Indexed, Lab, Separation…: rendered). */
function components(dict: PDFDict): number | null {
  const cs = dict.lookup(PDFName.of('ColorSpace'));
  const name = nameOf(cs);
  if (name === 'DeviceGray' || name === 'CalGray') return 1;
  if (name === 'DeviceRGB' || name === 'CalRGB') return 3;
  if (name === 'DeviceCMYK') return 4;
  if (cs instanceof PDFArray && nameOf(cs.lookup(0)) === 'ICCBased') {
    const icc = cs.lookup(1);
    return icc instanceof PDFStream ? num(icc.dict, 'N', 0) || null : null;
  }
  return null;
}

function isInvertedDecode(dict: PDFDict): boolean | null {
  const d = dict.lookup(PDFName.of('Decode'));
  if (d === undefined) return false;
  if (!(d instanceof PDFArray)) return null;
  const v = d.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : Number.NaN));
  if (v.every((x, i) => x === (i % 2 === 0 ? 0 : 1))) return false;
  if (v.every((x, i) => x === (i % 2 === 0 ? 1 : 0))) return true;
  return null;
}

interface ImageStream {
  dict: PDFDict;
  bytes: Uint8Array;
}

interface Analysed {
  plan: PdfPagePlan;
  image: ImageStream | null;
}

function imageKind(img: ImageStream): Exclude<PdfPageKind, 'render'> | null {
  const { dict } = img;
  if (dict.lookup(PDFName.of('ImageMask')) instanceof PDFBool) return null;
  const filter = singleFilter(dict);
  const bpc = num(dict, 'BitsPerComponent', 8);
  const inverted = isInvertedDecode(dict);
  if (filter === 'DCTDecode') {
    const n = components(dict);
    // Adobe CMYK JPEGs carry an inverting Decode; sharp reads them right as they are.
    return n !== null && (inverted === false || n === 4) ? 'jpeg' : null;
  }
  if (filter === 'CCITTFaxDecode') {
    const p = decodeParms(dict);
    const k = p ? num(p, 'K', 0) : 0;
    const align = p?.lookup(PDFName.of('EncodedByteAlign'));
    // Group 4 only: the one scanner PDFs use, and the one a TIFF carries without a doubt.
    return k < 0 && !(align instanceof PDFBool && align.asBoolean()) && inverted !== null ? 'ccitt' : null;
  }
  if (filter === 'FlateDecode') {
    const n = components(dict);
    const p = decodeParms(dict);
    const predictor = p ? num(p, 'Predictor', 1) : 1;
    return (n === 1 || n === 3) &&
      (bpc === 8 || (bpc === 1 && n === 1)) &&
      predictor === 1 &&
      inverted === false
      ? 'flate'
      : null;
  }
  return null;
}

/** A minimal one-strip TIFF around CCITT G4 code: the code itself is not touched. */
function g4Tiff(code: Uint8Array, width: number, height: number, blackIsZero: boolean, dpi: number): Buffer {
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 1],
    [259, 3, 1, 4],
    [262, 3, 1, blackIsZero ? 1 : 0],
    [273, 4, 1, 0], // strip offset, set below
    [277, 3, 1, 1],
    [278, 4, 1, height],
    [279, 4, 1, code.length],
    [282, 5, 1, 0], // XResolution, rational at `res`
    [283, 5, 1, 0],
    [296, 3, 1, 2],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const res = 8 + ifdSize;
  const data = res + 8;
  const out = Buffer.alloc(data + code.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(count, at + 4);
    const v = tag === 273 ? data : type === 5 ? res : value;
    if (type === 3) out.writeUInt16LE(v, at + 8);
    else out.writeUInt32LE(v, at + 8);
  });
  out.writeUInt32LE(Math.round(dpi), res);
  out.writeUInt32LE(1, res + 4);
  out.set(code, data);
  return out;
}

/** Inflated Flate pixels as a lossless PNG (the pixels are not changed; only the container is). */
async function flatePng(img: ImageStream, width: number, height: number, dpi: number): Promise<Buffer> {
  const n = components(img.dict) ?? 1;
  const bpc = num(img.dict, 'BitsPerComponent', 8);
  const rowBytes = Math.ceil((width * n * bpc) / 8);
  const expected = rowBytes * height;
  // A bound on the output: a Flate "bomb" stops here instead of filling memory.
  const raw = inflateSync(img.bytes, { maxOutputLength: expected + 1024 });
  if (raw.length < expected) throw new Error(`image data too short (${raw.length} of ${expected} bytes)`);
  let pixels: Buffer = raw;
  if (bpc === 1) {
    pixels = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((raw[y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
        pixels[y * width + x] = bit ? 255 : 0;
      }
    }
  }
  return sharp(pixels.subarray(0, width * height * n), { raw: { width, height, channels: n as 1 | 3 } })
    .withDensity(dpi)
    .png({ compressionLevel: 1 })
    .toBuffer();
}

function imageBytes(stream: PDFObject | undefined): ImageStream | null {
  if (stream instanceof PDFRawStream) return { dict: stream.dict, bytes: stream.contents };
  return null;
}

function contentBytes(doc: PDFDocument, index: number): Uint8Array {
  const contents = doc.getPage(index).node.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  const parts: Uint8Array[] = [];
  for (const s of streams) {
    const stream = s instanceof PDFRef ? doc.context.lookup(s) : s;
    if (stream instanceof PDFRawStream) parts.push(decodePDFRawStream(stream).decode());
    parts.push(new Uint8Array([0x0a]));
  }
  return Buffer.concat(parts);
}

function clampDpi(dpi: number): number {
  return Math.round(Math.min(MAX_SCAN_DPI, Math.max(MIN_SCAN_DPI, dpi)));
}

function analyse(doc: PDFDocument, index: number, maxPixels: number): Analysed {
  const page = doc.getPage(index);
  const box = page.getCropBox();
  const renderAt = (dpi: number): Analysed => {
    // A page too large for the pixel budget at this resolution is rendered at a lower one.
    const fit = Math.sqrt(maxPixels / Math.max(1, ((box.width * dpi) / 72) * ((box.height * dpi) / 72)));
    const d = Math.max(1, Math.floor(dpi * Math.min(1, fit)));
    const rotated = page.getRotation().angle % 180 !== 0;
    const w = Math.ceil((box.width * d) / 72);
    const h = Math.ceil((box.height * d) / 72);
    return { plan: { kind: 'render', width: rotated ? h : w, height: rotated ? w : h, dpi: d }, image: null };
  };
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
  const images = new Map<string, ImageStream>();
  if (xobjects instanceof PDFDict) {
    for (const [key, value] of xobjects.entries()) {
      const obj = value instanceof PDFRef ? doc.context.lookup(value) : value;
      const img = imageBytes(obj);
      if (img && nameOf(img.dict.lookup(PDFName.of('Subtype'))) === 'Image')
        images.set(key.decodeText(), img);
    }
  }
  if (images.size === 0 || page.getRotation().angle % 360 !== 0) return renderAt(RENDER_DPI);
  const placed = singleImageOf(contentBytes(doc, index), (name) => images.has(name));
  const img = placed ? images.get(placed.name) : undefined;
  if (!placed || !img || !coversPage(placed.ctm, box)) return renderAt(RENDER_DPI);
  const width = num(img.dict, 'Width', 0);
  const height = num(img.dict, 'Height', 0);
  const dpi = clampDpi((width * 72) / placed.ctm[0]);
  const kind = width > 0 && height > 0 ? imageKind(img) : null;
  // A scan we cannot take out as it is (JPEG 2000, odd colours) is rendered at its own resolution.
  if (!kind) return renderAt(dpi);
  return { plan: { kind, width, height, dpi }, image: img };
}

/** Opens and checks a PDF. Throws PindaiError pdf_broken, pdf_encrypted, pdf_script or pdf_too_many_pages. */
export async function openPdfSource(data: Uint8Array, opts: PdfSourceOptions): Promise<PdfSource> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(data, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
  } catch (err) {
    throw refused('pdf_broken', 'struktur berkas tidak terbaca', (err as Error).message.split('\n')[0], err);
  }
  if (doc.isEncrypted) throw refused('pdf_encrypted', 'terenkripsi');
  const script = findScript(doc);
  if (script) throw refused('pdf_script', script);
  let pageCount: number;
  try {
    pageCount = doc.getPageCount();
  } catch (err) {
    throw refused('pdf_broken', 'daftar halaman tidak terbaca', 'page tree cannot be read', err);
  }
  if (pageCount === 0) throw refused('pdf_broken', 'tidak ada halaman', 'no pages');
  if (pageCount > opts.maxPages) {
    throw new PindaiError('pdf_too_many_pages', `${pageCount} pages, over the limit of ${opts.maxPages}`, {
      params: { pages: pageCount, max: opts.maxPages },
    });
  }
  const analysed = new Map<number, Analysed>();
  const analyseOnce = (index: number): Analysed => {
    if (!Number.isInteger(index) || index < 0 || index >= pageCount) {
      throw new PindaiError('image_page_missing', `PDF has no page ${index + 1} (it has ${pageCount})`, {
        params: { page: index + 1, pages: pageCount },
      });
    }
    let a = analysed.get(index);
    if (!a) {
      try {
        a = analyse(doc, index, opts.maxPixels);
      } catch (err) {
        throw refused('pdf_broken', `halaman ${index + 1} tidak terbaca`, (err as Error).message, err);
      }
      analysed.set(index, a);
    }
    return a;
  };
  let renderer: Promise<PdfRenderer> | null = null;
  const render = async (index: number, dpi: number): Promise<Buffer> => {
    renderer ??= openPdfRenderer(data).catch((err: unknown) => {
      throw refused('pdf_broken', 'tidak dapat digambar', (err as Error).message, err);
    });
    const r = await (await renderer).render(index, dpi);
    return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } })
      .withDensity(dpi)
      .png({ compressionLevel: 1 })
      .toBuffer();
  };
  return {
    pageCount,
    plan: (index) => analyseOnce(index).plan,
    async extract(index) {
      const { plan, image } = analyseOnce(index);
      if (plan.kind === 'jpeg' && image)
        return { image: Buffer.from(image.bytes), kind: 'jpeg', dpi: plan.dpi };
      if (plan.kind === 'ccitt' && image) {
        // CCITT decodes white runs to 0 in TIFF terms; BlackIs1 and an inverting Decode each swap it.
        const p = decodeParms(image.dict);
        const blackIs1 = p?.lookup(PDFName.of('BlackIs1'));
        const swapped =
          (blackIs1 instanceof PDFBool && blackIs1.asBoolean()) !== isInvertedDecode(image.dict);
        return {
          image: g4Tiff(image.bytes, plan.width, plan.height, swapped, plan.dpi),
          kind: 'ccitt',
          dpi: plan.dpi,
        };
      }
      if (plan.kind === 'flate' && image) {
        return {
          image: await flatePng(image, plan.width, plan.height, plan.dpi),
          kind: 'flate',
          dpi: plan.dpi,
        };
      }
      return { image: await render(index, plan.dpi), kind: 'render', dpi: plan.dpi };
    },
    close() {
      void renderer?.then((r) => r.close()).catch(() => undefined);
    },
  };
}
