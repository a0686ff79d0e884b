/** Quarter turns a page can be given by staff (clockwise). */
import { ROTATIONS, type Rotation } from '../clean-settings.ts';
import { type ItemLists, parseItemLists } from '../item-lists.ts';
import type { Db } from './open-register.ts';

/** The quarter turns a register row may hold (the same list cleaning applies). */
export const STORED_ROTATIONS = ROTATIONS;
export type StoredRotation = Rotation;

/** Cleaning settings staff chose for an item; each absent field means the default. */
export interface StoredCleanSettings {
  rotate?: StoredRotation;
  deskew?: boolean;
  cropBorders?: boolean;
}

export function parseCleanSettings(json: string | null | undefined): StoredCleanSettings | null {
  if (!json) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  const out: StoredCleanSettings = {};
  if (raw.rotate === 90 || raw.rotate === 180 || raw.rotate === 270 || raw.rotate === 0)
    out.rotate = raw.rotate;
  if (typeof raw.deskew === 'boolean') out.deskew = raw.deskew;
  if (typeof raw.cropBorders === 'boolean') out.cropBorders = raw.cropBorders;
  return out;
}

/** Per-item processing settings staff chose for a re-run; absent means the configured default. */
export function createItemSettingsQueries(db: Db) {
  return {
    ocrLangs(itemId: string): string[] | null {
      const r = db.prepare('SELECT ocr_langs FROM items WHERE id = ?').get(itemId) as
        | { ocr_langs: string | null }
        | undefined;
      return r?.ocr_langs ? r.ocr_langs.split('+') : null;
    },
    setOcrLangs(itemId: string, langs: string[] | null): void {
      db.prepare('UPDATE items SET ocr_langs = ? WHERE id = ?').run(langs?.join('+') ?? null, itemId);
    },
    /** The item's cleaning settings (kept across retries and re-runs); null: the defaults. */
    cleanSettings(itemId: string): StoredCleanSettings | null {
      const r = db.prepare('SELECT clean_settings FROM items WHERE id = ?').get(itemId) as
        | { clean_settings: string | null }
        | undefined;
      return parseCleanSettings(r?.clean_settings);
    },
    setCleanSettings(itemId: string, settings: StoredCleanSettings | null): void {
      const json = settings && Object.keys(settings).length > 0 ? JSON.stringify(settings) : null;
      db.prepare('UPDATE items SET clean_settings = ? WHERE id = ?').run(json, itemId);
    },
    /** The metadata form's lists of collections and material types (defaults until an admin saves some). */
    itemLists(): ItemLists {
      const r = db.prepare(`SELECT value FROM settings WHERE key = 'item_lists'`).get() as
        | { value: string }
        | undefined;
      return parseItemLists(r?.value);
    },
    setItemLists(lists: ItemLists): void {
      db.prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES ('item_lists', ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ).run(JSON.stringify(lists), new Date().toISOString());
    },
  };
}
