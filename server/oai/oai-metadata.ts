import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { Item } from '../../core/item.types.ts';
import { type Lang, t } from '../../core/messages.ts';
import type { PublicAccess } from '../../core/metadata.schema.ts';

/** The metadata formats this repository disseminates, with their schemas and namespaces. */
export const FORMATS = {
  oai_dc: {
    schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
    namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
  },
  marcxml: {
    schema: 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd',
    namespace: 'http://www.loc.gov/MARC21/slim',
  },
} as const;
export type FormatPrefix = keyof typeof FORMATS;
export const isFormat = (p: string): p is FormatPrefix => Object.hasOwn(FORMATS, p);

const DC = 'http://purl.org/dc/elements/1.1/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** What a record is written from: the public item, its access and its public page's URL. */
export interface RecordSource {
  item: Item;
  access: PublicAccess;
  url: string;
  lang: Lang;
}

/**
 * ISO 639 codes for an item's languages. The register keeps ISO 639-2/639-3 three-letter codes as
 * given (`ind`, `jav`); a two-letter ISO 639-1 code (`id`) is widened to three letters. `dc` is
 * ISO 639-3 (Dublin Core's recommendation, RFC 5646 reads it as is), `marc` the MARC code list
 * (ISO 639-2/B: Dutch is `dut`, Malay `may`, where 639-3 says `nld`, `msa`).
 */
export function languageCodes(langs: readonly string[]): { dc: string[]; marc: string[] } {
  const dc = [...new Set(langs.map((l) => ISO_639_1[l] ?? l))];
  return { dc, marc: [...new Set(dc.map((l) => MARC_CODE[l] ?? l))] };
}

const ISO_639_1: Record<string, string> = {
  id: 'ind',
  in: 'ind', // the withdrawn ISO 639-1 code, still seen in old records
  en: 'eng',
  jv: 'jav',
  su: 'sun',
  ms: 'msa',
  nl: 'nld',
  ar: 'ara',
  zh: 'zho',
  ja: 'jpn',
  de: 'deu',
  fr: 'fra',
  pt: 'por',
  sa: 'san',
};

/** ISO 639-3/639-2T codes whose MARC (639-2/B) code differs. */
const MARC_CODE: Record<string, string> = {
  nld: 'dut',
  msa: 'may',
  zho: 'chi',
  deu: 'ger',
  fra: 'fre',
};

/**
 * Rights: the public access level as text, and a rightsstatements.org URI. Pindai records whether
 * and how the public may read an item, not its copyright status, so the URI says just that:
 * Copyright Not Evaluated.
 */
export function rightsOf(
  access: PublicAccess,
  lang: Lang,
  license?: string,
): { uri: string; text: string; access: string } {
  return {
    // A licence or rights statement the item's metadata names (core/rights-uri.ts) says more.
    uri: license ?? 'http://rightsstatements.org/vocab/CNE/1.0/',
    text: t(lang, access === 'open' ? 'oai_rights_open' : 'oai_rights_read_online'),
    access: t(lang, access === 'open' ? 'oai_access_open' : 'oai_access_read_online'),
  };
}

/** A metadata field that may hold one value or several, as a list. */
export const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Unqualified Dublin Core (`oai_dc`). dc:identifier is the item's public page; dc:rights URI then text. */
export function writeOaiDc(parent: XMLBuilder, src: RecordSource): void {
  const { item, url } = src;
  const m = item.metadata;
  const dc = parent
    .ele(FORMATS.oai_dc.namespace, 'oai_dc:dc')
    .att('xmlns:dc', DC)
    .att(XSI, 'xsi:schemaLocation', `${FORMATS.oai_dc.namespace} ${FORMATS.oai_dc.schema}`);
  const el = (name: string, value: string | number, lang?: Lang) => {
    const e = dc.ele(DC, `dc:${name}`);
    if (lang) e.att('xml:lang', lang);
    e.txt(String(value));
  };
  el('title', m.subtitle ? `${item.title} : ${m.subtitle}` : item.title);
  for (const c of list(m.creator)) el('creator', c);
  for (const s of list(m.subjects)) el('subject', s);
  if (m.description) el('description', m.description);
  if (m.publisher) el('publisher', m.publisher);
  if (m.year !== undefined) el('date', m.year);
  el('type', 'Text');
  if (m.type) el('type', m.type);
  if (item.pdfKey && src.access === 'open') el('format', 'application/pdf');
  el('identifier', url);
  if (m.isbn) el('identifier', `urn:isbn:${m.isbn.replace(/[^0-9Xx]/g, '')}`);
  for (const l of languageCodes(list(m.language)).dc) el('language', l);
  const rights = (['id', 'en'] as const).map((lang) => rightsOf(src.access, lang, m.license));
  el('rights', rights[0]?.uri ?? '');
  for (const [i, lang] of (['id', 'en'] as const).entries()) el('rights', rights[i]?.text ?? '', lang);
}

/** Words in a name that make it an organisation (MARC 110/710) rather than a person (100/700). */
const CORPORATE =
  /\b(dinas|pemerintah|perpustakaan|universitas|institut|departemen|kementerian|badan|lembaga|yayasan|museum|arsip|balai|kantor|panitia|direktorat|pusat|perkumpulan|himpunan|ikatan|persatuan|sekolah|akademi|komite|dewan|university|society|department|office|committee|council)\b/i;

/** One MARC 21 field: a control field (no indicators) or a data field with its subfields. */
type Field =
  | { tag: string; value: string }
  | { tag: string; ind: [string, string]; subfields: Array<[string, string]> };

/**
 * Who reads the record. `oai`: any MARC 21 harvester (the full record). `slims` and `inlislite`:
 * the record shaped for what those catalogues' own MARC imports keep (checked against their source):
 * - SLiMS 9 (slims/slims9_bulian, admin/modules/bibliography/marcimport.php) appends 245 $b to $a
 *   with nothing between, runs the $a of every 5xx together into its notes with no separator, files
 *   648/650/651/655/656/657 as subjects and ignores 856: so the whole title goes in 245 $a, one 500
 *   note carries the link to the public page, and there is no 655 (the type would become a topic).
 * - INLISLite 3.3 (INLISLite-Perpusnas/INLISLIteV33, app/Modules/SubModule/Katalog/Controllers/
 *   KatalogMarcController.php) reads 084 $a as the call number, 035 $a as its own BIBID, and
 *   500/502/504/505/520/542 as notes, authors from 100 and 700/710/711 only (every field is also
 *   kept as it is): so the call number goes in 084, no 035, an organisation is a 710, and a 500
 *   note carries the link too.
 */
export type MarcProfile = 'oai' | 'slims' | 'inlislite';

/**
 * The item as MARC 21 fields, in tag order: the record a catalogue (INLISLite, SLiMS) would keep
 * for a digitised book, linking back to its public page (856); `profile` (MarcProfile) shapes it for
 * one catalogue's import.
 */
export function marcFieldsOf(
  src: RecordSource,
  profile: MarcProfile = 'oai',
): { leader: string; fields: Field[] } {
  const { item, url } = src;
  const m = item.metadata;
  const creators = list(m.creator);
  const langs = languageCodes(list(m.language)).marc;
  const rights = rightsOf(src.access, src.lang, m.license);
  const fields: Field[] = [];
  const data = (tag: string, ind: [string, string], subfields: Array<[string, string | undefined]>) => {
    const present = subfields.filter((s): s is [string, string] => s[1] !== undefined && s[1] !== '');
    if (present.length > 0) fields.push({ tag, ind, subfields: present });
  };
  fields.push({ tag: '001', value: item.id });
  fields.push({ tag: '005', value: marcTimestamp(item.updatedAt) });
  fields.push({ tag: '008', value: marc008(item, langs[0]) });
  if (m.isbn) data('020', [' ', ' '], [['a', m.isbn]]);
  if (item.nomorInduk && profile !== 'inlislite') data('035', [' ', ' '], [['a', item.nomorInduk]]);
  if (langs.length > 0)
    data(
      '041',
      [' ', ' '],
      langs.map((l) => ['a', l]),
    );
  if (m.callNumber) data(profile === 'inlislite' ? '084' : '090', [' ', ' '], [['a', m.callNumber]]);
  const [first, ...others] = creators;
  const nameField = (name: string, main: boolean) => {
    const corporate = CORPORATE.test(name);
    const tag = (main ? '1' : '7') + (corporate ? '10' : '00');
    // Personal names written "Surname, Forename" are inverted (ind1 1); others direct order (0).
    data(tag, [corporate ? '2' : name.includes(',') ? '1' : '0', ' '], [['a', name]]);
  };
  // INLISLite's import takes its author from 100 and 700/710/711, never 110: an organisation that
  // made the book is an added entry (710) there, the title the main entry.
  const main = first !== undefined && !(profile === 'inlislite' && CORPORATE.test(first));
  if (first && main) nameField(first, true);
  data(
    '245',
    [main ? '1' : '0', '0'],
    profile === 'slims'
      ? [['a', m.subtitle ? `${item.title} : ${m.subtitle}` : item.title]]
      : [
          ['a', item.title],
          ['b', m.subtitle],
        ],
  );
  if (m.edition) data('250', [' ', ' '], [['a', m.edition]]);
  data(
    '260',
    [' ', ' '],
    [
      ['a', m.place],
      ['b', m.publisher],
      ['c', m.year === undefined ? undefined : String(m.year)],
    ],
  );
  if (item.pageCount > 0)
    data('300', [' ', ' '], [['a', t(src.lang, 'oai_extent', { pages: item.pageCount })]]);
  const copy = t(src.lang, 'oai_digital_copy', { url });
  if (profile === 'slims') {
    // One note: SLiMS would run several together without a space.
    data('500', [' ', ' '], [['a', [m.description, copy].filter(Boolean).join(' — ')]]);
  } else {
    if (profile === 'inlislite') data('500', [' ', ' '], [['a', copy]]);
    if (m.description) data('520', [' ', ' '], [['a', m.description]]);
    data('506', [src.access === 'open' ? '0' : '1', ' '], [['a', rights.access]]);
    data(
      '540',
      [' ', ' '],
      [
        ['a', rights.text],
        ['u', rights.uri],
      ],
    );
  }
  for (const s of list(m.subjects)) data('650', [' ', '4'], [['a', s]]);
  if (m.type && profile !== 'slims') data('655', [' ', '4'], [['a', m.type]]);
  for (const c of main ? others : creators) nameField(c, false);
  data(
    '856',
    ['4', '0'],
    [
      ['u', url],
      ['y', t(src.lang, 'oai_link_text')],
    ],
  );
  // Leader: new record, language material, monograph (a serial for a magazine or newspaper), UCS/Unicode.
  const serial = /majalah|surat kabar|koran|buletin|jurnal|magazine|newspaper|journal|serial/i.test(
    m.type ?? '',
  );
  return { leader: `00000na${serial ? 's' : 'm'} a22000007u 4500`, fields };
}

/** MARCXML (MARC 21 slim) of the item. */
export function writeMarcXml(parent: XMLBuilder, src: RecordSource, profile: MarcProfile = 'oai'): void {
  const ns = FORMATS.marcxml.namespace;
  const { leader, fields } = marcFieldsOf(src, profile);
  const rec = parent
    .ele(ns, 'marc:record')
    .att(XSI, 'xsi:schemaLocation', `${ns} ${FORMATS.marcxml.schema}`)
    .att('type', 'Bibliographic');
  rec.ele(ns, 'marc:leader').txt(leader);
  for (const f of fields) {
    if ('value' in f) {
      rec.ele(ns, 'marc:controlfield').att('tag', f.tag).txt(f.value);
      continue;
    }
    const d = rec.ele(ns, 'marc:datafield').att({ tag: f.tag, ind1: f.ind[0], ind2: f.ind[1] });
    for (const [code, value] of f.subfields) d.ele(ns, 'marc:subfield').att('code', code).txt(value);
  }
}

/** MARC 005: yyyymmddhhmmss.f of the last change. */
function marcTimestamp(iso: string): string {
  const d = new Date(iso).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}${d.slice(11, 13)}${d.slice(14, 16)}${d.slice(17, 19)}.${d.slice(20, 21)}`;
}

/**
 * MARC 008 (40 characters, books): date entered, a single known date or none, place unknown,
 * online resource (form of item `o`), language, cataloguing source other than a national library.
 */
export function marc008(item: Pick<Item, 'createdAt' | 'metadata'>, lang: string | undefined): string {
  const d = new Date(item.createdAt).toISOString();
  const entered = `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`;
  const year = item.metadata.year;
  const dates = year === undefined ? 'nuuuu    ' : `s${String(year).padStart(4, '0')}    `;
  // 15-17 place (xx: unknown), 18-21 illustrations, 22 audience, 23 form of item (o: online), 24-34 blank.
  const material = `xx ${' '.repeat(4)} o${' '.repeat(11)}`;
  const code = lang && /^[a-z]{3}$/.test(lang) ? lang : 'und';
  return `${entered}${dates}${material}${code} d`;
}
