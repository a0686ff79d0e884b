import { StemmerId } from '@nlpjs/lang-id';

const stemmer = new StemmerId();

/**
 * The Snowball Indonesian stemmer (nlp.js's port, MIT): strips particles (-lah, -kah, -tah, -pun),
 * possessives (-ku, -mu, -nya), prefixes (me-, di-, ter-, ber-, pe-, ke-, se- and their variants)
 * and suffixes (-kan, -an, -i). A rule-only stemmer: it does not restore a root's first letter
 * where a prefix replaced it (`menulis` → `ulis`, not `tulis`), which word-forms.ts measures.
 */
export function snowballStemId(word: string): string {
  return stemmer.stem(word.toLowerCase());
}

/**
 * Where meN-/peN- replaced a root's first letter, Snowball leaves the root without it (`menulis` →
 * `ulis`) or with the wrong one (`memakan` → `pakan`). Each rule gives the other roots the word may
 * have: [prefix the word starts with, letters to try before the stem's remainder, letters of the
 * stem Snowball put back that the remainder starts after].
 */
const NASAL_RULES: Array<{ prefix: RegExp; restore: string[]; drop: number }> = [
  // meny-/peny- + vowel: s-roots (menyapu ← sapu) and ny-roots (penyanyi ← nyanyi); Snowball gives s…
  { prefix: /^(me|pe)ny[aiueo]/, restore: ['ny', 's'], drop: 1 },
  // meng-/peng- + vowel: k-roots (mengirim ← kirim) or vowel roots (mengambil ← ambil)
  { prefix: /^(me|pe)ng[aiueo]/, restore: ['k', ''], drop: 0 },
  // men-/pen- + vowel: t-roots (menulis ← tulis) or n-roots
  { prefix: /^(me|pe)n[aiueo]/, restore: ['t', 'n', ''], drop: 0 },
  // mem-/pem- + vowel: p-roots (memakai ← pakai), which Snowball gives, or m-roots (memakan ← makan)
  { prefix: /^(me|pe)m[aiueo]/, restore: ['m', 'p'], drop: 1 },
];

/**
 * Every root an Indonesian word may have: Snowball's stem, the word itself (a root Snowball over-
 * strips: `pakai` → `paka`), the roots the nasal prefix may have hidden, and each of those stemmed
 * once more (a second prefix: `diketahui` → `ketahu` → `tahu`). Two words are forms of one another
 * when their sets meet. Dictionary-free: a collection's own vocabulary or a root list could rank
 * the candidates later; here every candidate counts.
 */
export function candidateStems(word: string): string[] {
  const w = word.toLowerCase();
  const s = snowballStemId(w);
  const out = new Set([s, w]);
  for (const rule of NASAL_RULES) {
    if (!rule.prefix.test(w)) continue;
    const rest = s.slice(rule.drop);
    for (const r of rule.restore) out.add(r + rest);
    break;
  }
  for (const c of [...out]) out.add(snowballStemId(c));
  return [...out];
}

/** Whether two words share a candidate root. */
export function sameRoot(a: string, b: string): boolean {
  const as = new Set(candidateStems(a));
  return candidateStems(b).some((c) => as.has(c));
}
