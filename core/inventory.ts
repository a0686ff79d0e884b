import { flagMessage, type Lang, type MessageKey, t } from './messages.ts';
import type { InventoryEntry } from './register/inventory.queries.ts';

/**
 * The Buku Inventaris Alih Media as rows: the one row builder for every copy of it (the staff
 * CSV and XLSX exports, the printed PDF's remarks, `pindai inventory`).
 */

/** Column keys and headers, in order. */
export const INVENTORY_COLUMNS = [
  ['nomorInduk', 'st_inv_nomor'],
  ['tanggal', 'st_inv_date'],
  ['nomorIndukSumber', 'st_inv_source_nomor'],
  ['judul', 'st_inv_title_col'],
  ['pengarang', 'st_inv_creator'],
  ['penerbit', 'st_inv_publisher'],
  ['tahun', 'st_inv_year'],
  ['halaman', 'st_inv_pages'],
  ['formatSumber', 'st_inv_source_format'],
  ['formatHasil', 'st_inv_result_format'],
  ['ukuranBerkas', 'st_inv_size_bytes'],
  ['operator', 'st_inv_operator'],
  ['koleksi', 'st_inv_collection'],
  ['tahap', 'st_inv_stage'],
  ['status', 'st_inv_status'],
  ['keterangan', 'st_inv_remarks'],
] as const satisfies readonly (readonly [string, MessageKey])[];

export type InventoryRow = Record<(typeof INVENTORY_COLUMNS)[number][0], string | number | null>;

/** Remarks: the failure reason and every flag for staff, in the reader's language. */
export function remarksOf(e: InventoryEntry, lang: Lang): string {
  return [...(e.errorMessage ? [e.errorMessage] : []), ...e.flags.map((f) => flagMessage(lang, f))].join(
    ' | ',
  );
}

export function inventoryRow(e: InventoryEntry, lang: Lang): InventoryRow {
  return {
    nomorInduk: e.nomorInduk ?? '',
    tanggal: e.date.slice(0, 10),
    nomorIndukSumber: e.sourceNomorInduk ?? '',
    judul: e.title,
    pengarang: e.creator,
    penerbit: e.publisher,
    tahun: e.year,
    halaman: e.pages,
    formatSumber: e.sourceFormat ?? '',
    formatHasil: e.resultFormat ?? '',
    ukuranBerkas: e.fileBytes,
    operator: e.operator ?? '',
    koleksi: e.collection,
    tahap: e.stage ? t(lang, `st_stage_${e.stage}`) : '',
    status: t(lang, `st_status_${e.status}`),
    keterangan: remarksOf(e, lang),
  };
}

/**
 * The header and the rows as CSV records (for the one CSV writer, core/csv.ts), as the register
 * hands the entries over: one by one.
 */
export async function* inventoryRecords(
  entries: Iterable<InventoryEntry> | AsyncIterable<InventoryEntry>,
  lang: Lang,
): AsyncGenerator<(string | number | null)[]> {
  yield INVENTORY_COLUMNS.map(([, key]) => t(lang, key));
  for await (const e of entries) {
    const r = inventoryRow(e, lang);
    yield INVENTORY_COLUMNS.map(([k]) => r[k]);
  }
}

/** What the printed Buku Inventaris says besides its rows: period, place and signer. */
export interface InventoryPrint {
  lang: Lang;
  /** Inclusive YYYY-MM-DD bounds, or undefined for "all". */
  from?: string;
  to?: string;
  place: string;
  signer: string;
  nip: string;
  /** The signing date (YYYY-MM-DD). */
  date: string;
  institution?: string;
}

/**
 * The printable Buku Inventaris (a PDF) of `rows`, in order. Implemented by
 * workers/engines/inventory-pdf.ts (pdf-lib) and handed to the staff workspace by the entry
 * point, so the web process never imports a PDF library itself.
 */
export type PrintInventory = (rows: InventoryEntry[], p: InventoryPrint) => Promise<Uint8Array>;
