/**
 * Words of the library catalogue import (`pindai catalog import`), its lookup at intake and its
 * search on the staff item page. Bahasa Indonesia first (the default), English second. Keys start
 * with `catalog_` (CLI and intake) or `st_catalog_` (staff pages).
 */
export const catalogMessages = {
  catalog_file_unknown: {
    id: 'Berkas "{file}" bukan ekspor katalog yang dikenal: gunakan .mrc (MARC 21), .xml (MARCXML), .csv atau .xlsx.',
    en: 'File "{file}" is not a known catalogue export: use .mrc (MARC 21), .xml (MARCXML), .csv or .xlsx.',
  },
  catalog_file_unreadable: {
    id: 'Berkas "{file}" tidak dapat dibaca: {detail}.',
    en: 'File "{file}" cannot be read: {detail}.',
  },
  catalog_file_empty: {
    id: 'Berkas "{file}" tidak berisi satu rekaman katalog pun.',
    en: 'File "{file}" holds no catalogue record.',
  },
  catalog_not_marc: {
    id: 'Berkas "{file}" bukan MARC 21 ({format}): {detail}.',
    en: 'File "{file}" is not MARC 21 ({format}): {detail}.',
  },
  catalog_record_invalid: {
    id: 'Rekaman ke-{record} rusak: {detail}.',
    en: 'Record {record} is damaged: {detail}.',
  },
  catalog_marc_short: {
    id: '{bytes} bita, lebih pendek dari leader dan direktori',
    en: '{bytes} bytes, shorter than a leader and directory',
  },
  catalog_marc_no_leader: {
    id: 'tidak ada leader MARC (panjang rekaman, alamat awal data, peta entri "4500")',
    en: 'there is no MARC leader (record length, base address of data, entry map "4500")',
  },
  catalog_marc_no_end: {
    id: 'rekaman tidak memiliki penanda akhir rekaman (0x1D): berkasnya terpotong',
    en: 'the record has no record terminator (0x1D): the file is cut short',
  },
  catalog_marc_length: {
    id: 'leader menyatakan {declared} bita, rekamannya berisi {actual}',
    en: 'the leader says {declared} bytes, the record has {actual}',
  },
  catalog_marc_directory: {
    id: 'direktori tidak berakhir di tempat yang dinyatakan leader (alamat awal data)',
    en: 'the directory does not end where the leader says (base address of data)',
  },
  catalog_marc_entry: {
    id: 'entri direktori ke-{n} bukan tag, panjang dan posisi',
    en: 'directory entry {n} is not a tag, length and position',
  },
  catalog_marc_field: {
    id: 'ruas {tag} berada di luar rekaman atau tidak memiliki penanda akhir ruas',
    en: 'field {tag} lies outside the record or has no field terminator',
  },
  catalog_xml_unparsable: {
    id: 'bukan XML yang dapat dibaca ({error})',
    en: 'not readable XML ({error})',
  },
  catalog_xml_root: {
    id: 'elemen akarnya <{name}>, bukan <collection> atau <record> MARC 21',
    en: 'the root element is <{name}>, not a MARC 21 <collection> or <record>',
  },
  catalog_xml_leader: {
    id: 'leader berisi {n} karakter, bukan 24',
    en: 'the leader has {n} characters, not 24',
  },
  catalog_record_encoding: {
    id: 'Rekaman ke-{record}, ruas {field}: {detail}. Ekspor ulang katalog sebagai MARC 21 UTF-8 (leader/09 = a).',
    en: 'Record {record}, field {field}: {detail}. Export the catalogue again as MARC 21 in UTF-8 (leader/09 = a).',
  },
  catalog_encoding_marc8: {
    id: 'leader/09 menyatakan MARC-8, tetapi ruas ini berisi bita di luar ASCII (0x{byte}); Pindai hanya membaca MARC-8 yang berupa ASCII',
    en: 'leader/09 says MARC-8, but this field holds a byte outside ASCII (0x{byte}); Pindai reads MARC-8 only where it is plain ASCII',
  },
  catalog_encoding_utf8: {
    id: 'leader/09 menyatakan UTF-8, tetapi isi ruas ini bukan UTF-8 yang sah',
    en: 'leader/09 says UTF-8, but this field is not valid UTF-8',
  },
  catalog_encoding_leader: {
    id: 'leader/09 bernilai "{value}"; yang dikenal hanya " " (MARC-8) dan "a" (UTF-8)',
    en: 'leader/09 is "{value}"; only " " (MARC-8) and "a" (UTF-8) are known',
  },
  catalog_record_no_title: {
    id: 'Rekaman ke-{record}, ruas {field}: judul kosong. Setiap rekaman memerlukan judul.',
    en: 'Record {record}, field {field}: the title is empty. Every record needs a title.',
  },
  catalog_xml_encoding: {
    id: 'Rekaman ke-{record}: berkas MARCXML bukan UTF-8 yang sah (bita 0x{byte} di posisi {offset}).',
    en: 'Record {record}: the MARCXML file is not valid UTF-8 (byte 0x{byte} at offset {offset}).',
  },
  catalog_csv_header: {
    id: 'Berkas CSV "{file}": baris judul kolom tidak dikenal ({detail}). Kolom yang ada: {found}. Kolom yang diterima (huruf besar/kecil bebas): {accepted}.',
    en: 'CSV file "{file}": the header row is not recognised ({detail}). Columns found: {found}. Accepted columns (any case): {accepted}.',
  },
  catalog_csv_header_no_title: {
    id: 'tidak ada kolom judul (title atau Judul)',
    en: 'there is no title column (title or Judul)',
  },
  catalog_csv_header_twice: {
    id: 'kolom "{a}" dan "{b}" sama-sama berarti {field}',
    en: 'columns "{a}" and "{b}" both mean {field}',
  },
  catalog_csv_row: {
    id: 'Rekaman ke-{record} (baris {line}): {detail}.',
    en: 'Record {record} (line {line}): {detail}.',
  },
  catalog_csv_cells: {
    id: '{got} sel, padahal baris judul kolom berisi {expected}',
    en: '{got} cells where the header row has {expected}',
  },
  catalog_csv_slims_shape: {
    id: 'Rekaman ke-{record} (baris {line}): berkas "{file}" tidak punya baris judul kolom yang dikenal dan berisi 18 kolom, jadi dibaca sebagai ekspor bibliografi SLiMS tanpa baris judul kolom; tetapi kolom {column} berisi "{value}", yang tidak mungkin ada di tempat itu pada ekspor SLiMS. Tidak ada yang ditebak: ekspor ulang dari SLiMS dengan "Put columns names in the first row", atau tambahkan baris judul kolom.',
    en: 'Record {record} (line {line}): file "{file}" has no known header row and 18 columns, so it is read as a SLiMS bibliography export without its header row; but column {column} holds "{value}", which cannot stand there in a SLiMS export. Nothing is guessed: export again from SLiMS with "Put columns names in the first row", or add a header row.',
  },
  catalog_csv_encoding: {
    id: 'Rekaman ke-{record} (baris {line}): berkas CSV bukan UTF-8 yang sah. Simpan ulang sebagai "CSV UTF-8".',
    en: 'Record {record} (line {line}): the CSV file is not valid UTF-8. Save it again as "CSV UTF-8".',
  },
  catalog_nothing_imported: {
    id: 'Tidak ada yang diimpor.',
    en: 'Nothing was imported.',
  },
  catalog_imported: {
    id: '{total} rekaman katalog dari "{file}": {inserted} baru, {updated} diperbarui.',
    en: '{total} catalogue records from "{file}": {inserted} new, {updated} updated.',
  },
  catalog_record_missing: {
    id: 'Katalog tidak memiliki rekaman dengan {key} "{value}"; metadata tidak dilengkapi dari katalog. Mohon staf mencari dan menautkan rekamannya di halaman item.',
    en: 'The catalogue has no record with {key} "{value}"; the metadata was not completed from it. Staff should find and link the record on the item page.',
  },
  catalog_record_ambiguous: {
    id: '{key} "{value}" cocok dengan {count} rekaman katalog; tidak ada yang dipakai. Mohon staf memilih rekamannya di halaman item.',
    en: '{key} "{value}" matches {count} catalogue records; none was used. Staff should choose the record on the item page.',
  },
  st_catalog_title: { id: 'Katalog perpustakaan', en: 'Library catalogue' },
  st_catalog_linked: {
    id: 'Tertaut ke rekaman katalog {record}.',
    en: 'Linked to catalogue record {record}.',
  },
  st_catalog_search: { id: 'Cari di katalog', en: 'Search the catalogue' },
  st_catalog_search_hint: {
    id: 'Kata judul, pengarang, atau barcode, nomor induk, ISBN, nomor panggil.',
    en: 'Words of title or author, or a barcode, nomor induk, ISBN, call number.',
  },
  st_catalog_none: { id: 'Tidak ada rekaman yang cocok.', en: 'No matching record.' },
  st_catalog_link: { id: 'Tautkan', en: 'Link' },
  st_catalog_link_hint: {
    id: 'Menautkan mengisi ruas metadata yang masih kosong; ruas yang sudah terisi dan hak akses tidak berubah.',
    en: 'Linking fills metadata fields that are still empty; filled fields and access rights do not change.',
  },
  st_catalog_not_found: { id: 'Rekaman katalog tidak ditemukan.', en: 'Catalogue record not found.' },
  st_item_catalog_linked: {
    id: 'Rekaman katalog ditautkan; ruas yang kosong telah diisi.',
    en: 'Catalogue record linked; empty fields were filled.',
  },
} as const satisfies Record<string, Record<'id' | 'en', string>>;
