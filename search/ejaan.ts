/**
 * Old Indonesian spellings (ejaan lama) for search. Library holdings span Van Ophuijsen
 * (1901–1947: oe, dj, tj, nj, sj, ch, j = modern y), Soewandi (1947–1972: u, but still dj, tj,
 * nj, sj, ch, j) and EYD (1972–: u, j, c, ny, sy, kh, y). Patrons type modern spelling; the scans
 * say "Soerabaja". Both the index and the query are reduced to the same spelling key.
 */

const OLD_DIGRAPHS: Readonly<Record<string, string>> = {
  oe: 'u',
  dj: 'j',
  tj: 'c',
  nj: 'ny',
  sj: 'sy',
  ch: 'kh',
};
// One left-to-right pass so an output never feeds another rule ("ndj" → "nj", not "ny").
const OLD_DIGRAPH_RE = /oe|dj|tj|nj|sj|ch/g;

/**
 * Old → modern digraphs on lowercase text: oe→u, dj→j, tj→c, nj→ny, sj→sy, ch→kh. Modern
 * "ny", "sy", "kh" pass through unchanged. The Van Ophuijsen j→y rule is deliberately NOT here:
 * a lone "j" is old y in "Soerabaja" but modern j in "Jakarta", and rewriting it would break
 * every modern j. `spellingKey` bridges that case for matching instead.
 */
export function foldOldSpelling(s: string): string {
  return s.replace(OLD_DIGRAPH_RE, (d) => OLD_DIGRAPHS[d] ?? d);
}

/**
 * Matching key of one word: lowercase, diacritics stripped, old digraphs folded, then y and j
 * merged into "j". The merge is what makes "Soerabaja" and "Surabaya" meet (old j = modern y,
 * old dj = modern j, so after folding dj→j the two letters carry no distinction a key can keep).
 * Cost: a few modern pairs collide (raja/raya, saja/saya); the adapter keeps exact matches on
 * the original text ranked above key-only matches. Never shown to users.
 */
export function spellingKey(word: string): string {
  return modernSpelling(word).replaceAll('y', 'j');
}

/**
 * A word in modern spelling as far as rules can tell: lowercase, diacritics stripped, old
 * digraphs folded, but y and j left as they are (`Pertjetakan` → `percetakan`). What the stemmer
 * reads (meny- needs its y) and what "also searched: …" shows a patron.
 */
export function modernSpelling(word: string): string {
  return foldOldSpelling(plainLower(word));
}

/** Lowercase with diacritics stripped, as the index's tokenizer sees a word. */
export function plainLower(word: string): string {
  return word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

const OLD_WITH_J_RE = /oe|dj|tj|nj|sj|ch|j/g;

/**
 * A best guess of the modern (EYD) spelling of a word, for telling a patron what was searched.
 * In a word that shows an old digraph, a lone j is old y (both pre-1972 spellings wrote y as j):
 * `Soerabaja` → `surabaya`, `Pertjetakan` → `percetakan`. Without one, j is left alone (`jalan`).
 * Never used for matching (spellingKey is).
 */
export function eydSpelling(word: string): string {
  const plain = plainLower(word);
  if (!/oe|dj|tj|nj|sj|ch/.test(plain)) return plain;
  return plain.replace(OLD_WITH_J_RE, (d) => (d === 'j' ? 'y' : (OLD_DIGRAPHS[d] ?? d)));
}

/**
 * A word as the index sees it: starts with a letter or digit, may carry combining marks.
 * Shared by folding and snippet alignment so both split text into the same runs.
 */
const WORD_RUN_SOURCE = '[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}]*';

export function wordRunRegExp(): RegExp {
  return new RegExp(WORD_RUN_SOURCE, 'gu');
}

/** Word spans [start, end) of `text`, in UTF-16 offsets. */
export function wordRuns(text: string): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(wordRunRegExp())) runs.push({ start: m.index, end: m.index + m[0].length });
  return runs;
}

/**
 * Replaces every word with its `spellingKey`, keeping the separators verbatim. The i-th word of
 * the result is the key of the i-th word of `text` (a key is never empty and has no separators),
 * which is what lets a match in the folded text be marked on the original text.
 */
export function foldText(text: string): string {
  return text.replace(wordRunRegExp(), (word) => spellingKey(word));
}
