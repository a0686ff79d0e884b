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

/**
 * Encoder over an embedded font, cached per distinct string (words repeat a lot, and each fontkit
 * layout costs tens of microseconds). Characters the font lacks are dropped instead of becoming
 * .notdef, so they neither throw nor pollute extracted text.
 */
export function createGlyphEncoder(font: PDFFont): GlyphEncoder {
  const { coverage: cov } = loadFont();
  const cache = new Map<string, { hex: string; advance: number }>();
  return {
    encode(text: string) {
      let hit = cache.get(text);
      if (!hit) {
        let shown = '';
        for (const ch of text) {
          const cp = ch.codePointAt(0) ?? 0;
          if (cov.hasGlyphForCodePoint(cp)) shown += ch;
        }
        hit = shown
          ? {
              hex: font.encodeText(shown).toString().slice(1, -1),
              advance: font.widthOfTextAtSize(shown, 1000),
            }
          : { hex: '', advance: 0 };
        cache.set(text, hit);
      }
      return hit;
    },
  };
}
