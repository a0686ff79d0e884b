/** Text safe to put in an XML 1.0 document: OCR and metadata may hold control characters XML forbids. */
export function xmlText(s: string): string {
  return s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}
