import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import marcjs from 'marcjs';
import { describe, expect, it } from 'vitest';
import { iso2709, marcBook, type SlimsRow, slimsExportCsv } from '../../test/support/catalog-files.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { CatalogFileError } from './catalog-file-error.ts';
import { readCatalogCsv } from './csv-records.ts';
import { readIso2709 } from './marc-records.ts';
import { catalogRecordOfMarc } from './marc-to-catalog.ts';
import { readCatalogFile } from './read-catalog-file.ts';

const { Record } = marcjs;

/** A record of these fields, written as ISO 2709 and read back (the path an import takes). */
function roundTrip(...fields: string[][]) {
  const r = new Record();
  r.leader = '00000nam a2200000 a 4500';
  r.append(...fields);
  const [back] = readIso2709(iso2709([r]), 't.mrc');
  return catalogRecordOfMarc(back as InstanceType<typeof Record>, 1, 'marc');
}

describe('MARC fields as a catalogue record', () => {
  it('prefers 264 (publication) over 260, drops ISBD punctuation, splits run-together 041 codes', () => {
    const r = roundTrip(
      ['001', ' SL-1 '],
      ['008', '850101s1985    io            000 0 ind d'],
      ['020', '  ', 'a', '979-407-000-1 (pbk.)', 'q', 'paperback'],
      ['041', '1 ', 'a', 'indeng'],
      ['245', '10', 'a', 'Cerita rakyat :', 'b', 'Jawa Timur /', 'c', 'Suripan.'],
      ['260', '  ', 'a', 'Surabaya :', 'b', 'Lama,', 'c', '1970.'],
      ['264', ' 1', 'a', 'Jakarta :', 'b', 'Depdikbud,', 'c', '[1985]'],
      ['700', '1 ', 'a', 'Hutomo, Suripan Sadi,', 'e', 'penyunting.'],
      ['650', ' 4', 'a', 'Cerita rakyat', 'z', 'Jawa Timur.'],
    );
    expect(r).toMatchObject({
      id: '001:SL-1',
      controlNumber: 'SL-1',
      title: 'Cerita rakyat : Jawa Timur',
      creators: ['Hutomo, Suripan Sadi'],
      place: 'Jakarta',
      publisher: 'Depdikbud',
      year: 1985,
      isbn: ['979-407-000-1'],
      language: ['ind', 'eng'],
      subjects: ['Cerita rakyat -- Jawa Timur'],
    });
  });

  it('falls back to 008 for year and language, reads holdings 852/952, call number 090 before the holdings', () => {
    const r = roundTrip(
      ['008', '600101s1960    io            000 0 may d'],
      ['090', '  ', 'a', '899.2', 'b', 'HIK h'],
      ['245', '00', 'a', 'Hikayat'],
      ['852', '  ', 'h', '899.2', 'i', 'HIK', 'p', 'BC-1'],
      ['952', '  ', 'p', 'BC-2', 'i', '0042/LP/60', 'o', '899.2 HIK'],
    );
    expect(r).toMatchObject({
      id: 'nomorInduk:0042/LP/60',
      year: 1960,
      language: ['may'],
      callNumber: '899.2 HIK h',
      barcodes: ['BC-1', 'BC-2'],
      nomorInduk: ['0042/LP/60'],
    });
  });
});

describe('ISO 2709 files', () => {
  it('reads plain-ASCII MARC-8 records, and records one per line as some exports write them', () => {
    const a = marcBook({ control: 'A', title: 'Kamus Daerah', coding: ' ' });
    const b = marcBook({ control: 'B', title: 'Babad' });
    const lines = Buffer.concat([iso2709([a]), Buffer.from('\r\n'), iso2709([b]), Buffer.from('\n')]);
    const records = readIso2709(lines, 't.mrc').map((r, i) => catalogRecordOfMarc(r, i + 1, 'marc'));
    expect(records.map((r) => [r.id, r.title])).toEqual([
      ['001:A', 'Kamus Daerah'],
      ['001:B', 'Babad'],
    ]);
  });
});

describe('catalogue CSV', () => {
  it('reads INLISLite report labels, semicolon separated, names in any case, languages by name', () => {
    const [r] = readCatalogCsv(
      Buffer.from(
        '\uFEFFNO. INDUK;nomor barcode;JUDUL;Pengarang;Tahun Terbit;Bahasa;Subjek\n' +
          '0100/LP/85;B100;Cerita Rakyat;Hutomo, Suripan Sadi;cet. 1985;Bahasa Indonesia;Cerita rakyat; Folklor\n'.replace(
            'Cerita rakyat; Folklor',
            '"Cerita rakyat; Folklor"',
          ),
      ),
      'k.csv',
    );
    expect(r).toMatchObject({
      id: 'nomorInduk:0100/LP/85',
      format: 'csv',
      title: 'Cerita Rakyat',
      creators: ['Hutomo, Suripan Sadi'],
      year: 1985,
      language: ['ind'],
      subjects: ['Cerita rakyat', 'Folklor'],
      barcodes: ['B100'],
      nomorInduk: ['0100/LP/85'],
    });
  });

  it("reads SLiMS' bracketed lists", () => {
    const [r] = readCatalogCsv(
      Buffer.from(
        'title,authors,topics,item_code,language_name\nPantun,"<Hamidy, U.U.><Effendy>",<Pantun>,<S1><S2>,English\n',
      ),
      's.csv',
    );
    expect(r).toMatchObject({
      creators: ['Hamidy, U.U.', 'Effendy'],
      subjects: ['Pantun'],
      barcodes: ['S1', 'S2'],
      language: ['eng'],
      id: 'barcode:S1',
    });
  });
});

/** Two records as a SLiMS library holds them: one with a `"` in its title, as SLiMS leaves it. */
const SLIMS_ROWS: SlimsRow[] = [
  {
    title: 'Hikayat "Raja" Pasai',
    gmd_name: 'Text',
    isbn_issn: '979-000-111-2',
    publisher_name: 'Balai Pustaka',
    publish_year: '1960',
    call_number: '899.2 HIK h',
    language_name: 'Indonesia',
    place_name: 'Jakarta',
    notes: 'Catatan\ndua baris',
    authorList: ['Hill, A.H.', 'Jones, Russell'],
    topicList: ['Hikayat', 'Sastra Melayu'],
    items: ['B0001', 'B0002'],
  },
  { title: 'Pantun Melayu', publish_year: '[1985]', language_name: 'English', authorList: ['Effendy'] },
];

describe("SLiMS 9's own bibliography CSV", () => {
  const expectRecords = (records: ReturnType<typeof readCatalogCsv>) => {
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      title: 'Hikayat "Raja" Pasai',
      creators: ['Hill, A.H.', 'Jones, Russell'],
      publisher: 'Balai Pustaka',
      place: 'Jakarta',
      year: 1960,
      isbn: ['979-000-111-2'],
      language: ['ind'],
      subjects: ['Hikayat', 'Sastra Melayu'],
      callNumber: '899.2 HIK h',
      barcodes: ['B0001', 'B0002'],
    });
    expect(records[1]).toMatchObject({
      title: 'Pantun Melayu',
      year: 1985,
      language: ['eng'],
      creators: ['Effendy'],
    });
  };

  it("reads the export without its header row (the default), by the columns' fixed order", () => {
    expectRecords(readCatalogCsv(Buffer.from(slimsExportCsv(SLIMS_ROWS)), 'senayan_biblio_export.csv'));
  });

  it('reads the header row SLiMS writes, with a separator after its last cell', () => {
    const text = slimsExportCsv(SLIMS_ROWS, { header: true });
    expect(text.split('\n')[0]?.endsWith('"item_code",')).toBe(true);
    expectRecords(readCatalogCsv(Buffer.from(text), 's.csv'));
    // A semicolon separator and carriage-return records, as the export form allows.
    expectRecords(
      readCatalogCsv(Buffer.from(slimsExportCsv(SLIMS_ROWS, { sep: ';', recSep: '\r' })), 's.csv'),
    );
  });

  it('refuses a headerless 18-column file whose cells do not sit where SLiMS puts them', () => {
    // Authors in the title's place: not SLiMS' order, so nothing is guessed.
    const shuffled = slimsExportCsv([
      { title: '<Hamka>', publish_year: '1960', authorList: ['Hamka'] },
    ]).replace('"<Hamka>","","","","","1960"', '"Tenggelamnya","","","","","Balai Pustaka"');
    let err: unknown;
    try {
      readCatalogCsv(Buffer.from(shuffled), 'x.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CatalogFileError);
    expect((err as CatalogFileError).text('id')).toMatch(/tanpa baris judul kolom.*SLiMS/);
    expect((err as CatalogFileError).text('id')).toContain('Rekaman ke-1');
    // A later row with another number of cells is named too.
    const short = `${slimsExportCsv([{ title: 'Babad' }])}"Babad","Text"\n`;
    expect(() => readCatalogCsv(Buffer.from(short), 'z.csv')).toThrow(/Rekaman ke-2 \(baris 2\): 2 sel/);
    // Another number of columns without a header is not SLiMS' export either: the header error as before.
    expect(() => readCatalogCsv(Buffer.from('"Hikayat","1960"\n'), 'y.csv')).toThrow(
      /baris judul kolom tidak dikenal/,
    );
  });
});

describe("INLISLite's Excel import columns (saved as CSV)", () => {
  it('joins JUDUL_UTAMA and ANAK_JUDUL, reads every author column and splits SUBJEK_TOPIK on ";"', () => {
    const [r] = readCatalogCsv(
      Buffer.from(
        'NO,NO_INDUK,NO_BARCODE,NOMOR_PANGGIL_EKSEMPLAR,JUDUL_UTAMA,ANAK_JUDUL,TAJUK_PENGARANG,PENGARANG_TAMBAHAN_NAMA_ORANG,EDISI,KOTA_TERBIT,PENERBIT,TAHUN_TERBIT,ISBN,NOMOR_PANGGIL_KATALOG,BAHASA,SUBJEK_TOPIK\n' +
          '1,X0024/2016,B0024,004 BUD p,Pemrograman Web,Panduan Lengkap,"Raharjo, Budi","Sari, Maya",Edisi 2,Bandung,Informatika,2015,978-602-1234-567-8,004.678 BUD p,ind,Teknologi Informasi; Pemrograman\n',
      ),
      'inlislite.csv',
    );
    expect(r).toMatchObject({
      title: 'Pemrograman Web : Panduan Lengkap',
      creators: ['Raharjo, Budi', 'Sari, Maya'],
      edition: 'Edisi 2',
      place: 'Bandung',
      publisher: 'Informatika',
      year: 2015,
      callNumber: '004.678 BUD p',
      language: ['ind'],
      subjects: ['Teknologi Informasi', 'Pemrograman'],
      nomorInduk: ['X0024/2016'],
      barcodes: ['B0024'],
    });
  });
});

describe("INLISLite's Laporan Eksemplar export (saved as CSV)", () => {
  it('reads its labels as it writes them, stray leading spaces and raw column names included', () => {
    // app/Modules/Laporan/LaporanEksemplar/Controllers/LaporanEksemplar.php: PublishLocation and
    // PublishYear keep their column names; later labels start with a space.
    const [r] = readCatalogCsv(
      Buffer.from(
        'Nomor Barcode,No. Induk,Judul,Pengarang,Penerbit,PublishLocation,PublishYear, Subjek, ISBN, No. Panggil, Bahasa\n' +
          'B9,0042/LP/60,Hikayat,Anonim,Balai Pustaka,Jakarta,1960,Hikayat,979-1,899.2 HIK h,ind\n',
      ),
      'Laporan_Eksemplar.csv',
    );
    expect(r).toMatchObject({
      id: 'nomorInduk:0042/LP/60',
      barcodes: ['B9'],
      place: 'Jakarta',
      year: 1960,
      subjects: ['Hikayat'],
      callNumber: '899.2 HIK h',
      language: ['ind'],
    });
  });
});

describe("INLISLite's Laporan Eksemplar export as it comes (.xlsx)", () => {
  it('reads the first sheet by the same column rules, numbers and all', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Worksheet');
    ws.addRow(['Nomor Barcode', 'No. Induk', 'Judul', 'Pengarang', 'PublishYear', ' Subjek', ' Bahasa']);
    ws.addRow(['B9', '0042/LP/60', 'Hikayat', 'Anonim', 1960, 'Hikayat', 'ind']);
    // PhpSpreadsheet leaves a row's empty last cells out.
    ws.addRow(['B10', '0043/LP/60', 'Babad']);
    const file = path.join(tempDir('pindai-xlsx-'), 'Laporan_Eksemplar_06-12-2026.xlsx');
    await wb.xlsx.writeFile(file);
    const records = await readCatalogFile(file);
    expect(records.map((r) => [r.id, r.title, r.year, r.barcodes])).toEqual([
      ['nomorInduk:0042/LP/60', 'Hikayat', 1960, ['B9']],
      ['nomorInduk:0043/LP/60', 'Babad', null, ['B10']],
    ]);
    // Not a workbook: refused with the reason.
    fs.writeFileSync(file, 'bukan excel');
    await expect(readCatalogFile(file)).rejects.toThrow(/tidak dapat dibaca/);
  });
});

describe('MARC as SLiMS exports it', () => {
  it("reads a language name in 041 $a (SLiMS writes its language list's name there)", () => {
    expect(roundTrip(['041', '  ', 'a', 'Indonesia'], ['245', '00', 'a', 'Babad']).language).toEqual(['ind']);
    expect(roundTrip(['041', '  ', 'a', 'English'], ['245', '00', 'a', 'Babad']).language).toEqual(['eng']);
  });
});
