import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogFile } from '../ingest/catalog/read-catalog-file.ts';
import { iso2709, marcBook } from './support/catalog-files.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

/**
 * Staff search the library catalogue from the item page and link a record to an item intake could
 * not match: empty fields are filled, the item's own stay, access does not change, and the link is
 * kept as a revision and in the audit log. Over HTTP against a real Pindai (no runner: no OCR).
 */
describe('staff: search the catalogue from the item page and link a record', () => {
  let s: StaffServer;
  let c: StaffClient;
  let itemId = '';

  beforeAll(async () => {
    s = await startStaffServer();
    const file = path.join(s.root, 'katalog.mrc');
    fs.writeFileSync(
      file,
      iso2709([
        marcBook({
          control: 'INL-0042',
          title: 'Hikayat Raja Pasai',
          author: 'Anonim',
          publisher: 'Balai Pustaka',
          year: '1960',
          subjects: ['Sastra Melayu'],
          holdings: [{ nomorInduk: '0042/LP/60', barcode: 'B00042' }],
        }),
        marcBook({ control: 'INL-0043', title: 'Babad Tanah Jawi', year: '1941' }),
      ]),
    );
    await s.pindai.register.catalog.importRecords(await readCatalogFile(file), 'katalog.mrc');
    const batch = await writeBatch(
      path.join(s.root, 'src'),
      'scan-0042',
      [{ columns: ['Halaman uji.'], width: 500, height: 700 }],
      { metadata: { barcode: 'B-SALAH', publisher: 'Penerbit dari batch', rights: 'read-online' } },
    );
    const r = await s.pindai.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('accepted');
    itemId = r.item?.id as string;
    await s.addUser('sari', 'staf');
    c = new StaffClient(s.base);
    expect((await c.login('sari', 'sari-sandi-rahasia')).status).toBe(303);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows the intake flag, finds records by title words and by any key', async () => {
    const page = await c.get(`/staf/item/${itemId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Katalog tidak memiliki rekaman dengan barcode &quot;B-SALAH&quot;');
    expect(page.text).toContain('id="katalog"');
    const byWords = await c.get(`/staf/item/${itemId}?katalog=${encodeURIComponent('raja hikayat')}`);
    expect(byWords.text).toContain('data-record="001:INL-0042"');
    expect(byWords.text).not.toContain('data-record="001:INL-0043"');
    const byKey = await c.get(`/staf/item/${itemId}?katalog=${encodeURIComponent('0042/lp/60')}`);
    expect(byKey.text).toContain('data-record="001:INL-0042"');
    expect((await c.get(`/staf/item/${itemId}?katalog=tidakada`)).text).toContain(
      'Tidak ada rekaman yang cocok.',
    );
  });

  it('links a record: empty fields filled, the item’s own kept, access unchanged, revision and audit kept', async () => {
    const r = await c.post(`/staf/item/${itemId}/katalog`, { record: '001:INL-0042' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/staf/item/${itemId}?pesan=ditautkan`);
    const item = await s.pindai.register.items.get(itemId);
    expect(item?.title).toBe('Hikayat Raja Pasai');
    expect(item?.metadata).toMatchObject({
      title: 'Hikayat Raja Pasai',
      creator: ['Anonim'],
      publisher: 'Penerbit dari batch',
      year: 1960,
      subjects: ['Sastra Melayu'],
      barcode: 'B-SALAH',
      catalogRecord: '001:INL-0042',
      rights: 'read-online',
    });
    // "[s.l.]" in 260 $a is the cataloguer's "place unknown", not a place.
    expect(item?.metadata.place).toBeUndefined();
    expect((await s.pindai.register.staffItems.revisions(itemId))[0]).toMatchObject({
      username: 'sari',
      kind: 'metadata',
      before: { title: 'scan-0042' },
    });
    const audit = await s.pindai.register.audit.list({ action: 'item_catalog_link' });
    expect(audit[0]).toMatchObject({ username: 'sari', target: `item:${itemId}` });
    expect(audit[0]?.detail).toMatchObject({ record: '001:INL-0042' });
    expect([...((audit[0]?.detail.changed as string[] | undefined) ?? [])].sort()).toEqual(
      ['catalogRecord', 'creator', 'language', 'subjects', 'title', 'year'].sort(),
    );
    const page = await c.get(`/staf/item/${itemId}?pesan=ditautkan`);
    expect(page.text).toContain('Tertaut ke rekaman katalog 001:INL-0042.');
  });

  it('refuses a record that does not exist, and a link without the CSRF token', async () => {
    const r = await c.post(`/staf/item/${itemId}/katalog`, { record: '001:TIDAK-ADA' });
    expect(r.status).toBe(404);
    expect(r.text).toContain('Rekaman katalog tidak ditemukan.');
    const forged = await c.post(`/staf/item/${itemId}/katalog`, { record: '001:INL-0043' }, { noCsrf: true });
    expect(forged.status).toBe(403);
    expect((await s.pindai.register.items.get(itemId))?.metadata.catalogRecord).toBe('001:INL-0042');
  });
});
