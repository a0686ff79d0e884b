import type { Record as MarcRecord } from 'marcjs';
import { type CatalogRecord, catalogRecordId } from '../../core/catalog.types.ts';
import { CatalogFileError } from './catalog-file-error.ts';
import { languageCodeOf } from './language-names.ts';

/**
 * Where the copies' barcodes, nomor induk and call numbers sit in a MARC export. A bibliographic
 * record holds no copies by itself; exports carry them in a holdings field whose tag is the
 * catalogue's own choice. One row per tag, read in this order; add a row for another convention.
 *
 * Neither SLiMS nor INLISLite writes copies into MARC (checked in their source):
 * - SLiMS 9 (slims/slims9_bulian, admin/modules/bibliography/marcexport.php) writes 245, 020,
 *   250, 100/110/111, 700/710/711, 6XX, 260, 041 (its language NAME), 084 (classification), 300,
 *   500, 490, 336-338: no holdings field, no call number. Its copies come with its CSV export
 *   (item_code, csv-records.ts).
 * - INLISLite 3.3 (INLISLite-Perpusnas/INLISLIteV33, app/Modules/SubModule/Katalog/Controllers/
 *   Katalog.php `ekspor_marc`) exports the catalogue record's own fields (catalog_ruas) as a .txt
 *   listing or .xlsx rows, not ISO 2709, and no copies: those (NoInduk, NomorBarcode, CallNumber)
 *   live in its `collections` table and come out through the Laporan Eksemplar Excel export
 *   (csv-records.ts).
 *
 * - 852 Location (MARC 21 standard): $p piece designation = barcode; $h $i call number.
 * - 876 Item Information (MARC 21 standard): $p piece designation = barcode.
 * - 952 Koha's items field: $p barcode, $i inventory number = nomor induk, $o call number.
 * - 990 a local field some hand-made exports use: $a nomor induk, $b barcode, $c call number.
 *   Written by neither SLiMS nor INLISLite.
 */
export const HOLDINGS_FIELDS: readonly {
  tag: string;
  barcode?: string;
  nomorInduk?: string;
  callNumber?: string[];
}[] = [
  { tag: '852', barcode: 'p', callNumber: ['h', 'i'] },
  { tag: '876', barcode: 'p' },
  { tag: '952', barcode: 'p', nomorInduk: 'i', callNumber: ['o'] },
  { tag: '990', nomorInduk: 'a', barcode: 'b', callNumber: ['c'] },
];

type Field = string[];

const fieldsOf = (r: MarcRecord, tag: string): Field[] => r.fields.filter((f) => f[0] === tag);
const control = (r: MarcRecord, tag: string): string | null => fieldsOf(r, tag)[0]?.[1] ?? null;
/** Values of subfield `code`, in order. */
function sub(f: Field, code: string): string[] {
  const out: string[] = [];
  for (let i = 2; i + 1 < f.length; i += 2) if (f[i] === code) out.push(f[i + 1] as string);
  return out;
}
const first = (f: Field | undefined, code: string) => (f ? sub(f, code)[0] : undefined);
/** ISBD punctuation that closes a MARC subfield (" /", " :", ",", "."), which is not part of the value. */
const clean = (s: string | undefined | null): string =>
  (s ?? '')
    .replace(/\s+/g, ' ')
    .replace(/[\s/:;,=]+$/, '')
    .replace(/(\w{3,})\.$/u, '$1')
    .trim();
const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))];
/** "[s.l.]" (sine loco) and "[s.n.]" (sine nomine): the cataloguer's "unknown", not a place or a name. */
const known = (s: string): string | null => {
  const v = s.replace(/^\[|\]$/g, '').trim();
  return v && !/^s\.\s?[ln]\.?$/i.test(v) ? v : null;
};

/**
 * The catalogue record of one MARC record (`n`: its place in the file, for errors): 245 title
 * ($a, $b), 100/110/111/700/710 creators, 264 (else 260) $a place $b publisher $c year (else
 * 008/07-10), 250 edition, 020 ISBN, 041 (else 008/35-37) language, 600/650/651 subjects,
 * 090/084/082 call number (else a holdings call number), 001 control number, and the holdings
 * fields of HOLDINGS_FIELDS. A record without a title is refused (field 245).
 */
export function catalogRecordOfMarc(r: MarcRecord, n: number, format: 'marc' | 'marcxml'): CatalogRecord {
  const f245 = fieldsOf(r, '245')[0];
  const title = [clean(first(f245, 'a')), clean(first(f245, 'b'))].filter(Boolean).join(' : ');
  if (!title) throw new CatalogFileError('catalog_record_no_title', { record: n, field: '245 $a' });
  const creators = uniq(
    ['100', '110', '111', '700', '710'].flatMap((tag) => fieldsOf(r, tag).map((f) => clean(first(f, 'a')))),
  );
  const pub =
    fieldsOf(r, '264').find((f) => f[1]?.[1] === '1') ?? fieldsOf(r, '264')[0] ?? fieldsOf(r, '260')[0];
  const f008 = control(r, '008') ?? '';
  const yearText = first(pub, 'c') ?? '';
  const year = Number(/\d{4}/.exec(yearText)?.[0] ?? /^\d{4}$/.exec(f008.slice(7, 11))?.[0] ?? Number.NaN);
  const language = uniq(
    fieldsOf(r, '041')
      .flatMap((f) => sub(f, 'a'))
      // SLiMS' MARC export writes its language list's name ("Indonesia"); older records run several
      // codes together ("indeng").
      .flatMap((v) => {
        const code = languageCodeOf(v);
        return code ? [code] : (v.toLowerCase().match(/[a-z]{3}/g) ?? []);
      }),
  );
  const lang008 = f008.slice(35, 38).toLowerCase();
  if (language.length === 0 && /^[a-z]{3}$/.test(lang008)) language.push(lang008);
  const subjects = uniq(
    ['600', '650', '651'].flatMap((tag) =>
      fieldsOf(r, tag).map((f) =>
        [...sub(f, 'a'), ...sub(f, 'x'), ...sub(f, 'y'), ...sub(f, 'z')]
          .map(clean)
          .filter(Boolean)
          .join(' -- '),
      ),
    ),
  );
  const barcodes: string[] = [];
  const nomorInduk: string[] = [];
  const holdingCallNumbers: string[] = [];
  for (const h of HOLDINGS_FIELDS) {
    for (const f of fieldsOf(r, h.tag)) {
      if (h.barcode) barcodes.push(...sub(f, h.barcode).map((s) => s.trim()));
      if (h.nomorInduk) nomorInduk.push(...sub(f, h.nomorInduk).map((s) => s.trim()));
      if (h.callNumber) {
        const cn = h.callNumber
          .flatMap((c) => sub(f, c))
          .join(' ')
          .trim();
        if (cn) holdingCallNumbers.push(cn);
      }
    }
  }
  const callNumber =
    ['090', '084', '082']
      .map((tag) => fieldsOf(r, tag)[0])
      .map((f) => (f ? [...sub(f, 'a'), ...sub(f, 'b')].join(' ').trim() : ''))
      .find(Boolean) ??
    holdingCallNumbers[0] ??
    null;
  const rec: Omit<CatalogRecord, 'id'> = {
    format,
    controlNumber: control(r, '001')?.trim() || null,
    title,
    creators,
    publisher: known(clean(first(pub, 'b'))),
    place: known(clean(first(pub, 'a'))),
    year: Number.isInteger(year) ? year : null,
    edition: clean(first(fieldsOf(r, '250')[0], 'a')) || null,
    isbn: uniq(
      fieldsOf(r, '020').flatMap((f) => sub(f, 'a').map((v) => /^[0-9Xx-]+/.exec(v.trim())?.[0] ?? '')),
    ),
    language,
    subjects,
    callNumber,
    barcodes: uniq(barcodes),
    nomorInduk: uniq(nomorInduk),
  };
  return { id: catalogRecordId(rec), ...rec };
}
