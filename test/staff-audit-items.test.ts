import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuickStaff, startQuickStaff } from './support/quick-staff.ts';
import { plainPage } from './support/small-collection.ts';
import { StaffClient } from './support/staff-server.ts';
import { tempDir } from './support/temp-dir.ts';
import { writeFiles } from './support/test-app.ts';

/** A page's visible words: tags dropped, entities read, spaces squeezed. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * The audit log read by a Kepala Seksi, and the item and user pages an admin works with, over
 * HTTP against a real register, store and index (fake OCR): entries name items by nomor induk and
 * title and say what changed from what to what; every refusal is there; a withdrawal needs a
 * ticked confirmation and can be undone; passwords are reset and roles changed from the UI.
 */
describe('staff: readable audit log, item page and users', () => {
  const root = tempDir('pindai-audit-');
  let q: QuickStaff;
  let admin: StaffClient;
  const MAX_UPLOAD = 200_000;

  beforeAll(async () => {
    q = await startQuickStaff(
      root,
      [
        { title: 'Sejarah Perpustakaan Daerah', year: 1987, rights: 'open' },
        { title: 'Catatan Rapat Dinas', year: 1990, rights: 'staff-only' },
      ],
      [
        ['kasie', 'admin'],
        ['budi', 'operator'],
        ['sari', 'staf'],
      ],
      { maxUploadBytes: MAX_UPLOAD },
    );
    admin = new StaffClient(q.base);
    expect((await admin.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
  }, 120_000);
  afterAll(async () => {
    await q?.close();
  });

  const auditText = async () => textOf((await admin.get('/staf/audit')).text);
  const upload = (
    files: [string, Buffer | string][],
    client = admin,
    headers: Record<string, string> = {},
  ) => {
    const form = new FormData();
    form.append('title', 'Unggahan uji');
    for (const [name, data] of files)
      form.append('halaman', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
    return fetch(`${q.base}/staf/unggah`, {
      method: 'POST',
      body: form,
      headers: {
        cookie: `pindai_sesi=${client.cookies.get('pindai_sesi')}`,
        'x-csrf-token': client.csrf,
        accept: 'application/json',
        ...headers,
      },
    });
  };

  it('names items by nomor induk and title, and shows a metadata edit as old → new values', async () => {
    const [id] = q.ids as [string];
    const nomor = (await q.app.register.items.get(id))?.nomorInduk;
    await admin.get(`/staf/item/${id}`);
    const r = await admin.post(`/staf/item/${id}/metadata`, {
      title: 'Sejarah Perpustakaan Daerah Jilid 1',
      year: '1988',
      isbn: '978-602-0000-00-1',
      rights: 'open',
    });
    expect(r.status).toBe(303);
    const text = await auditText();
    expect(text).toContain(`${nomor} Sejarah Perpustakaan Daerah Jilid 1`);
    expect(text).toContain('Judul: Sejarah Perpustakaan Daerah → Sejarah Perpustakaan Daerah Jilid 1');
    expect(text).toContain('Tahun: 1987 → 1988');
    expect(text).toContain('ISBN: – → 978-602-0000-00-1');
    expect(text).not.toContain('item:');
    expect(text).not.toContain('{"');
  });

  it('logs every refused upload with its reason, and refused pages and forms', async () => {
    const before = (await q.app.register.audit.list()).length;
    // 1. A file that is not a page image.
    expect((await upload([['catatan.txt', 'bukan gambar']])).status).toBe(400);
    // 2. No file at all.
    expect((await upload([])).status).toBe(400);
    // 3. Larger than the upload limit (refused from the headers).
    const big = await plainPage(1200, 1200, 200);
    const large = Buffer.concat([big, Buffer.alloc(MAX_UPLOAD)]);
    expect((await upload([['besar.png', large]])).status).toBe(413);
    // 4. A "JPEG" that is not one: received, then refused by intake.
    expect((await upload([['palsu.jpg', 'ini bukan JPEG sama sekali']])).status).toBe(422);
    // A page an operator may not open, and a form without its token.
    const op = new StaffClient(q.base);
    await op.login('budi', 'budi-sandi-rahasia');
    expect((await op.get('/staf/pengguna')).status).toBe(403);
    expect((await admin.post('/staf/pengguna', { username: 'x' }, { noCsrf: true })).status).toBe(403);

    // A batch the watched inbox refuses (no staff member sent it).
    await q.app.accept(
      writeFiles(path.join(root, 'masuk'), 'catatan-rapat', { 'catatan.txt': 'bukan gambar' }),
    );

    const entries = (await q.app.register.audit.list()).slice(0, -before || undefined);
    const actions = entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'upload_refused')).toHaveLength(3);
    expect(entries.find((e) => e.action === 'upload')?.detail).toMatchObject({ status: 'rejected' });
    expect(actions).toContain('access_denied');
    expect(actions).toContain('form_refused');
    const text = await auditText();
    expect(text).toContain('Unggahan ditolak');
    expect(text).toContain('catatan.txt');
    expect(text).toContain('Pilih minimal satu gambar halaman.');
    expect(text).toContain('Unggahan terlalu besar');
    expect(text).toContain('Hasil: ditolak');
    expect(text).toContain('Akses ditolak');
    expect(text).toContain('GET /staf/pengguna');
    expect(text).toContain('Formulir ditolak');
    expect(actions).toContain('batch_rejected');
    expect(text).toContain('Batch ditolak saat diterima');
    expect(text).toContain('Folder batch: catatan-rapat');
    expect(text).toContain('Cara masuk: folder masuk');
  });

  it('links the item page to the public page, text and PDF only when the public may see them', async () => {
    const [open, staffOnly] = q.ids as [string, string];
    const page = (await admin.get(`/staf/item/${open}`)).text;
    expect(page).toContain(`href="/item/${open}"`);
    expect(page).toContain(`href="/item/${open}/teks"`);
    expect(page).toContain(`href="/item/${open}/pdf"`);
    const hidden = (await admin.get(`/staf/item/${staffOnly}`)).text;
    expect(hidden).not.toContain(`href="/item/${staffOnly}"`);
    expect(textOf(hidden)).toContain('Item ini tidak tampil untuk publik (hak akses: Khusus staf).');
  });

  it('withdraws only with a ticked confirmation, and restores with a reason (audited, public again)', async () => {
    const [id] = q.ids as [string];
    const publicPage = async () => (await fetch(`${q.base}/item/${id}`)).status;
    expect(await publicPage()).toBe(200);
    await admin.get(`/staf/item/${id}`);
    const unconfirmed = await admin.post(`/staf/item/${id}/tarik`, { reason: 'Salinan ganda' });
    expect(unconfirmed.status).toBe(400);
    expect(textOf(unconfirmed.text)).toContain('Centang konfirmasi untuk menarik item ini.');
    expect((await q.app.register.items.get(id))?.status).toBe('available');

    expect((await admin.post(`/staf/item/${id}/tarik`, { reason: 'Salinan ganda', yakin: '1' })).status).toBe(
      303,
    );
    expect((await q.app.register.items.get(id))?.status).toBe('withdrawn');
    expect(await publicPage()).toBe(404);
    const withdrawn = textOf((await admin.get(`/staf/item/${id}`)).text);
    expect(withdrawn).toContain('Kembalikan ke koleksi');
    expect(withdrawn).toContain('Keadaan sebelumnya: tersedia · Alasan: Salinan ganda');

    expect((await admin.post(`/staf/item/${id}/kembalikan`, { reason: '' })).status).toBe(400);
    expect((await q.app.register.items.get(id))?.status).toBe('withdrawn');
    const restored = await admin.post(`/staf/item/${id}/kembalikan`, { reason: 'Ternyata bukan duplikat' });
    expect(restored.status).toBe(303);
    expect((await q.app.register.items.get(id))?.status).toBe('available');
    expect(await publicPage()).toBe(200);
    const found = await fetch(`${q.base}/cari?q=${encodeURIComponent('Jilid')}`);
    expect(await found.text()).toContain(`/item/${id}`);
    const text = await auditText();
    expect(text).toContain('Kembalikan item');
    expect(text).toContain('Keadaan: ditarik → tersedia');
    expect(text).toContain('Alasan: Ternyata bukan duplikat');
    // Restoring twice is refused: the item is no longer withdrawn.
    expect((await admin.post(`/staf/item/${id}/kembalikan`, { reason: 'lagi' })).status).toBe(409);
  });

  it("resets a password (ending that user's sessions) and changes a role, audited; never one's own role", async () => {
    const users = await q.app.register.users.list();
    const sari = users.find((u) => u.username === 'sari');
    const kasie = users.find((u) => u.username === 'kasie');
    if (!sari || !kasie) throw new Error('users missing');
    const sariClient = new StaffClient(q.base);
    await sariClient.login('sari', 'sari-sandi-rahasia');
    expect((await sariClient.get('/staf/inventaris')).status).toBe(200);

    await admin.get('/staf/pengguna');
    const short = await admin.post(`/staf/pengguna/${sari.id}/sandi`, { password: 'pendek' });
    expect(short.status).toBe(400);
    const reset = await admin.post(`/staf/pengguna/${sari.id}/sandi`, { password: 'sandi-baru-sari-2026' });
    expect(reset.status).toBe(200);
    expect(textOf(reset.text)).toContain('Kata sandi sari diatur ulang; 1 sesi masuknya diakhiri.');
    // Her open session is gone; the old password no longer works, the new one does.
    expect((await sariClient.get('/staf/inventaris')).status).toBe(303);
    expect((await new StaffClient(q.base).login('sari', 'sari-sandi-rahasia')).status).toBe(401);
    const again = new StaffClient(q.base);
    expect((await again.login('sari', 'sandi-baru-sari-2026')).status).toBe(303);

    const role = await admin.post(`/staf/pengguna/${sari.id}/peran`, { role: 'operator' });
    expect(role.status).toBe(200);
    expect(textOf(role.text)).toContain('Peran sari sekarang operator.');
    expect((await again.get('/staf/inventaris')).status).toBe(403);
    const self = await admin.post(`/staf/pengguna/${kasie.id}/peran`, { role: 'operator' });
    expect(self.status).toBe(400);
    expect((await q.app.register.users.get(kasie.id))?.role).toBe('admin');

    const text = await auditText();
    expect(text).toContain('Atur ulang kata sandi sari Sesi diakhiri: 1');
    expect(text).toContain('Ubah peran pengguna sari Peran: staf → operator');
  });

  it('offers ISBN, edition, language and the admin-edited lists of collections and material types', async () => {
    const [id] = q.ids as [string];
    const form = (await admin.get(`/staf/item/${id}`)).text;
    expect(form).toContain('name="isbn"');
    expect(form).toContain('name="edition"');
    expect(form).toMatch(/<select[^>]*name="language"[^>]*multiple/);
    expect(form).toContain('<option value="jav">Bahasa Jawa (jav)</option>');
    expect(form).toMatch(/<select[^>]*name="type"/);
    expect(form).toContain('<option value="Surat Kabar">Surat Kabar</option>');

    const op = new StaffClient(q.base);
    await op.login('budi', 'budi-sandi-rahasia');
    expect((await op.get('/staf/daftar')).status).toBe(403);
    await admin.get('/staf/daftar');
    const saved = await admin.post('/staf/daftar', {
      collections: 'Koleksi Umum\nKoleksi Deposit Daerah\n',
      types: 'Buku\nMajalah\nLontar',
    });
    expect(saved.status).toBe(200);
    const after = (await admin.get(`/staf/item/${id}`)).text;
    expect(after).toContain('<option value="Lontar">Lontar</option>');
    expect(after).toContain('<option value="Koleksi Deposit Daerah">Koleksi Deposit Daerah</option>');
    expect(after).not.toContain('<option value="Surat Kabar">');

    await admin.get(`/staf/item/${id}`);
    const edit = await admin.request('POST', `/staf/item/${id}/metadata`, {
      body: new URLSearchParams([
        ['_csrf', admin.csrf],
        ['title', 'Sejarah Perpustakaan Daerah Jilid 1'],
        ['type', 'Lontar'],
        ['collection', 'Koleksi Deposit Daerah'],
        ['edition', 'Cetakan kedua'],
        ['language', 'ind'],
        ['language', 'jav'],
        ['rights', 'open'],
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(edit.status).toBe(303);
    expect((await q.app.register.items.get(id))?.metadata).toMatchObject({
      type: 'Lontar',
      collection: 'Koleksi Deposit Daerah',
      edition: 'Cetakan kedua',
      language: ['ind', 'jav'],
    });
    const text = await auditText();
    expect(text).toContain('Ubah daftar isian');
    expect(text).toContain(
      'Jenis bahan pustaka: Buku, Majalah, Surat Kabar, Naskah, Peta, Arsip, Foto → Buku, Majalah, Lontar',
    );
    expect(text).toContain('Bahasa: – → Bahasa Indonesia (ind); Bahasa Jawa (jav)');
  });
});
