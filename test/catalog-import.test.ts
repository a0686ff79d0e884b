import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionDepsOf } from '../scripts/collection-deps.ts';
import { createApp } from '../server/app.ts';
import { iso2709, marcBook, marcxml } from './support/catalog-files.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { pindai } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * The catalogue round trip's first half, end to end: INLISLite/SLiMS exports (MARC 21 built with
 * marcjs, MARCXML, CSV with either system's column names) imported with `pindai catalog import`,
 * then batches that name only a key of a record, through the real pipeline (fake OCR) to the
 * public item page.
 */
describe('catalogue import and lookup at intake', () => {
  const root = tempDir('pindai-catalog-');
  const data = path.join(root, 'data');
  const files = path.join(root, 'files');
  const src = path.join(root, 'src');
  let app: TestApp;
  let base = '';
  let server: ReturnType<ReturnType<typeof createApp>['listen']>;
  const imported: Record<string, { imported: number; inserted: number; updated: number }> = {};

  const hikayat = {
    control: 'INL-0042',
    title: 'Hikayat Raja Pasai',
    subtitle: 'naskah Melayu lama',
    author: 'Anonim',
    place: 'Jakarta',
    publisher: 'Balai Pustaka',
    year: '1960',
    isbn: '978-979-666-123-4',
    lang: 'ind',
    subjects: ['Sastra Melayu', 'Hikayat'],
    callNumber: '899.2 HIK h',
    holdings: [{ nomorInduk: '0042/LP/60', barcode: 'B00042' }],
  };

  beforeAll(async () => {
    fs.mkdirSync(files, { recursive: true });
    fs.writeFileSync(
      path.join(files, 'inlislite.mrc'),
      iso2709([
        marcBook(hikayat),
        marcBook({
          control: 'INL-0043',
          title: 'Babad Tanah Jawi',
          author: 'Olthof, W. L.',
          year: '1941',
          holdings: [{ nomorInduk: '0043/LP/41' }],
        }),
      ]),
    );
    fs.writeFileSync(
      path.join(files, 'slims.xml'),
      marcxml([
        marcBook({
          control: 'SL-7',
          title: 'Sejarah Kota Malang',
          author: 'Dinas Pariwisata',
          publisher: 'Pemkot Malang',
          year: '1978',
          holdings: [{ barcode: 'SLM-0007' }],
        }),
      ]),
    );
    fs.writeFileSync(
      path.join(files, 'inlislite-koleksi.csv'),
      [
        'NoInduk;NomorBarcode;Judul;Pengarang;Penerbit;Tempat Terbit;TahunTerbit;ISBN;NoPanggil;Subjek;Bahasa',
        '0100/LP/85;B00100;Cerita Rakyat Jawa Timur;Suripan Sadi Hutomo;Depdikbud;Jakarta;1985;;398.2 SUR c;Cerita rakyat;Indonesia',
      ].join('\r\n'),
    );
    fs.writeFileSync(
      path.join(files, 'slims-biblio.csv'),
      [
        '"title","gmd_name","edition","isbn_issn","publisher_name","publish_year","collation","series_title","call_number","language_name","place_name","classification","notes","image","sor","authors","topics","item_code"',
        '"Pantun Melayu Klasik","Text","Cet. 2","979-407-000-1","Pustaka Jaya","1992","120 hlm","","899.21 PAN","Indonesia","Jakarta","899.21","","","","<Hamidy, U.U.><Effendy, Tenas>","<Pantun><Puisi Melayu>","<SLM-0100><SLM-0101>"',
      ].join('\n'),
    );
    for (const f of ['inlislite.mrc', 'slims.xml', 'inlislite-koleksi.csv', 'slims-biblio.csv']) {
      const r = await pindai(['catalog', 'import', path.join(files, f), '--json', '--data', data]);
      expect(r.code, r.stderr).toBe(0);
      imported[f] = JSON.parse(r.stdout);
    }
    // Batches that name only a key of a record (and one that also gives its own title).
    const page = [{ columns: ['Halaman uji katalog.'], width: 500, height: 700 }];
    await writeBatch(src, 'hikayat', page, { metadata: { sourceNomorInduk: '0042/lp/60', rights: 'open' } });
    await writeBatch(src, 'malang', [{ ...page[0], columns: ['Kota Malang.'] }], {
      metadata: { barcode: 'SLM-0007', rights: 'open' },
    });
    await writeBatch(src, 'cerita', [{ ...page[0], columns: ['Cerita rakyat.'] }], {
      metadata: { sourceNomorInduk: '0100/LP/85', rights: 'open' },
    });
    await writeBatch(src, 'pantun', [{ ...page[0], columns: ['Pantun.'] }], {
      metadata: { barcode: 'SLM-0101', title: 'Pantun Melayu (judul dari batch)', rights: 'open' },
    });
    await writeBatch(src, 'tak-dikenal', [{ ...page[0], columns: ['Tidak ada di katalog.'] }], {
      metadata: { sourceNomorInduk: '9999/XX/99', rights: 'open' },
    });
    // No rights of its own, default access "review": the catalogue must not make it public.
    await writeBatch(src, 'babad', [{ ...page[0], columns: ['Babad.'] }], {
      metadata: { sourceNomorInduk: '0043/LP/41' },
    });
    app = createTestApp(data, { env: { PINDAI_DEFAULT_ACCESS: 'review' } });
    const http = createApp({ ...collectionDepsOf(app), health: () => ({}) });
    server = http.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await app?.close();
  });

  const accept = async (name: string) => {
    const r = await app.accept(path.join(src, name));
    expect(r.status, JSON.stringify(r.problems)).toBe('accepted');
    return r.item as NonNullable<typeof r.item>;
  };

  it('imports MARC 21, MARCXML and both CSV dialects with the CLI, and a re-import updates', async () => {
    expect(imported['inlislite.mrc']).toMatchObject({ imported: 2, inserted: 2, updated: 0 });
    expect(imported['slims.xml']).toMatchObject({ imported: 1, inserted: 1 });
    expect(imported['inlislite-koleksi.csv']).toMatchObject({ imported: 1, inserted: 1 });
    expect(imported['slims-biblio.csv']).toMatchObject({ imported: 1, inserted: 1 });
    const again = await pindai(['catalog', 'import', path.join(files, 'inlislite.mrc'), '--data', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/2 rekaman katalog dari "inlislite.mrc": 0 baru, 2 diperbarui/);
  });

  it('a batch naming only a source nomor induk gets the record and shows its title on the public page', async () => {
    const item = await accept('hikayat');
    expect(item.title).toBe('Hikayat Raja Pasai : naskah Melayu lama');
    expect(item.metadata).toMatchObject({
      creator: ['Anonim'],
      publisher: 'Balai Pustaka',
      place: 'Jakarta',
      year: 1960,
      language: ['ind'],
      subjects: ['Sastra Melayu', 'Hikayat'],
      callNumber: '899.2 HIK h',
      isbn: '978-979-666-123-4',
      catalogRecord: '001:INL-0042',
      rights: 'open',
    });
    await app.runner.start();
    await app.runner.drain([item.id]);
    expect((await app.register.items.get(item.id))?.status).toBe('available');
    const res = await fetch(`${base}/item/${item.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Hikayat Raja Pasai : naskah Melayu lama');
    expect(html).toContain('Balai Pustaka');
  });

  it('finds records from MARCXML by barcode and from INLISLite and SLiMS CSV; the batch’s own title wins', async () => {
    expect((await accept('malang')).title).toBe('Sejarah Kota Malang');
    const cerita = await accept('cerita');
    expect(cerita.title).toBe('Cerita Rakyat Jawa Timur');
    expect(cerita.metadata).toMatchObject({
      creator: ['Suripan Sadi Hutomo'],
      language: ['ind'],
      year: 1985,
    });
    const pantun = await accept('pantun');
    expect(pantun.title).toBe('Pantun Melayu (judul dari batch)');
    expect(pantun.metadata).toMatchObject({
      creator: ['Hamidy, U.U.', 'Effendy, Tenas'],
      subjects: ['Pantun', 'Puisi Melayu'],
      edition: 'Cet. 2',
      catalogRecord: 'barcode:SLM-0100',
    });
  });

  it('flags an unknown key for staff and registers the item anyway', async () => {
    const item = await accept('tak-dikenal');
    expect(item.title).toBe('tak-dikenal');
    expect(item.flags).toContainEqual({
      code: 'catalog_record_missing',
      params: { key: 'nomor induk', value: '9999/XX/99' },
    });
  });

  it('never makes an item public by itself: access stays as intake decided it', async () => {
    const item = await accept('babad');
    expect(item.title).toBe('Babad Tanah Jawi');
    expect(item.metadata.rights).toBe('review');
    await app.runner.drain([item.id]);
    expect((await fetch(`${base}/item/${item.id}`)).status).toBe(404);
  });
});
