/**
 * The embedded index's read queries, built per (mode, sort) from a few fragments. The caller
 * caches the prepared statements; the strings below are the whole query language surface, and
 * no user text is ever spliced in (only bound parameters).
 */

import type { SearchSort } from './search-index.ts';

// bm25 weights in FTS column order: a title word says more than a creator/subject word, which
// says more than a body word; folded matches count least (an exact match scores on its own
// column and on fold, a spelling-key match such as "raja" for "raya" on fold alone, so exact
// spellings rank first); root matches (stem, e.g. "bercerita" for "cerita") count least of all,
// so the form typed ranks above other forms. FTS5's bm25 saturates term frequency (k1 = 1.2),
// so weights alone cannot lift a title match over a short page repeating the word; metadata
// rows therefore get an explicit boost. bm25() is negative, lower = better.
const RANK = 'bm25(docs, 10.0, 4.0, 1.0, 0.5, 0.25) * (CASE WHEN r.page IS NULL THEN 2.0 ELSE 1.0 END)';

/** The filter parameters as SQL over items `i`; `item` names the item id column to restrict. */
function filters(item: string): string {
  return `
  (@itemId IS NULL OR ${item} = @itemId)
  AND (@itemIds IS NULL OR ${item} IN (SELECT value FROM json_each(@itemIds)))
  AND (@types IS NULL OR i.type IN (SELECT value FROM json_each(@types)))
  AND (@collections IS NULL OR i.collection IN (SELECT value FROM json_each(@collections)))
  AND (@rights IS NULL OR i.rights IN (SELECT value FROM json_each(@rights)))
  AND (@notRights IS NULL OR i.rights IS NULL OR i.rights NOT IN (SELECT value FROM json_each(@notRights)))
  AND (@yearFrom IS NULL OR i.year >= @yearFrom)
  AND (@yearTo IS NULL OR i.year <= @yearTo)
  AND (@languages IS NULL OR EXISTS (
    SELECT 1 FROM item_languages l
    WHERE l.item_id = i.item_id AND l.language IN (SELECT value FROM json_each(@languages))))`;
}

const FILTERS = filters('r.item_id');
/** The same filters on the items table alone (`i`), for counting per item. */
export const ITEM_FILTERS = filters('i.item_id');

/** 'match': FTS rows matching @match. 'browse': every item's metadata row, rank 0. */
export type MatchMode = 'match' | 'browse';

/** FTS rows matching @match that pass the filters (`r` doc_rows, `i` items); bounded-ranking.ts too. */
export const FROM_MATCHES = `FROM docs
    CROSS JOIN doc_rows r ON r.row_id = docs.rowid
    CROSS JOIN items i ON i.item_id = r.item_id
    WHERE docs MATCH @match AND ${FILTERS}`;

// CROSS JOIN pins the FTS table as the outer loop: the MATCH is the selective part, and the
// filters are cheap lookups per matching row.
function matches(mode: MatchMode, ranked = true): string {
  if (mode === 'browse') {
    return `SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, 0.0 AS rk
      FROM doc_rows r CROSS JOIN items i ON i.item_id = r.item_id
      WHERE r.page IS NULL AND ${FILTERS}`;
  }
  return `SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, ${ranked ? RANK : '0.0'} AS rk
    ${FROM_MATCHES}`;
}

/** Item-level order keys before relevance; `i` is the items row. */
function itemOrder(sort: SearchSort, mode: MatchMode): string {
  const effective = mode === 'browse' && sort === 'relevance' ? 'newest' : sort;
  switch (effective) {
    case 'relevance':
      return '';
    case 'year-desc':
      return 'i.year IS NULL, i.year DESC,';
    case 'year-asc':
      return 'i.year IS NULL, i.year ASC,';
    case 'title':
      return 'i.title_sort, i.title,';
    case 'newest':
      return 'i.published_at DESC,';
  }
}

const HIT_COLUMNS = `m.rowId AS rowId, m.itemId AS itemId, m.page AS page, m.rk AS rk,
  i.nomor_induk AS nomorInduk, i.title AS title, i.creator AS creator, i.year AS year,
  i.type AS type, i.rights AS rights`;

/**
 * Browsing reads the items table alone: every item has exactly one metadata row, so a page of
 * items in order is the page of hits in order (the adapter pages browse hits by item), and
 * joining all of doc_rows first (1M pages: ~45 ms a query) is not needed.
 */
function browseItemPage(sort: SearchSort): string {
  return `SELECT i.item_id AS itemId FROM items i WHERE ${ITEM_FILTERS}
    ORDER BY ${itemOrder(sort, 'browse')} i.item_id LIMIT @limit OFFSET @offset`;
}

/** One page of hits (groupBy 'page'). */
export function pageHitsSql(mode: MatchMode, sort: SearchSort): string {
  const keys = itemOrder(sort, mode);
  const order = keys === '' ? 'm.rk, m.itemId, m.page' : `${keys} m.best, m.itemId, m.rk, m.page`;
  return `WITH m AS (SELECT x.*, min(x.rk) OVER (PARTITION BY x.itemId) AS best FROM (${matches(mode)}) x)
    SELECT ${HIT_COLUMNS} FROM m CROSS JOIN items i ON i.item_id = m.itemId
    ORDER BY ${order}
    LIMIT @limit OFFSET @offset`;
}

/** One page of item ids (groupBy 'item'), in sort order. */
export function itemPageSql(mode: MatchMode, sort: SearchSort): string {
  if (mode === 'browse') return browseItemPage(sort);
  // MATERIALIZED: bm25() cannot run once SQLite flattens the CTE into the GROUP BY.
  return `WITH m AS MATERIALIZED (${matches(mode)}),
    b AS (SELECT itemId, min(rk) AS best FROM m GROUP BY itemId)
    SELECT b.itemId AS itemId FROM b CROSS JOIN items i ON i.item_id = b.itemId
    ORDER BY ${itemOrder(sort, mode)} b.best, b.itemId
    LIMIT @limit OFFSET @offset`;
}

/**
 * Hits of the items in @itemIds: the metadata hit and up to @perItem page hits each, best
 * first. The caller orders items.
 */
export function hitsOfItemsSql(mode: MatchMode): string {
  if (mode === 'browse') {
    // Filters were applied when the items were chosen (browseItemPage).
    return `SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, 0.0 AS rk,
        i.nomor_induk AS nomorInduk, i.title AS title, i.creator AS creator, i.year AS year,
        i.type AS type, i.rights AS rights
      FROM json_each(@itemIds) j CROSS JOIN doc_rows r ON r.item_id = j.value AND r.page IS NULL
      CROSS JOIN items i ON i.item_id = r.item_id
      ORDER BY j.key`;
  }
  return `WITH m AS (SELECT x.*, row_number() OVER (
        PARTITION BY x.itemId, x.page IS NULL ORDER BY x.rk, x.page) AS n
      FROM (${matches(mode)}) x)
    SELECT ${HIT_COLUMNS} FROM m CROSS JOIN items i ON i.item_id = m.itemId
    WHERE m.n <= @perItem
    ORDER BY m.rk, m.page`;
}

/** ('#', '', items) and (facet, value, items) for every facet value, over the item ids in `mi`. */
const ITEM_COUNTS_OF_MI = (() => {
  const facet = (name: string, expr: string, column: string) =>
    `SELECT '${name}', ${expr}, count(*) FROM mi CROSS JOIN items i ON i.item_id = mi.itemId
     WHERE i.${column} IS NOT NULL GROUP BY i.${column}`;
  return `SELECT '#' AS facet, '' AS value, (SELECT count(*) FROM mi) AS n
    UNION ALL ${facet('type', 'i.type', 'type')}
    UNION ALL ${facet('year', 'CAST(i.year AS TEXT)', 'year')}
    UNION ALL ${facet('collection', 'i.collection', 'collection')}
    UNION ALL ${facet('rights', 'i.rights', 'rights')}
    UNION ALL SELECT 'language', l.language, count(*) FROM mi
      CROSS JOIN item_languages l ON l.item_id = mi.itemId GROUP BY l.language`;
})();

/**
 * Totals and facet counts in one pass: rows ('', '', hits), ('#', '', items), then
 * (facet, value, items) for every facet value.
 */
export function countsSql(mode: MatchMode): string {
  // Browsing: one hit per item passing the filters (see browseItemPage).
  if (mode === 'browse') {
    // The facet columns are carried along, so no facet looks each item up again.
    const facet = (name: string, expr: string, column: string) =>
      `SELECT '${name}', ${expr}, count(*) FROM f WHERE f.${column} IS NOT NULL GROUP BY f.${column}`;
    return `WITH f AS MATERIALIZED (
        SELECT i.item_id AS itemId, i.type, i.year, i.collection, i.rights FROM items i WHERE ${ITEM_FILTERS})
      SELECT '' AS facet, '' AS value, (SELECT count(*) FROM f) AS n
      UNION ALL SELECT '#', '', (SELECT count(*) FROM f)
      UNION ALL ${facet('type', 'f.type', 'type')}
      UNION ALL ${facet('year', 'CAST(f.year AS TEXT)', 'year')}
      UNION ALL ${facet('collection', 'f.collection', 'collection')}
      UNION ALL ${facet('rights', 'f.rights', 'rights')}
      UNION ALL SELECT 'language', l.language, count(*) FROM f
        CROSS JOIN item_languages l ON l.item_id = f.itemId GROUP BY l.language`;
  }
  // Counting needs no rank: skipping bm25() keeps this pass as cheap as a count(*).
  return `WITH m AS MATERIALIZED (${matches(mode, false)}),
    mi AS MATERIALIZED (SELECT DISTINCT itemId FROM m)
    SELECT '' AS facet, '' AS value, (SELECT count(*) FROM m) AS n
    UNION ALL ${ITEM_COUNTS_OF_MI}`;
}

/**
 * The same rows as countsSql ('#' and per facet value) over every item passing the filters,
 * whether or not it matches: the populations an estimate scales its sample to.
 */
export const FILTERED_ITEM_COUNTS_SQL = `WITH mi AS MATERIALIZED (
    SELECT i.item_id AS itemId FROM items i WHERE ${ITEM_FILTERS})
  ${ITEM_COUNTS_OF_MI}`;

/**
 * Items passing the filters in rowid order, in blocks: @perBlock consecutive items out of every
 * @period (bound from JS as REAL, hence the casts before integer division), at an offset within the period that varies from block to block (a multiplicative hash, so the sample does
 * not line up with a regular pattern in the collection; @period = @perBlock: all items), with their facet values (languages as a JSON array) and
 * rowid range. One upsert inserts an item's rows together, so an item's rows run from its
 * metadata row to just before the next item's (doc_rows_items lists the metadata rows).
 */
export const SAMPLED_ITEMS_SQL = `WITH spans AS MATERIALIZED (
    SELECT item_id AS itemId, row_id AS lo,
      coalesce(lead(row_id) OVER (ORDER BY row_id) - 1, (SELECT max(row_id) FROM doc_rows)) AS hi
    FROM doc_rows INDEXED BY doc_rows_items WHERE page IS NULL),
  f AS (SELECT s.itemId, s.lo, s.hi, i.type, i.year, i.collection, i.rights,
      row_number() OVER (ORDER BY s.lo) AS n
    FROM spans s CROSS JOIN items i ON i.item_id = s.itemId WHERE ${ITEM_FILTERS})
  SELECT (f.n - 1) / CAST(@period AS INTEGER) AS block, f.itemId AS itemId, f.lo AS lo, f.hi AS hi, f.type AS type, f.year AS year,
    f.collection AS collection, f.rights AS rights,
    (SELECT json_group_array(l.language) FROM item_languages l WHERE l.item_id = f.itemId) AS languages
  FROM f WHERE (f.n - 1) % @period
      - (((f.n - 1) / CAST(@period AS INTEGER) + 1) * 2654435761 % 4294967296 / 65536)
        % (@period - @perBlock + 1)
    BETWEEN 0 AND @perBlock - 1
  ORDER BY f.lo`;

/** Rowids matching @match in @lo..@hi, ascending (bound as integers, so FTS5 seeks to @lo). */
export const ROWIDS_IN_RANGE_SQL = `SELECT docs.rowid FROM docs
  WHERE docs MATCH @match AND docs.rowid >= @lo AND docs.rowid <= @hi ORDER BY docs.rowid`;

/**
 * Rows matching @match with rowids in @lo..@hi, at most @limit. Bound as integers, so FTS5
 * seeks to them; ascending, as a backwards walk over a range costs ~7× more per seek.
 */
export const ROWS_IN_RANGE_SQL = `SELECT count(*) FROM (SELECT 1 FROM docs
  WHERE docs MATCH @match AND docs.rowid >= @lo AND docs.rowid <= @hi ORDER BY docs.rowid LIMIT @limit)`;

/**
 * Highlighted columns of @rowIds, in one MATCH pass: highlight() in the ranked query would run
 * for every match before the sort. The unary + keeps the rowid list away from FTS5, which would
 * otherwise re-run the MATCH once per rowid (a long prefix such as "perpustakaan"* costs ~15 ms
 * per run on 20k pages); the rowid range (@lo..@hi, bound as integers: FTS5 ignores REAL rowid
 * bounds) lets FTS5 skip the rest of a long doclist.
 */
export const HIGHLIGHTS_SQL = `SELECT docs.rowid AS rowId,
    highlight(docs, 0, @open, @close) AS hTitle, highlight(docs, 1, @open, @close) AS hMeta,
    highlight(docs, 2, @open, @close) AS hBody, highlight(docs, 3, @open, @close) AS hFold
  FROM docs WHERE docs MATCH @match AND +docs.rowid IN (SELECT value FROM json_each(@rowIds))
    AND docs.rowid BETWEEN @lo AND @hi`;

/** The same columns without marks, for browse hits. */
export const PLAIN_TEXT_SQL = `SELECT docs.rowid AS rowId, docs.title AS hTitle, docs.meta AS hMeta,
    docs.body AS hBody, NULL AS hFold
  FROM docs WHERE docs.rowid IN (SELECT value FROM json_each(@rowIds))`;
