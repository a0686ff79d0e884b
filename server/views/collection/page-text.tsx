/**
 * OCR text as readable paragraphs: the OCR's line breaks follow the printed column, which is
 * wrong on a phone. Lines of a paragraph are joined; a line ending in "-" joins without a space
 * (Indonesian reduplication "anak-anak" often breaks there, so the hyphen is kept).
 */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((para) =>
      para
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .reduce((acc, line) => (acc === '' ? line : acc.endsWith('-') ? acc + line : `${acc} ${line}`), ''),
    )
    .filter((p) => p !== '');
}

export function PageText(p: { text: string; lang: string; empty: string }) {
  const paras = paragraphsOf(p.text);
  return (
    <div class="pagetext" lang={p.lang}>
      {paras.length === 0 ? <p class="muted">{p.empty}</p> : paras.map((para) => <p>{para}</p>)}
    </div>
  );
}
