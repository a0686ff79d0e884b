import { createHash } from 'node:crypto';

/**
 * A record of the library's own catalogue (INLISLite or SLiMS), as `pindai catalog import` reads it
 * from a MARC 21, MARCXML or CSV export. Staff look records up by the keys below; intake fills an
 * item's empty metadata fields from the record its batch names.
 */
export interface CatalogRecord {
  /**
   * Stable across re-imports of the same export, so a second import updates the record: the MARC
   * control number (001), else the first nomor induk, barcode or ISBN, else a hash of title,
   * creators and year (see `catalogRecordId`).
   */
  id: string;
  /** Where it came from: 'marc' (ISO 2709), 'marcxml' or 'csv'. */
  format: 'marc' | 'marcxml' | 'csv';
  controlNumber: string | null;
  title: string;
  creators: string[];
  publisher: string | null;
  place: string | null;
  year: number | null;
  edition: string | null;
  isbn: string[];
  /** ISO 639-2 codes (ind, eng, …). */
  language: string[];
  subjects: string[];
  callNumber: string | null;
  /** Barcodes of the copies (eksemplar). */
  barcodes: string[];
  /** The library's own accession numbers (nomor induk) of the copies. */
  nomorInduk: string[];
}

/** The keys a record is found by. `control`: the MARC 001 control number. */
export const CATALOG_KEY_KINDS = ['barcode', 'nomorInduk', 'isbn', 'callNumber', 'control'] as const;
export type CatalogKeyKind = (typeof CATALOG_KEY_KINDS)[number];

/**
 * A key as stored and as looked up, the one normalisation both sides use: spaces collapsed and
 * case folded ("0001/lp/87" finds "0001/LP/87"); an ISBN without hyphens or spaces ("978-602-…"
 * finds "978602…").
 */
export function catalogKey(kind: CatalogKeyKind, value: string): string {
  const v = value.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
  return kind === 'isbn' ? v.replace(/[\s-]/g, '') : v;
}

/** Every key of a record, normalised and without repeats. */
export function keysOf(r: CatalogRecord): { kind: CatalogKeyKind; value: string }[] {
  const raw: [CatalogKeyKind, string | null][] = [
    ...r.barcodes.map((v): [CatalogKeyKind, string] => ['barcode', v]),
    ...r.nomorInduk.map((v): [CatalogKeyKind, string] => ['nomorInduk', v]),
    ...r.isbn.map((v): [CatalogKeyKind, string] => ['isbn', v]),
    ['callNumber', r.callNumber],
    ['control', r.controlNumber],
  ];
  const seen = new Set<string>();
  const out: { kind: CatalogKeyKind; value: string }[] = [];
  for (const [kind, v] of raw) {
    if (!v?.trim()) continue;
    const value = catalogKey(kind, v);
    if (seen.has(`${kind}\u0000${value}`)) continue;
    seen.add(`${kind}\u0000${value}`);
    out.push({ kind, value });
  }
  return out;
}

/**
 * Text folded for word search on both SQL engines alike: lower case, accents dropped (é → e),
 * so a LIKE over it needs no collation of the database's.
 */
export function foldForSearch(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What a record's words search covers: title, creators, publisher, subjects. */
export const searchTextOf = (r: CatalogRecord): string =>
  foldForSearch([r.title, ...r.creators, r.publisher ?? '', ...r.subjects].join(' '));

/** The record's stable id (see `CatalogRecord.id`). */
export function catalogRecordId(r: Omit<CatalogRecord, 'id'>): string {
  if (r.controlNumber?.trim()) return `001:${r.controlNumber.trim()}`;
  const first = (kind: CatalogKeyKind, vs: string[]) => {
    const v = vs.find((x) => x.trim());
    return v ? `${kind}:${catalogKey(kind, v)}` : null;
  };
  return (
    first('nomorInduk', r.nomorInduk) ??
    first('barcode', r.barcodes) ??
    first('isbn', r.isbn) ??
    `hash:${createHash('sha256')
      .update(JSON.stringify([r.title, r.creators, r.year]))
      .digest('hex')
      .slice(0, 16)}`
  );
}
