import { flagMessage, type Lang, localeOf, type MessageKey, t } from './messages.ts';
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
  ['nomorPanggil', 'sd_inv_call_number'],
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

/**
 * Remarks: withdrawal, the failure reason and every flag for staff, in the reader's language
 * (what an auditor needs to know about the row; the processing status is a column of its own).
 */
export function remarksOf(e: InventoryEntry, lang: Lang): string {
  return [
    ...(e.status === 'withdrawn' ? [t(lang, 'sd_remark_withdrawn')] : []),
    ...(e.errorMessage ? [e.errorMessage] : []),
    ...e.flags.map((f) => flagMessage(lang, f)),
  ].join(' | ');
}

export function inventoryRow(e: InventoryEntry, lang: Lang): InventoryRow {
  return {
    nomorInduk: e.nomorInduk ?? '',
    tanggal: e.date.slice(0, 10),
    nomorIndukSumber: e.sourceNomorInduk ?? '',
    nomorPanggil: e.callNumber,
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

/** A day (YYYY-MM-DD, or an ISO time stamp: its UTC day) in words: "5 Desember 2026". */
export function longDate(day: string, lang: Lang): string {
  return new Date(`${day.slice(0, 10)}T00:00:00Z`).toLocaleDateString(localeOf(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const lastDayOfMonth = (ym: string) => {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** What a period (inclusive YYYY-MM-DD bounds, either open) is: a whole month or year, or a range. */
function periodKind(from?: string, to?: string) {
  if (
    from &&
    to &&
    from.slice(8) === '01' &&
    from.slice(0, 7) === to.slice(0, 7) &&
    to === lastDayOfMonth(from.slice(0, 7))
  )
    return { kind: 'month' as const, key: from.slice(0, 7) };
  if (from && to && from.endsWith('-01-01') && to === `${from.slice(0, 4)}-12-31`)
    return { kind: 'year' as const, key: from.slice(0, 4) };
  return { kind: 'range' as const, key: '' };
}

/** The period in words: "Desember 2026", "tahun 2026", "sejak 1 Desember 2026", "semua periode". */
export function periodWords(lang: Lang, from?: string, to?: string): string {
  const p = periodKind(from, to);
  if (p.kind === 'month') {
    return new Date(`${p.key}-01T00:00:00Z`).toLocaleDateString(localeOf(lang), {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  }
  if (p.kind === 'year') return t(lang, 'sd_period_year', { year: p.key });
  if (from && to) {
    return from === to
      ? longDate(from, lang)
      : t(lang, 'sd_period_range', { from: longDate(from, lang), to: longDate(to, lang) });
  }
  if (from) return t(lang, 'sd_period_since', { date: longDate(from, lang) });
  if (to) return t(lang, 'sd_period_until', { date: longDate(to, lang) });
  return t(lang, 'sd_period_all');
}

/** The printed register's file name: `buku-inventaris-alih-media-2026-12.pdf`, `…-semua.pdf`. */
export function inventoryFileName(ext: string, from?: string, to?: string): string {
  const p = periodKind(from, to);
  const span =
    p.kind !== 'range'
      ? p.key
      : from || to
        ? [from ?? 'awal', to ?? 'kini'].filter((d, i, a) => i === 0 || d !== a[0]).join('_')
        : 'semua';
  return `buku-inventaris-alih-media-${span}.${ext}`;
}

/** The filters besides the period, in words ("Hanya: koleksi Lokal, operator budi"), or ''. */
export function filterWords(
  lang: Lang,
  f: { status?: string; collection?: string; operator?: string; q?: string },
): string {
  const parts = [
    ...(f.status
      ? [t(lang, 'sd_filter_status', { value: t(lang, `st_status_${f.status}` as MessageKey) })]
      : []),
    ...(f.collection ? [t(lang, 'sd_filter_collection', { value: f.collection })] : []),
    ...(f.operator ? [t(lang, 'sd_filter_operator', { value: f.operator })] : []),
    ...(f.q ? [t(lang, 'sd_filter_q', { value: f.q })] : []),
  ];
  return parts.length ? t(lang, 'sd_filters', { list: parts.join(', ') }) : '';
}

/** What the printed Buku Inventaris says besides its rows: period, filters, place and signer. */
export interface InventoryPrint {
  lang: Lang;
  /** The period in words (periodWords). */
  period: string;
  /** The other filters in words (filterWords), '' when none. */
  filters: string;
  place: string;
  signer: string;
  nip: string;
  /** The signing date (YYYY-MM-DD). */
  date: string;
}

/** The letterhead of the printed register: the library's settings (PINDAI_LIBRARY_*). */
export interface InventoryLetterhead {
  institution?: string;
  /** The unit keeping the register; its head signs ("Kepala Seksi Alih Media"). */
  unit?: string;
  address: string[];
  contact: string[];
  logo?: { path: string; type: 'image/png' | 'image/jpeg' | 'image/svg+xml' };
}

/**
 * The printable Buku Inventaris (a PDF) of `rows`, in order. Implemented by
 * workers/engines/inventory-pdf.ts (pdf-lib) and handed to the staff workspace by the entry
 * point, with the letterhead already bound, so the web process never imports a PDF library itself.
 */
export type PrintInventory = (rows: InventoryEntry[], p: InventoryPrint) => Promise<Uint8Array>;
