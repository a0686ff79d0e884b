import type pg from 'pg';
import { parseItemLists } from '../../item-lists.ts';
import { parseCleanSettings } from '../item-settings.queries.ts';
import type { Register } from '../register.ts';

/** Per-item processing settings staff chose, on PostgreSQL (../item-settings.queries.ts). */
export function createPgItemSettingsQueries(pool: pg.Pool): Register['itemSettings'] {
  return {
    async ocrLangs(itemId) {
      const { rows } = await pool.query<{ ocr_langs: string | null }>(
        'SELECT ocr_langs FROM items WHERE id = $1',
        [itemId],
      );
      const langs = rows[0]?.ocr_langs;
      return langs ? langs.split('+') : null;
    },
    async setOcrLangs(itemId, langs) {
      await pool.query('UPDATE items SET ocr_langs = $1 WHERE id = $2', [langs?.join('+') ?? null, itemId]);
    },
    async cleanSettings(itemId) {
      // JSONB comes back as text (pool.ts), parsed and checked as on SQLite.
      const { rows } = await pool.query<{ clean_settings: string | null }>(
        'SELECT clean_settings FROM items WHERE id = $1',
        [itemId],
      );
      return parseCleanSettings(rows[0]?.clean_settings);
    },
    async setCleanSettings(itemId, settings) {
      const json = settings && Object.keys(settings).length > 0 ? JSON.stringify(settings) : null;
      await pool.query('UPDATE items SET clean_settings = $1 WHERE id = $2', [json, itemId]);
    },
    async itemLists() {
      const { rows } = await pool.query<{ value: string }>(
        `SELECT value FROM settings WHERE key = 'item_lists'`,
      );
      return parseItemLists(rows[0]?.value);
    },
    async setItemLists(lists) {
      await pool.query(
        `INSERT INTO settings (key, value, updated_at) VALUES ('item_lists', $1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [JSON.stringify(lists), new Date().toISOString()],
      );
    },
  };
}
