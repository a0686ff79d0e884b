/** Every object key Pindai writes is built here, so layouts never drift between stages. */
const pad = (n: number) => String(n).padStart(4, '0');

/** ASCII-only, key-safe form of a file name, for people browsing the store. */
export function safeName(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  return (ascii || 'file').slice(-100);
}

export const keys = {
  itemPrefix: (itemId: string) => `items/${itemId}/`,
  /** Originals byte-for-byte, one object per source file (a multi-page TIFF is one original). */
  original: (itemId: string, fileNo: number, fileName: string) =>
    `items/${itemId}/original/f${pad(fileNo)}-${safeName(fileName)}`,
  /**
   * A replacement original staff uploaded for one page (a rescan). Named by page and content, so
   * it never collides with an original received with the batch or with an earlier replacement.
   */
  replacementOriginal: (itemId: string, pageNo: number, sha256: string, fileName: string) =>
    `items/${itemId}/original/r${pad(pageNo)}-${sha256.slice(0, 16)}-${safeName(fileName)}`,
  /** Cleaned full-resolution page (greyscale JPEG): what OCR reads and the PDF image is cut from. */
  access: (itemId: string, pageNo: number) => `items/${itemId}/access/p${pad(pageNo)}.jpg`,
  /** The page image the PDF embeds (G4 TIFF or JPEG bytes), made by the clean stage. */
  pdfImage: (itemId: string, pageNo: number) => `items/${itemId}/pdf-image/p${pad(pageNo)}.bin`,
  web: (itemId: string, pageNo: number) => `items/${itemId}/web/p${pad(pageNo)}.jpg`,
  thumb: (itemId: string, pageNo: number) => `items/${itemId}/thumb/p${pad(pageNo)}.jpg`,
  /** Lossless OCR input (PNG) that earlier versions wrote; nothing reads it, page removals delete it. */
  legacyOcrInput: (itemId: string, pageNo: number) => `items/${itemId}/clean/p${pad(pageNo)}.png`,
  ocrJson: (itemId: string, pageNo: number) => `items/${itemId}/ocr/p${pad(pageNo)}.json`,
  ocrText: (itemId: string, pageNo: number) => `items/${itemId}/ocr/p${pad(pageNo)}.txt`,
  pdf: (itemId: string) => `items/${itemId}/${itemId}.pdf`,
  manifest: (itemId: string) => `items/${itemId}/manifest.json`,
};

/**
 * Every object the pipeline derives for one page number (everything but its original). Removing
 * a page number deletes these, so none lingers in the manifest.
 */
export const pageDerivatives: readonly ((itemId: string, pageNo: number) => string)[] = [
  keys.access,
  keys.pdfImage,
  keys.web,
  keys.thumb,
  keys.legacyOcrInput,
  keys.ocrJson,
  keys.ocrText,
];
