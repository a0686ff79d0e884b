import { describe, expect, it } from 'vitest';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { schemaErrors } from '../../test/support/xml-schema.ts';
import { buildAlto } from './alto.ts';

const word = (text: string, x0: number, confidence = 90) => ({
  text,
  bbox: { x0, y0: 100, x1: x0 + 80, y1: 130 },
  confidence,
});

const ocr: OcrPageResult = {
  width: 1200,
  height: 1700,
  text: 'Sejarah <Kota> & "Desa"\n\nBaris kedua',
  confidence: 87.5,
  warnings: [],
  engine: 'tesseract 5.3.0',
  blocks: [
    {
      bbox: { x0: 90, y0: 90, x1: 900, y1: 400 },
      paragraphs: [
        {
          bbox: { x0: 90, y0: 90, x1: 900, y1: 140 },
          lines: [
            {
              bbox: { x0: 90, y0: 95, x1: 900, y1: 135 },
              baseline: { x0: 90, y0: 130, x1: 900, y1: 131 },
              words: [word('Sejarah', 100, 96), word('<Kota>\u0007', 200, 71.234), word('&', 300)],
            },
            // An empty line (tesseract reports them) and a word of control characters only.
            { bbox: { x0: 90, y0: 140, x1: 900, y1: 150 }, baseline: null, words: [word('\u0001', 100)] },
          ],
        },
        {
          bbox: { x0: 90, y0: 300, x1: 900, y1: 400 },
          lines: [
            {
              bbox: { x0: 90, y0: 300, x1: 900, y1: 340 },
              baseline: null,
              words: [word('"Desa"', 100), word('kedua', 200)],
            },
          ],
        },
      ],
    },
    { bbox: { x0: 90, y0: 500, x1: 900, y1: 600 }, paragraphs: [] },
  ],
};

describe('ALTO of a page', () => {
  it('validates against the official ALTO 4.4 schema and keeps words, boxes and confidence', () => {
    const xml = buildAlto(ocr, { pageNo: 3, imageRef: 'https://x.example/iiif/abc/p3', lang: 'ind' });
    expect(schemaErrors(xml, 'alto-4-4.xsd')).toEqual([]);
    expect(xml).toContain('xmlns="http://www.loc.gov/standards/alto/ns-v4#"');
    expect(xml).toMatch(/<Page ID="P3" PHYSICAL_IMG_NR="3" WIDTH="1200" HEIGHT="1700" PC="0.88"/);
    expect(xml).toContain('<softwareName>tesseract</softwareName>');
    expect(xml).toContain('<softwareVersion>5.3.0</softwareVersion>');
    expect(xml).toMatch(
      /<String ID="[^"]+" CONTENT="&lt;Kota&gt;" HPOS="200" VPOS="100" WIDTH="80" HEIGHT="30" WC="0.71"\/>/,
    );
    expect(xml).toContain('BASELINE="90,130 900,131"');
    // Two paragraphs of one block: a ComposedBlock of two TextBlocks; the empty line is gone.
    expect(xml.match(/<ComposedBlock /g)).toHaveLength(1);
    expect(xml.match(/<TextBlock /g)).toHaveLength(2);
    expect(xml.match(/<TextLine /g)).toHaveLength(2);
    expect(xml.match(/<String /g)).toHaveLength(5);
  });

  it('validates for a page without any text', () => {
    const empty = { ...ocr, blocks: [], confidence: 0, engine: '' };
    expect(schemaErrors(buildAlto(empty, { pageNo: 1, imageRef: 'p0001.jpg' }), 'alto-4-4.xsd')).toEqual([]);
  });
});
