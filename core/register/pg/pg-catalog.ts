import type pg from 'pg';
import { catalogKey, keysOf, searchTextOf } from '../../catalog.types.ts';
import {
  CATALOG_SEARCH_LIMIT,
  lastOfEach,
  likeWord,
  searchWords,
  toCatalogRecord,
} from '../catalog.queries.ts';
import type { Register } from '../register.ts';
import { withTransaction } from './pool.ts';

type Row = Parameters<typeof toCatalogRecord>[0];

/** Records per INSERT of an import. */
const BATCH = 500;

/** The library's own catalogue on PostgreSQL, as ../catalog.queries.ts. */
export function createPgCatalogQueries(pool: pg.Pool): Register['catalog'] {
  return {
    importRecords(records, sourceFile) {
      return withTransaction(pool, async (tx) => {
        const at = new Date().toISOString();
        let inserted = 0;
        let updated = 0;
        const all = lastOfEach(records);
        // In slices of rows per statement: a catalogue of 100,000 records is not 300,000 round trips.
        for (let i = 0; i < all.length; i += BATCH) {
          const part = all.slice(i, i + BATCH);
          // xmax = 0 only on a row this statement inserted (an update leaves the old row's xid).
          const { rows } = await tx.query<{ inserted: boolean }>(
            `INSERT INTO catalog_records (id, title, record, search_text, source_file, imported_at)
             SELECT id, title, record, search, $5, $6
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, title, record, search)
             ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, record = EXCLUDED.record,
               search_text = EXCLUDED.search_text, source_file = EXCLUDED.source_file,
               imported_at = EXCLUDED.imported_at
             RETURNING (xmax = 0) AS inserted`,
            [
              part.map((r) => r.id),
              part.map((r) => r.title),
              part.map((r) => JSON.stringify(r)),
              part.map(searchTextOf),
              sourceFile,
              at,
            ],
          );
          for (const r of rows) {
            if (r.inserted) inserted++;
            else updated++;
          }
          await tx.query('DELETE FROM catalog_keys WHERE record_id = ANY($1::text[])', [
            part.map((r) => r.id),
          ]);
          const keys = part.flatMap((r) => keysOf(r).map((k) => ({ ...k, id: r.id })));
          if (keys.length > 0) {
            await tx.query(
              `INSERT INTO catalog_keys (kind, value, record_id)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
               ON CONFLICT DO NOTHING`,
              [keys.map((k) => k.kind), keys.map((k) => k.value), keys.map((k) => k.id)],
            );
          }
        }
        return { inserted, updated };
      });
    },
    async get(id) {
      const { rows } = await pool.query<Row>('SELECT record FROM catalog_records WHERE id = $1', [id]);
      return rows[0] ? toCatalogRecord(rows[0]) : null;
    },
    async find(kind, value) {
      const { rows } = await pool.query<Row>(
        `SELECT r.record FROM catalog_keys k JOIN catalog_records r ON r.id = k.record_id
         WHERE k.kind = $1 AND k.value = $2 ORDER BY r.id LIMIT $3`,
        [kind, catalogKey(kind, value), CATALOG_SEARCH_LIMIT],
      );
      return rows.map(toCatalogRecord);
    },
    async search(q, limit = 20) {
      const n = Math.min(Math.max(1, limit), CATALOG_SEARCH_LIMIT);
      const byKey = await pool.query<Row & { id: string }>(
        `SELECT DISTINCT r.record, r.id FROM catalog_keys k JOIN catalog_records r ON r.id = k.record_id
         WHERE (k.kind = 'isbn' AND k.value = $1) OR (k.kind <> 'isbn' AND k.value = $2)
         ORDER BY r.id`,
        [catalogKey('isbn', q), catalogKey('barcode', q)],
      );
      const words = searchWords(q);
      const byWords = words.length
        ? (
            await pool.query<Row>(
              `SELECT record FROM catalog_records
               WHERE ${words.map((_, i) => `search_text LIKE $${i + 1} ESCAPE '\\'`).join(' AND ')}
               ORDER BY title, id LIMIT ${n}`,
              words.map(likeWord),
            )
          ).rows
        : [];
      const seen = new Set<string>();
      const out = [];
      for (const r of [...byKey.rows, ...byWords].map(toCatalogRecord)) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r);
      }
      return out.slice(0, n);
    },
    async count() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM catalog_records');
      return rows[0]?.n ?? 0;
    },
  };
}
