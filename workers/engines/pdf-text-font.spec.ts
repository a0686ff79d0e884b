import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createGlyphEncoder, embedTextLayerFont } from './pdf-text-font.ts';

// Words as OCR gives them: repeats, accents (precomposed and combining), punctuation-only words,
// and characters DejaVu Sans lacks (dropped).
const WORDS = [
  'Perpustakaan',
  'daerah',
  'dan',
  'yang',
  'dan',
  'café',
  'cafe\u0301',
  '—',
  '...',
  '--',
  '“kutipan”',
  'Rp.1.500,-',
  '\u{1F600}',
  '𝔸bc',
  'fi',
  'ffl',
  '1/2',
  'Perpustakaan',
];

async function document() {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await embedTextLayerFont(doc, 'ABCDEF');
  return { doc, font };
}

describe('text layer glyph encoder', () => {
  it('encodes and measures exactly as pdf-lib does, down to the saved bytes', async () => {
    const ours = await document();
    const theirs = await document();
    const a = createGlyphEncoder(ours.font);
    const b = createGlyphEncoder(theirs.font, { viaPdfLib: true });
    for (const w of WORDS) expect(a.encode(w), w).toEqual(b.encode(w));
    const [bytesA, bytesB] = await Promise.all([ours.doc.save(), theirs.doc.save()]);
    expect(Buffer.from(bytesA).equals(Buffer.from(bytesB))).toBe(true);
  });

  it('lays a word out once per process, not twice in every document', async () => {
    // The first document lays the words out; later documents only enter the glyphs in their subset.
    const first = await document();
    const warm = createGlyphEncoder(first.font);
    for (const w of WORDS) warm.encode(w);
    const next = await document();
    const font = (next.font as unknown as { embedder: { font: { layout: (...a: unknown[]) => unknown } } })
      .embedder.font;
    let layouts = 0;
    const layout = font.layout.bind(font);
    font.layout = (...args: unknown[]) => {
      layouts++;
      return layout(...args);
    };
    const enc = createGlyphEncoder(next.font);
    for (const w of WORDS) enc.encode(w);
    expect(layouts).toBe(0);
    expect(enc.encode('Perpustakaan').hex).not.toBe('');
  });
});
