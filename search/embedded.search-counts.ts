/**
 * Totals and facet counts for the embedded index: exact for narrow queries, estimated for broad
 * ones. Counting every match of a word found on most pages costs ~1 µs per matching row (the
 * FTS doclist walk plus an items lookup per row), ~1 s at 1M pages, and a phrase or AND of common
 * words walks their whole doclists however few rows match. So:
 *   - when some single word (or prefix) of the query is on at most `exactRows` rows (inside
 *     `itemId`, before the other filters), one SQL pass counts exactly (countsSql; a few ms);
 *   - otherwise the items passing the filters are taken in rowid order (items are ~100× fewer
 *     than pages) and the matches inside each item's rowid range are counted. At most
 *     `sampleItems` items are counted: when more pass the filters, SAMPLE_BLOCKS evenly spaced
 *     blocks of consecutive items are (each block one FTS5 range walk; seeking there costs up
 *     to ~50 µs per query phrase, and a long prefix expands into up to 128 phrases, so such
 *     queries walk fewer of the blocks, down to one), scaled up and marked `estimated`. The
 *     filtered items and the sample are cached per filter set until the index changes. Facets are then the exact number of filtered items with each value
 *     times the share of sampled items with that value that match, shrunk towards the overall
 *     share by one pseudo-item (a value seen in few sampled items gets a plausible count); a
 *     value sampled but never matching is left out, one not sampled at all gets the overall
 *     share, so no value with a meaningful share is lost and none the sample argues against
 *     is invented.
 * Filters apply in both paths (in SQL, before counting), so a filtered-out value never appears.
 */
import type Database from 'better-sqlite3';
import {
  countsSql,
  FILTERED_ITEM_COUNTS_SQL,
  type MatchMode,
  ROWIDS_IN_RANGE_SQL,
  ROWS_IN_RANGE_SQL,
  SAMPLED_ITEMS_SQL,
} from './embedded.search-sql.ts';
import { emptyFacets, type FacetCounts, type FacetName, MIN_ESTIMATED_ROWS } from './search-index.ts';

/**
 * Up to this many rows for its rarest word a query is counted exactly: the exact pass costs
 * ~4 µs per matching row at 1M pages (an items lookup each, pages spread over a 10 GB file),
 * ~8 ms here, about what the sampled path costs for any query.
 */
export const EXACT_COUNT_ROWS = MIN_ESTIMATED_ROWS;
/**
 * Most items counted one by one; beyond, a sample of this many (SAMPLE_BLOCKS blocks). 100 items
 * put the match share within ~±10 points (95%) and cost ~0.5 µs per row walked for a word, ~2 µs
 * for a phrase of common words (~100 rows per item in the bench: 5 and 20 ms at 1M pages).
 */
export const COUNT_SAMPLE_ITEMS = 100;
export const SAMPLE_BLOCKS = 10;
/** Query phrases × blocks walked, at most (a one-word query has 2 phrases: exact and folded). */
const PHRASE_BUDGET = 128;

export interface CountOptions {
  /** Default EXACT_COUNT_ROWS. */
  exactRows?: number;
  /** Default COUNT_SAMPLE_ITEMS. */
  sampleItems?: number;
}

export interface Counts {
  total: number;
  totalItems: number;
  facets: FacetCounts;
  estimated: boolean;
}

interface CountRow {
  facet: string;
  value: string;
  n: number;
}

interface SampledItem {
  /** Which block of the sample (0-based, in rowid order). */
  block: number;
  itemId: string;
  lo: number;
  hi: number;
  type: string | null;
  year: number | null;
  collection: string | null;
  rights: string | null;
  /** JSON array */
  languages: string;
}

type Params = Record<string, string | number | bigint | null>;

/** The items passing one filter set: per facet value how many, and the sample to count. */
interface Population {
  facets: FacetCounts;
  all: number;
  sample: SampledItem[];
}

const MAX_CACHED_FILTER_SETS = 64;

export function createCounter(db: Database.Database, opts: CountOptions = {}) {
  const exactRows = opts.exactRows ?? EXACT_COUNT_ROWS;
  const sampleItems = Math.max(1, opts.sampleItems ?? COUNT_SAMPLE_ITEMS);
  const exact = db.prepare<Params, CountRow>(countsSql('match'));
  const exactBrowse = db.prepare<Params, CountRow>(countsSql('browse'));
  const populationCounts = db.prepare<Params, CountRow>(FILTERED_ITEM_COUNTS_SQL);
  const sampled = db.prepare<Params, SampledItem>(SAMPLED_ITEMS_SQL);
  const rowsIn = db.prepare<Params, number>(ROWS_IN_RANGE_SQL).pluck();
  const rowIdsIn = db.prepare<Params, number>(ROWIDS_IN_RANGE_SQL).pluck();
  const maxRow = db.prepare<[], number | null>('SELECT max(row_id) FROM doc_rows').pluck();
  const itemRange = db.prepare<[string], { lo: number | null; hi: number | null }>(
    'SELECT min(row_id) AS lo, max(row_id) AS hi FROM doc_rows WHERE item_id = ?',
  );

  const fromRows = (rows: CountRow[]): Omit<Counts, 'estimated'> => {
    const facets = emptyFacets();
    let total = 0;
    let totalItems = 0;
    for (const row of rows) {
      if (row.facet === '') total = row.n;
      else if (row.facet === '#') totalItems = row.n;
      else facets[row.facet as FacetName][row.value] = row.n;
    }
    return { total, totalItems, facets };
  };

  const range = (match: string, lo: number, hi: number) => ({ match, lo: BigInt(lo), hi: BigInt(hi) });

  /** Matching rows per sampled item: one range walk per run of adjacent items. */
  function matchesPerItem(match: string, items: SampledItem[]): number[] {
    const counts = items.map(() => 0);
    let start = 0;
    while (start < items.length) {
      let end = start;
      while (
        end + 1 < items.length &&
        (items[end + 1] as SampledItem).lo === (items[end] as SampledItem).hi + 1
      )
        end++;
      let k = start;
      for (const rowId of rowIdsIn.all(
        range(match, (items[start] as SampledItem).lo, (items[end] as SampledItem).hi),
      )) {
        while ((items[k] as SampledItem).hi < rowId) k++;
        counts[k] = (counts[k] as number) + 1;
      }
      start = end + 1;
    }
    return counts;
  }

  // The filtered items and the sample depend only on the filters and on the index content:
  // kept per filter set until anything is written (by this connection or, as data_version
  // tells, by another process), they cost ~30 ms at 10k items, once.
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const populations = new Map<string, Population>();
  let cachedAt = '';
  let writes = 0;

  function populationOf(params: Params): Population {
    const version = `${dataVersion.get()}/${writes}`;
    if (version !== cachedAt) {
      populations.clear();
      cachedAt = version;
    }
    const { match: _match, ...filters } = params;
    const key = JSON.stringify(filters);
    let found = populations.get(key);
    if (found === undefined) {
      const filtered = fromRows(populationCounts.all(filters));
      const all = filtered.totalItems;
      const perBlock = all <= sampleItems ? all : Math.max(1, Math.floor(sampleItems / SAMPLE_BLOCKS));
      const period =
        all <= sampleItems ? Math.max(1, all) : Math.floor(all / Math.min(SAMPLE_BLOCKS, sampleItems));
      const sample = all === 0 ? [] : sampled.all({ ...filters, period, perBlock });
      found = { facets: filtered.facets, all, sample };
      if (populations.size >= MAX_CACHED_FILTER_SETS)
        populations.delete(populations.keys().next().value as string);
      populations.set(key, found);
    }
    return found;
  }

  function perItem(params: Params, match: string): Counts {
    const population = populationOf(params);
    const { all, facets: populationFacets } = population;
    // Each block walk seeks every phrase of the query to the block (~50 µs per phrase when a
    // long prefix expands into many mid-sized doclists): such queries walk fewer blocks.
    const phrases = Math.max(1, (match.match(/"/g)?.length ?? 2) / 2);
    const blocks = Math.max(1, Math.min(SAMPLE_BLOCKS, Math.floor(PHRASE_BUDGET / phrases)));
    const stride = population.sample.length === all ? 1 : Math.ceil(SAMPLE_BLOCKS / blocks);
    const strided = population.sample.filter((i) => i.block % stride === 0);
    const sample = stride === 1 || strided.length === 0 ? population.sample : strided;
    const counts = matchesPerItem(match, sample);
    const seen = emptyFacets();
    const found = emptyFacets();
    let total = 0;
    let matched = 0;
    sample.forEach((item, k) => {
      const n = counts[k] as number;
      total += n;
      if (n > 0) matched++;
      const values: Record<FacetName, string[]> = {
        type: item.type === null ? [] : [item.type],
        year: item.year === null ? [] : [String(item.year)],
        collection: item.collection === null ? [] : [item.collection],
        rights: item.rights === null ? [] : [item.rights],
        language: JSON.parse(item.languages) as string[],
      };
      for (const name of Object.keys(values) as FacetName[]) {
        for (const v of values[name]) {
          seen[name][v] = (seen[name][v] ?? 0) + 1;
          if (n > 0) found[name][v] = (found[name][v] ?? 0) + 1;
        }
      }
    });
    if (sample.length === all) return { total, totalItems: matched, facets: found, estimated: false };
    // Scale the sample to the filtered items; per value, the matching share among its sampled
    // items, with one pseudo-item at the overall share.
    const share = matched / sample.length;
    const scale = all / sample.length;
    const facets = emptyFacets();
    for (const name of Object.keys(populationFacets) as FacetName[]) {
      for (const [v, items] of Object.entries(populationFacets[name])) {
        // A value sampled but never matching is left out (an estimate does not invent values
        // the sample speaks against); one not sampled at all gets the overall share.
        const hits = found[name][v] ?? 0;
        const n = Math.round((items * (hits + share)) / ((seen[name][v] ?? 0) + 1));
        if (hits > 0 || seen[name][v] === undefined) facets[name][v] = Math.max(1, n);
      }
    }
    return {
      total: Math.round(total * scale),
      totalItems: Math.round(matched * scale),
      facets,
      estimated: true,
    };
  }

  /**
   * Counts for the adapter's match and filter parameters. `words`: the match expression of each
   * single word (or prefix, or a misspelt word with its corrections) of the query; the query is
   * narrow when one of them is.
   */
  function count(mode: MatchMode, params: Params, words: string[]): Counts {
    if (mode === 'browse') return { ...fromRows(exactBrowse.all(params)), estimated: false };
    const match = params.match as string;
    const inItem = typeof params.itemId === 'string' ? itemRange.get(params.itemId) : undefined;
    const lo = inItem ? (inItem.lo ?? 1) : 0;
    const hi = inItem ? (inItem.hi ?? 0) : (maxRow.get() ?? 0);
    const narrow =
      hi < lo ||
      words.length === 0 ||
      words.some((w) => (rowsIn.get({ ...range(w, lo, hi), limit: exactRows + 1 }) ?? 0) <= exactRows);
    if (narrow) return { ...fromRows(exact.all(params)), estimated: false };
    return perItem(params, match);
  }

  return {
    count,
    /** Call after every write through this connection (data_version only sees other ones). */
    changed() {
      writes++;
    },
  };
}
