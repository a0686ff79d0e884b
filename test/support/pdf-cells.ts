/**
 * Whether `text` stands whole in one table cell of `pdftotext -layout` output: on one line, or
 * wrapped at its spaces over lines that follow each other in the same column. A word cut in two
 * ("Halama" / "n") or a cell that stops short ("Nomor Induk Alih") is not found.
 */
export function inCell(lines: string[], text: string): boolean {
  const words = text.split(' ');
  const from = (li: number, col: number, w: number): boolean => {
    if (w === words.length) return true;
    const line = lines[li];
    if (line === undefined) return false;
    for (const c of [col, col - 1, col + 1]) {
      if (c < 0 || (c > 0 && line[c - 1] !== ' ')) continue;
      for (let k = words.length; k > w; k--) {
        const part = words.slice(w, k).join(' ');
        const after = line[c + part.length];
        if (line.startsWith(part, c) && (after === undefined || after === ' ') && from(li + 1, c, k))
          return true;
      }
    }
    return false;
  };
  for (const [li, line] of lines.entries()) {
    for (let c = line.indexOf(words[0] as string); c >= 0; c = line.indexOf(words[0] as string, c + 1)) {
      if (from(li, c, 0)) return true;
    }
  }
  return false;
}
