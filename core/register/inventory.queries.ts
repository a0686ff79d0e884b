import type { ItemStatus, Stage } from '../item.types.ts';
import type { Db } from './open-register.ts';

/** One row of the Buku Inventaris Alih Media as staff read it (raw values; views format them). */
export interface InventoryEntry {
  id: string;
  nomorInduk: string | null;
  date: string;
  sourceNomorInduk: string | null;
  /** The source book's call number (metadata.callNumber), '' when none. */
  callNumber: string;
  title: string;
  creator: string;
  publisher: string;
  year: number | null;
  collection: string;
  pages: number;
  sourceFormat: string | null;
  resultFormat: string | null;
  fileBytes: number;
  operator: string | null;
  stage: Stage | null;
  status: ItemStatus;
  errorMessage: string | null;
  flags: { code: string; params?: Record<string, string | number> }[];
}

export const INVENTORY_SORTS = ['date', 'nomor', 'title', 'pages', 'size'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export interface InventoryFilter {
  status?: ItemStatus;
  /** Inclusive day bounds, YYYY-MM-DD, on the registration date (or the receiving date). */
  from?: string;
  to?: string;
  collection?: string;
  operator?: string;
  /** Words in title or nomor induk. */
  q?: string;
}

export interface InventoryPage {
  sort?: InventorySort;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

// Each sort is an indexed column with the id as tie-breaker, so deep pages stay cheap.
const ORDER: Record<InventorySort, string> = {
  date: 'created_at',
  nomor: 'nomor_induk',
  title: 'title COLLATE NOCASE',
  pages: 'page_count',
  size: 'COALESCE(pdf_bytes, 0)',
};

function whereOf(f: InventoryFilter): { sql: string; params: Record<string, unknown> } {
  const c: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.status) {
    c.push('status = @status');
    params.status = f.status;
  }
  if (f.from) {
    c.push('created_at >= @from');
    params.from = `${f.from}T00:00:00`;
  }
  if (f.to) {
    c.push('created_at < @to');
    params.to = nextDay(f.to);
  }
  if (f.collection) {
    c.push(`json_extract(metadata, '$.collection') = @collection`);
    params.collection = f.collection;
  }
  if (f.operator) {
    c.push('operator = @operator');
    params.operator = f.operator;
  }
  if (f.q) {
    c.push(
      `(title LIKE @q ESCAPE '\\' OR nomor_induk LIKE @q ESCAPE '\\' OR source_nomor_induk LIKE @q ESCAPE '\\')`,
    );
    params.q = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params };
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 19);
}

export interface Row {
  id: string;
  nomor_induk: string | null;
  created_at: string;
  registered_at: string | null;
  source_nomor_induk: string | null;
  title: string;
  metadata: string;
  flags: string;
  page_count: number;
  source_format: string | null;
  pdf_key: string | null;
  pdf_bytes: number | null;
  operator: string | null;
  stage: Stage | null;
  status: ItemStatus;
  error_message: string | null;
}

export function toEntry(r: Row): InventoryEntry {
  const m = JSON.parse(r.metadata) as Record<string, unknown>;
  return {
    id: r.id,
    nomorInduk: r.nomor_induk,
    date: r.registered_at ?? r.created_at,
    sourceNomorInduk: r.source_nomor_induk,
    callNumber: typeof m.callNumber === 'string' ? m.callNumber : '',
    title: r.title,
    creator: Array.isArray(m.creator) ? m.creator.join('; ') : '',
    publisher: typeof m.publisher === 'string' ? m.publisher : '',
    year: typeof m.year === 'number' ? m.year : null,
    collection: typeof m.collection === 'string' ? m.collection : '',
    pages: r.page_count,
    sourceFormat: r.source_format,
    resultFormat: r.pdf_key ? 'PDF' : null,
    fileBytes: r.pdf_bytes ?? 0,
    operator: r.operator,
    stage: r.stage,
    status: r.status,
    errorMessage: r.error_message,
    flags: JSON.parse(r.flags),
  };
}

export const COLUMNS = `id, nomor_induk, created_at, registered_at, source_nomor_induk, title, metadata, flags, page_count,
  source_format, pdf_key, pdf_bytes, operator, stage, status, error_message`;

/** The inventory: filtered, sorted, paged reads of items for staff. */
export function createInventoryQueries(db: Db) {
  return {
    list(f: InventoryFilter = {}, p: InventoryPage = {}): InventoryEntry[] {
      const w = whereOf(f);
      const dir = p.dir === 'asc' ? 'ASC' : 'DESC';
      const order = `${ORDER[p.sort ?? 'date']} ${dir}, id ${dir}`;
      return db
        .prepare(`SELECT ${COLUMNS} FROM items ${w.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit: p.limit ?? -1, offset: p.offset ?? 0 })
        .map((r) => toEntry(r as Row));
    },
    /** Every matching row, oldest first, one at a time (exports of any size). */
    *iterate(f: InventoryFilter = {}): Generator<InventoryEntry> {
      const w = whereOf(f);
      const stmt = db.prepare(`SELECT ${COLUMNS} FROM items ${w.sql} ORDER BY created_at, id`);
      for (const r of stmt.iterate(w.params)) yield toEntry(r as Row);
    },
    count(f: InventoryFilter = {}): number {
      const w = whereOf(f);
      return (db.prepare(`SELECT COUNT(*) AS n FROM items ${w.sql}`).get(w.params) as { n: number }).n;
    },
    collections(): string[] {
      return (
        db
          .prepare(
            `SELECT DISTINCT json_extract(metadata, '$.collection') AS c FROM items WHERE c IS NOT NULL ORDER BY c`,
          )
          .all() as { c: string }[]
      ).map((r) => r.c);
    },
    operators(): string[] {
      return (
        db.prepare('SELECT DISTINCT operator AS o FROM items WHERE o IS NOT NULL ORDER BY o').all() as {
          o: string;
        }[]
      ).map((r) => r.o);
    },
  };
}

export type InventoryQueries = ReturnType<typeof createInventoryQueries>;
