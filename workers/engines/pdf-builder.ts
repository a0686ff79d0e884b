import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFRef,
  PDFString,
} from 'pdf-lib';
import { PindaiError } from '../../core/errors.ts';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { BytesStream } from './pdf-bytes-stream.ts';
import { isTiff, readG4Tiff } from './pdf-ccitt.ts';
import { readJpegInfo } from './pdf-jpeg.ts';
import { createGlyphEncoder, embedTextLayerFont } from './pdf-text-font.ts';
import { type GlyphEncoder, textLayerOperators } from './pdf-text-layer.ts';
import { buildXmp } from './pdf-xmp.ts';

export interface PdfPageInput {
  /** JPEG or single-strip CCITT G4 TIFF bytes shown as the page (any pixel size; stretched to the page). */
  image: Buffer;
  /** Pixel size of the OCR coordinate space (the recognised image). */
  width: number;
  height: number;
  /** Of that coordinate space: page size in points = px * 72 / dpi. */
  dpi: number;
  /** null or no words → image-only page. */
  ocr: OcrPageResult | null;
}

export interface PdfMetadata {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  /** BCP 47, e.g. 'id'. */
  language?: string;
  created?: Date;
  modified?: Date;
  producer?: string;
  /** e.g. nomor induk. */
  identifier?: string;
}

const CREATOR = 'Pindai';

function hasWords(ocr: OcrPageResult | null): ocr is OcrPageResult {
  return !!ocr?.blocks.some((b) => b.paragraphs.some((p) => p.lines.some((l) => l.words.length > 0)));
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Stable digest of everything that shapes the output: the document ID and the font subset tag. */
function fingerprint(pages: readonly PdfPageInput[], meta: PdfMetadata): Buffer {
  // sha256 (hardware-accelerated) over ~100 MB of JPEGs is several times faster than md5.
  const h = createHash('sha256');
  h.update(JSON.stringify(meta));
  for (const p of pages) {
    h.update(`|${p.width}x${p.height}@${p.dpi}|${p.image.length}|`);
    h.update(p.image);
    h.update(p.ocr ? JSON.stringify(p.ocr.blocks) : 'null');
  }
  return h.digest().subarray(0, 16);
}

function assertPage(p: PdfPageInput, index: number): void {
  const ok = [p.width, p.height, p.dpi].every((v) => Number.isFinite(v) && v > 0);
  if (!ok) {
    throw new PindaiError('PDF_BAD_PAGE', `page ${index + 1}: width, height and dpi must be positive`, {
      params: { page: index + 1 },
    });
  }
}

/** Invalid dates are dropped rather than written as "NaN" (or thrown on by toISOString). */
function validDate(d: Date | undefined): Date | undefined {
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}

function setInfo(doc: PDFDocument, meta: PdfMetadata, id: Buffer): void {
  const producer = meta.producer ?? CREATOR;
  const created = validDate(meta.created);
  const modified = validDate(meta.modified) ?? created;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  // Comma-separated: pdf-lib's setKeywords joins with spaces, which splits multi-word keywords.
  if (meta.keywords?.length) doc.setKeywords([meta.keywords.join(', ')]);
  doc.setCreator(CREATOR);
  doc.setProducer(producer);
  if (created) doc.setCreationDate(created);
  if (modified) doc.setModificationDate(modified);
  // /Lang is a literal string; only well-formed tags are written so no escaping is needed.
  const lang =
    meta.language && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(meta.language) ? meta.language : '';
  if (lang) doc.catalog.set(PDFName.of('Lang'), PDFString.of(lang));

  const xmp = buildXmp({
    ...meta,
    created,
    modified,
    language: lang || undefined,
    producer,
    creatorTool: CREATOR,
  });
  const stream = new BytesStream(
    doc.context.obj({ Type: 'Metadata', Subtype: 'XML' }),
    Buffer.from(xmp, 'utf8'),
  );
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));

  // Fixed from the inputs (not random) so identical inputs give identical bytes.
  const hex = PDFHexString.of(id.toString('hex'));
  const ids = PDFArray.withContext(doc.context);
  ids.push(hex);
  ids.push(hex);
  doc.context.trailerInfo.ID = ids;
}

/** A bilevel G4 TIFF (pdf-page-image.ts) as an image XObject; its code passes through untouched. */
function embedG4(doc: PDFDocument, image: Buffer, index: number): PDFRef {
  let info: ReturnType<typeof readG4Tiff>;
  try {
    info = readG4Tiff(image);
  } catch (cause) {
    throw new PindaiError('PDF_BAD_IMAGE', `page ${index + 1}: image is not a usable G4 TIFF`, {
      params: { page: index + 1 },
      cause,
    });
  }
  const dict = doc.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: info.width,
    Height: info.height,
    BitsPerComponent: 1,
    ColorSpace: 'DeviceGray',
    Filter: 'CCITTFaxDecode',
    DecodeParms: { K: -1, Columns: info.width, Rows: info.height, BlackIs1: false },
  });
  // CCITT decodes white runs to 1; a BlackIsZero TIFF coded its 1 bits (white) as black runs.
  if (info.blackIsZero) dict.set(PDFName.of('Decode'), doc.context.obj([1, 0]));
  return doc.context.register(new BytesStream(dict, info.data));
}

/** The JPEG as an image XObject, bytes untouched (DCTDecode passes them straight to the viewer). */
function embedJpeg(doc: PDFDocument, image: Buffer, index: number): PDFRef {
  if (isTiff(image)) return embedG4(doc, image, index);
  let info: ReturnType<typeof readJpegInfo>;
  try {
    info = readJpegInfo(image);
  } catch (cause) {
    throw new PindaiError('PDF_BAD_IMAGE', `page ${index + 1}: image is not a usable JPEG`, {
      params: { page: index + 1 },
      cause,
    });
  }
  const dict = doc.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: info.width,
    Height: info.height,
    BitsPerComponent: info.bitsPerComponent,
    ColorSpace: info.colorSpace,
    Filter: 'DCTDecode',
  });
  // Adobe CMYK JPEGs store inverted samples (PDF 32000-1, 8.6.4.4).
  if (info.colorSpace === 'DeviceCMYK' && info.adobe)
    dict.set(PDFName.of('Decode'), doc.context.obj([1, 0, 1, 0, 1, 0, 1, 0]));
  return doc.context.register(new BytesStream(dict, image));
}

/**
 * A copy of the embedded text-layer font (a Type 0 font) whose descriptor gives a deeper descent,
 * `milli` thousandths of an em: the same glyphs, widths and ToUnicode, shared with the original.
 */
function deepFontDict(doc: PDFDocument, fontRef: PDFRef, milli: number): PDFDict {
  const type0 = doc.context.lookup(fontRef, PDFDict);
  const cidFont = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict).clone(doc.context);
  descriptor.set(PDFName.of('Descent'), PDFNumber.of(-milli));
  const deepCid = cidFont.clone(doc.context);
  deepCid.set(PDFName.of('FontDescriptor'), doc.context.register(descriptor));
  const deep = type0.clone(doc.context);
  deep.set(PDFName.of('DescendantFonts'), doc.context.obj([doc.context.register(deepCid)]));
  return deep;
}

/**
 * Build a searchable PDF: each page shows its JPEG (embedded as-is) full-page, with an invisible
 * text layer from the OCR result so the text can be selected, searched and extracted.
 */
export async function buildSearchablePdf(pages: PdfPageInput[], meta: PdfMetadata): Promise<Uint8Array> {
  if (pages.length === 0) throw new PindaiError('PDF_NO_PAGES', 'cannot build a PDF without pages');
  pages.forEach(assertPage);
  const id = fingerprint(pages, meta);
  const doc = await PDFDocument.create({ updateMetadata: false });

  let font: { pdf: PDFFont; encoder: GlyphEncoder } | null = null;
  if (pages.some((p) => hasWords(p.ocr))) {
    // Subset tag: six capitals derived from the fingerprint.
    const tag = [...id.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
    const pdf = await embedTextLayerFont(doc, tag);
    font = { pdf, encoder: createGlyphEncoder(pdf) };
  }

  // Variants of the text-layer font with a deeper descent, by descent in 1/1000 em (see
  // pdf-text-bands.ts); their dictionaries are written once the font itself is embedded.
  const deepVariants = new Map<number, PDFRef>();
  for (const [index, p] of pages.entries()) {
    const k = 72 / p.dpi;
    const widthPt = round3(p.width * k);
    const heightPt = round3(p.height * k);
    const page = doc.addPage([widthPt, heightPt]);
    const imageName = page.node.newXObject('Im', embedJpeg(doc, p.image, index));
    let ops = `q ${widthPt} 0 0 ${heightPt} 0 0 cm ${imageName} Do Q\n`;
    if (font && hasWords(p.ocr)) {
      const ocr = p.ocr;
      // OCR may have run on a rescaled copy; map its pixels onto this page's coordinate space.
      const ocrWidth = ocr.width > 0 ? ocr.width : p.width;
      const ocrHeight = ocr.height > 0 ? ocr.height : p.height;
      const fontKey = page.node.newFontDictionaryKey('F');
      const deepKeys = new Map<number, string>();
      const deepFont = (descentEm: number): string => {
        const milli = Math.round(descentEm * 1000);
        let key = deepKeys.get(milli);
        if (!key) {
          let ref = deepVariants.get(milli);
          if (!ref) {
            ref = doc.context.nextRef();
            deepVariants.set(milli, ref);
          }
          const name = page.node.newFontDictionaryKey('F');
          page.node.setFontDictionary(name, ref);
          key = name.toString();
          deepKeys.set(milli, key);
        }
        return key;
      };
      const text = textLayerOperators(
        ocr,
        {
          pageHeightPt: heightPt,
          kx: (k * p.width) / ocrWidth,
          ky: (k * p.height) / ocrHeight,
          widthPx: ocrWidth,
          heightPx: ocrHeight,
        },
        fontKey.toString(),
        font.encoder,
        deepFont,
      );
      // Only pages that really carry text reference the font (all-dust pages stay image-only).
      if (text) {
        page.node.setFontDictionary(fontKey, font.pdf.ref);
        ops += text;
      }
    }
    // node's zlib rather than pdf-lib's pako: same format, several times faster.
    const contents = new BytesStream(doc.context.obj({ Filter: 'FlateDecode' }), deflateSync(ops));
    page.node.addContentStream(doc.context.register(contents));
  }

  if (font && deepVariants.size > 0) {
    await doc.flush();
    for (const [milli, ref] of deepVariants) doc.context.assign(ref, deepFontDict(doc, font.pdf.ref, milli));
  }
  setInfo(doc, meta, id);
  return doc.save({ useObjectStreams: true, addDefaultPage: false });
}
