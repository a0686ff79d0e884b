/**
 * What to tell a patron about how their words were read: "showing results for pustaka" when a
 * word matched nothing as typed and its closest indexed spelling was searched instead, and
 * "also searched in modern spelling: percetakan" when the query is in an old spelling (the index
 * matches old and new spellings both ways; the note makes that visible).
 */
import { eydSpelling, plainLower } from '../../search/ejaan.ts';
import { parseQuery } from '../../search/query-parse.ts';

export interface QueryNotes {
  /** The query as searched, corrected words replaced; null when nothing was corrected. */
  showingFor: string | null;
  /** Words of the query in modern spelling, where that differs from what was typed. */
  modern: string[];
}

export function queryNotes(
  q: string,
  corrections: ReadonlyArray<{ from: string; to: string }> = [],
): QueryNotes {
  const terms = parseQuery(q);
  const fixed = new Map(corrections.map((c) => [c.from, c.to]));
  const showingFor =
    fixed.size === 0
      ? null
      : terms
          .map((t) => {
            const words = t.words.map((w) => fixed.get(w) ?? w).join(' ');
            return t.quoted ? `"${words}"` : words;
          })
          .join(' ');
  const modern = [
    ...new Set(
      terms
        .flatMap((t) => t.words)
        .filter((w) => eydSpelling(w) !== plainLower(w))
        .map(eydSpelling),
    ),
  ];
  return { showingFor, modern };
}
