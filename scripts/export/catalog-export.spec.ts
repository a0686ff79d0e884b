import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/item.types.ts';
import { createFsObjectStore } from '../../core/store/fs.object-store.ts';
import { readCatalogCsv } from '../../ingest/catalog/csv-records.ts';
import { readIso2709, readMarcXml } from '../../ingest/catalog/marc-records.ts';
import { marcFieldsOf } from '../../server/oai/oai-metadata.ts';
import { SLIMS_COLUMNS } from '../../test/support/catalog-files.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { schemaErrors } from '../../test/support/xml-schema.ts';
import { exportForCatalog } from './catalog-export.ts';

const root = tempDir('pindai-catalog-export-');
const store = createFsObjectStore(path.join(root, 'store'));
const BASE = 'https://koleksi.contoh.go.id';

function item(n: number, metadata: Item['metadata']): Item {
  const now = '2026-01-02T03:04:05.000Z';
  return {
    id: `01JTESTITEM000000000000000${n}`,
    nomorInduk: `0000${n}/AM/2026`,
    sourceNomorInduk: null,
    title: metadata.title ?? `Buku ${n}`,
    metadata: { rights: 'open', ...metadata },
    flags: [],
    fingerprint: `f${n}`,
    sourcePath: '',
    sourceName: '',
    intake: 'ingest',
    operator: null,
    status: 'available',
    stage: null,
    errorCode: null,
    errorMessage: null,
    pageCount: 120,
    sourceFormat: null,
    originalBytes: 0,
    pdfKey: null,
    pdfBytes: null,
    disposedAt: null,
    createdAt: now,
    updatedAt: now,
    registeredAt: now,
    availableAt: now,
  };
}

const ITEMS = [
  item(1, {
    title: 'Hikayat "Aceh"',
    subtitle: 'Jilid 1',
    creator: ['Hill, A.H.', 'Jones, Russell'],
    publisher: 'Balai Pustaka',
    place: 'Jakarta',
    year: 1960,
    edition: 'Cet. 2',
    isbn: '979-000-111-2',
    callNumber: '899.2 HIK h',
    language: ['ind'],
    subjects: ['Hikayat', 'Sastra Melayu'],
    barcode: 'B0001',
    type: 'Buku',
    description: 'Hikayat dari Aceh.',
  }),
  item(2, { title: 'Pantun', creator: ['Effendy'], language: ['eng'] }),
];
const urlOf = (i: Item) => `${BASE}/item/${i.id}`;

type Field = ReturnType<typeof marcFieldsOf>['fields'][number];
const tags = (fields: { tag: string }[]) => fields.map((f) => f.tag);
/** marcjs fields: [tag, value] or [tag, indicators, code, value, …]. */
const sub = (f: string[] | undefined, code: string) => {
  const out: string[] = [];
  for (let i = 2; f && i + 1 < f.length; i += 2) if (f[i] === code) out.push(f[i + 1] as string);
  return out;
};

describe('pindai export --for slims', () => {
  const to = path.join(root, 'slims');
  const run = exportForCatalog({ store }, ITEMS, to, { target: 'slims', publicUrl: BASE, lang: 'id' });

  it("writes SLiMS' 18 columns in SLiMS' order, as its positional import reads them", async () => {
    await run;
    const bytes = fs.readFileSync(path.join(to, 'katalog-slims.csv'));
    // No BOM: SLiMS skips the header row only when its first cell is exactly "title".
    expect(bytes.subarray(0, 5).toString()).toBe('title');
    expect(bytes.toString()).not.toContain('\r');
    const rows = parse(bytes, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...SLIMS_COLUMNS]);
    expect(rows).toHaveLength(3);
    const [, a, b] = rows;
    expect(a).toHaveLength(18);
    const at = (r: string[] | undefined, c: (typeof SLIMS_COLUMNS)[number]) => r?.[SLIMS_COLUMNS.indexOf(c)];
    expect(at(a, 'title')).toBe('Hikayat "Aceh" : Jilid 1');
    expect(at(a, 'gmd_name')).toBe('Text');
    expect(at(a, 'edition')).toBe('Cet. 2');
    expect(at(a, 'isbn_issn')).toBe('979-000-111-2');
    expect(at(a, 'publisher_name')).toBe('Balai Pustaka');
    expect(at(a, 'publish_year')).toBe('1960');
    expect(at(a, 'collation')).toContain('120');
    expect(at(a, 'call_number')).toBe('899.2 HIK h');
    expect(at(a, 'language_name')).toBe('Indonesia');
    expect(at(a, 'place_name')).toBe('Jakarta');
    // SLiMS 9's CSV reader turns a note of 50 characters or fewer into its length.
    expect(at(a, 'notes')).toContain(urlOf(ITEMS[0] as Item));
    expect(at(a, 'notes')?.length).toBeGreaterThan(50);
    expect(at(a, 'authors')).toBe('<Hill, A.H.><Jones, Russell>');
    expect(at(a, 'topics')).toBe('<Hikayat><Sastra Melayu>');
    expect(at(a, 'item_code')).toBe('<B0001>');
    expect(at(b, 'language_name')).toBe('English');
    expect(at(b, 'notes')).toContain(urlOf(ITEMS[1] as Item));
    // And Pindai's own import reads it back.
    const back = readCatalogCsv(bytes, 'katalog-slims.csv');
    expect(back[0]).toMatchObject({
      title: 'Hikayat "Aceh" : Jilid 1',
      creators: ['Hill, A.H.', 'Jones, Russell'],
      barcodes: ['B0001'],
      language: ['ind'],
    });
  });

  it("writes MARC that SLiMS' MARC import keeps whole: ISO 2709, title in 245 $a, one note with the link, no 655", async () => {
    await run;
    const records = readIso2709(fs.readFileSync(path.join(to, 'marc-slims.mrc')), 'marc-slims.mrc');
    expect(records).toHaveLength(2);
    const f = (records[0]?.fields ?? []) as string[][];
    // SLiMS joins 245 $a and $b with nothing between; it reads every 5xx $a into notes, run together.
    const t245 = f.find((x) => x[0] === '245');
    expect(sub(t245, 'a')).toEqual(['Hikayat "Aceh" : Jilid 1']);
    expect(sub(t245, 'b')).toEqual([]);
    const notes = f.filter((x) => x[0]?.startsWith('5'));
    expect(notes.map((x) => x[0])).toEqual(['500']);
    expect(sub(notes[0], 'a')[0]).toContain(urlOf(ITEMS[0] as Item));
    // SLiMS files 655 (genre) as a subject: the type of material would become a topic.
    expect(tags(f.map((x) => ({ tag: x[0] as string })))).not.toContain('655');
    // The MARCXML beside it carries the same record, and is valid MARC 21 slim.
    expect(schemaErrors(fs.readFileSync(path.join(to, 'marc.xml'), 'utf8'), 'MARC21slim.xsd')).toEqual([]);
    const xml = readMarcXml(fs.readFileSync(path.join(to, 'marc.xml')), 'marc.xml');
    expect(xml[0]?.fields.map((x) => x[0])).toEqual(f.map((x) => x[0]));
  });

  it('leaves the OAI-PMH MARCXML as it was', () => {
    const { fields } = marcFieldsOf({
      item: ITEMS[0] as Item,
      access: 'open',
      url: urlOf(ITEMS[0] as Item),
      lang: 'id',
    });
    expect(tags(fields)).toEqual(expect.arrayContaining(['035', '090', '506', '520', '540', '655', '856']));
    const t245 = fields.find(
      (x): x is Extract<Field, { subfields: unknown }> => x.tag === '245' && 'subfields' in x,
    );
    expect(t245?.subfields).toEqual([
      ['a', 'Hikayat "Aceh"'],
      ['b', 'Jilid 1'],
    ]);
  });
});

describe('pindai export --for inlislite', () => {
  const to = path.join(root, 'inlislite');
  const run = exportForCatalog({ store }, ITEMS, to, { target: 'inlislite', publicUrl: BASE, lang: 'id' });

  it("writes the columns of INLISLite 3.3's Excel import, as .xlsx (all it reads) and as CSV", async () => {
    await run;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(to, 'katalog-inlislite.xlsx'));
    const ws = wb.worksheets[0];
    const rows: string[][] = [];
    ws?.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows[0] ?? [];
    expect(header.slice(0, 4)).toEqual(['NO', 'TGL_PENGADAAN', 'NO_INDUK', 'NO_BARCODE']);
    const at = (r: string[] | undefined, c: string) => r?.[header.indexOf(c)];
    const a = rows[1];
    expect(at(a, 'NO_INDUK')).toBe('00001/AM/2026');
    expect(at(a, 'NO_BARCODE')).toBe('00001/AM/2026');
    expect(at(a, 'MEDIA')).toBe('E-Book');
    expect(at(a, 'JUDUL_UTAMA')).toBe('Hikayat "Aceh"');
    expect(at(a, 'ANAK_JUDUL')).toBe('Jilid 1');
    expect(at(a, 'TAJUK_PENGARANG')).toBe('Hill, A.H.');
    expect(at(a, 'PENGARANG_TAMBAHAN_NAMA_ORANG')).toBe('Jones, Russell');
    expect(at(a, 'SUBJEK_TOPIK')).toBe('Hikayat; Sastra Melayu');
    expect(at(a, 'NOMOR_PANGGIL_KATALOG')).toBe('899.2 HIK h');
    expect(at(a, 'BAHASA')).toBe('ind');
    expect(at(a, 'ABSTRAK')).toContain(urlOf(ITEMS[0] as Item));
    // The CSV has the same columns, and Pindai's import reads it back.
    const csv = fs.readFileSync(path.join(to, 'katalog-inlislite.csv'));
    const back = readCatalogCsv(csv, 'katalog-inlislite.csv');
    expect(back[0]).toMatchObject({
      title: 'Hikayat "Aceh" : Jilid 1',
      creators: ['Hill, A.H.', 'Jones, Russell'],
      nomorInduk: ['00001/AM/2026'],
      subjects: ['Hikayat', 'Sastra Melayu'],
      callNumber: '899.2 HIK h',
    });
  });

  it("writes one MARC file per item (INLISLite's import reads a file's first record only), call number in 084, no 035", async () => {
    await run;
    for (const it of ITEMS) {
      const records = readIso2709(
        fs.readFileSync(path.join(to, `${it.nomorInduk?.replace(/\//g, '-')}.mrc`)),
        'x',
      );
      expect(records).toHaveLength(1);
      const f = (records[0]?.fields ?? []) as string[][];
      expect(
        sub(
          f.find((x) => x[0] === '856'),
          'u',
        ),
      ).toEqual([urlOf(it)]);
      expect(f.map((x) => x[0])).not.toContain('035');
      expect(
        f
          .filter((x) => x[0] === '500')
          .flatMap((x) => sub(x, 'a'))
          .join(' '),
      ).toContain(urlOf(it));
    }
    expect(schemaErrors(fs.readFileSync(path.join(to, 'marc.xml'), 'utf8'), 'MARC21slim.xsd')).toEqual([]);
    // An organisation as first creator: 710, which INLISLite reads as an author (110 it does not).
    const corporate = marcFieldsOf(
      { item: item(3, { creator: ['Dinas Perpustakaan Aceh'] }), access: 'open', url: BASE, lang: 'id' },
      'inlislite',
    );
    expect(tags(corporate.fields)).toContain('710');
    expect(tags(corporate.fields)).not.toContain('110');
    const f1 = (readIso2709(fs.readFileSync(path.join(to, '00001-AM-2026.mrc')), 'x')[0]?.fields ??
      []) as string[][];
    expect(
      sub(
        f1.find((x) => x[0] === '084'),
        'a',
      ),
    ).toEqual(['899.2 HIK h']);
  });
});
