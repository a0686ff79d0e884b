/**
 * The message catalogue: every sentence an operator, patron or staff member reads.
 * Bahasa Indonesia first (the default), English second. Params are written {name}.
 */
export type Lang = 'id' | 'en';

/** The BCP 47 locale numbers and dates are written in for `lang`. */
export const localeOf = (lang: Lang): string => (lang === 'id' ? 'id-ID' : 'en-GB');

const catalogue = {
  image_unsupported: {
    id: 'Berkas "{file}" bukan gambar JPEG, PNG atau TIFF ({detail}).',
    en: 'File "{file}" is not a JPEG, PNG or TIFF image ({detail}).',
  },
  image_empty: { id: 'Berkas "{file}" kosong (0 bita).', en: 'File "{file}" is empty (0 bytes).' },
  image_corrupt: {
    id: 'Berkas "{file}" rusak atau belum selesai disalin: {detail}.',
    en: 'File "{file}" is damaged or was not copied completely: {detail}.',
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
    id: 'Folder tidak berisi gambar halaman (JPEG, PNG atau TIFF).',
    en: 'The folder holds no page images (JPEG, PNG or TIFF).',
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
  image_unsupported_pdf: {
    id: 'Berkas "{file}" sebenarnya dokumen PDF, bukan gambar (nama berkasnya menyesatkan). Kirim halaman pindaian sebagai JPEG, PNG atau TIFF.',
    en: 'File "{file}" is really a PDF document, not an image (its name is misleading). Send the scanned pages as JPEG, PNG or TIFF.',
  },
  image_unsupported_svg: {
    id: 'Berkas "{file}" sebenarnya gambar vektor SVG/XML, bukan hasil pindai. Kirim halaman pindaian sebagai JPEG, PNG atau TIFF.',
    en: 'File "{file}" is really an SVG/XML vector drawing, not a scan. Send the scanned pages as JPEG, PNG or TIFF.',
  },
  batch_pdf_file: {
    id: 'Berkas "{file}" adalah dokumen PDF dan tidak diproses: Pindai menerima halaman pindaian berupa gambar JPEG, PNG atau TIFF.',
    en: 'File "{file}" is a PDF document and was not processed: Pindai accepts scanned pages as JPEG, PNG or TIFF images.',
  },
  batch_pdf_encrypted: {
    id: 'Berkas "{file}" adalah PDF terenkripsi (berkata sandi) dan tidak dapat dibuka; tidak diproses. Kirim halaman pindaian sebagai JPEG, PNG atau TIFF.',
    en: 'File "{file}" is an encrypted (password-protected) PDF and cannot be opened; not processed. Send the scanned pages as JPEG, PNG or TIFF.',
  },
  batch_pdf_broken: {
    id: 'Berkas "{file}" bernama PDF tetapi rusak atau tidak lengkap; tidak diproses.',
    en: 'File "{file}" is named as a PDF but is damaged or incomplete; not processed.',
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

export type MessageKey = keyof typeof catalogue;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogue, key);
}

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = catalogue[key][lang];
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : m,
  );
}
