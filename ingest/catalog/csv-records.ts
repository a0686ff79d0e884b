import { CsvError, parse } from 'csv-parse/sync';
import { type CatalogRecord, catalogRecordId } from '../../core/catalog.types.ts';
import { CatalogFileError } from './catalog-file-error.ts';

type Field = Exclude<keyof CatalogRecord, 'id' | 'format'>;

/**
 * The columns a catalogue CSV may have, by the field they fill. Names are matched whatever their
 * case, spaces and punctuation ("No. Induk" = "NoInduk" = "noinduk"). SLiMS' bibliography export
 * (18 columns: title, gmd_name, edition, isbn_issn, publisher_name, publish_year, collation,
 * series_title, call_number, language_name, place_name, classification, notes, image, sor, authors,
 * topics, item_code); INLISLite's catalogue and collection columns (Title, Author, Edition,
 * Publisher, PublishLocation, PublishYear, Subject, ISBN, CallNumber, Languages, ControlNumber,
 * BIBID; NoInduk, NomorBarcode) and their Indonesian labels in its reports (Judul, Pengarang,
 * Penerbit, Tempat Terbit, Tahun Terbit, Subjek, No. Induk, Nomor Barcode, No. Panggil, Bahasa).
 * Other columns are read and ignored.
 */
export const CSV_COLUMNS: Record<Field, readonly string[]> = {
  title: ['title', 'judul'],
  creators: ['authors', 'author', 'pengarang'],
  publisher: ['publisher_name', 'publisher', 'penerbit'],
  place: ['place_name', 'PublishLocation', 'Tempat Terbit', 'Kota Terbit'],
  year: ['publish_year', 'PublishYear', 'Tahun Terbit'],
  edition: ['edition', 'edisi'],
  isbn: ['isbn_issn', 'ISBN'],
  language: ['language_name', 'Languages', 'language', 'bahasa'],
  subjects: ['topics', 'subject', 'subjek'],
  callNumber: ['call_number', 'CallNumber', 'NoPanggil', 'No. Panggil', 'Nomor Panggil'],
  barcodes: ['item_code', 'NomorBarcode', 'Nomor Barcode', 'barcode'],
  nomorInduk: ['NoInduk', 'No. Induk', 'Nomor Induk', 'inventory_code'],
  controlNumber: ['ControlNumber', 'BIBID'],
};

const norm = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const COLUMN_OF = new Map<string, Field>(
  (Object.entries(CSV_COLUMNS) as [Field, readonly string[]][]).flatMap(([f, names]) =>
    names.map((n): [string, Field] => [norm(n), f]),
  ),
);

/** Language names catalogues write (SLiMS: language_name) as the ISO 639-2 codes Pindai stores. */
const LANGUAGES: Record<string, string> = {
  indonesia: 'ind',
  bahasaindonesia: 'ind',
  indonesian: 'ind',
  id: 'ind',
  english: 'eng',
  inggris: 'eng',
  bahasainggris: 'eng',
  en: 'eng',
  jawa: 'jav',
  javanese: 'jav',
  sunda: 'sun',
  sundanese: 'sun',
  melayu: 'may',
  malay: 'may',
  arab: 'ara',
  arabic: 'ara',
  belanda: 'dut',
  dutch: 'dut',
  bali: 'ban',
  balinese: 'ban',
  madura: 'mad',
  bugis: 'bug',
  minangkabau: 'min',
};

/**
 * A list cell: SLiMS writes each value in angle brackets ("<Hamka><Rusydi>"); others separate with
 * ";" or "|". Commas are never separators ("Ahmad, Kassim" is one name).
 */
function listOf(cell: string): string[] {
  const s = cell.trim();
  if (!s) return [];
  const bracketed = s.match(/<([^<>]*)>/g);
  const parts = bracketed && s.startsWith('<') ? bracketed.map((b) => b.slice(1, -1)) : s.split(/[;|]/);
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

const languageOf = (v: string): string | null => {
  const k = norm(v);
  if (/^[a-z]{3}$/.test(k)) return k;
  return LANGUAGES[k] ?? null;
};

/**
 * Records of a catalogue CSV (UTF-8, with or without BOM; comma, semicolon or tab separated, the
 * header row first). A header without a title column, or with two columns meaning one field, is
 * refused whole; so is a row with the wrong number of cells or no title, naming the record.
 */
export function readCatalogCsv(data: Buffer, file: string): CatalogRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    const good = new TextDecoder('utf-8').decode(data).split('\uFFFD')[0] ?? '';
    const line = good.split('\n').length;
    throw new CatalogFileError('catalog_csv_encoding', { record: Math.max(line - 1, 1), line });
  }
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    headerLine.split(d).length > headerLine.split(best).length ? d : best,
  );
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, delimiter, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = Number((err as unknown as { lines?: number }).lines ?? 0);
      const where = { record: Math.max(line - 1, 1), line };
      const cells = /expect (\d+), got (\d+)/.exec(err.message);
      if (cells) {
        throw new CatalogFileError('catalog_csv_row', where, {
          key: 'catalog_csv_cells',
          params: { expected: cells[1] as string, got: cells[2] as string },
        });
      }
      throw new CatalogFileError('catalog_csv_row', { ...where, detail: err.message });
    }
    throw err;
  }
  const header = rows[0] ?? [];
  const columns = new Map<Field, number>();
  const accepted = Object.values(CSV_COLUMNS).flat().join(', ');
  const found = header.map((h) => `"${h}"`).join(', ') || '–';
  for (const [i, name] of header.entries()) {
    const field = COLUMN_OF.get(norm(name));
    if (!field) continue;
    const before = columns.get(field);
    if (before !== undefined) {
      throw new CatalogFileError(
        'catalog_csv_header',
        { file, found, accepted },
        { key: 'catalog_csv_header_twice', params: { a: header[before] ?? '', b: name, field } },
      );
    }
    columns.set(field, i);
  }
  if (!columns.has('title')) {
    throw new CatalogFileError(
      'catalog_csv_header',
      { file, found, accepted },
      { key: 'catalog_csv_header_no_title' },
    );
  }
  return rows.slice(1).map((row, i) => {
    const cell = (f: Field) => {
      const at = columns.get(f);
      return at === undefined ? '' : (row[at] ?? '').trim();
    };
    const title = cell('title');
    if (!title)
      throw new CatalogFileError('catalog_record_no_title', {
        record: i + 1,
        field: header[columns.get('title') as number] ?? 'title',
      });
    const year = Number(/\d{4}/.exec(cell('year'))?.[0] ?? Number.NaN);
    const rec: Omit<CatalogRecord, 'id'> = {
      format: 'csv',
      controlNumber: cell('controlNumber') || null,
      title,
      creators: listOf(cell('creators')),
      publisher: cell('publisher') || null,
      place: cell('place') || null,
      year: Number.isInteger(year) ? year : null,
      edition: cell('edition') || null,
      isbn: listOf(cell('isbn')),
      language: [
        ...new Set(
          listOf(cell('language'))
            .map(languageOf)
            .filter((l): l is string => l !== null),
        ),
      ],
      subjects: listOf(cell('subjects')),
      callNumber: cell('callNumber') || null,
      barcodes: listOf(cell('barcodes')),
      nomorInduk: listOf(cell('nomorInduk')),
    };
    return { id: catalogRecordId(rec), ...rec };
  });
}
