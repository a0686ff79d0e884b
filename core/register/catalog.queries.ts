import {
  type CatalogKeyKind,
  type CatalogRecord,
  catalogKey,
  foldForSearch,
  keysOf,
  searchTextOf,
} from '../catalog.types.ts';
import { type Db, inTransaction } from './open-register.ts';

export interface CatalogImportResult {
  /** Records new to the register. */
  inserted: number;
  /** Records already there (same id), replaced by the import's version. */
  updated: number;
}

/** One version per id, the last given winning (an export listing a record twice). */
export const lastOfEach = (records: CatalogRecord[]): CatalogRecord[] => [
  ...new Map(records.map((r) => [r.id, r])).values(),
];

/** Records a staff search or a lookup returns at most. */
export const CATALOG_SEARCH_LIMIT = 50;

interface Row {
  record: string;
}

export const toCatalogRecord = (r: Row): CatalogRecord => JSON.parse(r.record) as CatalogRecord;

/** Search words of at least this many characters count (shorter ones match nearly everything). */
export const searchWords = (q: string) =>
  foldForSearch(q)
    .split(' ')
    .filter((w) => w.length >= 2)
    .slice(0, 8);

/** LIKE pattern for a word, its wildcards escaped with `\`. */
export const likeWord = (w: string) => `%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The library's own catalogue: records imported from INLISLite/SLiMS exports, found by key or words. */
export function createCatalogQueries(db: Db) {
  const upsert = db.prepare<{
    id: string;
    title: string;
    record: string;
    search: string;
    file: string;
    at: string;
  }>(
    `INSERT INTO catalog_records (id, title, record, search_text, source_file, imported_at)
     VALUES (@id, @title, @record, @search, @file, @at)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, record = excluded.record,
       search_text = excluded.search_text, source_file = excluded.source_file, imported_at = excluded.imported_at`,
  );
  const exists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM catalog_records WHERE id = ?');
  const dropKeys = db.prepare<[string]>('DELETE FROM catalog_keys WHERE record_id = ?');
  const addKey = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO catalog_keys (kind, value, record_id) VALUES (?, ?, ?)',
  );
  return {
    /**
     * Store every record of one import in ONE transaction (all or nothing). A record whose id is
     * already there is replaced, keys and all: a re-import of the same export updates, never doubles.
     * An id given twice in `records` is stored once, as its last version.
     */
    importRecords(records: CatalogRecord[], sourceFile: string): CatalogImportResult {
      return inTransaction(db, () => {
        const at = new Date().toISOString();
        let inserted = 0;
        let updated = 0;
        for (const r of lastOfEach(records)) {
          if (exists.get(r.id)) updated++;
          else inserted++;
          upsert.run({
            id: r.id,
            title: r.title,
            record: JSON.stringify(r),
            search: searchTextOf(r),
            file: sourceFile,
            at,
          });
          dropKeys.run(r.id);
          for (const k of keysOf(r)) addKey.run(k.kind, k.value, r.id);
        }
        return { inserted, updated };
      });
    },
    get(id: string): CatalogRecord | null {
      const r = db.prepare<[string], Row>('SELECT record FROM catalog_records WHERE id = ?').get(id);
      return r ? toCatalogRecord(r) : null;
    },
    /** Records with this key (normalised as `catalogKey` does), in id order. */
    find(kind: CatalogKeyKind, value: string): CatalogRecord[] {
      return db
        .prepare<[string, string, number], Row>(
          `SELECT r.record FROM catalog_keys k JOIN catalog_records r ON r.id = k.record_id
           WHERE k.kind = ? AND k.value = ? ORDER BY r.id LIMIT ?`,
        )
        .all(kind, catalogKey(kind, value), CATALOG_SEARCH_LIMIT)
        .map(toCatalogRecord);
    },
    /**
     * Staff search: records that have `q` as any key (barcode, nomor induk, ISBN, call number,
     * control number), then records whose title, creators, publisher or subjects hold every word of
     * `q` (accents and case folded), by title.
     */
    search(q: string, limit = 20): CatalogRecord[] {
      const n = Math.min(Math.max(1, limit), CATALOG_SEARCH_LIMIT);
      const byKey = db
        .prepare<string[], Row>(
          `SELECT DISTINCT r.record, r.id FROM catalog_keys k JOIN catalog_records r ON r.id = k.record_id
           WHERE (k.kind = 'isbn' AND k.value = ?) OR (k.kind <> 'isbn' AND k.value = ?)
           ORDER BY r.id`,
        )
        .all(catalogKey('isbn', q), catalogKey('barcode', q));
      const words = searchWords(q);
      const byWords = words.length
        ? db
            .prepare<string[], Row>(
              `SELECT record FROM catalog_records
               WHERE ${words.map(() => `search_text LIKE ? ESCAPE '\\'`).join(' AND ')}
               ORDER BY title, id LIMIT ${n}`,
            )
            .all(...words.map(likeWord))
        : [];
      const seen = new Set<string>();
      const out: CatalogRecord[] = [];
      for (const r of [...byKey, ...byWords].map(toCatalogRecord)) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r);
      }
      return out.slice(0, n);
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM catalog_records').get() as { n: number }).n;
    },
  };
}
