import type { Db } from './open-register.ts';

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
  };
}
