/**
 * Parses the hOCR that the native `tesseract` binary writes into our OcrPageResult tree. hOCR (not
 * TSV) because it carries each line's baseline, which the PDF text layer uses to place text.
 * tesseract's hOCR is machine-written and flat enough for a sequential scan: every element opens
 * with a class and a title, blocks (`ocr_carea`) contain paragraphs (`ocr_par`) contain lines
 * (`ocr_line`, `ocr_header`, `ocr_caption`, `ocr_textfloat`) contain words (`ocrx_word`).
 */
import type { Box, OcrBlock, OcrLine, OcrPageResult, OcrParagraph } from '../../core/ocr.types.ts';

const ELEMENT_RE =
  /<(div|p|span)\s+class=['"](ocr_carea|ocr_par|ocr_line|ocr_header|ocr_caption|ocr_textfloat|ocrx_word)['"][^>]*?title=(?:'([^']*)'|"([^"]*)")[^>]*>/g;
const LINE_CLASSES = new Set(['ocr_line', 'ocr_header', 'ocr_caption', 'ocr_textfloat']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

function titleProps(title: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const part of title.split(';')) {
    const t = part.trim();
    const sp = t.indexOf(' ');
    if (sp > 0) props.set(t.slice(0, sp), t.slice(sp + 1).trim());
  }
  return props;
}

function bboxOf(props: Map<string, string>): Box | null {
  const n = (props.get('bbox') ?? '').split(/\s+/).map(Number);
  if (n.length !== 4 || !n.every(Number.isFinite)) return null;
  const [x0, y0, x1, y1] = n as [number, number, number, number];
  return { x0, y0, x1, y1 };
}

/** hOCR baseline "slope offset" is relative to the bottom-left corner of the line box. */
function baselineOf(props: Map<string, string>, bbox: Box): Box | null {
  const n = (props.get('baseline') ?? '').split(/\s+/).map(Number);
  if (n.length !== 2 || !n.every(Number.isFinite)) return null;
  const [slope, offset] = n as [number, number];
  const y0 = bbox.y1 + offset;
  return { x0: bbox.x0, y0, x1: bbox.x1, y1: y0 + slope * (bbox.x1 - bbox.x0) };
}

const clampConfidence = (c: number): number => (Number.isFinite(c) ? Math.min(100, Math.max(0, c)) : 0);

/**
 * hOCR → OcrPageResult, in tesseract's reading order, dropping empty elements. Text is rebuilt
 * from the words (lines joined by \n, paragraphs by a blank line), as for tesseract.js.
 */
export function parseHocr(
  hocr: string,
  size: { width: number; height: number },
  engine: string,
): OcrPageResult {
  const blocks: OcrBlock[] = [];
  let block: OcrBlock | null = null;
  let para: OcrParagraph | null = null;
  let line: OcrLine | null = null;
  for (const m of hocr.matchAll(ELEMENT_RE)) {
    const cls = m[2] as string;
    const props = titleProps(m[3] ?? m[4] ?? '');
    const bbox = bboxOf(props);
    if (!bbox) continue;
    if (cls === 'ocr_carea') {
      block = { bbox, paragraphs: [] };
      blocks.push(block);
      para = null;
      line = null;
    } else if (cls === 'ocr_par') {
      if (!block) {
        block = { bbox, paragraphs: [] };
        blocks.push(block);
      }
      para = { bbox, lines: [] };
      block.paragraphs.push(para);
      line = null;
    } else if (LINE_CLASSES.has(cls)) {
      if (!block) {
        block = { bbox, paragraphs: [] };
        blocks.push(block);
      }
      if (!para) {
        para = { bbox, lines: [] };
        block.paragraphs.push(para);
      }
      line = { bbox, baseline: baselineOf(props, bbox), words: [] };
      para.lines.push(line);
    } else if (cls === 'ocrx_word' && line) {
      const start = (m.index ?? 0) + m[0].length;
      const end = hocr.indexOf('</span>', start);
      // Font-info builds wrap words in <strong>/<em>; keep the text only.
      const raw = hocr.slice(start, end < 0 ? undefined : end).replace(/<[^>]*>/g, '');
      const text = decodeEntities(raw).trim();
      if (text) line.words.push({ text, bbox, confidence: clampConfidence(Number(props.get('x_wconf'))) });
    }
  }
  const kept = blocks
    .map((b) => ({
      ...b,
      paragraphs: b.paragraphs
        .map((p) => ({ ...p, lines: p.lines.filter((l) => l.words.length > 0) }))
        .filter((p) => p.lines.length > 0),
    }))
    .filter((b) => b.paragraphs.length > 0);
  const paragraphs = kept.flatMap((b) => b.paragraphs);
  const text = paragraphs
    .map((p) => p.lines.map((l) => l.words.map((w) => w.text).join(' ')).join('\n'))
    .join('\n\n');
  const words = paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words));
  const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
  return { ...size, text, confidence, blocks: kept, warnings: [], engine };
}
