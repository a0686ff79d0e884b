/**
 * Words of the staff workspace's official documents: the printed Buku Inventaris Alih Media and
 * the SOP report. Bahasa Indonesia first (the default), English second. Keys start with `sd_`.
 */
export const staffDocMessages = {
  sd_inv_call_number: { id: 'Nomor Panggil', en: 'Call number' },
  sd_period: { id: 'Periode: {period}', en: 'Period: {period}' },
  sd_period_all: { id: 'semua periode', en: 'all periods' },
  sd_period_year: { id: 'tahun {year}', en: 'the year {year}' },
  sd_period_since: { id: 'sejak {date}', en: 'from {date}' },
  sd_period_until: { id: 'sampai dengan {date}', en: 'up to {date}' },
  sd_period_range: { id: '{from} s.d. {to}', en: '{from} to {to}' },
  sd_filters: { id: 'Hanya: {list}', en: 'Only: {list}' },
  sd_filter_status: { id: 'status {value}', en: 'status {value}' },
  sd_filter_collection: { id: 'koleksi {value}', en: 'collection {value}' },
  sd_filter_operator: { id: 'operator {value}', en: 'operator {value}' },
  sd_filter_q: { id: 'judul/nomor memuat “{value}”', en: 'title/number containing “{value}”' },
  sd_sign_role: { id: 'Kepala {unit},', en: 'Head of {unit},' },
  sd_sign_default_unit: { id: 'Seksi Alih Media', en: 'the Alih Media Section' },
  sd_sign_nip: { id: 'NIP. {nip}', en: 'Staff ID (NIP) {nip}' },
  sd_total: { id: 'Jumlah: {items} item, {pages} halaman', en: 'Total: {items} items, {pages} pages' },
  sd_continued: { id: '{title} — {period} (lanjutan)', en: '{title} — {period} (continued)' },
  sd_remark_withdrawn: { id: 'Ditarik dari koleksi', en: 'Withdrawn from the collection' },
  sd_no_rows: { id: 'Tidak ada item pada periode ini.', en: 'No items in this period.' },
} as const;
