import { catalogMessages } from './messages/catalog.messages.ts';
import { collectionMessages } from './messages/collection.messages.ts';
import { fixityMessages } from './messages/fixity.messages.ts';
import { oaiMessages } from './messages/oai.messages.ts';
import { replicaMessages } from './messages/replica.messages.ts';
import { staffMessages } from './messages/staff.messages.ts';
import { staffDocMessages } from './messages/staff-docs.messages.ts';
import { webMessages } from './messages/web.messages.ts';

/**
 * The message catalogue: every sentence an operator, patron or staff member reads, and the one
 * lookup over it. Each area keeps its words in a file of its own (this file: intake, the pipeline,
 * receipts and the CLI; messages/: the web pages, the collection, the staff workspace); keys are
 * unique across them. Bahasa Indonesia first (the default), English second. Params are written {name}.
 */
export type Lang = 'id' | 'en';

/** The BCP 47 locale numbers and dates are written in for `lang`. */
export const localeOf = (lang: Lang): string => (lang === 'id' ? 'id-ID' : 'en-GB');

const pipelineMessages = {
  image_unsupported: {
    id: 'Berkas "{file}" bukan gambar JPEG, PNG, TIFF atau dokumen PDF: isinya tidak dikenali sebagai hasil pindai. Kirim halaman pindaian dalam salah satu jenis itu.',
    en: 'File "{file}" is not a JPEG, PNG or TIFF image or a PDF document: its contents are not a recognisable scan. Send the scanned pages as one of those types.',
  },
  image_unsupported_text: {
    id: 'Berkas "{file}" bukan gambar hasil pindai: isinya teks biasa, walaupun namanya seperti gambar. Kirim halaman pindaian sebagai JPEG, PNG, TIFF atau PDF.',
    en: 'File "{file}" is not a scanned image: it holds plain text, although its name looks like an image. Send the scanned pages as JPEG, PNG, TIFF or PDF.',
  },
  image_empty: { id: 'Berkas "{file}" kosong (0 bita).', en: 'File "{file}" is empty (0 bytes).' },
  image_corrupt: {
    id: 'Berkas "{file}" rusak: gambarnya tidak dapat dibaca. Salin ulang berkas dari pemindai atau pindai ulang halaman ini.',
    en: 'File "{file}" is damaged: its image cannot be read. Copy the file from the scanner again or scan this page again.',
  },
  image_truncated: {
    id: 'Berkas "{file}" terpotong: isinya berhenti sebelum gambarnya selesai (penyalinan atau pemindaian tidak lengkap). Salin ulang berkas dari pemindai atau pindai ulang halaman ini.',
    en: 'File "{file}" is cut short: it ends before its image does (an incomplete copy or scan). Copy the file from the scanner again or scan this page again.',
  },
  image_too_large: {
    id: 'Gambar "{file}" terlalu besar ({width}×{height} piksel; batas {maxPixels} piksel).',
    en: 'Image "{file}" is too large ({width}×{height} pixels; limit {maxPixels} pixels).',
  },
  image_page_missing: {
    id: 'Halaman {page} tidak ada di berkas TIFF (berkas berisi {pages} halaman).',
    en: 'Page {page} is missing from the TIFF file (it has {pages} pages).',
  },
  image_region_outside: {
    id: 'Bagian halaman (kolom piksel {x0} sampai {x1}) berada di luar gambar selebar {width} piksel. Periksa pembagian halaman ganda.',
    en: 'The page region (pixel columns {x0} to {x1}) lies outside the {width}-pixel-wide image. Check the spread split.',
  },
  batch_empty: {
    id: 'Folder tidak berisi halaman pindaian (gambar JPEG, PNG, TIFF atau berkas PDF).',
    en: 'The folder holds no scanned pages (JPEG, PNG or TIFF images, or PDF files).',
  },
  batch_unsafe_entry: {
    id: 'Isi folder tidak aman dan dilewati: "{file}" ({detail}).',
    en: 'Unsafe entry skipped: "{file}" ({detail}).',
  },
  batch_duplicate: {
    id: 'Batch ini sama persis dengan item {nomorInduk} ("{title}") yang sudah terdaftar. Tidak didaftarkan ulang.',
    en: 'This batch is identical to item {nomorInduk} ("{title}") already registered. Not registered again.',
  },
  metadata_invalid: {
    id: 'metadata.json tidak valid: {detail}. Item tetap didaftarkan; mohon staf melengkapi metadata.',
    en: 'metadata.json is invalid: {detail}. The item was registered anyway; staff should complete the metadata.',
  },
  held_for_review: {
    id: 'Ditahan untuk ditinjau, belum tampil untuk publik: {why} Staf memeriksa hak aksesnya lalu menerbitkannya (Staf → Tinjau).',
    en: 'Held for review, not public: {why} Staff check its access rights, then publish it (Staff → Review).',
  },
  held_metadata_missing: {
    id: 'tidak ada metadata.json, jadi hak aksesnya tidak diketahui.',
    en: 'there is no metadata.json, so its access rights are unknown.',
  },
  held_metadata_malformed: {
    id: 'metadata.json bukan JSON yang sah ({detail}).',
    en: 'metadata.json is not valid JSON ({detail}).',
  },
  held_metadata_unreadable: {
    id: 'metadata.json tidak dapat dibaca ({detail}).',
    en: 'metadata.json cannot be read ({detail}).',
  },
  held_metadata_too_large: {
    id: 'metadata.json terlalu besar untuk berkas metadata ({detail}).',
    en: 'metadata.json is too large to be metadata ({detail}).',
  },
  held_metadata_ambiguous: {
    id: 'hak aksesnya tidak tunggal: dua nilai "rights" yang berbeda, atau lebih dari satu berkas metadata.json.',
    en: 'its access rights are not single: two different "rights" values, or more than one metadata.json file.',
  },
  held_rights_unrecognised: {
    id: 'nilai "rights" {value} tidak dikenal (yang dikenal: open/terbuka, read-online/baca-online, staff-only/terbatas, review/tinjau).',
    en: 'the "rights" value {value} is not recognised (known: open/terbuka, read-online/baca-online, staff-only/terbatas, review/tinjau).',
  },
  held_rights_review: {
    id: 'metadata meminta peninjauan (rights: review).',
    en: 'its metadata asks for review (rights: review).',
  },
  held_access_default_review: {
    id: 'aturan perpustakaan: setiap item baru ditinjau dulu (PINDAI_DEFAULT_ACCESS=review).',
    en: 'library rule: every new item is reviewed first (PINDAI_DEFAULT_ACCESS=review).',
  },
  held_registered_before_review: {
    id: 'item terdaftar sebelum hak akses diperiksa, dengan metadata yang hilang atau tidak sah.',
    en: 'the item was registered before access rights were checked, with missing or invalid metadata.',
  },
  metadata_missing: {
    id: 'Tidak ada metadata.json. Item didaftarkan dengan judul nama folder; mohon staf melengkapi metadata.',
    en: 'No metadata.json. The item was registered under the folder name; staff should complete the metadata.',
  },
  page_count_mismatch: {
    id: 'metadata.json menyebut {expected} halaman, tetapi ditemukan {actual}.',
    en: 'metadata.json says {expected} pages, but {actual} were found.',
  },
  page_number_gap: {
    id: 'Nomor halaman melompat: {detail}. Periksa apakah ada halaman yang belum dipindai.',
    en: 'Page numbers skip: {detail}. Check whether a page was not scanned.',
  },
  store_verify_failed: {
    id: 'Salinan berkas "{file}" di penyimpanan tidak cocok dengan aslinya (SHA-256). Berkas asli tidak dipindahkan.',
    en: 'The stored copy of "{file}" does not match the original (SHA-256). The original was left in place.',
  },
  store_conflict: {
    id: 'Di penyimpanan sudah ada berkas lain dengan nama untuk "{file}"; berkas itu tidak ditimpa. Periksa penyimpanan.',
    en: 'The store already holds other bytes under the name for "{file}"; they were not overwritten. Check the store.',
  },
  ocr_timeout: {
    id: 'Halaman {page}: OCR melebihi batas waktu; halaman ini tanpa lapisan teks.',
    en: 'Page {page}: OCR timed out; this page has no text layer.',
  },
  ocr_failed: {
    id: 'OCR gagal membaca halaman: {detail}',
    en: 'OCR could not read the page: {detail}',
  },
  ocr_lang_missing: {
    id: 'Data bahasa OCR tidak terpasang: {detail}',
    en: 'OCR language data is not installed: {detail}',
  },
  stage_crashed: {
    id: 'Tahap {stage} berulang kali menghentikan proses; item ditahan untuk diperiksa staf.',
    en: 'Stage {stage} repeatedly stopped the process; the item is held for staff.',
  },
  stage_failed: {
    id: 'Tahap {stage} gagal: {detail}',
    en: 'Stage {stage} failed: {detail}',
  },
  // Register events (the item's history in the staff workspace).
  event_accepted: {
    id: 'Batch diterima: {pages} halaman, berkas asli tersimpan dan terverifikasi.',
    en: 'Batch accepted: {pages} pages, originals stored and verified.',
  },
  event_batch_rejected: {
    id: 'Batch "{batch}" ditolak ({reasons}).',
    en: 'Batch "{batch}" rejected ({reasons}).',
  },
  event_restored_from_manifest: {
    id: 'Dipulihkan ke register dari manifes di penyimpanan.',
    en: 'Restored to the register from its manifest in the store.',
  },
  event_stage_failed: { id: 'Tahap {stage} gagal ({code}).', en: 'Stage {stage} failed ({code}).' },
  event_fixity_mismatch: {
    id: 'Fixity tidak cocok: {key} seharusnya {expected}, sekarang {actual}.',
    en: 'Fixity mismatch: {key} expected {expected}, now {actual}.',
  },
  internal_error: { id: 'Kesalahan internal: {detail}', en: 'Internal error: {detail}' },
  receipt_accepted: {
    id: 'Diterima {date}. Item {nomorInduk}: "{title}", {pages} halaman. Berkas asli tersimpan dan terverifikasi (SHA-256).',
    en: 'Accepted {date}. Item {nomorInduk}: "{title}", {pages} pages. Originals stored and verified (SHA-256).',
  },
  receipt_rejected: {
    id: 'Ditolak {date}. Alasan:',
    en: 'Rejected {date}. Reason:',
  },
  receipt_fix_hint: {
    id: 'Perbaiki isi folder ini lalu salin kembali ke folder masuk (inbox) sebagai folder baru.',
    en: 'Fix the contents of this folder, then copy it back into the inbox as a new folder.',
  },
  image_unsupported_svg: {
    id: 'Berkas "{file}" sebenarnya gambar vektor SVG/XML, bukan hasil pindai. Kirim halaman pindaian sebagai JPEG, PNG, TIFF atau PDF.',
    en: 'File "{file}" is really an SVG/XML vector drawing, not a scan. Send the scanned pages as JPEG, PNG, TIFF or PDF.',
  },
  pdf_encrypted: {
    id: 'Berkas "{file}" adalah PDF terenkripsi (berkata sandi atau dikunci) dan tidak dapat dibaca dengan pasti; tidak diproses. Simpan ulang PDF dari pemindai tanpa kata sandi/proteksi, atau kirim halamannya sebagai gambar.',
    en: 'File "{file}" is an encrypted (password-protected or locked) PDF and cannot be read reliably; not processed. Save the PDF from the scanner again without a password/protection, or send its pages as images.',
  },
  pdf_broken: {
    id: 'Berkas "{file}" adalah PDF yang rusak atau tidak lengkap ({detail}); tidak diproses. Salin ulang berkas dari pemindai.',
    en: 'File "{file}" is a damaged or incomplete PDF ({detail}); not processed. Copy the file from the scanner again.',
  },
  pdf_script: {
    id: 'Berkas "{file}" adalah PDF yang berisi skrip atau tindakan otomatis ({detail}); demi keamanan tidak diproses. Cetak ulang ke PDF tanpa skrip, atau kirim halamannya sebagai gambar.',
    en: 'File "{file}" is a PDF that contains scripts or automatic actions ({detail}); refused for safety. Print it again to a PDF without scripts, or send its pages as images.',
  },
  pdf_too_many_pages: {
    id: 'PDF "{file}" berisi {pages} halaman, melebihi batas {max} halaman per berkas. Bagi menjadi beberapa berkas/batch.',
    en: 'PDF "{file}" has {pages} pages, over the limit of {max} pages per file. Split it into several files or batches.',
  },
  image_too_many_pages: {
    id: 'Berkas "{file}" berisi {pages} halaman, melebihi batas {max} halaman per berkas. Bagi menjadi beberapa berkas/batch.',
    en: 'File "{file}" has {pages} pages, over the limit of {max} pages per file. Split it into several files or batches.',
  },
  batch_too_many_pages: {
    id: 'Batch berisi lebih dari {max} halaman ({pages}); batas per batch {max}. Bagi menjadi beberapa batch (satu batch = satu item).',
    en: 'The batch holds more than {max} pages ({pages}); the limit per batch is {max}. Split it into several batches (one batch = one item).',
  },
  page_count_odd: {
    id: 'Jumlah halaman ganjil ({pages}). Periksa apakah ada halaman yang terlewat dipindai (buku biasanya bernomor genap).',
    en: 'Odd number of pages ({pages}). Check whether a page was skipped (a book usually has an even count).',
  },
  page_spread_split: {
    id: 'Halaman ganda (dua halaman dalam satu gambar) dipisah menjadi dua halaman: {files}. Periksa urutan dan batas potongnya.',
    en: 'Two-page spreads were split into two pages each: {files}. Check their order and where they were cut.',
  },
  page_spread_possible: {
    id: 'Gambar yang mungkin berisi dua halaman dibiarkan utuh karena belum pasti: {files}. Periksa; pindai ulang per halaman bila perlu.',
    en: 'Images that may hold two pages were kept whole because it was not certain: {files}. Check them; rescan page by page if needed.',
  },
  page_blank: {
    id: 'Halaman tampak kosong: {page}. Periksa apakah memang halaman kosong atau hasil pindai gagal.',
    en: 'Pages that look blank: {page}. Check whether they really are blank or the scan failed.',
  },
  batch_other_files: {
    id: 'Berkas yang bukan halaman pindaian dilewati: {files}.',
    en: 'Files that are not scanned pages were skipped: {files}.',
  },
  batch_name_reused: {
    id: 'Nama folder ini sama dengan batch yang diterima {date} sebagai item {nomorInduk}. Mungkin ini lanjutannya yang terpisah karena penyalinan sempat terhenti; mohon staf memeriksa dan menggabungkan bila perlu.',
    en: 'This folder has the same name as a batch received {date} as item {nomorInduk}. It may be the rest of it, split off because copying paused; staff should check and merge if needed.',
  },
  fixity_summary: {
    id: 'Pemeriksaan fixity (bagian {part}/{of}, giliran {slot}): {items} item, {objects} objek diperiksa, {mismatches} tidak cocok.',
    en: 'Fixity check (share {part}/{of}, slot {slot}): {items} items, {objects} objects checked, {mismatches} mismatched.',
  },
  fixity_mismatch: {
    id: 'TIDAK COCOK item {nomorInduk} ({itemId}) {key}: seharusnya {expected}, sekarang {actual}. Tidak diperbaiki otomatis; pulihkan dari cadangan yang terverifikasi.',
    en: 'MISMATCH item {nomorInduk} ({itemId}) {key}: expected {expected}, now {actual}. Not repaired automatically; restore from a verified backup.',
  },
  fixity_failed: {
    id: 'Objek {key} tidak cocok dengan manifesnya pada pemeriksaan fixity; pulihkan dari cadangan yang terverifikasi.',
    en: 'Object {key} did not match its manifest in the fixity check; restore it from a verified backup.',
  },
  backup_done: {
    id: 'Cadangan selesai di {dir}: register, indeks dan {objects} objek, masing-masing dengan SHA-256.',
    en: 'Backup written to {dir}: register, index and {objects} objects, each with its SHA-256.',
  },
  restore_done: {
    id: 'Pemulihan selesai: {objects} objek, register dan indeks dari {dir} (semua terverifikasi SHA-256).',
    en: 'Restore done: {objects} objects, register and index from {dir} (all verified by SHA-256).',
  },
  restore_refused: {
    id: 'Cadangan tidak dipulihkan: {count} berkas tidak cocok dengan katalognya (mis. {file}). Tidak ada yang ditulis.',
    en: 'Backup not restored: {count} files do not match its catalogue (e.g. {file}). Nothing was written.',
  },
  rebuild_done: {
    id: 'Register dibangun ulang dari manifes: {items} item, {indexed} diindeks ulang; {skipped} manifes dilewati, {unpublished} folder item tanpa manifes (belum terbit).',
    en: 'Register rebuilt from manifests: {items} items, {indexed} re-indexed; {skipped} manifests skipped, {unpublished} item folders without a manifest (never published).',
  },
  status_received: { id: 'diterima', en: 'received' },
  status_processing: { id: 'diproses', en: 'processing' },
  status_available: { id: 'tersedia', en: 'available' },
  status_failed: { id: 'gagal', en: 'failed' },
  status_withdrawn: { id: 'ditarik', en: 'withdrawn' },
} as const satisfies Record<string, Record<Lang, string>>;

type Entry = { readonly id: string; readonly en: string };

const catalogues = [
  pipelineMessages,
  webMessages,
  collectionMessages,
  staffMessages,
  oaiMessages,
  catalogMessages,
  staffDocMessages,
  fixityMessages,
  replicaMessages,
] as const;
type Keys<T> = T extends readonly (infer C)[] ? (C extends Record<string, Entry> ? keyof C : never) : never;
export type MessageKey = Keys<typeof catalogues>;

const catalogue: Record<string, Entry> = Object.assign({}, ...catalogues);

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogue, key);
}

/**
 * `key` in `lang` with its `{name}` params filled. A param not given stays visible as `{name}`;
 * a key not in the catalogue (a code built at run time) is returned as it is.
 */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const entry = Object.hasOwn(catalogue, key) ? catalogue[key] : undefined;
  if (!entry) return key;
  return entry[lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(params, name) && params[name] !== undefined ? String(params[name]) : m,
  );
}

/** A translator bound to one reader's language (a request's, for views). */
export type Translator = (key: MessageKey, params?: Record<string, string | number>) => string;
export const translator =
  (lang: Lang): Translator =>
  (key, params) =>
    t(lang, key, params);

/**
 * The sentence for a flag or refusal reason. A hold's reason is a message of its own
 * (`held_<reason>`), placed into the hold's sentence.
 */
export function flagMessage(
  lang: Lang,
  f: { code: string; params?: Record<string, string | number> },
): string {
  const params = f.params ?? {};
  if (f.code === 'held_for_review') {
    const key = `held_${String(params.reason ?? '')}`;
    const why = isMessageKey(key) ? t(lang, key, params) : String(params.reason ?? '');
    return t(lang, 'held_for_review', { why });
  }
  if (isMessageKey(f.code)) return t(lang, f.code, params);
  return `${f.code}${f.params ? ` ${JSON.stringify(f.params)}` : ''}`;
}
