/**
 * Renders PDF pages with PDFium (Google's PDF engine, BSD/Apache licensed) compiled to WebAssembly
 * (`@hyzyla/pdfium`, MIT): no system package, no network — the wasm binary is read from the
 * installed package. Used for pages that are not one embedded scan (vector text, drawings, mixed
 * content) and for embedded images we cannot take out as they are (JPEG 2000, odd colour spaces).
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PDFiumLibrary } from '@hyzyla/pdfium';

const require = createRequire(import.meta.url);
let library: Promise<PDFiumLibrary> | null = null;

function pdfium(): Promise<PDFiumLibrary> {
  library ??= fs.readFile(require.resolve('@hyzyla/pdfium/pdfium.wasm')).then((wasm) =>
    PDFiumLibrary.init({
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    }),
  );
  return library;
}

export interface RenderedPage {
  /** 8-bit greyscale pixels, row by row. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** An open document for rendering several pages; `close` frees its WebAssembly memory. */
export interface PdfRenderer {
  pageCount(): number;
  /** Page size in points, after the page's own rotation. */
  pageSize(index: number): { width: number; height: number };
  render(index: number, dpi: number): Promise<RenderedPage>;
  close(): void;
}

export async function openPdfRenderer(data: Uint8Array): Promise<PdfRenderer> {
  const lib = await pdfium();
  const doc = await lib.loadDocument(data);
  let closed = false;
  return {
    pageCount: () => doc.getPageCount(),
    pageSize(index) {
      const { originalWidth, originalHeight } = doc.getPage(index).getOriginalSize();
      return { width: originalWidth, height: originalHeight };
    },
    async render(index, dpi) {
      const page = doc.getPage(index);
      const r = await page.render({ scale: dpi / 72, render: 'bitmap', colorSpace: 'Gray' });
      return { data: r.data, width: r.width, height: r.height };
    },
    close() {
      if (closed) return;
      closed = true;
      doc.destroy();
    },
  };
}
