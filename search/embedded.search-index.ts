/**
 * SearchIndex on its own SQLite file with FTS5: no server to run, which suits a regional library
 * with one machine. The index is derived data: delete the file and re-publish to rebuild it.
 *
 * One FTS row per page (body) plus one metadata row per item (title, meta) with page = null, so
 * items without text are still found. Every row also carries `fold`: the same text with each word
 * replaced by its spelling key (ejaan.ts), weighted lowest, so old spellings match while exact
 * matches still rank first.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PindaiError } from '../core/errors.ts';
import { createBoundedRanking } from './bounded-ranking.ts';
import { foldText, spellingKey } from './ejaan.ts';
import { buildMatchExpression, type MatchColumns } from './query-parse.ts';
import {
  DEFAULT_SEARCH_LIMIT,
  type ItemDocument,
  type ItemHit,
  MAX_PAGES_PER_ITEM_HIT,
  MAX_SEARCH_LIMIT,
  type PageDocument,
  type PageHit,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
} from './search-index.ts';
import { buildSnippet, MARK_CLOSE, MARK_OPEN, stripMarkers } from './snippet.ts';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  item_id      TEXT PRIMARY KEY,
  nomor_induk  TEXT NOT NULL,
  title        TEXT NOT NULL,
  creator      TEXT,
  year         INTEGER,
  type         TEXT,
  collection   TEXT,
  rights       TEXT,
  page_count   INTEGER NOT NULL,
  published_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS item_languages (
  item_id  TEXT NOT NULL REFERENCES items (item_id),
  language TEXT NOT NULL,
  PRIMARY KEY (item_id, language)
) STRICT, WITHOUT ROWID;
-- Maps FTS rowids to items: FTS5 cannot index or delete by an UNINDEXED column without a scan.
CREATE TABLE IF NOT EXISTS doc_rows (
  row_id  INTEGER PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES items (item_id),
  page    INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS doc_rows_by_item ON doc_rows (item_id, page);
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(
  title, meta, body, fold,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
`;

// bm25 weights in FTS column order: a title word says more than a creator/subject word, which
// says more than a body word; folded matches count least (an exact match scores on its own
// column and on fold, a spelling-key match such as "raja" for "raya" on fold alone, so exact
// spellings rank first). FTS5's bm25 saturates term frequency (k1 = 1.2),
// so weights alone cannot lift a title match over a short page repeating the word; metadata
// rows therefore get an explicit boost. bm25() is negative, lower = better.
const RANK = 'bm25(docs, 10.0, 4.0, 1.0, 0.5) * (CASE WHEN r.page IS NULL THEN 2.0 ELSE 1.0 END)';
const COLUMNS: MatchColumns = { exact: ['title', 'meta', 'body'], folded: 'fold', fold: spellingKey };

const FILTERS = `
  (@itemId IS NULL OR r.item_id = @itemId)
  AND (@types IS NULL OR i.type IN (SELECT value FROM json_each(@types)))
  AND (@collections IS NULL OR i.collection IN (SELECT value FROM json_each(@collections)))
  AND (@rights IS NULL OR i.rights IN (SELECT value FROM json_each(@rights)))
  AND (@yearFrom IS NULL OR i.year >= @yearFrom)
  AND (@yearTo IS NULL OR i.year <= @yearTo)
  AND (@languages IS NULL OR EXISTS (
    SELECT 1 FROM item_languages l
    WHERE l.item_id = i.item_id AND l.language IN (SELECT value FROM json_each(@languages))))`;

// CROSS JOIN pins the FTS table as the outer loop: the MATCH is the selective part, and the
// filters are cheap lookups per matching row.
const FROM_MATCHES = `
  FROM docs
  CROSS JOIN doc_rows r ON r.row_id = docs.rowid
  CROSS JOIN items i ON i.item_id = r.item_id
  WHERE docs MATCH @match AND ${FILTERS}`;

interface HitRow {
  rowId: number;
  itemId: string;
  page: number | null;
  nomorInduk: string;
  title: string;
  creator: string | null;
  year: number | null;
  bm25rank: number;
}

interface HighlightRow {
  rowId: number;
  hTitle: string | null;
  hMeta: string | null;
  hBody: string | null;
  hFold: string | null;
}

type QueryParams = Record<string, string | number | bigint | null>;

export function createEmbeddedSearchIndex(dbPath: string): SearchIndex {
  mkdirSync(dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  // The index is rebuildable, so losing the last commits on power loss is acceptable.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);

  const stmt = {
    deleteDocs: db.prepare('DELETE FROM docs WHERE rowid IN (SELECT row_id FROM doc_rows WHERE item_id = ?)'),
    deleteRows: db.prepare('DELETE FROM doc_rows WHERE item_id = ?'),
    deleteLanguages: db.prepare('DELETE FROM item_languages WHERE item_id = ?'),
    deleteItem: db.prepare('DELETE FROM items WHERE item_id = ?'),
    insertItem: db.prepare(`INSERT INTO items
      (item_id, nomor_induk, title, creator, year, type, collection, rights, page_count, published_at)
      VALUES (@itemId, @nomorInduk, @title, @creator, @year, @type, @collection, @rights, @pageCount, @publishedAt)`),
    insertLanguage: db.prepare('INSERT OR IGNORE INTO item_languages (item_id, language) VALUES (?, ?)'),
    insertRow: db.prepare('INSERT INTO doc_rows (item_id, page) VALUES (?, ?)'),
    insertDoc: db.prepare('INSERT INTO docs (rowid, title, meta, body, fold) VALUES (?, ?, ?, ?, ?)'),
    hits: db.prepare<QueryParams, HitRow>(`
      SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, i.nomor_induk AS nomorInduk,
             i.title AS title, i.creator AS creator, i.year AS year, ${RANK} AS bm25rank
      ${FROM_MATCHES}
      ORDER BY bm25rank, r.item_id, r.page
      LIMIT @limit OFFSET @offset`),
    total: db.prepare<QueryParams, { n: number }>(`SELECT count(*) AS n ${FROM_MATCHES}`),
    // Highlights for the page of hits only, in one MATCH pass: highlight() in the ranked query
    // would run for every match before the sort. The unary + keeps the rowid list away from
    // FTS5, which would otherwise re-run the MATCH once per rowid (a long prefix such as
    // "perpustakaan"* costs ~15 ms per run on 20k pages), and which also ignores `rowid = ?`
    // bound as REAL, as better-sqlite3 binds JS numbers (seen with SQLite 3.53).
    highlights: db.prepare<QueryParams, HighlightRow>(`
      SELECT docs.rowid AS rowId,
             highlight(docs, 0, @open, @close) AS hTitle, highlight(docs, 1, @open, @close) AS hMeta,
             highlight(docs, 2, @open, @close) AS hBody, highlight(docs, 3, @open, @close) AS hFold
      FROM docs WHERE docs MATCH @match AND +docs.rowid IN (SELECT value FROM json_each(@rowIds))
        AND docs.rowid BETWEEN @lo AND @hi`),
    counts: db.prepare<[], { items: number; pages: number }>(
      'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM doc_rows WHERE page IS NOT NULL) AS pages',
    ),
  };

  const removeSync = (itemId: string): void => {
    stmt.deleteDocs.run(itemId);
    stmt.deleteRows.run(itemId);
    stmt.deleteLanguages.run(itemId);
    stmt.deleteItem.run(itemId);
  };

  const insertDocRow = (itemId: string, page: number | null, parts: [string, string, string]): void => {
    const rowId = stmt.insertRow.run(itemId, page).lastInsertRowid;
    stmt.insertDoc.run(rowId, ...parts, foldText(displayText(parts)));
  };

  const upsert = db.transaction((item: ItemDocument, pages: PageDocument[]) => {
    removeSync(item.itemId);
    stmt.insertItem.run({
      itemId: item.itemId,
      nomorInduk: item.nomorInduk,
      title: item.title,
      creator: item.creator ?? null,
      year: item.year ?? null,
      type: item.type ?? null,
      collection: item.collection ?? null,
      rights: item.rights ?? null,
      pageCount: item.pageCount,
      publishedAt: item.publishedAt,
    });
    for (const language of item.language ?? []) stmt.insertLanguage.run(item.itemId, language);
    insertDocRow(item.itemId, null, [clean(item.title), clean(metadataText(item)), '']);
    for (const page of pages) {
      const text = clean(page.text);
      if (text.trim() !== '') insertDocRow(item.itemId, page.page, ['', '', text]);
    }
  });

  const remove = db.transaction(removeSync);

  const clearAll = db.transaction(() => {
    db.exec('DELETE FROM docs; DELETE FROM doc_rows; DELETE FROM item_languages; DELETE FROM items;');
  });

  // Broad queries (a term on most pages) are ranked on a bounded candidate set: bounded-ranking.ts.
  const bounded = createBoundedRanking(db, { columns: COLUMNS, fromMatches: FROM_MATCHES });

  const snippetsFor = (rowIds: number[], match: string): Map<number, string> => {
    const snippets = new Map<number, string>();
    if (rowIds.length === 0) return snippets;
    // A rowid range lets FTS5 skip the rest of a long doclist (bound as integers: see above).
    const rows = stmt.highlights.all({
      lo: BigInt(Math.min(...rowIds)),
      hi: BigInt(Math.max(...rowIds)),
      match,
      rowIds: JSON.stringify(rowIds),
      open: MARK_OPEN,
      close: MARK_CLOSE,
    });
    for (const h of rows) {
      const shown = displayText([h.hTitle ?? '', h.hMeta ?? '', h.hBody ?? '']);
      snippets.set(h.rowId, buildSnippet(shown, h.hFold));
    }
    return snippets;
  };

  const searchSync = (query: SearchQuery): Omit<SearchResult, 'tookMs'> => {
    const match = buildMatchExpression(query.q, COLUMNS);
    if (match === null) return { total: 0, hits: [], items: [] };
    const params = { match, ...filterParams(query) };
    const paging = { limit: clampLimit(query.limit), offset: clampOffset(query.offset) };
    const broad = bounded.search(query.q, params, paging);
    const total = broad ? broad.total : (stmt.total.get(params)?.n ?? 0);
    const rows = broad ? broad.rows : stmt.hits.all({ ...params, ...paging });
    const snippets = snippetsFor(
      rows.map((row) => row.rowId),
      match,
    );
    const hits = rows.map((row): PageHit & { creator: string | null; year: number | null } => ({
      itemId: row.itemId,
      nomorInduk: row.nomorInduk,
      title: row.title,
      page: row.page,
      snippet: snippets.get(row.rowId) ?? '',
      // bm25() is lower-is-better; the port promises higher-is-better.
      score: -row.bm25rank,
      creator: row.creator,
      year: row.year,
    }));
    return {
      total,
      hits: hits.map(({ creator: _c, year: _y, ...hit }) => hit),
      items: groupByItem(hits),
    };
  };

  return {
    async upsertItem(item, pages) {
      validate(item, pages);
      upsert(item, pages);
    },
    async removeItem(itemId) {
      remove(itemId);
    },
    async search(query) {
      const started = performance.now();
      const result = searchSync(query);
      return { ...result, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    },
    async countDocuments() {
      return stmt.counts.get() ?? { items: 0, pages: 0 };
    },
    async clear() {
      clearAll();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new PindaiError(
      'SEARCH_INDEX_NEWER',
      `Search index ${db.name} has schema ${version}, this version understands ${SCHEMA_VERSION}`,
      { params: { path: db.name, version } },
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** What the metadata row matches besides the title; order matters only for snippets. */
function metadataText(item: ItemDocument): string {
  return [item.creator, item.publisher, ...(item.subjects ?? []), item.callNumber, item.nomorInduk]
    .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
    .join(' · ');
}

/**
 * The text a row shows, in column order. The fold column is derived from exactly this, so the
 * highlighted columns joined the same way line up word for word with the highlighted fold
 * (alignment counts words only, so the separator may change without a reindex).
 */
function displayText(parts: string[]): string {
  return parts.filter((p) => p !== '').join(' · ');
}

function clean(text: string): string {
  return stripMarkers(text.normalize('NFC'));
}

function validate(item: ItemDocument, pages: PageDocument[]): void {
  const fail = (message: string, params: Record<string, string | number> = {}): never => {
    throw new PindaiError('SEARCH_BAD_DOCUMENT', message, { params: { itemId: item.itemId, ...params } });
  };
  if (!item.itemId) fail('Item without itemId cannot be indexed');
  const seen = new Set<number>();
  for (const page of pages) {
    if (page.itemId !== item.itemId) fail(`Page of ${page.itemId} passed with item ${item.itemId}`);
    if (!Number.isInteger(page.page) || page.page < 1)
      fail(`Bad page number ${page.page}`, { page: page.page });
    if (seen.has(page.page)) fail(`Page ${page.page} given twice`, { page: page.page });
    seen.add(page.page);
  }
}

function filterParams(query: SearchQuery): QueryParams {
  const f = query.filters ?? {};
  const list = (values: string[] | undefined): string | null =>
    values && values.length > 0 ? JSON.stringify(values) : null;
  return {
    itemId: query.itemId ?? null,
    types: list(f.type),
    collections: list(f.collection),
    rights: list(f.rights),
    languages: list(f.language),
    yearFrom: f.yearFrom ?? null,
    yearTo: f.yearTo ?? null,
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}

function clampOffset(offset: number | undefined): number {
  if (offset === undefined || !Number.isFinite(offset)) return 0;
  return Math.max(0, Math.floor(offset));
}

/** Hits arrive best first, so the first hit seen for an item is its best. */
function groupByItem(hits: Array<PageHit & { creator: string | null; year: number | null }>): ItemHit[] {
  const items = new Map<string, ItemHit>();
  for (const hit of hits) {
    let item = items.get(hit.itemId);
    if (!item) {
      item = {
        itemId: hit.itemId,
        nomorInduk: hit.nomorInduk,
        title: hit.title,
        ...(hit.creator !== null && { creator: hit.creator }),
        ...(hit.year !== null && { year: hit.year }),
        score: hit.score,
        pages: [],
        snippet: hit.snippet,
      };
      items.set(hit.itemId, item);
    }
    if (hit.page !== null && item.pages.length < MAX_PAGES_PER_ITEM_HIT) item.pages.push(hit.page);
  }
  return [...items.values()];
}
