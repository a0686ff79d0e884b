/**
 * Item-level search for the public pages: ranked items with the pages where the words were
 * found, facet counts, sorting and paging. Staff-only items never enter: the index query is
 * restricted to public rights, and every item is checked against the register as well.
 *
 * Built on the page-level search port: it reads up to SCAN_HITS best hits, groups them per
 * item, and counts facets over those items. (Replace the scan with the port's own item
 * grouping and facets once the port offers them.)
 */
import { accessOf, type Item } from '../../core/item.types.ts';
import type { Register } from '../../core/register/register.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import { PUBLIC_RIGHTS } from './public-item.ts';

export const SORTS = ['relevance', 'year-desc', 'year-asc', 'title', 'newest'] as const;
export type Sort = (typeof SORTS)[number];
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
  /** Snippets of the listed pages, by page number. */
  pageSnippets: Map<number, string>;
}

export interface ItemSearchResult {
  items: FoundItem[];
  totalItems: number;
  facets: Facets;
  tookMs: number;
}

const SCAN_HITS = 100;
const SCAN_ROUNDS = 5;

const emptyFacets = (): Facets => ({ type: {}, year: {}, language: {}, collection: {} });

export async function searchItems(
  deps: { index: SearchIndex; register: Register },
  p: ItemSearchParams,
): Promise<ItemSearchResult> {
  const started = performance.now();
  const found = p.q.trim() === '' ? browseAll(deps.register) : await scanHits(deps, p.q);
  const matches = found.filter(({ item }) => passes(item, p));
  const facets = emptyFacets();
  for (const { item } of matches) {
    const m = item.metadata;
    const bump = (f: Facet, v: string | number | undefined) => {
      if (v === undefined || v === '') return;
      facets[f][String(v)] = (facets[f][String(v)] ?? 0) + 1;
    };
    bump('type', m.type);
    bump('year', m.year);
    bump('collection', m.collection);
    for (const l of new Set(m.language ?? [])) bump('language', l);
  }
  const sorted = sortItems(matches, p.q.trim() === '' && p.sort === 'relevance' ? 'newest' : p.sort);
  const start = (p.page - 1) * p.perPage;
  return {
    items: sorted.slice(start, start + p.perPage),
    totalItems: sorted.length,
    facets,
    tookMs: Math.round(performance.now() - started),
  };
}

function isPublic(item: Item | null): item is Item {
  return item !== null && item.status === 'available' && accessOf(item) !== 'staff-only';
}

function browseAll(register: Register): FoundItem[] {
  return register.items
    .list({ status: 'available' })
    .filter(isPublic)
    .map((item) => ({ item, score: 0, pages: [], snippet: '', pageSnippets: new Map() }));
}

async function scanHits(deps: { index: SearchIndex; register: Register }, q: string): Promise<FoundItem[]> {
  const byItem = new Map<string, FoundItem>();
  for (let round = 0; round < SCAN_ROUNDS; round++) {
    const r = await deps.index.search({
      q,
      limit: SCAN_HITS,
      offset: round * SCAN_HITS,
      filters: { rights: [...PUBLIC_RIGHTS] },
    });
    for (const hit of r.hits) {
      let f = byItem.get(hit.itemId);
      if (!f) {
        const item = deps.register.items.get(hit.itemId);
        if (!isPublic(item)) continue;
        f = { item, score: hit.score, pages: [], snippet: hit.snippet, pageSnippets: new Map() };
        byItem.set(hit.itemId, f);
      }
      if (hit.page !== null && f.pages.length < 10) {
        f.pages.push(hit.page);
        f.pageSnippets.set(hit.page, hit.snippet);
        // A page snippet shows the words in their context; prefer it over a metadata snippet.
        if (f.pages.length === 1) f.snippet = hit.snippet;
      }
    }
    if (r.hits.length < SCAN_HITS || (round + 1) * SCAN_HITS >= r.total) break;
  }
  return [...byItem.values()];
}

function passes(item: Item, p: ItemSearchParams): boolean {
  const m = item.metadata;
  const inList = (list: string[] | undefined, v: string | undefined) =>
    !list || list.length === 0 || (v !== undefined && list.includes(v));
  if (!inList(p.type, m.type) || !inList(p.collection, m.collection)) return false;
  if (p.language && p.language.length > 0 && !(m.language ?? []).some((l) => p.language?.includes(l)))
    return false;
  if (p.yearFrom !== undefined && (m.year === undefined || m.year < p.yearFrom)) return false;
  if (p.yearTo !== undefined && (m.year === undefined || m.year > p.yearTo)) return false;
  return true;
}

const titleKey = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+/u, '');

function sortItems(items: FoundItem[], sort: Sort): FoundItem[] {
  const byScore = (a: FoundItem, b: FoundItem) => b.score - a.score;
  const year = (f: FoundItem) => f.item.metadata.year;
  const cmp: Record<Sort, (a: FoundItem, b: FoundItem) => number> = {
    relevance: byScore,
    'year-desc': (a, b) => (year(b) ?? -1e9) - (year(a) ?? -1e9) || byScore(a, b),
    'year-asc': (a, b) => (year(a) ?? 1e9) - (year(b) ?? 1e9) || byScore(a, b),
    title: (a, b) => titleKey(a.item.title).localeCompare(titleKey(b.item.title), 'id') || byScore(a, b),
    newest: (a, b) => (b.item.availableAt ?? '').localeCompare(a.item.availableAt ?? '') || byScore(a, b),
  };
  return [...items].sort(cmp[sort]);
}
