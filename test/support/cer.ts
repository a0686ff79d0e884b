/** Unicode NFC, every whitespace run collapsed to one space, trimmed: the corpus scoring convention. */
export function normalizeForCer(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Levenshtein distance over code points, two rows of memory. */
export function levenshtein(a: readonly number[], b: readonly number[]): number {
  if (a.length < b.length) return levenshtein(b, a); // keep the rows as short as possible
  let prev = new Uint32Array(b.length + 1);
  let curr = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (ai === b[j - 1] ? 0 : 1);
      curr[j] = Math.min(sub, (prev[j] as number) + 1, (curr[j - 1] as number) + 1);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] as number;
}

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0) as number);

/**
 * Character error rate: edit distance between the normalised texts divided by the normalised
 * reference length (an empty reference counts as length 1, so CER is the hypothesis length).
 */
export function cer(reference: string, hypothesis: string): number {
  const ref = codePoints(normalizeForCer(reference));
  const hyp = codePoints(normalizeForCer(hypothesis));
  return levenshtein(ref, hyp) / Math.max(1, ref.length);
}
