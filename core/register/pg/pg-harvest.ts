import type pg from 'pg';
import { HARVESTABLE_RIGHTS, type HarvestQuery } from '../harvest.queries.ts';
import { type ItemRow, toItem } from '../items.queries.ts';
import type { Register } from '../register.ts';

/** `->>` reads a JSON string as text, as SQLite's json_extract does. */
const HARVESTABLE = `metadata ->> 'rights' = ANY ('{${HARVESTABLE_RIGHTS.join(',')}}'::text[])
  AND (status = 'available' OR (status = 'withdrawn' AND available_at IS NOT NULL))`;

/** WHERE clause and parameters of a query ($1…); null when it cannot match (an empty value list). */
function where(q: HarvestQuery, afterId: string | null = null): { sql: string; params: unknown[] } | null {
  const clauses = [HARVESTABLE];
  const params: unknown[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(params.length));
  };
  if (q.from !== null) add((n) => `updated_at >= $${n}`, q.from);
  if (q.until !== null) add((n) => `updated_at < $${n}`, q.until);
  for (const [field, values] of [
    ['collection', q.collections],
    ['type', q.types],
  ] as const) {
    if (values === null) continue;
    if (values.length === 0) return null;
    add((n) => `metadata ->> '${field}' = ANY ($${n}::text[])`, [...values]);
  }
  if (afterId !== null) add((n) => `id > $${n}`, afterId);
  return { sql: clauses.join(' AND '), params };
}

/** What harvesters may list, on PostgreSQL, as ../harvest.queries.ts. */
export function createPgHarvestQueries(pool: pg.Pool): Register['harvest'] {
  return {
    async page(q) {
      const w = where(q, q.afterId);
      if (!w) return [];
      const { rows } = await pool.query<ItemRow>(
        `SELECT * FROM items WHERE ${w.sql} ORDER BY id LIMIT $${w.params.length + 1}`,
        [...w.params, q.limit],
      );
      return rows.map(toItem);
    },
    async count(q) {
      const w = where(q);
      if (!w) return 0;
      const { rows } = await pool.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM items WHERE ${w.sql}`,
        w.params,
      );
      return rows[0]?.n ?? 0;
    },
    async setValues() {
      const values = async (field: string) => {
        const { rows } = await pool.query<{ v: string }>(
          `SELECT DISTINCT metadata ->> '${field}' AS v FROM items
           WHERE ${HARVESTABLE} AND metadata ->> '${field}' IS NOT NULL ORDER BY v`,
        );
        return rows.map((r) => r.v);
      };
      return { collections: await values('collection'), types: await values('type') };
    },
    async earliestDatestamp() {
      const { rows } = await pool.query<{ t: string | null }>(
        `SELECT MIN(updated_at) AS t FROM items WHERE ${HARVESTABLE}`,
      );
      return rows[0]?.t ?? null;
    },
  };
}
