/**
 * Item-level search for the public pages: ranked items with the pages where the words were
 * found, facet counts, sorting and paging, all from the search port (`groupBy: 'item'`).
 * Staff-only items never enter: the query excludes them (hits, totals and facet counts), and
 * every returned item is checked against the register as well, in case the index is stale.
 *
 * Creator and subject (browse links on the item page) have no filter in the search port: those
 * lists are made here, from the index's candidates checked against each item's own metadata.
 */
import type { Item } from '../../core/item.types.ts';
import type { Register } from '../../core/register/register.ts';
import {
  MAX_RESULT_WINDOW,
  MAX_SEARCH_LIMIT,
  SEARCH_SORTS,
  type SearchIndex,
  type SearchSort,
} from '../../search/search-index.ts';
import { isPublicItem, PUBLIC_RIGHTS } from './public-item.ts';

export const SORTS = SEARCH_SORTS;
export type Sort = SearchSort;

/** Words: best first. No words (browsing "Semua item"): newest first. */
export const defaultSort = (q: string): Sort => (q.trim() === '' ? 'newest' : 'relevance');

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
  /** Items with this creator / subject (exactly, ignoring case and diacritics). */
  creator?: string;
  subject?: string;
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

type Deps = { index: SearchIndex; register: Register };

export async function searchItems(deps: Deps, p: ItemSearchParams): Promise<ItemSearchResult> {
  if (p.creator !== undefined || p.subject !== undefined) return searchByCreatorOrSubject(deps, p);
  return searchIndexed(deps, p);
}

async function searchIndexed(deps: Deps, p: ItemSearchParams): Promise<ItemSearchResult> {
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

/** Case- and diacritic-insensitive, spaces collapsed: how creator and subject values compare. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Items by one creator and/or about one subject. The index has no field filter for them, so its
 * candidates come from the words (or, browsing, the value as a quoted phrase, which finds the
 * item through its metadata record), and each is kept only when its metadata names that value.
 * Candidates stop at the port's MAX_RESULT_WINDOW items: counts and facets are exact within
 * that, which is far beyond one person's or subject's items in a library collection.
 */
async function searchByCreatorOrSubject(deps: Deps, p: ItemSearchParams): Promise<ItemSearchResult> {
  const started = performance.now();
  const wanted = (values: string[] | undefined, v: string | undefined) =>
    v === undefined || (values ?? []).some((x) => fold(x) === fold(v));
  const phrase = [p.creator, p.subject]
    .filter((v): v is string => v !== undefined)
    .map((v) => `"${v.replace(/"/g, ' ')}"`)
    .join(' ');
  const q = p.q.trim() || phrase;
  const matched: FoundItem[] = [];
  for (let page = 1; page * MAX_SEARCH_LIMIT <= MAX_RESULT_WINDOW; page++) {
    const r = await searchIndexed(deps, { ...p, q, page, perPage: MAX_SEARCH_LIMIT });
    for (const f of r.items) {
      const m = f.item.metadata;
      if (!wanted(m.creator, p.creator) || !wanted(m.subjects, p.subject)) continue;
      // Browsing by a name: where the phrase also occurs in page text is beside the point.
      matched.push(p.q.trim() ? f : { ...f, pages: [], snippet: '', pageSnippets: new Map() });
    }
    if (page * MAX_SEARCH_LIMIT >= r.totalItems) break;
  }
  const facets: Facets = { type: {}, year: {}, language: {}, collection: {} };
  const count = (facet: Facet, v: string | number | undefined) => {
    if (v === undefined) return;
    facets[facet][String(v)] = (facets[facet][String(v)] ?? 0) + 1;
  };
  for (const { item } of matched) {
    const m = item.metadata;
    count('type', m.type);
    count('year', m.year);
    count('collection', m.collection);
    for (const l of new Set(m.language ?? [])) count('language', l);
  }
  const from = (p.page - 1) * p.perPage;
  return {
    items: matched.slice(from, from + p.perPage),
    totalItems: matched.length,
    estimated: false,
    facets,
    corrections: [],
    tookMs: Math.round(performance.now() - started),
  };
}
