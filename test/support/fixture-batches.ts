import fs from 'node:fs';
import path from 'node:path';
import { makePage, type PageSpec, SAMPLE_TEXT } from '../fixtures/make-page.ts';

export interface FixtureBatch {
  dir: string;
  /** Ground truth per page, in reading order. */
  pages: string[];
}

/**
 * Small but real batches: pages rendered from text with a real font, skewed and bordered like
 * scans. Kept small (A5 at 200 dpi, a few paragraphs) so real OCR stays fast in tests.
 */
export async function writeBatch(
  root: string,
  name: string,
  specs: PageSpec[],
  opts: { metadata?: Record<string, unknown>; fileName?: (i: number, spec: PageSpec) => string } = {},
): Promise<FixtureBatch> {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const pages: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const ext = spec.format === 'png' ? 'png' : spec.format === 'tiff' ? 'tif' : 'jpg';
    const file = opts.fileName?.(i, spec) ?? `hal-${i + 1}.${ext}`;
    fs.writeFileSync(path.join(dir, file), await makePage(spec));
    pages.push([spec.title ?? '', ...spec.columns].filter(Boolean).join('\n'));
  }
  if (opts.metadata)
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(opts.metadata, null, 2));
  return { dir, pages };
}

export const BOOK_PAGES: PageSpec[] = [
  {
    title: 'Sejarah Perpustakaan Daerah',
    columns: [SAMPLE_TEXT.id1],
    skewDeg: 1.5,
    border: { left: 30, top: 20 },
  },
  { columns: [SAMPLE_TEXT.id2, SAMPLE_TEXT.id3], skewDeg: -2, format: 'png', grey: true },
  { columns: [`${SAMPLE_TEXT.en1}\n\n${SAMPLE_TEXT.id3}`], skewDeg: 0.6, format: 'tiff' },
];
