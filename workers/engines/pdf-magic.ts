/** True when the bytes start like a PDF (the header may follow up to 1 KB of junk, as readers allow). */
export function isPdf(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 1024)).indexOf('%PDF-') >= 0;
}
