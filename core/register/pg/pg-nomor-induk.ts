import type pg from 'pg';
import type { NomorTemplate } from '../../nomor-induk.ts';
import { type Queryable, withTransaction } from './pool.ts';

/**
 * Give the item its nomor induk alih media, once; as items.queries.ts allocateNomorInduk on SQLite,
 * for any number of machines. In one transaction: the item's row is locked first (two workers
 * registering the same item wait for each other, and the second finds the number given), then the
 * series counter goes up by one in a single INSERT … ON CONFLICT DO UPDATE … RETURNING, whose row
 * lock holds every other allocation in that series until this transaction ends. A transaction
 * that rolls back takes its increment with it: numbers stay consecutive, never duplicated, never
 * reused; UNIQUE (series, seq) and UNIQUE (nomor_induk) back that up.
 */
export async function allocateNomorIndukPg(
  pool: pg.Pool,
  id: string,
  template: NomorTemplate,
  code: string,
  at = new Date(),
): Promise<string> {
  return withTransaction(pool, (tx) => allocateNomorIndukIn(tx, id, template, code, at));
}

/**
 * The same, as part of a larger transaction the caller holds on `tx` (receiving an item): the
 * locks are then held until that transaction ends, and a rollback takes the number with it.
 */
export async function allocateNomorIndukIn(
  tx: Queryable,
  id: string,
  template: NomorTemplate,
  code: string,
  at = new Date(),
): Promise<string> {
  const item = await tx.query<{ nomor_induk: string | null }>(
    'SELECT nomor_induk FROM items WHERE id = $1 FOR UPDATE',
    [id],
  );
  const row = item.rows[0];
  if (!row) throw new Error(`item ${id} not found`);
  if (row.nomor_induk) return row.nomor_induk;
  const series = template.series(at, code);
  const counter = await tx.query<{ last_seq: number }>(
    `INSERT INTO counters (series, last_seq) VALUES ($1, 1)
     ON CONFLICT (series) DO UPDATE SET last_seq = counters.last_seq + 1
     RETURNING last_seq`,
    [series],
  );
  const seq = counter.rows[0]?.last_seq as number;
  const nomor = template.render(seq, at, code);
  await tx.query(
    'UPDATE items SET nomor_induk = $1, series = $2, seq = $3, registered_at = $4, updated_at = $5 WHERE id = $6',
    [nomor, series, seq, at.toISOString(), new Date().toISOString(), id],
  );
  return nomor;
}
