import { flagMessage, type Lang, t } from '../../core/messages.ts';
import type { InventoryEntry } from '../../core/register/inventory.queries.ts';

/** Column keys and headers of the inventory exports (CSV, XLSX), in order. */
export const EXPORT_COLUMNS = [
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
] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number][0], string | number | null>;

/** Remarks: the failure reason and every flag for staff, in the reader's language. */
export function remarksOf(e: InventoryEntry, lang: Lang): string {
  return [...(e.errorMessage ? [e.errorMessage] : []), ...e.flags.map((f) => flagMessage(lang, f))].join(
    ' | ',
  );
}

export function exportRow(e: InventoryEntry, lang: Lang): ExportRow {
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
