import marcjs, { type Record as MarcRecord } from 'marcjs';

const { Record, Marc } = marcjs;

/** A MARC 21 bibliographic leader: book, UTF-8 (leader/09 'a') unless `coding` says otherwise. */
export const leader = (coding: ' ' | 'a' = 'a') => `00000nam ${coding}2200000 a 4500`;

export interface BookSpec {
  control: string;
  title: string;
  subtitle?: string;
  author?: string;
  place?: string;
  publisher?: string;
  year?: string;
  isbn?: string;
  lang?: string;
  subjects?: string[];
  callNumber?: string;
  /** Holdings in the local 990 field: $a nomor induk, $b barcode. */
  holdings?: { nomorInduk?: string; barcode?: string }[];
  coding?: ' ' | 'a';
}

/** A MARC record built with marcjs, as an INLISLite/SLiMS export would carry it. */
export function marcBook(b: BookSpec): MarcRecord {
  const r = new Record();
  r.leader = leader(b.coding);
  r.append(['001', b.control]);
  r.append(['008', `260101s${b.year ?? '    '}    io            000 0 ${b.lang ?? 'ind'} d`]);
  if (b.isbn) r.append(['020', '  ', 'a', b.isbn]);
  if (b.lang) r.append(['041', '0 ', 'a', b.lang]);
  if (b.callNumber) r.append(['090', '  ', 'a', b.callNumber]);
  if (b.author) r.append(['100', '1 ', 'a', `${b.author},`]);
  r.append([
    '245',
    '10',
    'a',
    b.subtitle ? `${b.title} :` : `${b.title} /`,
    ...(b.subtitle ? ['b', `${b.subtitle} /`] : []),
  ]);
  if (b.publisher)
    r.append(['260', '  ', 'a', `${b.place ?? '[s.l.]'} :`, 'b', `${b.publisher},`, 'c', `${b.year ?? ''}.`]);
  for (const s of b.subjects ?? []) r.append(['650', ' 4', 'a', s]);
  for (const h of b.holdings ?? []) {
    r.append([
      '990',
      '  ',
      ...(h.nomorInduk ? ['a', h.nomorInduk] : []),
      ...(h.barcode ? ['b', h.barcode] : []),
    ]);
  }
  return r;
}

/** ISO 2709 bytes of the records (marcjs's formatter), one after the other. */
export const iso2709 = (records: MarcRecord[]): Buffer =>
  Buffer.concat(records.map((r) => Buffer.from(Marc.format(r, 'Iso2709'), 'utf8')));

/** A MARCXML collection of the records (marcjs's formatter, in the MARC 21 slim namespace). */
export const marcxml = (records: MarcRecord[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n${records
    .map((r) => Marc.format(r, 'Marcxml'))
    .join('')}</collection>\n`;

/** The 18 columns of SLiMS 9's bibliography CSV, in the order its export writes and its import reads them. */
export const SLIMS_COLUMNS = [
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

export type SlimsRow = Partial<Record<(typeof SLIMS_COLUMNS)[number], string>> & {
  authorList?: string[];
  topicList?: string[];
  items?: string[];
};

/**
 * A CSV as SLiMS 9 (Bulian) writes it in Sistem → Ekspor Data (admin/modules/bibliography/export.php),
 * behaviour described, not its code: every cell enclosed, a `"` inside a value left as it is (no
 * doubling), a newline inside a value turned into "n" (escape_string then stripslashes), authors,
 * topics and item codes as `<a><b>`, the optional header row with a separator after EVERY cell
 * (so one empty cell more than the data rows), records ended by `recSep`.
 */
export function slimsExportCsv(
  rows: SlimsRow[],
  opts: { header?: boolean; sep?: string; enc?: string; recSep?: string } = {},
): string {
  const { header = false, sep = ',', enc = '"', recSep = '\n' } = opts;
  const cell = (v: string | undefined) => `${enc}${(v ?? '').replace(/\r?\n/g, 'n')}${enc}`;
  const list = (xs: string[] | undefined) => (xs ?? []).map((x) => `<${x}>`).join('');
  let out = header ? `${SLIMS_COLUMNS.map((c) => `${enc}${c}${enc}${sep}`).join('')}${recSep}` : '';
  for (const r of rows) {
    const first15 = SLIMS_COLUMNS.slice(0, 15).map((c) => cell(r[c]) + sep);
    out += `${first15.join('')}${enc}${list(r.authorList)}${enc}${sep}${enc}${list(r.topicList)}${enc}${sep}${enc}${list(r.items)}${enc}${recSep}`;
  }
  return out;
}
