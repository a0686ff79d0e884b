import type Tesseract from 'tesseract.js';
import type { Box, OcrBlock, OcrLine, OcrPageResult, OcrParagraph, OcrWord } from '../../core/ocr.types.ts';

const box = (b: Tesseract.Bbox): Box => ({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });

const clampConfidence = (c: number): number => (Number.isFinite(c) ? Math.min(100, Math.max(0, c)) : 0);

function mapLine(line: Tesseract.Line): OcrLine | null {
  const words: OcrWord[] = [];
  for (const w of line.words ?? []) {
    const text = w.text.trim();
    if (text) words.push({ text, bbox: box(w.bbox), confidence: clampConfidence(w.confidence) });
  }
  if (words.length === 0) return null;
  const b = line.baseline;
  const baseline = b && [b.x0, b.y0, b.x1, b.y1].every(Number.isFinite) ? box(b) : null;
  return { bbox: box(line.bbox), baseline, words };
}

function mapParagraph(p: Tesseract.Paragraph): OcrParagraph | null {
  const lines = (p.lines ?? []).map(mapLine).filter((l): l is OcrLine => l !== null);
  return lines.length ? { bbox: box(p.bbox), lines } : null;
}

function mapBlock(b: Tesseract.Block): OcrBlock | null {
  const paragraphs = (b.paragraphs ?? []).map(mapParagraph).filter((p): p is OcrParagraph => p !== null);
  return paragraphs.length ? { bbox: box(b.bbox), paragraphs } : null;
}

/**
 * Maps tesseract's block tree (already in its reading order) to OcrPageResult, dropping empty
 * elements. Text is rebuilt from the words rather than taken from tesseract's own text output so
 * that it always agrees with the boxes the PDF text layer and highlighting use.
 */
export function toPageResult(
  page: Tesseract.Page,
  size: { width: number; height: number },
  engine: string,
): OcrPageResult {
  const blocks = (page.blocks ?? []).map(mapBlock).filter((b): b is OcrBlock => b !== null);
  const paragraphs = blocks.flatMap((b) => b.paragraphs);
  const text = paragraphs
    .map((p) => p.lines.map((l) => l.words.map((w) => w.text).join(' ')).join('\n'))
    .join('\n\n');
  const words = paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words));
  const confidence = words.length ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0;
  return { ...size, text, confidence, blocks, warnings: [], engine };
}

export function emptyPageResult(
  size: { width: number; height: number },
  engine: string,
  warnings: string[],
): OcrPageResult {
  return { ...size, text: '', confidence: 0, blocks: [], warnings, engine };
}
