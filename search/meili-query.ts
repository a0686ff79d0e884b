/**
 * Port queries → Meilisearch search parameters. User text never reaches Meilisearch as typed:
 * the query is rebuilt from parsed words (query-parse.ts), so its operators (`-word`, unbalanced
 * quotes) cannot appear, and filters quote every value.
 */

import { spellingKey } from './ejaan.ts';
import { rootsOfTerms } from './indonesian-stem.ts';
import { filterIn, filterString, toMeiliKey } from './meili-ids.ts';
import type { QueryTerm } from './query-parse.ts';
import type { SearchQuery, SearchSort } from './search-index.ts';

/**
 * Query strings for the exact and the folded fields. Meilisearch treats the last word as a
 * prefix unless the query ends in a space, so a trailing space says "this word is finished"
 * (also for one-letter words, which the port does not expand).
 */
export function meiliQueryStrings(terms: QueryTerm[]): { exact: string; folded: string } {
  const render = (fold: (w: string) => string) => {
    const parts = terms.map((t) =>
      t.words.length > 1 ? `"${t.words.map(fold).join(' ')}"` : fold(t.words[0] ?? ''),
    );
    return `${parts.join(' ')}${terms.at(-1)?.prefix ? '' : ' '}`;
  };
  return { exact: render((w) => w), folded: render(spellingKey) };
}

/**
 * The word-forms search: a filter `roots IN [...]` per word-form term (any root in common, as the
 * embedded index's stem column), and the other terms as a query on the key fields ('' when none:
 * then a placeholder search, ranked by nothing, which is why its hits come after the others).
 * Null when no term has other forms.
 */
export function meiliFormsQuery(terms: QueryTerm[]): { q: string; filter: string[] } | null {
  const roots = rootsOfTerms(terms);
  if (roots.every((r) => r === null)) return null;
  const rest = terms.filter((_, i) => roots[i] === null);
  return {
    q: rest.length === 0 ? '' : meiliQueryStrings(rest).folded,
    filter: roots.flatMap((r) => (r === null ? [] : [filterIn('roots', [...r])])),
  };
}

/** Filter expressions (ANDed) for the query's restrictions; `browse` limits to item documents. */
export function meiliFilter(query: SearchQuery, browse: boolean): string[] {
  const f = query.filters ?? {};
  const out: string[] = [];
  if (browse) out.push('kind = "item"');
  if (query.itemId !== undefined) out.push(`itemKey = ${filterString(toMeiliKey(query.itemId))}`);
  const list = (field: string, values: string[] | undefined) => {
    if (values && values.length > 0) out.push(filterIn(field, values));
  };
  list('type', f.type);
  list('language', f.language);
  list('collection', f.collection);
  list('rights', f.rights);
  if (f.excludeRights && f.excludeRights.length > 0) out.push(`NOT ${filterIn('rights', f.excludeRights)}`);
  if (f.yearFrom !== undefined && Number.isFinite(f.yearFrom)) out.push(`year >= ${Number(f.yearFrom)}`);
  if (f.yearTo !== undefined && Number.isFinite(f.yearTo)) out.push(`year <= ${Number(f.yearTo)}`);
  return out;
}

/**
 * Sort parameter, or undefined for relevance. "sort" is the first ranking rule (see the
 * settings), so it decides and relevance breaks ties; documents without the field come last.
 */
export function meiliSort(sort: SearchSort, browse: boolean): string[] | undefined {
  const effective = browse && sort === 'relevance' ? 'newest' : sort;
  switch (effective) {
    case 'relevance':
      return undefined;
    case 'year-desc':
      return ['year:desc'];
    case 'year-asc':
      return ['year:asc'];
    case 'title':
      return ['titleSort:asc'];
    case 'newest':
      return ['publishedAt:desc'];
  }
}
