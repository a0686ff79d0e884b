/**
 * Bounded ranking for broad queries on the embedded index. FTS5's bm25() reads the whole doclist
 * of every query phrase to count the rows it occurs in (its IDF), and ORDER BY rank scores every
 * match: a word found on most pages costs ~1 s at 1M pages. When a query has a term found in more
 * than BROAD_TERM_ROWS rows, this module instead
 *   - takes the newest CANDIDATES matching rows (FTS5 walks doclists backwards by rowid and stops:
 *     cost grows with the candidate count, not with the collection),
 *   - scores them with the same BM25 (k1 1.2, b 0.75, the adapter's column weights, metadata rows
 *     boosted) in JS from their stored text, with each term's row count taken from a bounded
 *     probe (exact up to BROAD_TERM_ROWS, else extrapolated from rowid density),
 *   - and reports `total` exactly up to TOTAL_PROBE matches, extrapolated beyond (as Meilisearch's
 *     estimatedTotalHits does).
 * Queries whose terms are all rarer keep the adapter's exact bm25 path. The trade-off: for a very
 * common word, hits come from the newest matches rather than the whole collection.
 */
import type Database from 'better-sqlite3';
import { type MatchColumns, parseQuery, type QueryTerm, toMatchExpression } from './query-parse.ts';

export const BROAD_TERM_ROWS = 1000;
export const CANDIDATES = 200;
/** Deepest page of a broad query's hits that is ranked (offset + limit). */
export const TOTAL_PROBE = 1000;
/**
 * Broad queries count their matches among the newest rows first (x4 until enough matches are
 * found): `total` is exact when the window reaches the oldest row, extrapolated otherwise.
 */
export const FIRST_WINDOW_ROWS = 5000;
/** Column weights in FTS column order (title, meta, body, fold), as the adapter's RANK. */
const WEIGHTS = [10, 4, 1, 0.5] as const;
const METADATA_BOOST = 2;
const K1 = 1.2;
const B = 0.75;

export interface BoundedRow {
  rowId: number;
  itemId: string;
  page: number | null;
  nomorInduk: string;
  title: string;
  creator: string | null;
  year: number | null;
  /** Lower is better, like bm25(). */
  bm25rank: number;
}

export interface BoundedResult {
  total: number;
  rows: BoundedRow[];
}

interface CandidateRow extends Omit<BoundedRow, 'bm25rank'> {
  cTitle: string;
  cMeta: string;
  cBody: string;
  cFold: string;
}

/** Tokens as unicode61 with remove_diacritics 2 sees them: lowercase, marks stripped. */
function tokens(text: string): string[] {
  if (text === '') return [];
  // Most OCR text is ASCII: an ASCII-only pattern is several times faster than \p{L}.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  // Whole-text normalisation once is far cheaper than per word.
  const plain = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  return plain.match(/[\p{L}\p{N}]+/gu) ?? [];
}

const plainWord = (w: string) =>
  w
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');

/** Occurrences of `words` (a phrase; last word a prefix when `prefix`) in `toks`. */
function countPhrase(toks: string[], words: string[], prefix: boolean): number {
  let n = 0;
  const last = words.length - 1;
  for (let i = 0; i + last < toks.length; i++) {
    let ok = true;
    for (let k = 0; k <= last && ok; k++) {
      const t = toks[i + k] as string;
      const w = words[k] as string;
      ok = k === last && prefix ? t.startsWith(w) : t === w;
    }
    if (ok) n++;
  }
  return n;
}

export function createBoundedRanking(
  db: Database.Database,
  opts: { columns: MatchColumns; fromMatches: string },
) {
  const probeWord = db
    .prepare<[string, number], number>(
      'SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT ?',
    )
    .pluck();
  // Both stay inside the newest rows (rowid > @lo): FTS5 seeks its doclists to the bound, but
  // only when it is bound as an integer (BigInt); a REAL bound makes it scan the whole doclist.
  const probeMatches = db
    .prepare<Record<string, unknown>, number>(
      `SELECT docs.rowid ${opts.fromMatches} AND docs.rowid > @lo AND docs.rowid <= @hi
       ORDER BY docs.rowid DESC LIMIT @probeLimit`,
    )
    .pluck();
  const countInWindow = db
    .prepare<Record<string, unknown>, number>(
      `SELECT count(*) ${opts.fromMatches} AND docs.rowid > @lo AND docs.rowid <= @hi`,
    )
    .pluck();
  const maxRow = db.prepare<[], number | null>('SELECT max(row_id) FROM doc_rows').pluck();
  const itemRows = db.prepare<[string], { lo: number | null; hi: number | null }>(
    'SELECT min(row_id) - 1 AS lo, max(row_id) AS hi FROM doc_rows WHERE item_id = ?',
  );
  const candidates = db.prepare<[string], CandidateRow>(`
    SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, i.nomor_induk AS nomorInduk,
           i.title AS title, i.creator AS creator, i.year AS year,
           d.title AS cTitle, d.meta AS cMeta, d.body AS cBody, d.fold AS cFold
    FROM json_each(?) j
    CROSS JOIN doc_rows r ON r.row_id = j.value
    CROSS JOIN items i ON i.item_id = r.item_id
    CROSS JOIN docs d ON d.rowid = r.row_id`);

  /** Rows holding `term` (exact up to the cap, else extrapolated from rowid density). */
  function rowsHolding(term: QueryTerm, top: number): number {
    const ids = probeWord.all(toMatchExpression([term], opts.columns) as string, BROAD_TERM_ROWS + 1);
    if (ids.length <= BROAD_TERM_ROWS) return ids.length;
    const lowest = ids[BROAD_TERM_ROWS - 1] as number;
    return Math.round((BROAD_TERM_ROWS * top) / Math.max(1, top - lowest + 1));
  }

  function score(
    row: CandidateRow,
    cols: string[][],
    terms: QueryTerm[],
    idf: number[],
    avgLen: number[],
  ): number {
    let s = 0;
    terms.forEach((term, t) => {
      const exact = term.words.map(plainWord);
      const folded = term.words.map(opts.columns.fold);
      cols.forEach((toks, c) => {
        const tf = countPhrase(toks, c === 3 ? folded : exact, term.prefix);
        if (tf === 0) return;
        const norm = 1 - B + (B * toks.length) / Math.max(1, avgLen[c] as number);
        s += (WEIGHTS[c] as number) * (idf[t] as number) * ((tf * (K1 + 1)) / (tf + K1 * norm));
      });
    });
    return row.page === null ? s * METADATA_BOOST : s;
  }

  /**
   * Null when every term is narrow enough for exact bm25 ranking; otherwise the bounded result
   * for `params` (the adapter's match and filter parameters).
   */
  function search(
    q: string,
    params: Record<string, unknown>,
    page: { limit: number; offset: number },
  ): BoundedResult | null {
    const terms = parseQuery(q);
    const top = maxRow.get() ?? 0;
    if (terms.length === 0 || top === 0) return null;
    // Broad when any single word is on many rows: bm25 would read its whole doclist.
    const words = terms.flatMap((t) =>
      t.words.map((w, i) => ({ words: [w], prefix: t.prefix && i === t.words.length - 1 })),
    );
    const wordRows = words.map((w) => rowsHolding(w, top));
    if (wordRows.every((n) => n <= BROAD_TERM_ROWS)) return null;

    // Count matches in a window of the newest rows, widened until it holds enough of them. A search
    // inside one item only needs that item's rows (they are contiguous: one upsert inserts them).
    const want = Math.min(TOTAL_PROBE, Math.max(CANDIDATES, page.offset + page.limit));
    const range = typeof params.itemId === 'string' ? itemRows.get(params.itemId) : undefined;
    const floor = range?.lo ?? 0;
    const hi = range?.hi ?? top;
    let lo = Math.max(floor, hi - FIRST_WINDOW_ROWS);
    const count = () => countInWindow.get({ ...params, lo: BigInt(lo), hi: BigInt(hi) }) ?? 0;
    let n = count();
    while (n < want && lo > floor) {
      lo = Math.max(floor, hi - (hi - lo) * 4);
      n = count();
    }
    const total = lo === floor ? n : Math.round((n * (hi - floor)) / (hi - lo));
    const chosen = probeMatches.all({ ...params, lo: BigInt(lo), hi: BigInt(hi), probeLimit: want });
    if (chosen.length === 0) return { total, rows: [] };
    const rows = candidates.all(JSON.stringify(chosen));
    // IDF as FTS5's bm25 computes it, from the (estimated) rows holding each term.
    // A phrase is taken to be as common as its rarest word (an upper bound).
    let w = 0;
    const rowsPerTerm = terms.map((t) => {
      const mine = wordRows.slice(w, w + t.words.length);
      w += t.words.length;
      return Math.min(...mine);
    });
    const idf = rowsPerTerm.map((r) => Math.max(1e-6, Math.log((top - r + 0.5) / (r + 0.5))));
    const toks = rows.map((r) => [r.cTitle, r.cMeta, r.cBody, r.cFold].map(tokens));
    const lens = [0, 0, 0, 0];
    for (const cols of toks) {
      cols.forEach((t, c) => {
        lens[c] = (lens[c] as number) + t.length;
      });
    }
    const avgLen = lens.map((v) => v / Math.max(1, rows.length));
    const scored = rows
      .map((r, i) => ({ r, s: score(r, toks[i] as string[][], terms, idf, avgLen) }))
      .sort((a, b) => b.s - a.s || a.r.itemId.localeCompare(b.r.itemId) || (a.r.page ?? 0) - (b.r.page ?? 0))
      .slice(page.offset, page.offset + page.limit);
    const out = scored.map(
      ({ r, s }): BoundedRow => ({
        rowId: r.rowId,
        itemId: r.itemId,
        page: r.page,
        nomorInduk: r.nomorInduk,
        title: r.title,
        creator: r.creator,
        year: r.year,
        bm25rank: -s,
      }),
    );
    return { total, rows: out };
  }

  return { search };
}
