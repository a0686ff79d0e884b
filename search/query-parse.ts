/**
 * Patron text → safe FTS5 MATCH expression. User syntax is never passed through: only word
 * tokens survive, and each is emitted inside double quotes, where FTS5 treats everything as a
 * plain string (so AND, NEAR, `-`, `:`, `*`, parentheses lose their meaning).
 */

import { wordRunRegExp } from './ejaan.ts';

/** One required term: a word, or a phrase when `words.length > 1`. Words are lowercase. */
export interface QueryTerm {
  words: string[];
  prefix: boolean;
  /** Typed in quotes: this form only, not the word's other forms (spellings still fold). */
  quoted?: boolean;
}

// Bounds keep a pasted page of text from turning into a huge FTS program.
export const MAX_QUERY_CHARS = 1000;
export const MAX_QUERY_TERMS = 32;
const MIN_PREFIX_CHARS = 2;

// Phones type curly quotes; treat them like the ASCII one.
const QUOTE_RE = /["“”„]/;
const ENDS_IN_WORD_RE = /[\p{L}\p{N}\p{M}]$/u;

export function parseQuery(input: string): QueryTerm[] {
  const text = input.normalize('NFC').slice(0, MAX_QUERY_CHARS).toLowerCase();
  const terms: QueryTerm[] = [];
  // Odd segments lie between quotes; an unclosed quote makes the rest a phrase.
  text.split(QUOTE_RE).forEach((segment, i) => {
    const words = segment.match(wordRunRegExp()) ?? [];
    if (i % 2 === 1) {
      if (words.length > 0) terms.push({ words, prefix: false, quoted: true });
    } else {
      for (const word of words) terms.push({ words: [word], prefix: false });
    }
  });

  const last = terms.at(-1);
  const lastWord = last?.words.at(-1);
  // Prefix only while the user is still inside the last word (search-as-you-type).
  if (last && lastWord && ENDS_IN_WORD_RE.test(text) && [...lastWord].length >= MIN_PREFIX_CHARS) {
    last.prefix = true;
  }
  return dedupe(terms).slice(0, MAX_QUERY_TERMS);
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = `${t.quoted ? '"' : ''}${t.words.join(' ')}${t.prefix ? '*' : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** How the adapter lays out its FTS table; without it terms match any column. */
export interface MatchColumns {
  /** Columns holding the original text. */
  exact: string[];
  /** Column holding `fold(text)` word by word. */
  folded: string;
  fold: (word: string) => string;
}

/** FTS5 MATCH expression for `terms` (all required), or null when there is nothing to search. */
export function toMatchExpression(terms: QueryTerm[], columns?: MatchColumns): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((term) => {
      const exact = phrase(term.words, term.prefix);
      if (!columns) return exact;
      const keys = term.words.map(columns.fold);
      // A 1-char key ("tj" → "c") as prefix would scan a huge term range for little gain.
      const keyPrefix = term.prefix && [...(keys.at(-1) ?? '')].length >= MIN_PREFIX_CHARS;
      return `({${columns.exact.join(' ')}} : ${exact} OR ${columns.folded} : ${phrase(keys, keyPrefix)})`;
    })
    .join(' AND ');
}

export function buildMatchExpression(input: string, columns?: MatchColumns): string | null {
  return toMatchExpression(parseQuery(input), columns);
}

function phrase(words: string[], prefix: boolean): string {
  // Words hold no quotes by construction; doubling keeps that true if tokenizing ever changes.
  return `"${words.map((w) => w.replaceAll('"', '""')).join(' ')}"${prefix ? '*' : ''}`;
}
