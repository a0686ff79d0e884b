/**
 * The controlled lists of the metadata form: collections and material types. Admins edit them
 * (/staf/daftar); until then these defaults apply. An item may still hold a value that is not in
 * a list (from metadata.json or an older list): the form keeps and shows it.
 */
export interface ItemLists {
  collections: string[];
  types: string[];
}

export const DEFAULT_ITEM_LISTS: ItemLists = {
  collections: ['Koleksi Umum', 'Koleksi Lokal', 'Koleksi Langka', 'Referensi'],
  types: ['Buku', 'Majalah', 'Surat Kabar', 'Naskah', 'Peta', 'Arsip', 'Foto'],
};

/** A stored value read back: each list trimmed, without blanks or repeats; defaults for what is missing. */
export function parseItemLists(json: string | null | undefined): ItemLists {
  if (!json) return DEFAULT_ITEM_LISTS;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return DEFAULT_ITEM_LISTS;
  }
  const list = (v: unknown, fallback: string[]) => {
    const out = Array.isArray(v) ? cleanList(v.map(String)) : [];
    return out.length ? out : fallback;
  };
  return {
    collections: list(raw.collections, DEFAULT_ITEM_LISTS.collections),
    types: list(raw.types, DEFAULT_ITEM_LISTS.types),
  };
}

export function cleanList(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim().slice(0, 100)).filter(Boolean))].slice(0, 200);
}
