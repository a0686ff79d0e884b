import type { Item } from '../item.types.ts';
import { PUBLIC_ACCESS } from '../metadata.schema.ts';
import { type ItemRow, toItem } from './items.queries.ts';
import type { Db } from './open-register.ts';

/**
 * What a harvester (OAI-PMH, server/oai/) may list: items the public sees (available, open or
 * read-online) and withdrawn items that had been public, which are kept as `deleted` records.
 * Staff-only and held items never match. This is a pre-filter in SQL so that pages are cut in the
 * database; the caller still passes every row through core/access.ts (publicAccessOf).
 * Both adapters build their predicate from PUBLIC_ACCESS, so the list of public levels is kept once.
 */
export const HARVESTABLE_RIGHTS: readonly string[] = PUBLIC_ACCESS;

/**
 * One page of a harvest. Datestamps are items.updated_at, which every write to an item touches
 * (publication, metadata and access edits, withdrawal), as ISO-8601 strings with milliseconds.
 */
export interface HarvestQuery {
  /** Inclusive lower bound of updated_at (ISO-8601, milliseconds), or null. */
  from: string | null;
  /** Exclusive upper bound of updated_at, or null. */
  until: string | null;
  /** Only items whose metadata.collection is one of these exact values; null: any. */
  collections: readonly string[] | null;
  /** Only items whose metadata.type is one of these exact values; null: any. */
  types: readonly string[] | null;
}

export interface HarvestPage extends HarvestQuery {
  /** Keyset: only items whose id sorts after this one (the last id of the previous page). */
  afterId: string | null;
  /** At most this many items. */
  limit: number;
}

/** The distinct collection and type values among harvestable items (the OAI sets). */
export interface HarvestSetValues {
  collections: string[];
  types: string[];
}

const RIGHTS_LIST = HARVESTABLE_RIGHTS.map((r) => `'${r}'`).join(', ');
// Unary + keeps SQLite off the rights, status and collection indexes: through them it would fetch
// every public item and sort them all for each page. Walking the primary key in id order reads
// about one page's worth of rows.
const HARVESTABLE = `+json_extract(metadata, '$.rights') IN (${RIGHTS_LIST})
  AND (+status = 'available' OR (+status = 'withdrawn' AND available_at IS NOT NULL))`;

/** WHERE clause and parameters of a query; null when it cannot match (an empty value list). */
function whereOf(q: HarvestQuery, afterId: string | null = null): { sql: string; params: unknown[] } | null {
  const clauses = [HARVESTABLE];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (q.from !== null) add('updated_at >= ?', q.from);
  if (q.until !== null) add('updated_at < ?', q.until);
  for (const [field, values] of [
    ['collection', q.collections],
    ['type', q.types],
  ] as const) {
    if (values === null) continue;
    if (values.length === 0) return null;
    add(`+json_extract(metadata, '$.${field}') IN (${values.map(() => '?').join(', ')})`, ...values);
  }
  if (afterId !== null) add('id > ?', afterId);
  return { sql: clauses.join(' AND '), params };
}

/** The SQL of one harvest page and its parameters (exported for the query-plan test). */
export function harvestPageSql(q: HarvestPage): { sql: string; params: unknown[] } | null {
  const w = whereOf(q, q.afterId);
  return (
    w && { sql: `SELECT * FROM items WHERE ${w.sql} ORDER BY id LIMIT ?`, params: [...w.params, q.limit] }
  );
}

export function createHarvestQueries(db: Db) {
  const harvestable = HARVESTABLE;
  const where = whereOf;
  return {
    /**
     * Harvestable items matching `q`, ordered by id, after `afterId`. Keyed on the id, which never
     * changes: an item edited during a harvest keeps its place, so a paged harvest lists every
     * item that matches throughout exactly once (ordering by datestamp would move it to the end).
     */
    page(q: HarvestPage): Item[] {
      const s = harvestPageSql(q);
      return s
        ? db
            .prepare<unknown[], ItemRow>(s.sql)
            .all(...s.params)
            .map(toItem)
        : [];
    },
    /** How many harvestable items match `q`. */
    count(q: HarvestQuery): number {
      const w = where(q);
      if (!w) return 0;
      return (
        db
          .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM items WHERE ${w.sql}`)
          .get(...w.params)?.n ?? 0
      );
    },
    /** Distinct metadata.collection and metadata.type values of harvestable items, sorted. */
    setValues(): HarvestSetValues {
      const values = (field: string) =>
        db
          .prepare<[], { v: string }>(
            `SELECT DISTINCT json_extract(metadata, '$.${field}') AS v FROM items
             WHERE ${harvestable} AND json_extract(metadata, '$.${field}') IS NOT NULL ORDER BY v`,
          )
          .all()
          .map((r) => r.v)
          .filter((v) => typeof v === 'string');
      return { collections: values('collection'), types: values('type') };
    },
    /** The oldest datestamp (updated_at) of a harvestable item, or null when there is none. */
    earliestDatestamp(): string | null {
      return (
        db
          .prepare<[], { t: string | null }>(`SELECT MIN(updated_at) AS t FROM items WHERE ${harvestable}`)
          .get()?.t ?? null
      );
    },
  };
}

export type HarvestQueries = ReturnType<typeof createHarvestQueries>;
