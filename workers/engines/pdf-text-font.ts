import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import type { GlyphEncoder } from './pdf-text-layer.ts';

const require = createRequire(import.meta.url);

interface CoverageFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

// Read and parsed once per process: the TTF is ~750 kB and every document needs the same coverage table.
let fontBytes: Uint8Array | undefined;
let coverage: CoverageFont | undefined;

function loadFont(): { bytes: Uint8Array; coverage: CoverageFont } {
  if (!fontBytes || !coverage) {
    fontBytes = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
    coverage = fontkit.create(fontBytes);
  }
  return { bytes: fontBytes, coverage };
}

// Ligatures and contextual alternates off: one glyph per character keeps ToUnicode mapping 1:1,
// and the layer is invisible, so nothing is lost typographically.
const FEATURES = { liga: false, clig: false, dlig: false, calt: false };

/**
 * Embed DejaVu Sans as a subset. `subsetTag` (six capitals) makes the BaseFont name deterministic;
 * pdf-lib would otherwise add its own suffix.
 */
export async function embedTextLayerFont(doc: PDFDocument, subsetTag: string): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(loadFont().bytes, {
    subset: true,
    customName: `${subsetTag}+DejaVuSans`,
    features: FEATURES,
  });
}

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
}

interface LaidOut {
  glyphs: FontkitGlyph[];
  /** Advance at size 1000, summed as pdf-lib's widthOfTextAtSize sums it (same float steps). */
  advance: number;
}

/**
 * Layouts by string, for the whole process: every document embeds the same font file, and words
 * repeat from page to page and book to book. Each fontkit layout costs tens of microseconds, and
 * pdf-lib's encodeText and widthOfTextAtSize each run one per call. Emptied when full.
 */
const layouts = new Map<string, LaidOut>();
const MAX_LAYOUTS = 50_000;

type LayoutFont = CoverageFont & {
  unitsPerEm: number;
  layout(text: string, features: typeof FEATURES): { glyphs: FontkitGlyph[] };
  glyphForCodePoint(codePoint: number): FontkitGlyph;
};

/**
 * Letters, digits and punctuation of Latin text with no combining marks: DejaVu Sans' substitutions
 * that remain with the features above (composition, localised forms) never touch them, so each
 * character's glyph is the one its cmap names, and shaping (GSUB/GPOS lookups, most of a layout's
 * cost) can be skipped. The spec checks this against full layout for every character here.
 */
export const UNSHAPED = /^[\u0020-\u007e\u00a0-\u024f\u2010-\u205e\u20a0-\u20c0]*$/;

function layoutOf(text: string): LaidOut {
  let laid = layouts.get(text);
  if (!laid) {
    const font = loadFont().coverage as LayoutFont;
    const glyphs = UNSHAPED.test(text)
      ? Array.from(text, (ch) => font.glyphForCodePoint(ch.codePointAt(0) as number))
      : font.layout(text, FEATURES).glyphs;
    const scale = 1000 / font.unitsPerEm;
    let total = 0;
    for (const g of glyphs) total += g.advanceWidth * scale;
    laid = { glyphs, advance: total };
    if (layouts.size >= MAX_LAYOUTS) layouts.clear();
    layouts.set(text, laid);
  }
  return laid;
}

/** What pdf-lib's subset embedder keeps (pdf-lib 1.17): the glyphs a document uses, in subset order. */
interface SubsetEmbedder {
  subset: { includeGlyph(glyph: FontkitGlyph): number };
  glyphs: FontkitGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
}

function subsetEmbedderOf(font: PDFFont): SubsetEmbedder | null {
  const e = (font as unknown as { embedder?: Partial<SubsetEmbedder> }).embedder;
  return e &&
    typeof e.subset?.includeGlyph === 'function' &&
    Array.isArray(e.glyphs) &&
    e.glyphIdMap instanceof Map &&
    typeof e.glyphCache?.invalidate === 'function'
    ? (e as SubsetEmbedder)
    : null;
}

/**
 * Encoder over an embedded font, cached per distinct string. Characters the font lacks are dropped
 * instead of becoming .notdef, so they neither throw nor pollute extracted text. The glyphs come
 * from the process-wide layout cache and are entered into the document's subset exactly as
 * pdf-lib's encodeText enters them (same subset ids, same bytes); `viaPdfLib` (or an embedder of
 * another shape) takes pdf-lib's own encodeText and widthOfTextAtSize instead.
 */
export function createGlyphEncoder(font: PDFFont, opts: { viaPdfLib?: boolean } = {}): GlyphEncoder {
  const { coverage: cov } = loadFont();
  const embedder = opts.viaPdfLib ? null : subsetEmbedderOf(font);
  const cache = new Map<string, { hex: string; advance: number }>();
  const encodeGlyphs = (e: SubsetEmbedder, glyphs: FontkitGlyph[]): string => {
    // As CustomFontSubsetEmbedder.encodeText, given the glyphs; PDFFont.encodeText marks the font modified.
    (font as unknown as { modified: boolean }).modified = true;
    let hex = '';
    for (const glyph of glyphs) {
      const id = e.subset.includeGlyph(glyph);
      e.glyphs[id - 1] = glyph;
      e.glyphIdMap.set(glyph.id, id);
      hex += id.toString(16).padStart(4, '0').toUpperCase();
    }
    e.glyphCache.invalidate();
    return hex;
  };
  return {
    encode(text: string) {
      let hit = cache.get(text);
      if (!hit) {
        let shown = '';
        for (const ch of text) {
          const cp = ch.codePointAt(0) ?? 0;
          if (cov.hasGlyphForCodePoint(cp)) shown += ch;
        }
        if (!shown) hit = { hex: '', advance: 0 };
        else if (embedder) {
          const laid = layoutOf(shown);
          hit = { hex: encodeGlyphs(embedder, laid.glyphs), advance: laid.advance };
        } else {
          hit = {
            hex: font.encodeText(shown).toString().slice(1, -1),
            advance: font.widthOfTextAtSize(shown, 1000),
          };
        }
        cache.set(text, hit);
      }
      return hit;
    },
  };
}
