import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createGlyphEncoder, embedTextLayerFont, UNSHAPED } from './pdf-text-font.ts';

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

  it('skips shaping only where shaping would change nothing (every unshaped character, and pairs of them)', () => {
    const file = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
    const font = fontkit.create(readFileSync(file)) as unknown as {
      hasGlyphForCodePoint(cp: number): boolean;
      layout(t: string, f: Record<string, boolean>): { glyphs: { id: number }[] };
    };
    const features = { liga: false, clig: false, dlig: false, calt: false };
    const chars: string[] = [];
    for (let cp = 0x20; cp < 0x2100; cp++) {
      const ch = String.fromCodePoint(cp);
      if (UNSHAPED.test(ch) && font.hasGlyphForCodePoint(cp)) chars.push(ch);
    }
    expect(chars.length).toBeGreaterThan(500);
    const ids = (t: string) => font.layout(t, features).glyphs.map((g) => g.id);
    const single = new Map(chars.map((c) => [c, ids(c)[0]]));
    for (const c of chars) expect(ids(c), c).toHaveLength(1);
    // Every character after and before a few common ones, and a sweep of pairs across the set.
    const pairs: string[] = [];
    for (const c of chars) for (const d of ['f', 'i', 'l', 'T', 'o', '.', ' ', '-']) pairs.push(c + d, d + c);
    for (const [i, c] of chars.entries()) pairs.push(c + chars[(i * 7 + 3) % chars.length]);
    for (const p of pairs) expect(ids(p), p).toEqual(Array.from(p, (ch) => single.get(ch)));
    // Combining marks are shaped (composed where the font has the precomposed glyph).
    expect(UNSHAPED.test('cafe\u0301')).toBe(false);
  });
});
