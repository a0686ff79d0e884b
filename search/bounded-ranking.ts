/**
 * Bounded ranking for broad queries on the embedded index. FTS5's bm25() reads the whole doclist
 * of every query phrase to count the rows it occurs in (its IDF), and ORDER BY rank scores every
 * match: a word found on most pages costs ~1 s at 1M pages. When a relevance-sorted query has a
 * term found in more than BROAD_TERM_ROWS rows, this module instead
 *   - takes the newest matching rows that pass the filters (FTS5 walks doclists backwards by
 *     rowid and stops: cost grows with the candidate count, not with the collection),
 *   - scores them with the same BM25 (k1 1.2, b 0.75, the adapter's column weights, metadata rows
 *     boosted) in JS from their stored text, with each term's row count taken from a bounded
 *     probe (exact up to BROAD_TERM_ROWS, else extrapolated from rowid density),
 *   - and pages over them by hit or by item as the exact path does.
 * Totals and facets are counted apart (embedded.search-counts.ts: exact for narrow queries,
 * estimated for broad ones). Queries whose terms are all rarer, and other sorts, keep the exact
 * bm25 path. The trade-off: for a very common word, hits come from the newest matches, not the
 * whole collection, and pages beyond TOTAL_PROBE hits (MAX_RESULT_WINDOW) are empty.
 */
import type Database from 'better-sqlite3';
import type { MatchColumns, QueryTerm } from './query-parse.ts';
import { toMatchExpression } from './query-parse.ts';
import { MAX_RESULT_WINDOW } from './search-index.ts';

export const BROAD_TERM_ROWS = 1000;
/** Candidates ranked at least (more when the requested page reaches deeper). */
export const CANDIDATES = 200;
/** Most candidates ranked for one query: pages beyond this depth come back empty. */
export const TOTAL_PROBE = MAX_RESULT_WINDOW;
/** Paging over items: newest matching rows walked at most to find enough distinct items. */
export const ITEM_PROBE_ROWS = 20_000;
/** Queries matching at most this many rows have them all read at once (forwards; see choose). */
const FEW_MATCHES = 1000;
/** Paging over items: most candidate rows per item (as many as an item hit lists pages). */
export const ITEM_CANDIDATE_ROWS = 10;
/** Column weights in FTS column order (title, meta, body, fold, stem), as the adapter's RANK. */
const WEIGHTS = [10, 4, 1, 0.5, 0.25] as const;
const METADATA_BOOST = 2;
const K1 = 1.2;
const B = 0.75;

/** A ranked candidate, shaped like the exact path's hit rows. */
export interface BoundedRow {
  rowId: number;
  itemId: string;
  page: number | null;
  nomorInduk: string;
  title: string;
  creator: string | null;
  year: number | null;
  type: string | null;
  rights: string | null;
  /** Lower is better, like bm25(). */
  rk: number;
}

interface CandidateRow extends Omit<BoundedRow, 'rk'> {
  cTitle: string;
  cMeta: string;
  cBody: string;
  cFold: string;
  cStem: string;
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

const isTokenChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** Tokens in lowercase ASCII text, counted without building them. */
function countTokens(lower: string): number {
  let n = 0;
  let inside = false;
  for (let i = 0; i < lower.length; i++) {
    const t = isTokenChar(lower.charCodeAt(i));
    if (t && !inside) n++;
    inside = t;
  }
  return n;
}

/** Whole-token occurrences of `word` (a token prefix when `prefix`) in lowercase ASCII text. */
function countWord(lower: string, word: string, prefix: boolean): number {
  let n = 0;
  for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
    if (at > 0 && isTokenChar(lower.charCodeAt(at - 1))) continue;
    const end = at + word.length;
    if (!prefix && end < lower.length && isTokenChar(lower.charCodeAt(end))) continue;
    n++;
  }
  return n;
}

type StatTerm = { words: string[]; prefix: boolean };

/** Every term one plain ASCII word: what columnStats can count in place (once per query). */
function allOneWord(terms: StatTerm[]): boolean {
  return terms.every((t) => t.words.length === 1 && /^[a-z0-9]+$/.test(t.words[0] as string));
}

/** A column's length in tokens and each query term's count in it. */
interface ColumnStats {
  length: number;
  tf: number[];
}

/**
 * The same counts as tokens() + countPhrase() give. ASCII text and one-word terms (nearly every
 * query on OCR text) are counted in place, several times faster than building every token.
 */
export function columnStats(
  text: string,
  terms: StatTerm[],
  oneWordTerms: boolean = allOneWord(terms),
): ColumnStats {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point
  if (oneWordTerms && /^[\x00-\x7f]*$/.test(text)) {
    const lower = text.toLowerCase();
    return {
      length: countTokens(lower),
      tf: terms.map((t) => countWord(lower, t.words[0] as string, t.prefix)),
    };
  }
  const toks = tokens(text);
  return { length: toks.length, tf: terms.map((t) => countPhrase(toks, t.words, t.prefix)) };
}

export function createBoundedRanking(
  db: Database.Database,
  opts: {
    columns: MatchColumns;
    fromMatches: string;
    termExpression?: (term: QueryTerm) => string;
    /** Root keys a one-word term is looked up by in the stem column (null: none). */
    rootKeys?: (word: string) => readonly string[] | null;
  },
) {
  const probeWord = db
    .prepare<[string, number], number>(
      'SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT ?',
    )
    .pluck();
  // Stays inside @lo..@hi: FTS5 seeks its doclists to the bounds, but only when they are bound as
  // integers (BigInt); a REAL bound makes it scan the whole doclist.
  const probeMatches = db.prepare<Record<string, unknown>, { rowId: number; itemId: string }>(
    `SELECT docs.rowid AS rowId, r.item_id AS itemId ${opts.fromMatches}
       AND docs.rowid > @lo AND docs.rowid <= @hi
     ORDER BY docs.rowid DESC LIMIT @probeLimit`,
  );
  // The same rows oldest first: FTS5 walks an AND over a long doclist (a common word with a rare
  // one) several times faster forwards than backwards, so few matches are read this way.
  const probeForward = db.prepare<Record<string, unknown>, { rowId: number; itemId: string }>(
    `SELECT docs.rowid AS rowId, r.item_id AS itemId ${opts.fromMatches}
       AND docs.rowid > @lo AND docs.rowid <= @hi
     ORDER BY docs.rowid LIMIT @probeLimit`,
  );
  const maxRow = db.prepare<[], number | null>('SELECT max(row_id) FROM doc_rows').pluck();
  const itemRows = db.prepare<[string], { lo: number | null; hi: number | null }>(
    'SELECT min(row_id) - 1 AS lo, max(row_id) AS hi FROM doc_rows WHERE item_id = ?',
  );
  const candidatesSql = (stem: string) => `
    SELECT r.row_id AS rowId, r.item_id AS itemId, r.page AS page, i.nomor_induk AS nomorInduk,
           i.title AS title, i.creator AS creator, i.year AS year, i.type AS type, i.rights AS rights,
           d.title AS cTitle, d.meta AS cMeta, d.body AS cBody, d.fold AS cFold, ${stem} AS cStem
    FROM json_each(?) j
    CROSS JOIN doc_rows r ON r.row_id = j.value
    CROSS JOIN items i ON i.item_id = r.item_id
    CROSS JOIN docs d ON d.rowid = r.row_id`;
  const candidates = db.prepare<[string], CandidateRow>(candidatesSql('d.stem'));
  // Phrases and short words have no roots: their stem column would be read for nothing.
  const candidatesNoStem = db.prepare<[string], CandidateRow>(candidatesSql("''"));

  /** Rows holding `term` (exact up to the cap, else extrapolated from rowid density). */
  function rowsHolding(term: QueryTerm, top: number): number {
    const expression = opts.termExpression?.(term) ?? (toMatchExpression([term], opts.columns) as string);
    const ids = probeWord.all(expression, BROAD_TERM_ROWS + 1);
    if (ids.length <= BROAD_TERM_ROWS) return ids.length;
    const lowest = ids[BROAD_TERM_ROWS - 1] as number;
    return Math.round((BROAD_TERM_ROWS * top) / Math.max(1, top - lowest + 1));
  }

  /** BM25 of one row from its columns' stats (FTS column order; fold counts the folded words). */
  function score(row: CandidateRow, cols: ColumnStats[], idf: number[], avgLen: number[]): number {
    let s = 0;
    cols.forEach(({ length, tf }, c) => {
      const norm = 1 - B + (B * length) / Math.max(1, avgLen[c] as number);
      tf.forEach((n, t) => {
        if (n > 0) s += (WEIGHTS[c] as number) * (idf[t] as number) * ((n * (K1 + 1)) / (n + K1 * norm));
      });
    });
    return row.page === null ? s * METADATA_BOOST : s;
  }

  /**
   * Newest matching rows to rank. By hits: `want` rows (clamped to CANDIDATES..TOTAL_PROBE). By
   * items: the rows of the newest `want` items (at least CANDIDATES / 10), at most
   * ITEM_CANDIDATE_ROWS per item (unless searching inside one item) and an equal share of TOTAL_PROBE (a long book must not crowd
   * out the others); once an item has its share the walk jumps below the item's first row, so
   * the cost grows with the items wanted, not with their length (at most ITEM_PROBE_ROWS rows).
   */
  function choose(
    params: Record<string, unknown>,
    lo: number,
    hi: number,
    want: number,
    byItem: boolean,
    few: boolean,
  ) {
    const bounds = (upper: number) => ({ ...params, lo: BigInt(lo), hi: BigInt(upper) });
    // `few`: a word of the query is on at most FEW_MATCHES rows, so the query matches no more:
    // all of them, newest first, from one forward read bounded by that word's doclist. (Without
    // such a word a forward read could scan far, e.g. a phrase of two common words.)
    const forward = few ? probeForward.all({ ...bounds(hi), probeLimit: FEW_MATCHES + 1 }) : [];
    const all = few && forward.length <= FEW_MATCHES ? forward.reverse() : null;
    /** Matching rows at or below `from`, newest first, at most `limit`. */
    function* below(from: number, limit: number): Generator<{ rowId: number; itemId: string }> {
      if (all === null) {
        yield* probeMatches.iterate({ ...bounds(from), probeLimit: limit });
        return;
      }
      let n = 0;
      for (const r of all) {
        if (n >= limit) return;
        if (r.rowId > from) continue;
        n++;
        yield r;
      }
    }
    if (!byItem) {
      const probeLimit = Math.min(TOTAL_PROBE, Math.max(CANDIDATES, want));
      return [...below(hi, probeLimit)].map((r) => r.rowId);
    }
    const items = Math.min(TOTAL_PROBE, Math.max(CANDIDATES / 10, want));
    // Inside one item, all its candidates count (its best pages are the whole answer).
    const cap = typeof params.itemId === 'string' ? TOTAL_PROBE : ITEM_CANDIDATE_ROWS;
    const perItem = Math.max(1, Math.min(cap, Math.floor(TOTAL_PROBE / items)));
    const taken = new Map<string, number>();
    const chosen: number[] = [];
    let walked = 0;
    let upper: number | null = hi;
    while (upper !== null && upper > lo && walked < ITEM_PROBE_ROWS) {
      const from: number = upper;
      upper = null;
      for (const r of below(from, ITEM_PROBE_ROWS - walked)) {
        walked++;
        const n = (taken.get(r.itemId) ?? 0) + 1;
        if (n === 1 && taken.size === items) break;
        taken.set(r.itemId, n);
        chosen.push(r.rowId);
        if (n === perItem) {
          // Its share is full: continue below the item's rows (contiguous: one upsert).
          upper = itemRows.get(r.itemId)?.lo ?? null;
          break;
        }
      }
    }
    return chosen;
  }

  /**
   * Null when every term is narrow enough for exact bm25 ranking; otherwise the chosen newest
   * rows matching `params` (the adapter's match and filter parameters; see `choose` for `want`),
   * scored for `terms` (the query's terms, a corrected word in place of a misspelled one),
   * best first (ties by item id, then page).
   */
  function rank(
    terms: QueryTerm[],
    params: Record<string, unknown>,
    want: number,
    byItem = false,
    alsoProbe: string[] = [],
  ): BoundedRow[] | null {
    const top = maxRow.get() ?? 0;
    if (terms.length === 0 || top === 0) return null;
    // Broad when any single word is on many rows: bm25 would read its whole doclist. So is
    // any of `alsoProbe` (the corrections a misspelt word stands for).
    const words = terms.flatMap((t) =>
      // A word of a quoted phrase is looked up as written: the phrase matches no other forms.
      t.words.map((w, i) => ({ words: [w], prefix: t.prefix && i === t.words.length - 1, quoted: t.quoted })),
    );
    const wordRows = words.map((w) => rowsHolding(w, top));
    const broad = (expression: string) =>
      probeWord.all(expression, BROAD_TERM_ROWS + 1).length > BROAD_TERM_ROWS;
    if (wordRows.every((n) => n <= BROAD_TERM_ROWS) && !alsoProbe.some(broad)) return null;

    // A search inside one item only needs that item's rows (contiguous: one upsert inserts them).
    const range = typeof params.itemId === 'string' ? itemRows.get(params.itemId) : undefined;
    const lo = range?.lo ?? 0;
    const hi = range?.hi ?? top;
    const few = alsoProbe.length === 0 && Math.min(...wordRows) <= FEW_MATCHES;
    const chosen = choose(params, lo, hi, want, byItem, few);
    if (chosen.length === 0) return [];
    const roots = terms.map((t) =>
      t.words.length === 1 && !t.quoted ? (opts.rootKeys?.(t.words[0] as string) ?? []) : [],
    );
    const rows = (roots.some((r) => r.length > 0) ? candidates : candidatesNoStem).all(
      JSON.stringify(chosen),
    );
    // IDF as FTS5's bm25 computes it, from the (estimated) rows holding each term.
    // A phrase is taken to be as common as its rarest word (an upper bound).
    let w = 0;
    const rowsPerTerm = terms.map((t) => {
      const mine = wordRows.slice(w, w + t.words.length);
      w += t.words.length;
      return Math.min(...mine);
    });
    const idf = rowsPerTerm.map((r) => Math.max(1e-6, Math.log((top - r + 0.5) / (r + 0.5))));
    const exact = terms.map((t) => ({ words: t.words.map(plainWord), prefix: t.prefix }));
    const folded = terms.map((t) => ({ words: t.words.map(opts.columns.fold), prefix: t.prefix }));
    const exactOneWord = allOneWord(exact);
    const foldedOneWord = allOneWord(folded);
    // The stem column holds each word's other roots once per row; a query root may also be a word
    // of the row itself (fold). A term counts once if any of its roots is in either.
    const stemStats = (stem: string, fold: string): ColumnStats => {
      const keys = new Set(stem === '' ? [] : stem.split(' '));
      const words = roots.some((ks) => ks.length > 1)
        ? new Set(fold.toLowerCase().split(/[^\p{L}\p{N}]+/u))
        : null;
      const has = (ks: readonly string[]) => ks.some((k, i) => keys.has(k) || (i > 0 && words?.has(k)));
      return { length: keys.size, tf: roots.map((ks) => (has(ks) ? 1 : 0)) };
    };
    const stats = rows.map((r) => [
      columnStats(r.cTitle, exact, exactOneWord),
      columnStats(r.cMeta, exact, exactOneWord),
      columnStats(r.cBody, exact, exactOneWord),
      columnStats(r.cFold, folded, foldedOneWord),
      stemStats(r.cStem, r.cFold),
    ]);
    const lens = [0, 0, 0, 0, 0];
    for (const cols of stats) {
      cols.forEach((col, c) => {
        lens[c] = (lens[c] as number) + col.length;
      });
    }
    const avgLen = lens.map((v) => v / Math.max(1, rows.length));
    return rows
      .map((r, i) => ({ r, s: score(r, stats[i] as ColumnStats[], idf, avgLen) }))
      .sort((a, b) => b.s - a.s || a.r.itemId.localeCompare(b.r.itemId) || (a.r.page ?? 0) - (b.r.page ?? 0))
      .map(
        ({ r, s }): BoundedRow => ({
          rowId: r.rowId,
          itemId: r.itemId,
          page: r.page,
          nomorInduk: r.nomorInduk,
          title: r.title,
          creator: r.creator,
          year: r.year,
          type: r.type,
          rights: r.rights,
          rk: -s,
        }),
      );
  }

  return { rank };
}

/** One page of hits over ranked rows (best first), as pageHitsSql does for relevance. */
export function pageOfHits<R>(ranked: R[], limit: number, offset: number): R[] {
  return ranked.slice(offset, offset + limit);
}

/**
 * One page of items over ranked rows (best first), as itemPageSql + hitsOfItemsSql do for
 * relevance: items by their best row, and per item its metadata row and up to `perItem` page
 * rows, best first.
 */
export function pageOfItems<R extends { itemId: string; page: number | null }>(
  ranked: R[],
  limit: number,
  offset: number,
  perItem: number,
): R[] {
  const byItem = new Map<string, R[]>();
  for (const row of ranked) {
    const rows = byItem.get(row.itemId) ?? [];
    rows.push(row);
    byItem.set(row.itemId, rows);
  }
  const out: R[] = [];
  for (const rows of [...byItem.values()].slice(offset, offset + limit)) {
    let pages = 0;
    for (const row of rows) {
      if (row.page !== null && pages++ >= perItem) continue;
      out.push(row);
    }
  }
  return out;
}
