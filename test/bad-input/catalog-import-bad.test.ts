import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegister } from '../../core/register/register.ts';
import { iso2709, marcBook, marcxml } from '../support/catalog-files.ts';
import { pindai } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * `pindai catalog import` refuses a bad export whole: a clear reason naming the record (and
 * field), in Bahasa Indonesia by default, exit 1, and not one record in the register.
 */
describe('pindai catalog import: bad input', () => {
  const root = tempDir('pindai-catalog-bad-');
  const data = path.join(root, 'data');
  const good = (n: number) =>
    marcBook({ control: `C-${n}`, title: `Buku ${n}`, holdings: [{ nomorInduk: `${n}/LP` }] });

  async function refused(name: string, bytes: Buffer | string, env: Record<string, string> = {}) {
    const file = path.join(root, name);
    fs.writeFileSync(file, bytes);
    const r = await pindai(['catalog', 'import', file, '--data', data], env);
    expect(r.code, r.stdout).toBe(1);
    const reg = createRegister(path.join(data, 'register.sqlite'));
    try {
      expect(await reg.catalog.count()).toBe(0);
    } finally {
      await reg.close();
    }
    return r.stderr.trim();
  }

  /** Overwrite `placeholder` (same byte length) in the ISO 2709 bytes: the directory stays right. */
  const patch = (buf: Buffer, placeholder: string, bytes: number[]) => {
    const at = buf.indexOf(Buffer.from(placeholder, 'utf8'));
    expect(at, placeholder).toBeGreaterThan(0);
    expect(Buffer.byteLength(placeholder)).toBe(bytes.length);
    Buffer.from(bytes).copy(buf, at);
    return buf;
  };

  it('a file that is not MARC', async () => {
    const msg = await refused('bukan.mrc', '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n');
    expect(msg).toMatch(
      /^Berkas "bukan.mrc" bukan MARC 21 \(ISO 2709\): tidak ada leader MARC .*Tidak ada yang diimpor\.$/,
    );
  });

  it('a record that says MARC-8 but holds bytes outside ASCII, named by number and field', async () => {
    const marc8 = marcBook({ control: 'C-2', title: 'Kamus Bahasa Daérah', coding: ' ' });
    const msg = await refused('marc8.mrc', iso2709([good(1), marc8, good(3)]));
    expect(msg).toMatch(/^Rekaman ke-2, ruas 245: leader\/09 menyatakan MARC-8, .*0xC3/);
    expect(msg).toMatch(/Tidak ada yang diimpor\.$/);
  });

  it('a record that says UTF-8 but is not valid UTF-8, named by number and field', async () => {
    const bad = marcBook({ control: 'C-3', title: 'Buku', publisher: 'Penerbit §§', year: '1990' });
    const bytes = patch(iso2709([good(1), good(2), bad]), '§§', [0xff, 0xfe, 0x41, 0x41]);
    const msg = await refused('utf8.mrc', bytes);
    expect(msg).toMatch(
      /^Rekaman ke-3, ruas 260: leader\/09 menyatakan UTF-8, tetapi isi ruas ini bukan UTF-8 yang sah/,
    );
  });

  it('in English when PINDAI_LANG=en', async () => {
    const bad = marcBook({ control: 'C-1', title: 'Buku §§' });
    const msg = await refused('utf8-en.mrc', patch(iso2709([bad]), '§§', [0xc3, 0x28, 0x41, 0x41]), {
      PINDAI_LANG: 'en',
    });
    expect(msg).toMatch(
      /^Record 1, field 245: leader\/09 says UTF-8, but this field is not valid UTF-8.*Nothing was imported\.$/,
    );
  });

  it('a file cut short in its second record', async () => {
    const whole = iso2709([good(1), good(2)]);
    const msg = await refused('terpotong.mrc', whole.subarray(0, whole.length - 10));
    expect(msg).toMatch(
      /^Rekaman ke-2 rusak: rekaman tidak memiliki penanda akhir rekaman \(0x1D\): berkasnya terpotong\./,
    );
  });

  it('a record without a title', async () => {
    const untitled = marcBook({ control: 'C-2', title: '' });
    const msg = await refused('tanpa-judul.mrc', iso2709([good(1), untitled]));
    expect(msg).toMatch(/^Rekaman ke-2, ruas 245 \$a: judul kosong/);
  });

  it('MARCXML that is not MARC, and MARCXML with a bad byte in its second record', async () => {
    expect(await refused('bukan.xml', '<html><body>katalog</body></html>')).toMatch(
      /^Berkas "bukan.xml" bukan MARC 21 \(MARCXML\): elemen akarnya <html>, bukan <collection>/,
    );
    // marcjs writes non-ASCII as character references, so the bad byte goes in by hand.
    const xml = Buffer.from(marcxml([good(1), marcBook({ control: 'C-2', title: 'Buku QQ' })]));
    patch(xml, 'QQ', [0xff, 0x41]);
    expect(await refused('rusak.xml', xml)).toMatch(
      /^Rekaman ke-2: berkas MARCXML bukan UTF-8 yang sah \(bita 0xFF/,
    );
  });

  it('a CSV with a header it does not know, listing what it found and what it accepts', async () => {
    const msg = await refused('salah.csv', 'nama_buku,penulis,tahun\nHikayat,Anonim,1960\n');
    expect(msg).toMatch(/^Berkas CSV "salah.csv": baris judul kolom tidak dikenal \(tidak ada kolom judul/);
    expect(msg).toContain('"nama_buku", "penulis", "tahun"');
    expect(msg).toContain('NomorBarcode');
  });

  it('a CSV naming one field twice, a row with too few cells, and a row without a title', async () => {
    expect(await refused('dua.csv', 'Judul,title\nA,B\n')).toMatch(
      /kolom "Judul" dan "title" sama-sama berarti title/,
    );
    expect(await refused('sel.csv', 'Judul,NoInduk\nA,1\nB\nC,3\n')).toMatch(
      /^Rekaman ke-2 \(baris 3\): 1 sel, padahal baris judul kolom berisi 2\./,
    );
    expect(await refused('kosong.csv', 'Judul;NoInduk\nA;1\n;2\n')).toMatch(
      /^Rekaman ke-2, ruas Judul: judul kosong/,
    );
  });

  it('a CSV that is not UTF-8, named by record', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('Judul,NoInduk\nA,1\nKamus Da'),
      Buffer.from([0xe9]),
      Buffer.from('rah,2\n'),
    ]);
    expect(await refused('latin1.csv', latin1)).toMatch(/^Rekaman ke-2 \(baris 3\): berkas CSV bukan UTF-8/);
  });

  it('an unknown file type, a workbook that is not one, and an empty export', async () => {
    expect(await refused('katalog.ods', 'PK')).toMatch(/bukan ekspor katalog yang dikenal/);
    expect(await refused('katalog.xlsx', 'PK')).toMatch(/^Berkas "katalog.xlsx" tidak dapat dibaca/);
    expect(await refused('kosong2.csv', 'Judul,NoInduk\n')).toMatch(/tidak berisi satu rekaman katalog pun/);
  });
});
