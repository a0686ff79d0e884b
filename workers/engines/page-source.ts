/**
 * The image a page is cleaned from: the original file itself (JPEG, PNG, a page of a TIFF), or a
 * page of an original PDF (its embedded scan as it is, or a rendering). An open PDF is kept while
 * consecutive pages come from it, so a 300-page scanner PDF is parsed once per clean run, not 300
 * times.
 */
import type { PageSourceKind } from '../../core/item.types.ts';
import type { PdfSource } from './pdf-source.ts';

export interface PageSourceImage {
  /** Image bytes (JPEG, PNG or TIFF). */
  image: Buffer;
  /** Page of `image` to read (multi-page TIFF), 0 otherwise. */
  subpage: number;
  /** Resolution the source states for this page (a PDF page's placement), or null: read it from the image. */
  dpi: number | null;
}

export interface PageSourceReader {
  read(
    page: { originalKey: string; sourceKind: PageSourceKind; sourceSubpage: number },
    load: () => Promise<Buffer>,
  ): Promise<PageSourceImage>;
  close(): void;
}

export function createPageSourceReader(opts: { maxPixels: number; maxPages: number }): PageSourceReader {
  let open: { key: string; pdf: PdfSource } | null = null;
  return {
    async read(page, load) {
      if (page.sourceKind !== 'pdf') return { image: await load(), subpage: page.sourceSubpage, dpi: null };
      if (open?.key !== page.originalKey) {
        open?.pdf.close();
        open = null;
        const { openPdfSource } = await import('./pdf-source.ts'); // loaded with the first PDF page
        open = { key: page.originalKey, pdf: await openPdfSource(await load(), opts) };
      }
      const page0 = await open.pdf.extract(page.sourceSubpage);
      return { image: page0.image, subpage: 0, dpi: page0.dpi };
    },
    close() {
      open?.pdf.close();
      open = null;
    },
  };
}
