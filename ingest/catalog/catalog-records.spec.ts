import marcjs from 'marcjs';
import { describe, expect, it } from 'vitest';
import { iso2709, marcBook } from '../../test/support/catalog-files.ts';
import { readCatalogCsv } from './csv-records.ts';
import { readIso2709 } from './marc-records.ts';
import { catalogRecordOfMarc } from './marc-to-catalog.ts';

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
