import { CsvError, parse } from 'csv-parse/sync';
import { type CatalogRecord, catalogRecordId } from '../../core/catalog.types.ts';
import { CatalogFileError } from './catalog-file-error.ts';
import { languageCodeOf } from './language-names.ts';

type Field = Exclude<keyof CatalogRecord, 'id' | 'format'>;

/**
 * The columns a catalogue CSV may have, by the field they fill. Names are matched whatever their
 * case, spaces and punctuation ("No. Induk" = "NoInduk" = "NO_INDUK"). Checked against the systems'
 * source:
 * - SLiMS 9 (slims/slims9_bulian, admin/modules/bibliography/export.php and import.php): 18
 *   columns in a fixed order, SLIMS_ORDER below; its import reads them by position, not by name.
 * - INLISLite 3.3 (INLISLite-Perpusnas/INLISLIteV33, the Eksemplar module's Excel import and its
 *   template): JUDUL_UTAMA, ANAK_JUDUL, TAJUK_PENGARANG, PENGARANG_TAMBAHAN_NAMA_ORANG/_BADAN,
 *   EDISI, KOTA_TERBIT, PENERBIT, TAHUN_TERBIT, ISBN, NOMOR_PANGGIL_KATALOG, BAHASA, SUBJEK_TOPIK
 *   (";" between subjects), NO_INDUK, NO_BARCODE, NOMOR_PANGGIL_EKSEMPLAR; and the columns of its
 *   `catalogs`/`collections` tables (Title, Author, Edition, Publisher, PublishLocation,
 *   PublishYear, Subject, ISBN, CallNumber, Languages, ControlNumber, BIBID; NoInduk, NomorBarcode).
 * - Indonesian report labels (Judul, Pengarang, No. Induk, …): not checked against any source.
 * Other columns are read and ignored.
 */
export const CSV_COLUMNS: Record<Field, readonly string[]> = {
  title: ['title', 'judul', 'JUDUL_UTAMA'],
  creators: ['authors', 'author', 'pengarang', 'TAJUK_PENGARANG'],
  publisher: ['publisher_name', 'publisher', 'penerbit'],
  place: ['place_name', 'PublishLocation', 'Tempat Terbit', 'Kota Terbit'],
  year: ['publish_year', 'PublishYear', 'Tahun Terbit'],
  edition: ['edition', 'edisi'],
  isbn: ['isbn_issn', 'ISBN'],
  language: ['language_name', 'Languages', 'language', 'bahasa'],
  subjects: ['topics', 'subject', 'subjek', 'SUBJEK_TOPIK'],
  callNumber: [
    'call_number',
    'CallNumber',
    'NoPanggil',
    'No. Panggil',
    'Nomor Panggil',
    'NOMOR_PANGGIL_KATALOG',
  ],
  barcodes: ['item_code', 'NomorBarcode', 'Nomor Barcode', 'barcode', 'NO_BARCODE'],
  nomorInduk: ['NoInduk', 'No. Induk', 'Nomor Induk', 'inventory_code'],
  controlNumber: ['ControlNumber', 'BIBID'],
};

/**
 * Columns that add to a field another column already fills (INLISLite's further author columns),
 * complete it (its subtitle, after " : "), or stand in when it is empty (the copy's call number).
 */
const MORE_COLUMNS: Record<string, { field: Field; how: 'add' | 'subtitle' | 'fallback' }> = {
  PENGARANG_TAMBAHAN_NAMA_ORANG: { field: 'creators', how: 'add' },
  PENGARANG_TAMBAHAN_NAMA_BADAN: { field: 'creators', how: 'add' },
  TAJUK_PENGARANG_BADAN_KOOPERASI: { field: 'creators', how: 'add' },
  ANAK_JUDUL: { field: 'title', how: 'subtitle' },
  NOMOR_PANGGIL_EKSEMPLAR: { field: 'callNumber', how: 'fallback' },
};

/** SLiMS 9's bibliography CSV columns, in the order its export writes and its import reads them. */
export const SLIMS_ORDER = [
  'title',
  'gmd_name',
  'edition',
  'isbn_issn',
  'publisher_name',
  'publish_year',
  'collation',
  'series_title',
  'call_number',
  'language_name',
  'place_name',
  'classification',
  'notes',
  'image',
  'sor',
  'authors',
  'topics',
  'item_code',
] as const;

/**
 * What a cell of SLiMS' export can hold, by position: the widths of its `biblio` columns
 * (install/senayan.sql) and the `<a><b>` lists of authors, topics and item codes. A headerless
 * file is read as SLiMS' only when every row fits.
 */
const SLIMS_SHAPE: Partial<Record<(typeof SLIMS_ORDER)[number], (v: string) => boolean>> = {
  title: (v) => !/^<[^<>]*>/.test(v),
  gmd_name: (v) => v.length <= 30,
  edition: (v) => v.length <= 50,
  isbn_issn: (v) => v.length <= 32,
  publish_year: (v) => v === '' || (v.length <= 20 && /\d/.test(v)),
  collation: (v) => v.length <= 50,
  series_title: (v) => v.length <= 200,
  call_number: (v) => v.length <= 50,
  language_name: (v) => v.length <= 20,
  place_name: (v) => v.length <= 30,
  classification: (v) => v.length <= 40,
  image: (v) => v.length <= 100,
  sor: (v) => v.length <= 200,
  authors: (v) => v === '' || /^(<[^<>]*>)+$/.test(v),
  topics: (v) => v === '' || /^(<[^<>]*>)+$/.test(v),
  item_code: (v) => v === '' || /^(<[^<>]*>)+$/.test(v),
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
const MORE_OF = new Map(Object.entries(MORE_COLUMNS).map(([n, m]) => [norm(n), m]));

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

/** Rows of the file, each with the line it starts on. */
export type Row = { cells: string[]; line: number };

/**
 * Rows as SLiMS' export writes them when a value holds a `"`: every cell enclosed, the quote
 * inside left as it is, so no CSV parser reads it. SLiMS writes one record per line (a newline in
 * a value becomes "n"), so each line is split at `"<separator>"`. Null when the text is not in
 * that shape (a line not enclosed at both ends).
 */
function slimsEnclosedRows(text: string, delimiter: string): Row[] | null {
  const rows: Row[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    // The header row ends with a separator after its last cell.
    const line = raw.endsWith(`"${delimiter}`) ? raw.slice(0, -delimiter.length) : raw;
    if (line.length < 2 || !line.startsWith('"') || !line.endsWith('"')) return null;
    const cells = line.slice(1, -1).split(`"${delimiter}"`);
    if (line !== raw) cells.push('');
    rows.push({ cells, line: i + 1 });
  }
  return rows;
}

function parseRows(text: string, delimiter: string): Row[] {
  try {
    const parsed = parse(text, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map((p) => ({ cells: p.record, line: p.info.lines }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const slims = slimsEnclosedRows(text, delimiter);
    if (slims) return slims;
    const line = Number((err as unknown as { lines?: number }).lines ?? 0);
    throw new CatalogFileError('catalog_csv_row', {
      record: Math.max(line - 1, 1),
      line,
      detail: err.message,
    });
  }
}

/** Whether a cell may stand at position `i` of SLiMS' export (SLIMS_SHAPE); the column it breaks, else null. */
function slimsMisfit(cells: string[]): number | null {
  for (const [i, name] of SLIMS_ORDER.entries()) {
    const ok = SLIMS_SHAPE[name];
    if (ok && !ok((cells[i] ?? '').trim())) return i;
  }
  return null;
}

/**
 * Records of a catalogue CSV (UTF-8, with or without BOM; comma, semicolon or tab separated;
 * records ended by LF, CRLF or CR). The first row names the columns (CSV_COLUMNS; a last empty
 * cell, as SLiMS writes after its header, is dropped). A file whose first row names no known
 * column and has SLiMS' 18 cells is read as SLiMS' export without its header row (the export's
 * default), by position, but only when every row fits what SLiMS can hold in each column; else it
 * is refused, naming the record and the column. A header without a title column, or with two
 * columns meaning one field, is refused whole; so is a row with the wrong number of cells or no
 * title, naming the record.
 */
export function readCatalogCsv(data: Buffer, file: string): CatalogRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    const good = new TextDecoder('utf-8').decode(data).split('\uFFFD')[0] ?? '';
    const line = good.split(/\r\n|\n|\r/).length;
    throw new CatalogFileError('catalog_csv_encoding', { record: Math.max(line - 1, 1), line });
  }
  text = text.replace(/^\uFEFF/, '');
  const headerLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    headerLine.split(d).length > headerLine.split(best).length ? d : best,
  );
  return catalogRecordsOfRows(parseRows(text, delimiter), file);
}

/**
 * Records of a table's rows (a CSV file's, or a spreadsheet's: xlsx-records.ts), by the rules of
 * readCatalogCsv. A spreadsheet's records are `csv` records too: the same table, another container.
 */
export function catalogRecordsOfRows(rows: Row[], file: string): CatalogRecord[] {
  let header = rows[0]?.cells ?? [];
  let body = rows.slice(1);
  const known = (h: string) => COLUMN_OF.has(norm(h)) || MORE_OF.has(norm(h));
  if (header.length === SLIMS_ORDER.length && !header.some(known)) {
    // SLiMS' export without its header row: the columns are known by their place alone.
    for (const [i, row] of rows.entries()) {
      if (row.cells.length !== SLIMS_ORDER.length) {
        throw new CatalogFileError(
          'catalog_csv_row',
          { record: i + 1, line: row.line },
          {
            key: 'catalog_csv_cells',
            params: { expected: String(SLIMS_ORDER.length), got: String(row.cells.length) },
          },
        );
      }
      const at = slimsMisfit(row.cells);
      if (at === null) continue;
      throw new CatalogFileError('catalog_csv_slims_shape', {
        file,
        record: i + 1,
        line: row.line,
        column: `${at + 1} (${SLIMS_ORDER[at] ?? ''})`,
        value: (row.cells[at] ?? '').slice(0, 60),
      });
    }
    header = [...SLIMS_ORDER];
    body = rows;
  } else if (header.length > 1 && header[header.length - 1]?.trim() === '') {
    header = header.slice(0, -1);
  }

  const columns = new Map<Field, number>();
  const more: { at: number; field: Field; how: 'add' | 'subtitle' | 'fallback' }[] = [];
  const accepted = [...Object.values(CSV_COLUMNS).flat(), ...Object.keys(MORE_COLUMNS)].join(', ');
  const found = header.map((h) => `"${h}"`).join(', ') || '–';
  for (const [i, name] of header.entries()) {
    const extra = MORE_OF.get(norm(name));
    if (extra) more.push({ at: i, ...extra });
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
  return body.map(({ cells: row, line }, i) => {
    if (row.length !== header.length) {
      throw new CatalogFileError(
        'catalog_csv_row',
        { record: i + 1, line },
        {
          key: 'catalog_csv_cells',
          params: { expected: String(header.length), got: String(row.length) },
        },
      );
    }
    const at = (c: number) => (row[c] ?? '').trim();
    const cell = (f: Field) => {
      const c = columns.get(f);
      const own = c === undefined ? '' : at(c);
      const also = more.filter((m) => m.field === f).map((m) => ({ how: m.how, v: at(m.at) }));
      const sub = also.find((m) => m.how === 'subtitle' && m.v)?.v;
      const fallback = also.find((m) => m.how === 'fallback' && m.v)?.v;
      const added = also.filter((m) => m.how === 'add' && m.v).map((m) => m.v);
      const value = own || fallback || '';
      return [sub && value ? `${value} : ${sub}` : value, ...added].filter(Boolean).join(';');
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
            .map(languageCodeOf)
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
