/**
 * Spelling (typo) tolerance for the embedded index, in the spirit of Meilisearch's defaults: a
 * query word of 5–8 letters may be one edit away from the indexed word, a longer one two
 * (Damerau–Levenshtein: insert, delete, substitute, swap two neighbours). Only words that match
 * nothing get corrections, so a correctly spelled word never pulls in its neighbours ("kota" and
 * "kita" stay apart).
 *
 * Candidates come from `vocab`, a table of the distinct indexed words (≥ 4 letters, as the FTS
 * tokenizer sees them) kept on upsert. A lookup reads only the words with the same first letter
 * and a length within the allowed distance (one index range per length), so its cost is bounded
 * by the vocabulary of one letter, not by the collection. A typo in the first letter is not
 * corrected (as in most spell checkers, where first letters are rarely wrong). Words of removed
 * items stay in `vocab` (a correction that matches nothing is harmless); `clear` empties it.
 */
import type Database from 'better-sqlite3';
import type { QueryTerm } from './query-parse.ts';

export const MIN_TYPO_WORD = 5;
/** Two edits from this length on. */
export const TWO_TYPOS_WORD = 9;
/** Longer words are not looked up (nor stored): no real word is this long. */
export const MAX_VOCAB_WORD = 40;
const MIN_VOCAB_WORD = MIN_TYPO_WORD - 1;
/** Corrections kept per word, closest first. */
export const MAX_CORRECTIONS = 8;
/** Vocabulary words read per lookup at most (a bound for huge OCR vocabularies). */
export const MAX_SCANNED = 50_000;

export const VOCAB_SCHEMA = `
CREATE TABLE IF NOT EXISTS vocab (
  head TEXT NOT NULL,
  len  INTEGER NOT NULL,
  term TEXT NOT NULL,
  PRIMARY KEY (head, len, term)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vocab_by_term ON vocab (term);`;

/** Words as unicode61 with remove_diacritics 2 sees them: lowercase, marks stripped. */
export function indexWords(text: string): string[] {
  if (text === '') return [];
  // Most OCR text is ASCII: an ASCII-only pattern is several times faster than \p{L}.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const plain = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  return plain.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Edits allowed for a query word of `length` letters (0: not corrected). */
export function allowedTypos(length: number): number {
  if (length < MIN_TYPO_WORD || length > MAX_VOCAB_WORD) return 0;
  return length >= TWO_TYPOS_WORD ? 2 : 1;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment) of `a` and `b`, or `max + 1` as soon
 * as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[y.length] as number;
}

export function createTypoTolerance(db: Database.Database) {
  db.exec(VOCAB_SCHEMA);
  const insert = db.prepare('INSERT OR IGNORE INTO vocab (head, len, term) VALUES (?, ?, ?)');
  const range = db
    .prepare<[string, number, number], string>(
      `SELECT term FROM vocab WHERE head = ? AND len BETWEEN ? AND ? LIMIT ${MAX_SCANNED}`,
    )
    .pluck();

  /** Adds the words of `texts` to the vocabulary (inside the caller's transaction). */
  function addWords(texts: Iterable<string>): void {
    const seen = new Set<string>();
    for (const text of texts) {
      for (const word of indexWords(text)) {
        if (seen.has(word)) continue;
        seen.add(word);
        const length = [...word].length;
        if (length < MIN_VOCAB_WORD || length > MAX_VOCAB_WORD) continue;
        insert.run([...word][0], length, word);
      }
    }
  }

  /** Indexed words within the allowed distance of `word` (lowercase), closest first. */
  function corrections(word: string): string[] {
    const plain = indexWords(word);
    if (plain.length !== 1) return [];
    const w = plain[0] as string;
    const chars = [...w];
    const max = allowedTypos(chars.length);
    if (max === 0) return [];
    const found: { term: string; d: number }[] = [];
    for (const term of range.all(chars[0] as string, chars.length - max, chars.length + max)) {
      if (term === w) continue;
      const d = editDistance(w, term, max);
      if (d <= max) found.push({ term, d });
    }
    return found
      .sort((a, b) => a.d - b.d || (a.term < b.term ? -1 : 1))
      .slice(0, MAX_CORRECTIONS)
      .map((f) => f.term);
  }

  const prefixed = db
    .prepare<[string, string, number], string>('SELECT term FROM vocab WHERE term >= ? AND term < ? LIMIT ?')
    .pluck();

  /**
   * The indexed words (≥ 4 letters) starting with `prefix`, or null when there are more than
   * `max` (then FTS5's own prefix query is the better plan).
   */
  function wordsStartingWith(prefix: string, max: number): string[] | null {
    const words = prefixed.all(prefix, `${prefix}\u{10ffff}`, max + 1);
    return words.length > max ? null : words;
  }

  function clear(): void {
    db.exec('DELETE FROM vocab');
  }

  return { addWords, corrections, wordsStartingWith, clear };
}

/** A query term and the words that may stand in for it (empty: as typed only). */
export interface TolerantTerm {
  term: QueryTerm;
  alternatives: string[];
}

/** Single words long enough to correct: phrases are matched as typed. */
export function correctable(term: QueryTerm): boolean {
  return term.words.length === 1 && allowedTypos([...(term.words[0] as string)].length) > 0;
}

/** MATCH expression for tolerant terms: each term as typed OR any of its alternatives. */
export function tolerantMatchExpression(
  terms: TolerantTerm[],
  toMatch: (terms: QueryTerm[]) => string | null,
): string | null {
  if (terms.length === 0) return null;
  return terms
    .map(({ term, alternatives }) => {
      const parts = [term, ...alternatives.map((w): QueryTerm => ({ words: [w], prefix: false }))].map(
        (t) => toMatch([t]) as string,
      );
      return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
    })
    .join(' AND ');
}

/**
 * Fills `vocab` from the words already in the FTS table `docs` (schema upgrade): one pass over
 * the whole index through fts5vocab, so it costs about as much as reading the index once.
 */
export function fillVocabularyFromIndex(db: Database.Database): void {
  db.exec(VOCAB_SCHEMA);
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_terms USING fts5vocab(main, docs, row)');
  db.prepare(
    `INSERT OR IGNORE INTO vocab (head, len, term)
     SELECT substr(term, 1, 1), length(term), term FROM temp.docs_terms
     WHERE length(term) BETWEEN ? AND ?`,
  ).run(MIN_VOCAB_WORD, MAX_VOCAB_WORD);
  db.exec('DROP TABLE temp.docs_terms');
}
