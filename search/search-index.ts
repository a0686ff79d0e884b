/**
 * The search port: what the web app and the publish stage need from a full-text index of the
 * collection. Adapters: `embedded.search-index.ts` (SQLite FTS5, one file, no server) and
 * `meili.search-index.ts` (Meilisearch); both must pass `test/contracts/search-index.contract.ts`.
 *
 * Contract (MUST = the contract suite checks it; SHOULD = best effort, may differ per adapter):
 *
 * Indexing
 * - `upsertItem` MUST replace everything indexed for `item.itemId` (metadata and every page)
 *   atomically: a concurrent search sees either the old or the new item, never a mix or both.
 *   Upserting the same item twice MUST NOT create duplicate hits or change `countDocuments`.
 * - `upsertItem` MUST reject pages whose `itemId` differs from the item's, non-integer or
 *   < 1 page numbers, and duplicate page numbers. Pages with blank text MAY be skipped
 *   (they can never match), so `countDocuments().pages` counts indexed pages.
 * - Every item MUST be findable by its metadata (title, creator, publisher, subjects, call
 *   number, nomor induk) even when it has no page text; such hits have `page: null`.
 * - `removeItem` MUST remove the item and all its pages; removing an unknown id is a no-op.
 *
 * Query language (the adapter parses `q`; users never write index syntax)
 * - Words are sequences of Unicode letters/digits; everything else separates words. All words
 *   are required (AND). Text inside double quotes is a phrase (words adjacent, in order).
 * - The last word is a prefix ("pemust" finds "pemustaka") when `q` ends inside that word and
 *   it has ≥ 2 characters; a trailing space or punctuation turns this off.
 * - Matching MUST be case- and diacritic-insensitive ("cafe" ↔ "café").
 * - Matching MUST bridge the old Indonesian spellings (ejaan lama) both ways:
 *   "Soerabaja" ↔ "Surabaya", "Djakarta" ↔ "Jakarta", "tjerita" ↔ "cerita" (see ejaan.ts).
 * - Matching MUST tolerate spelling mistakes: a word of 5–8 letters that matches nothing MUST
 *   find indexed words one edit away (insert, delete, substitute, swap two neighbours), a word of
 *   9 or more letters words two edits away ("perpustakan" → "perpustakaan"), also as the last,
 *   prefix word; such hits are marked in snippets like others. Words under 5 letters and phrases
 *   are matched as typed. All words stay required. A correctly typed word SHOULD NOT pull in its
 *   neighbours (the embedded index corrects only words that match nothing, and not in the first
 *   letter; Meilisearch's typo tolerance also matches near words, ranked below exact ones).
 * - No input may make `search` throw (quotes, parentheses, NEAR, AND, `-`, `:`, `*`, very long
 *   text). A query without any word returns `{ total: 0, hits: [], items: [] }` (unless `browse`).
 *
 * Results
 * - `hits` are page-level (one per matching page or metadata record), best first, paged by
 *   `limit` (default 20, clamped to 1..100) and `offset`; `total` counts all matching hits.
 * - `score` is higher-is-better and only comparable within one result. Ranking SHOULD weight
 *   title/metadata above body text, and a page where the words occur often SHOULD rank above a
 *   page where they occur once.
 * - `snippet` MUST be HTML-safe: all text escaped, matched words wrapped in `<mark>…</mark>`.
 *   It SHOULD show the original text (not a folded form), marking old-spelling matches too.
 * - `items` groups the returned `hits` per item (best item first); `pages` lists that item's
 *   matching pages among them, best first, at most 10.
 * - `itemId` restricts the search to one item; `filters` restrict by item metadata. An empty
 *   filter array means "no restriction"; year bounds are inclusive and exclude items without
 *   a year. `excludeRights` removes items with those rights (e.g. staff-only) from everything:
 *   hits, items, totals and facet counts.
 *
 * Result lists for people (`groupBy: 'item'`)
 * - `limit`/`offset` then page over matching ITEMS, not pages; `items` holds at most `limit`
 *   items and `hits` holds, for each of them in the same order, its matching hits (metadata hit
 *   and up to 10 page hits, best first). Default `groupBy` is `'page'` (paging over hits).
 * - `totalItems` MUST count all matching items in both modes; `total` all matching hits.
 *
 * Facets
 * - `facets` MUST count matching ITEMS (not pages) per value of type, year, language,
 *   collection and rights, over the whole result (not just the returned page), after filters
 *   and `itemId`. Years are decimal strings ("1930"). An item with two languages counts once in
 *   each. Items without a value are not counted; values with no matching item are absent. Every
 *   facet is present (possibly `{}`); at least MAX_FACET_VALUES values per facet are returned.
 *
 * Counts: exact or estimated (`estimated`)
 * - `total`, `totalItems` and `facets` MUST be exact when the query's words match at most
 *   MIN_ESTIMATED_ROWS rows (pages and metadata records; inside `itemId`, before other filters),
 *   and `estimated` is then false or absent. Broader queries MAY be counted approximately, as
 *   Elasticsearch (track_total_hits) and Meilisearch (estimatedTotalHits) do; the result then
 *   says `estimated: true` and people must be shown "about N". An estimate MUST still honour
 *   `itemId`, the filters and `excludeRights` (a value filtered out never appears), SHOULD list
 *   every facet value with a meaningful share of the matches with a plausible count, and MUST
 *   NOT be below what the returned page shows (offset + returned hits, or items by item).
 *   The embedded index estimates from a sample of items (embedded.search-counts.ts); Meilisearch
 *   counts exhaustively up to MEILI_MAX_TOTAL_HITS and says `estimated` when it reaches that cap.
 * - Paging: `offset + limit` up to MAX_RESULT_WINDOW hits (or items, by item) MUST be served;
 *   beyond it a broad relevance query MAY return no hits whatever `total` says (Meilisearch's
 *   maxTotalHits and Elasticsearch's max_result_window are the same idea), so result lists
 *   offer no page past it.
 *
 * Sort (`sort`, default 'relevance'; items compare by their best hit)
 * - 'relevance': best score first. 'year-desc' / 'year-asc': by year, items without a year
 *   last in both. 'title': A→Z by title, case- and diacritic-insensitive (`titleSortKey`).
 *   'newest': most recently published (`publishedAt`) first. Ties fall back to relevance.
 *   Within one item, hits and `pages` stay best first whatever the sort.
 *
 * Browsing (`browse: true`)
 * - When `q` holds no word and `browse` is true, every item matches (through its metadata
 *   record: `page: null`, snippet without marks) so home and browse pages can list and count
 *   the collection; filters, facets, sort and paging apply. 'relevance' then means 'newest'.
 *   Without `browse` a wordless query still returns nothing.
 */

export interface ItemDocument {
  itemId: string;
  nomorInduk: string;
  title: string;
  creator?: string;
  publisher?: string;
  year?: number;
  language?: string[];
  type?: string;
  collection?: string;
  rights?: string;
  callNumber?: string;
  subjects?: string[];
  pageCount: number;
  /** ISO 8601 */
  publishedAt: string;
}

export interface PageDocument {
  itemId: string;
  /** 1-based */
  page: number;
  text: string;
}

export interface SearchFilters {
  type?: string[];
  language?: string[];
  collection?: string[];
  yearFrom?: number;
  yearTo?: number;
  rights?: string[];
  /** Items with these rights are left out of everything (hits, totals, facets). */
  excludeRights?: string[];
}

export const SEARCH_SORTS = ['relevance', 'year-desc', 'year-asc', 'title', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const FACET_NAMES = ['type', 'year', 'language', 'collection', 'rights'] as const;
export type FacetName = (typeof FACET_NAMES)[number];
/** Per facet: value → number of matching items. */
export type FacetCounts = Record<FacetName, Record<string, number>>;

export interface SearchQuery {
  q: string;
  /** Default 20, max 100. */
  limit?: number;
  offset?: number;
  /** Search inside one item. */
  itemId?: string;
  filters?: SearchFilters;
  /** Default 'relevance'. */
  sort?: SearchSort;
  /** 'page' (default): limit/offset page over hits. 'item': over items (result lists). */
  groupBy?: 'page' | 'item';
  /** With no word in `q`, match every item instead of nothing. */
  browse?: boolean;
  /**
   * 'all' (default): every hit carries its snippet. 'best' (with groupBy 'item'): only each
   * item's first hit and first page hit need one; the others MAY have snippet '' (result lists
   * show one snippet per item, and each costs a highlight pass over the page text).
   */
  snippets?: 'all' | 'best';
}

export interface PageHit {
  itemId: string;
  nomorInduk: string;
  title: string;
  /** null = metadata hit */
  page: number | null;
  /** HTML-safe: text escaped, hits wrapped in <mark>…</mark> */
  snippet: string;
  score: number;
}

export interface ItemHit {
  itemId: string;
  nomorInduk: string;
  title: string;
  creator?: string;
  year?: number;
  type?: string;
  rights?: string;
  score: number;
  /** Pages where the words were found, best first, max 10. */
  pages: number[];
  snippet: string;
}

export interface SearchResult {
  /** Matching pages (page hits, metadata hits included). */
  total: number;
  hits: PageHit[];
  /** Matching items (in both groupBy modes). */
  totalItems: number;
  /** The same results grouped per item, in sort order (best item first by default). */
  items: ItemHit[];
  /** Matching items per facet value, over the whole result. */
  facets: FacetCounts;
  /**
   * True when `total`, `totalItems` and `facets` are estimates (a broad query on a large
   * collection; see "Counts" in the contract above); absent or false when they are exact.
   */
  estimated?: boolean;
  /**
   * Query words that matched nothing as typed and were searched as the indexed word closest in
   * spelling instead ("pustka" → "pustaka"), for "showing results for …". Absent when none.
   */
  corrections?: Array<{ from: string; to: string }>;
  tookMs: number;
}

export interface SearchIndex {
  /** Replaces everything indexed for that item, atomically. */
  upsertItem(item: ItemDocument, pages: PageDocument[]): Promise<void>;
  removeItem(itemId: string): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  countDocuments(): Promise<{ items: number; pages: number }>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;
export const MAX_PAGES_PER_ITEM_HIT = 10;
/** Words matching at most this many rows are always counted exactly (the embedded default). */
export const MIN_ESTIMATED_ROWS = 2000;
/** Hits (or items, by item) any query can page to; beyond, pages MAY be empty. */
export const MAX_RESULT_WINDOW = 1000;
/** Facet values returned per facet, at least. */
export const MAX_FACET_VALUES = 1000;

export function emptyFacets(): FacetCounts {
  return { type: {}, year: {}, language: {}, collection: {}, rights: {} };
}

/** What 'title' sort compares: lowercase, diacritics stripped, leading non-letters dropped. */
export function titleSortKey(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+/u, '');
}
