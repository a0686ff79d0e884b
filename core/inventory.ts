import { csvText } from './csv.ts';
import type { ItemStatus } from './item.types.ts';
import { flagMessage, isMessageKey, type Lang, t } from './messages.ts';
import type { Register } from './register/register.ts';

/** One row of the Buku Inventaris Alih Media. */
export interface InventoryRow {
  nomorInduk: string;
  tanggal: string;
  nomorIndukSumber: string;
  judul: string;
  pengarang: string;
  tahun: string;
  halaman: number;
  formatSumber: string;
  formatHasil: string;
  ukuranBerkas: number;
  status: string;
  keterangan: string;
}

const statusKey = (s: ItemStatus) => `status_${s}` as const;

export function inventoryRows(register: Register, lang: Lang): InventoryRow[] {
  return register.items.list().map((it) => {
    const remarks = [
      ...(it.errorMessage ? [it.errorMessage] : []),
      ...it.flags.map((f) => flagMessage(lang, f)),
    ];
    const sk = statusKey(it.status);
    return {
      nomorInduk: it.nomorInduk ?? '',
      tanggal: (it.registeredAt ?? it.createdAt).slice(0, 10),
      nomorIndukSumber: it.sourceNomorInduk ?? '',
      judul: it.title,
      pengarang: it.metadata.creator?.join('; ') ?? '',
      tahun: it.metadata.year ? String(it.metadata.year) : '',
      halaman: it.pageCount,
      formatSumber: it.sourceFormat ?? '',
      formatHasil: it.pdfKey ? 'PDF' : '',
      ukuranBerkas: it.pdfBytes ?? 0,
      status: isMessageKey(sk) ? t(lang, sk) : it.status,
      keterangan: remarks.join(' | '),
    };
  });
}

/** The Buku Inventaris as CSV (the one CSV writer: BOM, CRLF, formula guard). */
export function toCsv(rows: InventoryRow[]): string {
  const header = [
    'Nomor Induk Alih Media',
    'Tanggal',
    'Nomor Induk Sumber',
    'Judul',
    'Pengarang',
    'Tahun',
    'Halaman',
    'Format Sumber',
    'Format Hasil',
    'Ukuran Berkas (bita)',
    'Status',
    'Keterangan',
  ];
  return csvText([header, ...rows.map((r) => Object.values(r) as (string | number)[])]);
}
