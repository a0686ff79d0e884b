import type pg from 'pg';
import { catalogKey, keysOf, searchTextOf } from '../../catalog.types.ts';
import { CATALOG_SEARCH_LIMIT, likeWord, searchWords, toCatalogRecord } from '../catalog.queries.ts';
import type { Register } from '../register.ts';
import { withTransaction } from './pool.ts';

type Row = Parameters<typeof toCatalogRecord>[0];

/** The library's own catalogue on PostgreSQL, as ../catalog.queries.ts. */
export function createPgCatalogQueries(pool: pg.Pool): Register['catalog'] {
  return {
    importRecords(records, sourceFile) {
      return withTransaction(pool, async (tx) => {
        const at = new Date().toISOString();
        let inserted = 0;
        let updated = 0;
        for (const r of records) {
          // xmax = 0 only on a row this statement inserted (an update leaves the old row's xid).
          const { rows } = await tx.query<{ inserted: boolean }>(
            `INSERT INTO catalog_records (id, title, record, search_text, source_file, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, record = EXCLUDED.record,
               search_text = EXCLUDED.search_text, source_file = EXCLUDED.source_file,
               imported_at = EXCLUDED.imported_at
             RETURNING (xmax = 0) AS inserted`,
            [r.id, r.title, JSON.stringify(r), searchTextOf(r), sourceFile, at],
          );
          if (rows[0]?.inserted) inserted++;
          else updated++;
          await tx.query('DELETE FROM catalog_keys WHERE record_id = $1', [r.id]);
          const keys = keysOf(r);
          if (keys.length > 0) {
            await tx.query(
              `INSERT INTO catalog_keys (kind, value, record_id)
               SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t(k, v)
               ON CONFLICT DO NOTHING`,
              [keys.map((k) => k.kind), keys.map((k) => k.value), r.id],
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
