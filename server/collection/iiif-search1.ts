/**
 * IIIF Content Search 1.0 answer (an `sc:AnnotationList`): what Mirador 3 and 4 ask for (they look
 * for the service profile http://iiif.io/api/search/1/search). One `oa:Annotation` per word box,
 * `on` the canvas with an xywh fragment, and one `search:Hit` per box with the words around it on
 * its line, which Mirador shows as the hit's snippet.
 */
import type { Box, OcrPageResult } from '../../core/ocr.types.ts';
import type { WordHit } from './page-words.ts';

export interface PageHits {
  pageNo: number;
  ocr: OcrPageResult | null;
  words: WordHit[];
}

/** Words before and after `box` on its OCR line (the same Box object findWordHits returns). */
function around(ocr: OcrPageResult | null, box: Box): { before: string; after: string } {
  for (const block of ocr?.blocks ?? [])
    for (const para of block.paragraphs)
      for (const line of para.lines) {
        const i = line.words.findIndex((w) => w.bbox === box);
        if (i < 0) continue;
        const text = (ws: typeof line.words) => ws.map((w) => w.text).join(' ');
        const before = text(line.words.slice(Math.max(0, i - 6), i));
        const after = text(line.words.slice(i + 1, i + 7));
        return { before: before && `${before} `, after: after && ` ${after}` };
      }
  return { before: '', after: '' };
}

export function buildSearch1(opts: {
  id: string;
  canvasId: (pageNo: number) => string;
  annotationId: (pageNo: number, i: number) => string;
  pages: PageHits[];
}): Record<string, unknown> {
  const resources: Array<Record<string, unknown>> = [];
  const hits: Array<Record<string, unknown>> = [];
  for (const { pageNo, ocr, words } of opts.pages)
    words.forEach((w, i) => {
      const id = opts.annotationId(pageNo, i);
      const { x0, y0, x1, y1 } = w.box;
      resources.push({
        '@id': id,
        '@type': 'oa:Annotation',
        motivation: 'sc:painting',
        resource: { '@type': 'cnt:ContentAsText', chars: w.text },
        on: `${opts.canvasId(pageNo)}#xywh=${x0},${y0},${x1 - x0},${y1 - y0}`,
      });
      hits.push({ '@type': 'search:Hit', annotations: [id], match: w.text, ...around(ocr, w.box) });
    });
  return {
    '@context': [
      'http://iiif.io/api/presentation/2/context.json',
      'http://iiif.io/api/search/1/context.json',
    ],
    '@id': opts.id,
    '@type': 'sc:AnnotationList',
    within: { '@type': 'sc:Layer', total: resources.length },
    resources,
    hits,
  };
}
