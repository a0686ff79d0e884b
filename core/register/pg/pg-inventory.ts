import type pg from 'pg';
import {
  COLUMNS,
  type InventoryEntry,
  type InventoryFilter,
  type InventorySort,
  nextDay,
  type Row,
  toEntry,
} from '../inventory.queries.ts';
import type { Register } from '../register.ts';

/**
 * Each sort as SQLite's (../inventory.queries.ts), on the indexes of PG migration 2. `title COLLATE
 * NOCASE` is lower(title COLLATE "C"): under "C", lower() folds ASCII letters only, as NOCASE does,
 * whatever LC_CTYPE the database has (a Unicode one would make "É" and "é" equal), and the
 * folded text sorts byte by byte.
 */
const ORDER: Record<InventorySort, string> = {
  date: 'created_at',
  nomor: 'nomor_induk',
  title: 'lower(title COLLATE "C")',
  pages: 'page_count',
  size: 'COALESCE(pdf_bytes, 0)',
};

/** The WHERE of a filter, its parameters numbered from $1. */
function whereOf(f: InventoryFilter): { sql: string; params: unknown[] } {
  const c: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (p: string) => string, v: unknown) => {
    params.push(v);
    c.push(cond(`$${params.length}`));
  };
  if (f.status) add((p) => `status = ${p}`, f.status);
  if (f.from) add((p) => `created_at >= ${p}`, `${f.from}T00:00:00`);
  if (f.to) add((p) => `created_at < ${p}`, nextDay(f.to));
  if (f.collection) add((p) => `metadata ->> 'collection' = ${p}`, f.collection);
  if (f.operator) add((p) => `operator = ${p}`, f.operator);
  if (f.q) {
    // SQLite's LIKE ignores the case of ASCII letters only. ILIKE follows the database's LC_CTYPE;
    // lower() under "C" folds ASCII only.
    const like = (col: string, p: string) =>
      `lower(${col} COLLATE "C") LIKE lower(${p}::text COLLATE "C") ESCAPE '\\'`;
    add(
      (p) => `(${like('title', p)} OR ${like('nomor_induk', p)} OR ${like('source_nomor_induk', p)})`,
      `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`,
    );
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params };
}

/** The inventory on PostgreSQL: filtered, sorted, paged reads of items for staff. */
export function createPgInventoryQueries(
  pool: pg.Pool,
  /** Rows per round trip of `iterate`. */
  { iteratePage = 500 }: { iteratePage?: number } = {},
): Register['inventory'] {
  return {
    async list(f = {}, p = {}) {
      const w = whereOf(f);
      const n = w.params.length;
      const dir = p.dir === 'asc' ? 'ASC' : 'DESC';
      // SQLite sorts NULL (an item without a nomor induk yet) first going up and last going down;
      // PostgreSQL the other way round unless told. Said only where a NULL can be: on a NOT NULL
      // column it would keep the planner from walking the index (items_created, items_title).
      const sort = p.sort ?? 'date';
      const nulls = sort !== 'nomor' ? '' : dir === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST';
      const order = `${ORDER[sort]} ${dir}${nulls}, id ${dir}`;
      // SQLite reads a negative LIMIT as none (PostgreSQL: LIMIT NULL) and a negative OFFSET as 0.
      const limit = p.limit === undefined || p.limit < 0 ? null : p.limit;
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM items ${w.sql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...w.params, limit, Math.max(0, p.offset ?? 0)],
      );
      return rows.map(toEntry);
    },
    /**
     * Every matching row, oldest first, one at a time: read in keyset pages of (created_at, id), so
     * an export of any size holds neither a connection nor a transaction between rows, and a
     * consumer that stops early leaves nothing open. Unlike SQLite's one statement, rows added
     * while the export runs may be included (when they sort after the last row read).
     */
    async *iterate(f: InventoryFilter = {}): AsyncGenerator<InventoryEntry> {
      const w = whereOf(f);
      const n = w.params.length;
      const after = `${w.sql ? `${w.sql} AND` : 'WHERE'} (created_at, id) > ($${n + 1}, $${n + 2})`;
      let last: [string, string] = ['', ''];
      for (;;) {
        const { rows } = await pool.query<Row>(
          `SELECT ${COLUMNS} FROM items ${after} ORDER BY created_at, id LIMIT ${iteratePage}`,
          [...w.params, ...last],
        );
        for (const r of rows) yield toEntry(r);
        const end = rows.at(-1);
        if (!end || rows.length < iteratePage) return;
        last = [end.created_at, end.id];
      }
    },
    async count(f = {}) {
      const w = whereOf(f);
      const { rows } = await pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM items ${w.sql}`, w.params);
      return rows[0]?.n ?? 0;
    },
    async collections() {
      const { rows } = await pool.query<{ c: string }>(
        `SELECT DISTINCT metadata ->> 'collection' AS c FROM items
         WHERE metadata ->> 'collection' IS NOT NULL ORDER BY c`,
      );
      return rows.map((r) => r.c);
    },
    async operators() {
      const { rows } = await pool.query<{ o: string }>(
        'SELECT DISTINCT operator AS o FROM items WHERE operator IS NOT NULL ORDER BY o',
      );
      return rows.map((r) => r.o);
    },
  };
}
