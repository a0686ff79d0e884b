import { StemmerId } from '@nlpjs/lang-id';
import { modernSpelling, wordRunRegExp } from './ejaan.ts';
import type { QueryTerm } from './query-parse.ts';

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

/** Words the stemmer reads: letters only, long enough to carry an affix. */
const STEMMABLE_RE = /^[a-z]{4,}$/;
/** Words whose root keys are remembered; the map is emptied when full (OCR vocabularies are open-ended). */
const ROOT_CACHE_SIZE = 100_000;
const rootCache = new Map<string, readonly string[]>();

/**
 * Spelling keys (ejaan.ts) of every root `word` may have, its own key first: what the index's stem
 * column holds for each word, and what a query word is looked up by. Keys, so word forms compose
 * with old spellings (`pertjetakan` → `percetakan` → `cetak`); stemmed in modern spelling first,
 * because the key merges y into j and meny- needs its y. Words with digits or under four letters
 * are their own only root.
 */
export function rootKeys(word: string): readonly string[] {
  const cached = rootCache.get(word);
  if (cached) return cached;
  const modern = modernSpelling(word);
  const own = modern.replaceAll('y', 'j');
  const keys = STEMMABLE_RE.test(modern)
    ? [...new Set([own, ...candidateStems(modern).map((c) => c.replaceAll('y', 'j'))])]
    : [own];
  if (rootCache.size >= ROOT_CACHE_SIZE) rootCache.clear();
  rootCache.set(word, keys);
  return keys;
}

/**
 * The distinct root keys of a text's words, space-separated. With `others` only the roots that
 * differ from the word itself (`bercerita` → `cerita`): the embedded index's stem column, where a
 * word's own key is already in the fold column; without it, every word's own key too (Meilisearch's
 * `roots`, which a filter must match on its own). Not aligned with the text (a word has several
 * roots); snippets mark root matches in JS.
 */
export function stemText(text: string, opts: { others?: boolean } = {}): string {
  const keys = new Set<string>();
  for (const word of text.match(wordRunRegExp()) ?? []) {
    const roots = rootKeys(word);
    for (let i = opts.others ? 1 : 0; i < roots.length; i++) keys.add(roots[i] as string);
  }
  return [...keys].join(' ');
}

/**
 * Root keys to look a query word up by, or null for a word that has no other forms (digits,
 * under four letters: its spelling key finds it).
 */
export function queryRootKeys(word: string): readonly string[] | null {
  return STEMMABLE_RE.test(modernSpelling(word)) ? rootKeys(word) : null;
}

/** Root keys of each word-form term (unquoted, one word, stemmable), or null for the others. */
export function rootsOfTerms(terms: QueryTerm[]): Array<readonly string[] | null> {
  return terms.map((t) => (t.words.length === 1 && !t.quoted ? queryRootKeys(t.words[0] as string) : null));
}

/** Whether a shown word is another form of one of the query's words (snippets mark it). */
export function formMarker(terms: QueryTerm[]): ((word: string) => boolean) | undefined {
  const wanted = new Set(rootsOfTerms(terms).flatMap((r) => r ?? []));
  if (wanted.size === 0) return undefined;
  return (word) => rootKeys(word).some((k) => wanted.has(k));
}
