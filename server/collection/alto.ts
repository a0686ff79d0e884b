/**
 * ALTO 4.4 of one page from its stored OCR result: blocks, lines and words with their boxes in the
 * pixels of the recognised (full-resolution) page image, word confidence as WC (0–1). An OCR block
 * of one paragraph is a TextBlock; a block of several is a ComposedBlock of TextBlocks, so
 * paragraph breaks survive. Lines without words are left out (ALTO requires a String per line).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Box, OcrPageResult } from '../../core/ocr.types.ts';
import { xmlText } from './xml-text.ts';

export const ALTO_NS = 'http://www.loc.gov/standards/alto/ns-v4#';
const ALTO_XSD = 'http://www.loc.gov/alto/v4/alto-4-4.xsd';
export const ALTO_PROFILE = ALTO_NS;

export interface AltoPage {
  pageNo: number;
  /** The image the boxes refer to (the page's IIIF image service, or a file name in an export). */
  imageRef: string;
  /** ISO 639-2 language of the page's text when the item names one. */
  lang?: string;
}

const box = (b: Box) => ({
  HPOS: b.x0,
  VPOS: b.y0,
  WIDTH: Math.max(0, b.x1 - b.x0),
  HEIGHT: Math.max(0, b.y1 - b.y0),
});

/** Confidence 0–100 as ALTO's WC/PC (0–1, two decimals). */
const unit = (c: number) => Math.round(Math.min(100, Math.max(0, c))) / 100;

/** `engine` is "name version" (e.g. "tesseract.js 6.0.1"); ALTO names software and version apart. */
function software(engine: string): { name: string; version?: string } {
  const m = /^(.*\S)\s+v?(\d[\w.-]*)$/.exec(engine.trim());
  return m ? { name: m[1] as string, version: m[2] as string } : { name: engine.trim() || 'unknown' };
}

export function buildAlto(ocr: OcrPageResult, page: AltoPage): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const alto = doc.ele(ALTO_NS, 'alto', {
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation': `${ALTO_NS} ${ALTO_XSD}`,
    SCHEMAVERSION: '4.4',
  });
  const desc = alto.ele('Description');
  desc.ele('MeasurementUnit').txt('pixel');
  desc.ele('sourceImageInformation').ele('fileName').txt(xmlText(page.imageRef));
  const sw = software(ocr.engine);
  const soft = desc
    .ele('Processing', { ID: 'OCR' })
    .ele('processingCategory')
    .txt('contentGeneration')
    .up()
    .ele('processingSoftware');
  soft.ele('softwareName').txt(xmlText(sw.name));
  if (sw.version) soft.ele('softwareVersion').txt(xmlText(sw.version));

  const p = `P${page.pageNo}`;
  const pageEl = alto.ele('Layout').ele('Page', {
    ID: p,
    PHYSICAL_IMG_NR: page.pageNo,
    WIDTH: ocr.width,
    HEIGHT: ocr.height,
    PC: unit(ocr.confidence),
    PROCESSINGREFS: 'OCR',
    ...(page.lang && { LANG: page.lang }),
  });
  const space = pageEl.ele('PrintSpace', { HPOS: 0, VPOS: 0, WIDTH: ocr.width, HEIGHT: ocr.height });
  let n = 0;
  const id = (kind: string) => `${p}_${kind}${++n}`;
  const textBlock = (parent: XMLBuilder, para: OcrPageResult['blocks'][number]['paragraphs'][number]) => {
    const tb = parent.ele('TextBlock', { ID: id('TB'), ...box(para.bbox) });
    for (const line of para.lines) {
      const words = line.words.map((w) => ({ ...w, text: xmlText(w.text).trim() })).filter((w) => w.text);
      if (words.length === 0) continue;
      const tl = tb.ele('TextLine', {
        ID: id('TL'),
        ...box(line.bbox),
        ...(line.baseline && {
          BASELINE: `${line.baseline.x0},${line.baseline.y0} ${line.baseline.x1},${line.baseline.y1}`,
        }),
      });
      words.forEach((w, i) => {
        if (i > 0) tl.ele('SP');
        tl.ele('String', { ID: id('S'), CONTENT: w.text, ...box(w.bbox), WC: unit(w.confidence) });
      });
    }
  };
  for (const block of ocr.blocks) {
    if (block.paragraphs.length === 1) textBlock(space, block.paragraphs[0] as (typeof block.paragraphs)[0]);
    else if (block.paragraphs.length > 1) {
      const cb = space.ele('ComposedBlock', { ID: id('CB'), ...box(block.bbox) });
      for (const para of block.paragraphs) textBlock(cb, para);
    }
  }
  return doc.end({ prettyPrint: true });
}
