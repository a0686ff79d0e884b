/**
 * Item-level search for the public pages: ranked items with the pages where the words were
 * found, facet counts, sorting and paging, all from the search port (`groupBy: 'item'`).
 * Staff-only items never enter: the query excludes them (hits, totals and facet counts), and
 * every returned item is checked against the register as well, in case the index is stale.
 */
import type { Item } from '../../core/item.types.ts';
import type { Register } from '../../core/register/register.ts';
import { SEARCH_SORTS, type SearchIndex, type SearchSort } from '../../search/search-index.ts';
import { isPublicItem, PUBLIC_RIGHTS } from './public-item.ts';

export const SORTS = SEARCH_SORTS;
export type Sort = SearchSort;

export const FACETS = ['type', 'year', 'language', 'collection'] as const;
export type Facet = (typeof FACETS)[number];
export type Facets = Record<Facet, Record<string, number>>;

export interface ItemSearchParams {
  q: string;
  type?: string[];
  language?: string[];
  collection?: string[];
  yearFrom?: number;
  yearTo?: number;
  sort: Sort;
  /** 1-based */
  page: number;
  perPage: number;
}

export interface FoundItem {
  item: Item;
  score: number;
  /** Pages where the words were found, best first (max 10). */
  pages: number[];
  /** HTML-safe snippet with <mark> (from the search port), '' when browsing. */
  snippet: string;
  /** Snippets of the listed pages that have one (the best page at least), by page number. */
  pageSnippets: Map<number, string>;
}

export interface ItemSearchResult {
  items: FoundItem[];
  totalItems: number;
  /** True when totalItems and facets are estimates (a broad query; see the search port). */
  estimated: boolean;
  facets: Facets;
  /** Words searched as their closest indexed spelling (see SearchResult.corrections). */
  corrections: Array<{ from: string; to: string }>;
  tookMs: number;
}

export async function searchItems(
  deps: { index: SearchIndex; register: Register },
  p: ItemSearchParams,
): Promise<ItemSearchResult> {
  const browse = p.q.trim() === '';
  const r = await deps.index.search({
    q: p.q,
    browse,
    groupBy: 'item',
    // One snippet per item is shown: the best page hit's, else the item's.
    snippets: 'best',
    sort: p.sort,
    limit: p.perPage,
    offset: (p.page - 1) * p.perPage,
    filters: {
      rights: [...PUBLIC_RIGHTS],
      excludeRights: ['staff-only', 'review'],
      type: p.type,
      language: p.language,
      collection: p.collection,
      yearFrom: p.yearFrom,
      yearTo: p.yearTo,
    },
  });
  const items: FoundItem[] = [];
  for (const hit of r.items) {
    const item = await deps.register.items.get(hit.itemId);
    if (!isPublicItem(item)) continue;
    const pageHits = r.hits.filter((h) => h.itemId === hit.itemId && h.page !== null);
    const pageSnippets = new Map(
      pageHits.filter((h) => h.snippet !== '').map((h) => [h.page as number, h.snippet]),
    );
    // A page snippet shows the words in their context; prefer it over a metadata snippet.
    const snippet = browse ? '' : (pageHits[0]?.snippet ?? hit.snippet);
    items.push({ item, score: hit.score, pages: hit.pages, snippet, pageSnippets });
  }
  const facets: Facets = {
    type: r.facets.type,
    year: r.facets.year,
    language: r.facets.language,
    collection: r.facets.collection,
  };
  return {
    items,
    totalItems: r.totalItems,
    estimated: r.estimated === true,
    facets,
    corrections: r.corrections ?? [],
    tookMs: r.tookMs,
  };
}
