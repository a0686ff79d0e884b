/**
 * `pindai export … --for inlislite|slims`: what a library uploads to its own catalogue so the
 * digitised copy is found there too. Per item, the PDF in at most 3 files of at most 12 MB
 * (INLISLite's "konten digital" limits; page ranges in the names); for all items together, one
 * MARCXML collection (each record with an 856 link to the item's public page) and one CSV in the
 * target's own import columns (the same names `pindai catalog import` reads, so the two round-trip).
 *
 * Fails closed: only public items (the 856 link must lead somewhere a patron may go), and the PDF
 * only of `open` items (a catalogue serves its files to anyone; a read-online item's PDF is not
 * downloadable here either).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import marcjs from 'marcjs';
import { create } from 'xmlbuilder2';
import { publicAccessOf } from '../../core/access.ts';
import { csvText } from '../../core/csv.ts';
import { PindaiError } from '../../core/errors.ts';
import type { Item } from '../../core/item.types.ts';
import { type Lang, t } from '../../core/messages.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { languageNameOf } from '../../ingest/catalog/language-names.ts';
import {
  FORMATS,
  languageCodes,
  list,
  type MarcProfile,
  marcFieldsOf,
  type RecordSource,
  writeMarcXml,
} from '../../server/oai/oai-metadata.ts';
import { PdfSplitError, splitPdf } from '../../workers/engines/pdf-split.ts';
import { CATALOG_TARGETS, type CatalogTarget } from '../cli-choices.ts';
import { safeName } from './bagit.ts';

// Declared with the CLI's other choices (the CLI offers them without loading this module).
export { CATALOG_TARGETS, type CatalogTarget };

/** INLISLite's konten digital: files per record and bytes per file. */
export const UPLOAD_LIMITS = { maxFiles: 3, maxBytes: 12 * 1024 * 1024 };

const year = (i: Item) => (i.metadata.year === undefined ? '' : String(i.metadata.year));
/** SLiMS writes each author, topic and item code in angle brackets, one after the other. */
const bracketed = (xs: string[]) => xs.map((x) => `<${x}>`).join('');
/** The note with the link to the public page, after the item's description. */
const noteOf = (i: Item, url: string, lang: Lang) =>
  [i.metadata.description, t(lang, 'oai_digital_copy', { url })].filter(Boolean).join(' — ');

/**
 * SLiMS' general material designation, from its default list (slims/slims9_bulian,
 * install/senayan.sql, mst_gmd): "Text" for printed text, "Manuscript" and "Map" where the item's
 * type says so. SLiMS' import looks the name up and adds it when the library's list lacks it.
 */
function gmdOf(type: string | undefined): string {
  if (/naskah|manuskrip|manuscript|lontar/i.test(type ?? '')) return 'Manuscript';
  if (/\bpeta\b|\bmaps?\b|atlas/i.test(type ?? '')) return 'Map';
  return 'Text';
}

type Cell = (i: Item, url: string, lang: Lang, n: number) => string;

/**
 * SLiMS 9's bibliography CSV (slims/slims9_bulian, admin/modules/bibliography/import.php): 18
 * columns read BY POSITION, in this order. Notes: SLiMS 9's CSV reader (lib/Csv/Reader.php) turns a
 * note of 50 characters or fewer into its length, so the note is the link in a sentence (always
 * longer). item_code adds copies to SLiMS; the source book's barcode is the one Pindai knows.
 */
const SLIMS: Array<[string, Cell]> = [
  ['title', (i) => (i.metadata.subtitle ? `${i.title} : ${i.metadata.subtitle}` : i.title)],
  ['gmd_name', (i) => gmdOf(i.metadata.type)],
  ['edition', (i) => i.metadata.edition ?? ''],
  ['isbn_issn', (i) => i.metadata.isbn ?? ''],
  ['publisher_name', (i) => i.metadata.publisher ?? ''],
  ['publish_year', year],
  ['collation', (i, _u, lang) => (i.pageCount > 0 ? t(lang, 'oai_extent', { pages: i.pageCount }) : '')],
  ['series_title', () => ''],
  ['call_number', (i) => i.metadata.callNumber ?? ''],
  // One language per record in SLiMS, by the name in its language list ("Indonesia", "English").
  ['language_name', (i) => languageNameOf(languageCodes(list(i.metadata.language)).marc[0] ?? '')],
  ['place_name', (i) => i.metadata.place ?? ''],
  ['classification', () => ''],
  ['notes', (i, url, lang) => noteOf(i, url, lang)],
  ['image', () => ''],
  ['sor', (i) => list(i.metadata.creator).join('; ')],
  ['authors', (i) => bracketed(list(i.metadata.creator))],
  ['topics', (i) => bracketed(list(i.metadata.subjects))],
  ['item_code', (i) => bracketed(list(i.metadata.barcode))],
];

const ddmmyyyy = (iso: string | null) =>
  iso ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : '';

/**
 * INLISLite 3.3's Excel import (INLISLite-Perpusnas/INLISLIteV33, Eksemplar module: uploadexcel,
 * columns by name, .xlsx only; downloadTemplate gives this order). Each row makes a catalogue record
 * and one copy (eksemplar), which needs a NO_INDUK and a unique NO_BARCODE: the digital copy's own
 * number, Pindai's nomor induk alih media, serves as both, on an "E-Book" copy. ABSTRAK becomes
 * the record's note, with the link; SUBJEK_TOPIK is split on ";".
 */
const INLISLITE: Array<[string, Cell]> = [
  ['NO', (_i, _u, _l, n) => String(n)],
  ['TGL_PENGADAAN', (i) => ddmmyyyy(i.availableAt)],
  ['NO_INDUK', (i) => i.nomorInduk ?? i.id],
  ['NO_BARCODE', (i) => i.nomorInduk ?? i.id],
  ['NO_RFID', () => ''],
  ['JENIS_SUMBER', () => ''],
  ['NAMA_SUMBER', () => ''],
  ['MATA_UANG', () => ''],
  ['HARGA', () => ''],
  ['KODE_LOKASI_PERPUSTAKAAN', () => ''],
  ['KODE_LOKASI_RUANG', () => ''],
  ['AKSES', () => ''],
  ['KATEGORI', () => ''],
  ['MEDIA', () => 'E-Book'],
  ['KETERSEDIAAN', () => ''],
  ['NOMOR_PANGGIL_EKSEMPLAR', (i) => i.metadata.callNumber ?? ''],
  ['JENIS_BAHAN', () => ''],
  ['JUDUL_UTAMA', (i) => i.title],
  ['ANAK_JUDUL', (i) => i.metadata.subtitle ?? ''],
  ['PERNYATAAN_TANGGUNGJAWAB', (i) => list(i.metadata.creator).join('; ')],
  ['TAJUK_PENGARANG', (i) => list(i.metadata.creator)[0] ?? ''],
  ['TAJUK_PENGARANG_BADAN_KOOPERASI', () => ''],
  ['PENGARANG_TAMBAHAN_NAMA_ORANG', (i) => list(i.metadata.creator).slice(1).join('; ')],
  ['PENGARANG_TAMBAHAN_NAMA_BADAN', () => ''],
  ['EDISI', (i) => i.metadata.edition ?? ''],
  ['KOTA_TERBIT', (i) => i.metadata.place ?? ''],
  ['PENERBIT', (i) => i.metadata.publisher ?? ''],
  ['TAHUN_TERBIT', year],
  ['JUMLAH_HALAMAN', (i) => (i.pageCount > 0 ? `${i.pageCount} hlm.` : '')],
  ['DIMENSI', () => ''],
  ['ISBN', (i) => i.metadata.isbn ?? ''],
  ['ISSN', () => ''],
  ['ISMN', () => ''],
  ['NO_DDC', () => ''],
  ['NOMOR_PANGGIL_KATALOG', (i) => i.metadata.callNumber ?? ''],
  ['ABSTRAK', (i, url, lang) => noteOf(i, url, lang)],
  ['BAHASA', (i) => languageCodes(list(i.metadata.language)).marc[0] ?? ''],
  ['SUBJEK_TOPIK', (i) => list(i.metadata.subjects).join('; ')],
  ['EDISI_SERIAL', () => ''],
  ['TGL_TERBIT_EDISI_SERIAL', () => ''],
  ['BAHAN_SERTAAN_SERIAL', () => ''],
  ['KETERANGAN_LAIN_SERIAL', () => ''],
];

const COLUMNS: Record<CatalogTarget, Array<[string, Cell]>> = { slims: SLIMS, inlislite: INLISLITE };

/** One record as ISO 2709 (MARC 21 exchange format), UTF-8: what both catalogues' MARC imports read. */
function iso2709(src: RecordSource, profile: MarcProfile): Buffer {
  const { leader, fields } = marcFieldsOf(src, profile);
  const r = new marcjs.Record();
  r.leader = leader;
  for (const f of fields) {
    r.append('value' in f ? [f.tag, f.value] : [f.tag, f.ind.join(''), ...f.subfields.flat()]);
  }
  // marcjs counts field lengths in UTF-8 bytes and returns them as a string; back to those bytes.
  return Buffer.from(marcjs.Marc.format(r, 'Iso2709'), 'utf8');
}

export interface CatalogExportResult {
  dir: string;
  items: number;
  pdfFiles: number;
  /** Items whose PDF was left out (read-online), by nomor induk. */
  withoutPdf: string[];
}

export async function exportForCatalog(
  deps: { store: ObjectStore },
  items: Item[],
  to: string,
  opts: { target: CatalogTarget; publicUrl: string | undefined; lang: Lang },
): Promise<CatalogExportResult> {
  if (!opts.publicUrl) {
    throw new PindaiError(
      'EXPORT_NO_PUBLIC_URL',
      'PINDAI_PUBLIC_URL belum diatur: tautan 856 ke halaman publik item butuh alamat situs yang tetap.',
    );
  }
  const base = opts.publicUrl.replace(/\/+$/, '');
  for (const item of items) {
    if (publicAccessOf(item) === null) {
      throw new PindaiError(
        'EXPORT_NOT_PUBLIC',
        `Item ${item.nomorInduk ?? item.id} tidak publik (akses: ${item.metadata.rights ?? 'tidak diketahui'}); ` +
          'katalog menautkan ke halaman publiknya, jadi item ini tidak diekspor.',
        { params: { item: item.id } },
      );
    }
  }
  const dir = path.resolve(to);
  await fsp.mkdir(dir, { recursive: true });
  const urlOf = (i: Item) => `${base}/item/${i.id}`;
  let pdfFiles = 0;
  const withoutPdf: string[] = [];
  for (const item of items) {
    const name = safeName(item.nomorInduk ?? item.id);
    if (publicAccessOf(item) !== 'open' || !item.pdfKey) {
      withoutPdf.push(item.nomorInduk ?? item.id);
      continue;
    }
    let parts: Awaited<ReturnType<typeof splitPdf>>;
    try {
      parts = await splitPdf(await deps.store.getBuffer(item.pdfKey), UPLOAD_LIMITS);
    } catch (err) {
      if (!(err instanceof PdfSplitError)) throw err;
      throw new PindaiError(
        'EXPORT_PDF_TOO_LARGE',
        `PDF item ${item.nomorInduk ?? item.id} tidak muat dalam ${UPLOAD_LIMITS.maxFiles} berkas ` +
          `@ ${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB (mulai halaman ${err.page}).`,
        { params: { item: item.id, page: err.page } },
      );
    }
    const pad = (n: number) => String(n).padStart(String(item.pageCount).length, '0');
    for (const p of parts) {
      const range = parts.length === 1 ? '' : `_hlm-${pad(p.from)}-${pad(p.to)}`;
      await fsp.writeFile(path.join(dir, `${name}${range}.pdf`), p.bytes);
      pdfFiles++;
    }
  }
  const profile: MarcProfile = opts.target;
  const sources: RecordSource[] = items.map((item) => ({
    item,
    access: publicAccessOf(item) ?? 'read-online',
    url: urlOf(item),
    lang: opts.lang,
  }));
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(FORMATS.marcxml.namespace, 'marc:collection');
  for (const src of sources) writeMarcXml(doc, src, profile);
  await fsp.writeFile(path.join(dir, 'marc.xml'), doc.end({ prettyPrint: true }));
  // Both catalogues' MARC imports read ISO 2709 only (PEAR File_MARC), not MARCXML; INLISLite's
  // reads a file's first record only, so it gets one file per item.
  if (opts.target === 'slims') {
    await fsp.writeFile(
      path.join(dir, 'marc-slims.mrc'),
      Buffer.concat(sources.map((s) => iso2709(s, profile))),
    );
  } else {
    for (const src of sources) {
      await fsp.writeFile(
        path.join(dir, `${safeName(src.item.nomorInduk ?? src.item.id)}.mrc`),
        iso2709(src, profile),
      );
    }
  }
  const columns = COLUMNS[opts.target];
  const header = columns.map(([h]) => h);
  const rows = items.map((i, n) => columns.map(([, cell]) => cell(i, urlOf(i), opts.lang, n + 1)));
  await fsp.writeFile(
    path.join(dir, `katalog-${opts.target}.csv`),
    // SLiMS' import skips its header row only when the first cell is exactly "title" (no BOM); it
    // writes LF itself.
    opts.target === 'slims'
      ? csvText([header, ...rows], { bom: false, eol: 'unix' })
      : csvText([header, ...rows]),
  );
  if (opts.target === 'inlislite') {
    // INLISLite's Excel import reads .xlsx only. exceljs writes strings as text cells, never formulas.
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Pindai';
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    await wb.xlsx.writeFile(path.join(dir, 'katalog-inlislite.xlsx'));
  }
  return { dir, items: items.length, pdfFiles, withoutPdf };
}
