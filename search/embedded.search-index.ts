/**
 * SearchIndex on its own SQLite file with FTS5: no server to run, which suits a regional library
 * with one machine. The index is derived data: delete the file and re-publish to rebuild it.
 *
 * One FTS row per page (body) plus one metadata row per item (title, meta) with page = null, so
 * items without text are still found. Every row also carries `fold`: the same text with each word
 * replaced by its spelling key (ejaan.ts), weighted low, so old spellings match while exact
 * matches still rank first; and `stem`: the distinct keys of the other roots its words may have
 * (indonesian-stem.ts; a word's own key is in `fold`), weighted lowest, so `cerita` finds `bercerita` and the exact form ranks
 * above other forms.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PindaiError } from '../core/errors.ts';
import { type BoundedRow, createBoundedRanking, pageOfHits, pageOfItems } from './bounded-ranking.ts';
import { cleanText, displayText, metadataText, validateDocuments } from './documents.ts';
import { foldText, spellingKey } from './ejaan.ts';
import { type CountOptions, createCounter } from './embedded.search-counts.ts';
import {
  FROM_MATCHES,
  HIGHLIGHTS_SQL,
  hitsOfItemsSql,
  itemPageSql,
  type MatchMode,
  PLAIN_TEXT_SQL,
  pageHitsSql,
} from './embedded.search-sql.ts';
import { formMarker, queryRootKeys, stemText } from './indonesian-stem.ts';
import { type MatchColumns, parseQuery, type QueryTerm, toMatchExpression } from './query-parse.ts';
import { clampLimit, clampOffset, groupByItem, type RichHit, toPageHit } from './result-shape.ts';
import {
  emptyFacets,
  type ItemDocument,
  MAX_PAGES_PER_ITEM_HIT,
  type PageDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  titleSortKey,
} from './search-index.ts';
import { buildSnippet, MARK_CLOSE, MARK_OPEN } from './snippet.ts';
import {
  correctable,
  createTypoTolerance,
  fillVocabularyFromIndex,
  indexWords,
  type TolerantTerm,
  tolerantMatchExpression,
  VOCAB_SCHEMA,
} from './typo-tolerance.ts';

const SCHEMA_VERSION = 4;
/** Most vocabulary words a long prefix expands into (else FTS5's prefix query runs). */
const MAX_PREFIX_WORDS = 64;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  item_id      TEXT PRIMARY KEY,
  nomor_induk  TEXT NOT NULL,
  title        TEXT NOT NULL,
  title_sort   TEXT NOT NULL DEFAULT '',
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
-- Items in rowid order with their first row (embedded.search-counts.ts samples them by it).
CREATE INDEX IF NOT EXISTS doc_rows_items ON doc_rows (row_id, item_id) WHERE page IS NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(
  title, meta, body, fold, stem,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
`;

const COLUMNS: MatchColumns = { exact: ['title', 'meta', 'body'], folded: 'fold', fold: spellingKey };

/** One hit row of the exact path: the same shape the bounded path ranks. */
type HitRow = BoundedRow;

interface HighlightRow {
  rowId: number;
  hTitle: string | null;
  hMeta: string | null;
  hBody: string | null;
  hFold: string | null;
  /** The row's whole text, for marking word forms (root matches) the FTS highlight cannot. */
  text?: string;
}

type QueryParams = Record<string, string | number | bigint | null>;

export interface EmbeddedSearchOptions {
  /** When counts become estimates (embedded.search-counts.ts); tests lower them. */
  counts?: CountOptions;
}

export function createEmbeddedSearchIndex(dbPath: string, options: EmbeddedSearchOptions = {}): SearchIndex {
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
      (item_id, nomor_induk, title, title_sort, creator, year, type, collection, rights, page_count, published_at)
      VALUES (@itemId, @nomorInduk, @title, @titleSort, @creator, @year, @type, @collection, @rights, @pageCount,
              @publishedAt)`),
    insertLanguage: db.prepare('INSERT OR IGNORE INTO item_languages (item_id, language) VALUES (?, ?)'),
    insertRow: db.prepare('INSERT INTO doc_rows (item_id, page) VALUES (?, ?)'),
    insertDoc: db.prepare(
      'INSERT INTO docs (rowid, title, meta, body, fold, stem) VALUES (?, ?, ?, ?, ?, ?)',
    ),
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

  /** Inserts one FTS row; returns its text and folded text (for the vocabulary). */
  const insertDocRow = (itemId: string, page: number | null, parts: [string, string, string]): string[] => {
    const rowId = stmt.insertRow.run(itemId, page).lastInsertRowid;
    const shown = displayText(parts);
    const folded = foldText(shown);
    stmt.insertDoc.run(rowId, ...parts, folded, stemText(shown, { others: true }));
    return [shown, folded];
  };

  const upsert = db.transaction((item: ItemDocument, pages: PageDocument[]) => {
    removeSync(item.itemId);
    stmt.insertItem.run({
      itemId: item.itemId,
      nomorInduk: item.nomorInduk,
      title: item.title,
      titleSort: titleSortKey(item.title),
      creator: item.creator ?? null,
      year: item.year ?? null,
      type: item.type ?? null,
      collection: item.collection ?? null,
      rights: item.rights ?? null,
      pageCount: item.pageCount,
      publishedAt: item.publishedAt,
    });
    for (const language of item.language ?? []) stmt.insertLanguage.run(item.itemId, language);
    const texts = insertDocRow(item.itemId, null, [cleanText(item.title), cleanText(metadataText(item)), '']);
    for (const page of pages) {
      const text = cleanText(page.text);
      if (text.trim() !== '') texts.push(...insertDocRow(item.itemId, page.page, ['', '', text]));
    }
    typos.addWords(texts);
  });

  const remove = db.transaction(removeSync);

  const clearAll = db.transaction(() => {
    db.exec('DELETE FROM docs; DELETE FROM doc_rows; DELETE FROM item_languages; DELETE FROM items;');
    typos.clear();
  });

  const cache = new Map<string, Database.Statement>();
  const prepared = <R>(sql: string): Database.Statement<QueryParams, R> => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement as Database.Statement<QueryParams, R>;
  };

  const typos = createTypoTolerance(db);

  // A prefix longer than the FTS prefix index ('2 3') is expanded through the vocabulary into
  // the words it stands for, when they are few: FTS5 would otherwise merge the doclists of every
  // such word into one before returning a single row, on each of the query's passes.
  const termExpression = (term: QueryTerm): string => {
    const exact = spellingExpression(term);
    const roots = term.words.length === 1 && !term.quoted ? queryRootKeys(term.words[0] as string) : null;
    if (roots === null) return exact;
    // A word shares a root with the query when one of the query's roots is among the word's other
    // roots (stem column) or is the word itself (fold column; the query's own key is in `exact`).
    const any = (ks: readonly string[]) => `(${ks.map((k) => `"${k}"`).join(' OR ')})`;
    const others = roots.slice(1);
    return `(${exact} OR stem : ${any(roots)}${others.length > 0 ? ` OR fold : ${any(others)}` : ''})`;
  };
  /** The term as typed or in another spelling (title, meta, body and fold columns). */
  const spellingExpression = (term: QueryTerm): string => {
    const plain = term.words.length === 1 && term.prefix ? indexWords(term.words[0] as string) : [];
    const word = plain[0];
    if (plain.length !== 1 || word === undefined || [...word].length < 4) {
      return toMatchExpression([term], COLUMNS) as string;
    }
    const key = COLUMNS.fold(word);
    const any = (words: string[] | null, prefix: string) =>
      words && words.length > 0 ? `(${words.map((w) => `"${w}"`).join(' OR ')})` : `"${prefix}"*`;
    const keys = [...key].length >= 4 ? typos.wordsStartingWith(key, MAX_PREFIX_WORDS) : null;
    const exact = any(typos.wordsStartingWith(word, MAX_PREFIX_WORDS), word);
    const folded = [...key].length >= 2 ? any(keys, key) : `"${key}"`;
    return `({${COLUMNS.exact.join(' ')}} : ${exact} OR ${COLUMNS.folded} : ${folded})`;
  };
  const matchOf = (terms: QueryTerm[]): string | null =>
    terms.length === 0 ? null : terms.map(termExpression).join(' AND ');
  const anyMatch = db.prepare<[string], number>('SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1').pluck();

  // Broad relevance queries (a term on most pages) are ranked on a bounded candidate set.
  const bounded = createBoundedRanking(db, {
    columns: COLUMNS,
    fromMatches: FROM_MATCHES,
    termExpression,
    rootKeys: queryRootKeys,
  });

  const snippetsFor = (
    rowIds: number[],
    match: string | null,
    isForm?: (word: string) => boolean,
  ): Map<number, string> => {
    const snippets = new Map<number, string>();
    if (rowIds.length === 0) return snippets;
    const rows =
      match === null
        ? prepared<HighlightRow>(PLAIN_TEXT_SQL).all({ rowIds: JSON.stringify(rowIds) })
        : prepared<HighlightRow>(HIGHLIGHTS_SQL).all({
            lo: BigInt(Math.min(...rowIds)),
            hi: BigInt(Math.max(...rowIds)),
            match,
            rowIds: JSON.stringify(rowIds),
            open: MARK_OPEN,
            close: MARK_CLOSE,
          });
    for (const h of rows) {
      const shown = displayText([h.hTitle ?? '', h.hMeta ?? '', h.hBody ?? '']);
      snippets.set(h.rowId, buildSnippet(shown, h.hFold, isForm));
    }
    return snippets;
  };

  const counter = createCounter(db, options.counts);

  const searchSync = (query: SearchQuery): Omit<SearchResult, 'tookMs'> => {
    const terms = parseQuery(query.q);
    const match = matchOf(terms);
    if (match === null && !query.browse) {
      return { total: 0, totalItems: 0, hits: [], items: [], facets: emptyFacets() };
    }
    const result = searchWith(query, match, terms);
    if (result.total > 0 || match === null) return result;
    // Nothing found: a word that matches nothing may be misspelled (typo-tolerance.ts).
    const tolerant = terms.map(
      (term): TolerantTerm => ({
        term,
        alternatives:
          correctable(term) && anyMatch.get(termExpression(term)) === undefined
            ? typos.corrections(term.words[0] as string)
            : [],
      }),
    );
    if (tolerant.every((t) => t.alternatives.length === 0)) return result;
    const scored = tolerant.map(({ term, alternatives }) =>
      alternatives[0] === undefined ? term : { words: [alternatives[0]], prefix: false },
    );
    // A corrected word stands for all its corrections when judging how broad the query is.
    const narrowing = tolerant.flatMap((t) =>
      t.alternatives.length === 0 ? wordMatches([t.term]) : [tolerantMatchExpression([t], matchOf) as string],
    );
    const corrected = searchWith(query, tolerantMatchExpression(tolerant, matchOf), scored, narrowing);
    if (corrected.total === 0) return corrected;
    const corrections = tolerant.flatMap(({ term, alternatives }) =>
      alternatives[0] === undefined ? [] : [{ from: term.words[0] as string, to: alternatives[0] }],
    );
    return { ...corrected, corrections };
  };

  /** The match expression of each single word (or prefix) of `terms`. */
  const wordMatches = (terms: QueryTerm[]): string[] =>
    terms.flatMap((t) =>
      t.words.map((w, i) =>
        termExpression({ words: [w], prefix: t.prefix && i === t.words.length - 1, quoted: t.quoted }),
      ),
    );

  /**
   * `narrowing`: expressions of which one on few rows makes the query narrow (counted exactly,
   * ranked by bm25); by default each word of `terms`.
   */
  const searchWith = (
    query: SearchQuery,
    match: string | null,
    terms: QueryTerm[],
    narrowing?: string[],
  ): Omit<SearchResult, 'tookMs'> => {
    const mode: MatchMode = match === null ? 'browse' : 'match';
    const sort = query.sort ?? 'relevance';
    const params: QueryParams = { ...(match !== null && { match }), ...filterParams(query), itemIds: null };
    const limit = clampLimit(query.limit);
    const offset = clampOffset(query.offset);
    // Candidates enough for the requested page: hits, or items when paging over items.
    const byItem = query.groupBy === 'item';
    const ranked =
      mode === 'match' && sort === 'relevance'
        ? bounded.rank(terms, params, offset + limit, byItem, narrowing ?? [])
        : null;
    let rows: HitRow[];
    if (ranked !== null) {
      rows =
        query.groupBy === 'item'
          ? pageOfItems(ranked, limit, offset, MAX_PAGES_PER_ITEM_HIT)
          : pageOfHits(ranked, limit, offset);
    } else if (query.groupBy === 'item' || mode === 'browse') {
      // Browsing has one hit per item: paging over hits is paging over items.
      const ids = prepared<{ itemId: string }>(itemPageSql(mode, sort))
        .all({ ...params, limit, offset })
        .map((row) => row.itemId);
      const position = new Map(ids.map((id, i) => [id, i]));
      rows =
        ids.length === 0
          ? []
          : prepared<HitRow>(hitsOfItemsSql(mode))
              .all({ ...params, itemIds: JSON.stringify(ids), perItem: MAX_PAGES_PER_ITEM_HIT })
              // Stable sort keeps best-first order within each item.
              .sort((a, b) => (position.get(a.itemId) ?? 0) - (position.get(b.itemId) ?? 0));
    } else {
      rows = prepared<HitRow>(pageHitsSql(mode, sort)).all({ ...params, limit, offset });
    }
    const snippets = snippetsFor(
      snippetRows(rows, byItem && query.snippets === 'best'),
      match,
      formMarker(terms),
    );
    const hits = rows.map(
      (row): RichHit => ({
        itemId: row.itemId,
        nomorInduk: row.nomorInduk,
        title: row.title,
        page: row.page,
        snippet: snippets.get(row.rowId) ?? '',
        // bm25() is lower-is-better; the port promises higher-is-better.
        score: -row.rk,
        ...(row.creator !== null && { creator: row.creator }),
        ...(row.year !== null && { year: row.year }),
        ...(row.type !== null && { type: row.type }),
        ...(row.rights !== null && { rights: row.rights }),
      }),
    );
    const items = groupByItem(hits);
    const counts = counter.count(mode, params, narrowing ?? wordMatches(terms));
    if (counts.estimated) {
      // An estimate never says less than the returned page shows.
      counts.totalItems = Math.max(counts.totalItems, (byItem ? offset : 0) + items.length);
      counts.total = Math.max(counts.total, counts.totalItems, (byItem ? 0 : offset) + hits.length);
    }
    return { ...counts, hits: hits.map(toPageHit), items };
  };

  return {
    async upsertItem(item, pages) {
      validateDocuments(item, pages);
      upsert(item, pages);
      counter.changed();
    },
    async removeItem(itemId) {
      remove(itemId);
      counter.changed();
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
      counter.changed();
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
  if (version === 1) {
    // v2 added title sort keys; fill them in for rows indexed before.
    db.exec("ALTER TABLE items ADD COLUMN title_sort TEXT NOT NULL DEFAULT ''");
    const rows = db
      .prepare<[], { itemId: string; title: string }>('SELECT item_id AS itemId, title FROM items')
      .all();
    const update = db.prepare('UPDATE items SET title_sort = ? WHERE item_id = ?');
    for (const row of rows) update.run(titleSortKey(row.title), row.itemId);
  }
  addStemColumn(db);
  db.exec(SCHEMA);
  db.exec(VOCAB_SCHEMA);
  // v3 added the vocabulary for spelling tolerance; fill it from what is indexed already.
  if (version >= 1 && version < 3) fillVocabularyFromIndex(db);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * v4 added the stem column. FTS5 tables cannot gain a column, so an older `docs` is renamed,
 * copied row by row with its stems computed, and dropped, in one transaction (the index is
 * derived data; a crash leaves the old table in place and the next start does this again).
 */
function addStemColumn(db: Database.Database): void {
  const hasDocs = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'docs'").get() !== undefined;
  if (!hasDocs) return;
  const columns = db
    .prepare<[], { name: string }>('PRAGMA table_info(docs)')
    .all()
    .map((c) => c.name);
  if (columns.includes('stem')) return;
  db.transaction(() => {
    db.exec('ALTER TABLE docs RENAME TO docs_v3');
    db.exec(SCHEMA);
    const insert = db.prepare(
      'INSERT INTO docs (rowid, title, meta, body, fold, stem) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const batch = db.prepare<
      [number],
      { rowId: number; title: string; meta: string; body: string; fold: string }
    >(
      'SELECT rowid AS rowId, title, meta, body, fold FROM docs_v3 WHERE rowid > ? ORDER BY rowid LIMIT 1000',
    );
    // In batches: a large index does not fit in memory at once.
    for (let after = 0, rows = batch.all(after); rows.length > 0; rows = batch.all(after)) {
      for (const r of rows) {
        insert.run(
          r.rowId,
          r.title,
          r.meta,
          r.body,
          r.fold,
          stemText(displayText([r.title, r.meta, r.body]), { others: true }),
        );
      }
      after = rows.at(-1)?.rowId ?? after;
    }
    db.exec('DROP TABLE docs_v3');
  })();
}

/** Rows needing a snippet: all, or (`best`) each item's first row and first page row. */
function snippetRows(rows: HitRow[], best: boolean): number[] {
  if (!best) return rows.map((row) => row.rowId);
  const first = new Set<string>();
  const firstPage = new Set<string>();
  const out: number[] = [];
  for (const row of rows) {
    const isFirst = !first.has(row.itemId);
    const isFirstPage = row.page !== null && !firstPage.has(row.itemId);
    first.add(row.itemId);
    if (row.page !== null) firstPage.add(row.itemId);
    if (isFirst || isFirstPage) out.push(row.rowId);
  }
  return out;
}

function filterParams(query: SearchQuery): QueryParams {
  const f = query.filters ?? {};
  const list = (values: string[] | undefined): string | null =>
    values && values.length > 0 ? JSON.stringify(values) : null;
  return {
    itemId: query.itemId ?? null,
    notRights: list(f.excludeRights),
    types: list(f.type),
    collections: list(f.collection),
    rights: list(f.rights),
    languages: list(f.language),
    yearFrom: f.yearFrom ?? null,
    yearTo: f.yearTo ?? null,
  };
}
