/**
 * SearchIndex on Meilisearch through the official client, for libraries that outgrow one
 * machine. Documents: see meili-documents.ts. Every write waits for its task and a failed task
 * throws (meili-tasks.ts): HTTP 202 only means "enqueued".
 *
 * Old spellings: each search runs twice in one multi-search request, on the text as written and
 * on the spelling keys; hits found as written rank first, then those found only through the
 * keys (the same order the embedded index gives). Counts and facets come from the key search,
 * which finds everything the exact one does. Word forms (`cerita` finding `bercerita`) come from a
 * third search, filtered by root keys (meili-query.ts), whose hits follow the others; counts are
 * then the larger of the key and the forms search, and say so (`estimated`) when the two differ,
 * since neither holds the other (a prefix or a typo matches only through the keys).
 * Items for result lists come from `distinct` on the
 * item key, so facet counts and `totalItems` count items, not pages.
 *
 * Upserts write the new documents, then delete the item's documents of older revisions: a
 * concurrent search may briefly see new pages next to old ones that are about to go, never an
 * item with no documents (Meilisearch has no multi-task transaction).
 */

import { randomUUID } from 'node:crypto';
import { Meilisearch, type MultiSearchQuery, type SearchResponse } from 'meilisearch';
import { validateDocuments } from './documents.ts';
import { formMarker } from './indonesian-stem.ts';
import {
  EXACT_FIELDS,
  FOLDED_FIELDS,
  type MeiliDoc,
  TEXT_FIELDS,
  toMeiliDocs,
  toRichHit,
} from './meili-documents.ts';
import { filterString, toMeiliKey } from './meili-ids.ts';
import { meiliFilter, meiliFormsQuery, meiliQueryStrings, meiliSort } from './meili-query.ts';
import { settle } from './meili-tasks.ts';
import { parseQuery } from './query-parse.ts';
import { clampLimit, clampOffset, groupByItem, type RichHit, toPageHit } from './result-shape.ts';
import {
  emptyFacets,
  FACET_NAMES,
  type FacetCounts,
  MAX_FACET_VALUES,
  MAX_PAGES_PER_ITEM_HIT,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
} from './search-index.ts';
import { MARK_CLOSE, MARK_OPEN } from './snippet.ts';

export interface MeiliOptions {
  url: string;
  /** Server-side only; never handed to browsers. */
  apiKey?: string;
  indexUid: string;
}

/** Upper bound for exhaustive counts (Meilisearch's pagination.maxTotalHits). */
export const MEILI_MAX_TOTAL_HITS = 100_000;

const SETTINGS = {
  searchableAttributes: [...EXACT_FIELDS, ...FOLDED_FIELDS],
  filterableAttributes: ['itemKey', 'kind', 'rev', 'roots', ...FACET_NAMES],
  sortableAttributes: ['year', 'titleSort', 'publishedAt', 'itemKey'],
  // "sort" first: an explicit sort decides, relevance breaks ties; without one it is a no-op.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  faceting: { maxValuesPerFacet: MAX_FACET_VALUES },
  pagination: { maxTotalHits: MEILI_MAX_TOTAL_HITS },
  typoTolerance: { enabled: true },
};

type Doc = MeiliDoc & { _formatted?: Partial<Record<string, string>>; _rankingScore?: number };
type Response = SearchResponse<Doc>;

export function createMeiliSearchIndex(opts: MeiliOptions): SearchIndex & { readonly indexUid: string } {
  const client = new Meilisearch({
    host: opts.url,
    ...(opts.apiKey !== undefined && { apiKey: opts.apiKey }),
  });
  const index = client.index<MeiliDoc>(opts.indexUid);
  let ready: Promise<void> | null = null;

  const ensureIndex = (): Promise<void> => {
    ready ??= (async () => {
      await settle(client.createIndex(opts.indexUid, { primaryKey: 'id' }), `create index ${opts.indexUid}`, [
        'index_already_exists',
      ]);
      await settle(index.updateSettings(SETTINGS), `settings of ${opts.indexUid}`);
    })().catch((err) => {
      ready = null;
      throw err;
    });
    return ready;
  };

  const multi = async (queries: MultiSearchQuery[]): Promise<Response[]> => {
    if (queries.length === 0) return [];
    const r = await client.multiSearch<{ queries: MultiSearchQuery[] }, Doc>({ queries });
    return r.results as Response[];
  };

  const totalOf = (r: Response | undefined): number => (r && 'totalHits' in r ? (r.totalHits ?? 0) : 0);

  const facetsOf = (r: Response | undefined): FacetCounts => {
    const facets = emptyFacets();
    for (const name of FACET_NAMES) Object.assign(facets[name], r?.facetDistribution?.[name] ?? {});
    return facets;
  };

  async function search(query: SearchQuery): Promise<Omit<SearchResult, 'tookMs'>> {
    const terms = parseQuery(query.q);
    const browse = terms.length === 0;
    if (browse && !query.browse)
      return { total: 0, totalItems: 0, hits: [], items: [], facets: emptyFacets() };
    await ensureIndex();
    const limit = clampLimit(query.limit);
    const offset = clampOffset(query.offset);
    const filter = meiliFilter(query, browse);
    const strings = browse ? null : meiliQueryStrings(terms);
    const sort = meiliSort(query.sort ?? 'relevance', browse);
    const merged = strings !== null && sort === undefined;
    const forms = browse ? null : meiliFormsQuery(terms);

    const base = (extraFilter: string[] = []): MultiSearchQuery => ({
      indexUid: opts.indexUid,
      // Omitted rather than [] when empty: an empty filter array is not "no filter" everywhere.
      ...(filter.length + extraFilter.length > 0 && { filter: [...filter, ...extraFilter] }),
      matchingStrategy: 'all',
      showRankingScore: true,
      attributesToHighlight: TEXT_FIELDS,
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
    });
    const exact = (extra: Partial<MultiSearchQuery>, extraFilter?: string[]): MultiSearchQuery => ({
      ...base(extraFilter),
      q: strings?.exact ?? '',
      attributesToSearchOn: [...EXACT_FIELDS],
      ...extra,
    });
    const folded = (extra: Partial<MultiSearchQuery>, extraFilter?: string[]): MultiSearchQuery => ({
      ...base(extraFilter),
      q: strings?.folded ?? '',
      ...(strings !== null && { attributesToSearchOn: [...FOLDED_FIELDS] }),
      ...extra,
    });

    /** Other forms of the query's words: filtered by root keys, after the spelling searches. */
    const formsOf = (extra: Partial<MultiSearchQuery>, extraFilter: string[] = []): MultiSearchQuery => ({
      ...base([...(forms?.filter ?? []), ...extraFilter]),
      q: forms?.q ?? '',
      ...(forms?.q && { attributesToSearchOn: [...FOLDED_FIELDS] }),
      ...extra,
    });
    const countBy = (search: typeof folded): MultiSearchQuery[] => [
      search({ hitsPerPage: 0, page: 1, attributesToHighlight: [] }),
      search({
        hitsPerPage: 0,
        page: 1,
        attributesToHighlight: [],
        distinct: 'itemKey',
        facets: [...FACET_NAMES],
      }),
    ];
    const counts = [...countBy(folded), ...(forms && merged ? countBy(formsOf) : [])];
    const grouped = query.groupBy === 'item';
    const firstRound: MultiSearchQuery[] = [];
    const head = { limit: offset + limit, offset: 0 };
    const distinct = grouped ? { distinct: 'itemKey' } : {};
    if (merged) {
      firstRound.push(exact({ ...head, ...distinct }), folded({ ...head, ...distinct }));
      if (forms) firstRound.push(formsOf({ ...head, ...distinct }));
    } else {
      const sortKeys = grouped ? sort : [...(sort ?? []), 'itemKey:asc'];
      firstRound.push(folded({ limit, offset, ...distinct, ...(sortKeys && { sort: sortKeys }) }));
    }
    const answers = await multi([...counts, ...firstRound]);
    const [keyPages, keyItems, formPages, formItems] = answers;
    const lists = answers.slice(counts.length);
    // Counts and facets from whichever search found more items (the other is nearly always a subset).
    // Only relevance lists carry form hits; a sorted list (keys only) keeps the key counts.
    const formsWider = merged && forms !== null && totalOf(formItems) > totalOf(keyItems);
    const pageHits = formsWider ? formPages : keyPages;
    const itemHits = formsWider ? formItems : keyItems;
    const countsDiffer =
      merged && forms !== null && totalOf(formItems) !== totalOf(keyItems) && totalOf(keyItems) > 0;
    let ordered = mergeLists(lists, merged, grouped ? 'item' : 'doc');
    if (merged) ordered = ordered.slice(offset, offset + limit);

    if (grouped && !browse) {
      // Round two: each listed item's own hits (metadata + pages), best first.
      const keys = ordered.map((h) => h.itemKey);
      const perItem = MAX_PAGES_PER_ITEM_HIT + 1;
      const queries = keys.flatMap((key) => {
        const only = [`itemKey = ${filterString(key)}`];
        // Within an item, hits stay best first whatever the sort: as written, then by key.
        return [
          exact({ limit: perItem }, only),
          folded({ limit: perItem }, only),
          ...(forms ? [formsOf({ limit: perItem }, only)] : []),
        ];
      });
      const results = await multi(queries);
      const per = forms ? 3 : 2;
      ordered = keys.flatMap((_, i) =>
        mergeLists(results.slice(i * per, i * per + per), true, 'doc').slice(0, perItem),
      );
    }

    const isForm = formMarker(terms);
    const hits: RichHit[] = ordered.map((h) => toRichHit(h.doc, h.boost, isForm));
    const total = totalOf(pageHits);
    const totalItems = totalOf(itemHits);
    return {
      total,
      totalItems,
      // Exhaustive counts stop at maxTotalHits: reaching it means "at least", so not exact.
      estimated: total >= MEILI_MAX_TOTAL_HITS || totalItems >= MEILI_MAX_TOTAL_HITS || countsDiffer,
      hits: hits.map(toPageHit),
      items: groupByItem(hits),
      facets: facetsOf(itemHits),
    };
  }

  return {
    indexUid: opts.indexUid,
    async upsertItem(item, pages) {
      validateDocuments(item, pages);
      await ensureIndex();
      const rev = randomUUID().replaceAll('-', '');
      const docs = toMeiliDocs(item, pages, rev);
      await settle(index.addDocuments(docs, { primaryKey: 'id' }), `index item ${item.itemId}`);
      await settle(
        index.deleteDocuments({
          filter: [`itemKey = ${filterString(toMeiliKey(item.itemId))}`, `rev != ${filterString(rev)}`],
        }),
        `drop old documents of ${item.itemId}`,
      );
    },
    async removeItem(itemId) {
      await ensureIndex();
      await settle(
        index.deleteDocuments({ filter: `itemKey = ${filterString(toMeiliKey(itemId))}` }),
        `remove item ${itemId}`,
      );
    },
    async search(query) {
      const started = performance.now();
      const result = await search(query);
      return { ...result, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    },
    async countDocuments() {
      await ensureIndex();
      // Items by search (well under maxTotalHits); pages as the rest of the index's documents,
      // so a collection past MEILI_MAX_TOTAL_HITS pages is still counted exactly.
      const [items] = await multi([
        { indexUid: opts.indexUid, q: '', filter: 'kind = "item"', hitsPerPage: 0, page: 1 },
      ]);
      const stats = await index.getStats();
      const itemCount = totalOf(items);
      return { items: itemCount, pages: Math.max(0, stats.numberOfDocuments - itemCount) };
    },
    async clear() {
      await ensureIndex();
      await settle(index.deleteAllDocuments(), `clear ${opts.indexUid}`);
    },
    async close() {
      // The client holds no connection of its own (fetch); nothing to release.
    },
  };
}

interface Ranked {
  doc: Doc;
  itemKey: string;
  boost: number;
}

/**
 * With `merged`, lists are [exact, folded]: exact hits first, then folded ones not seen yet,
 * each list keeping Meilisearch's order. Otherwise the single list as it came. `by: 'item'`
 * dedupes per item (lists from a distinct search, where any document may stand for its item).
 */
function mergeLists(lists: Response[], merged: boolean, by: 'doc' | 'item'): Ranked[] {
  const seen = new Set<string>();
  const out: Ranked[] = [];
  lists.forEach((list, i) => {
    const boost = merged && i === 0 ? 1 : 0;
    for (const doc of list.hits) {
      // With distinct, one document stands for its item: dedupe by item then.
      const key = by === 'item' ? doc.itemKey : doc.id;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ doc, itemKey: doc.itemKey, boost });
    }
  });
  return out;
}
