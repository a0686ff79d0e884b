import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemStatus } from '../core/item.types.ts';
import { keys } from '../core/store/keys.ts';
import { makePage } from './fixtures/make-page.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const TEXT = {
  first: 'Perpustakaan daerah membuka layanan baca setiap hari kerja bagi semua warga kabupaten.',
  old: 'Gamelan keraton dimainkan setiap malam Jumat di pendapa yang luas dan terang.',
  rescan: 'Petani garam menjemur hasil panen di tepi pantai utara ketika kemarau panjang tiba.',
  upsideDown: 'Nelayan tradisional berangkat melaut sebelum subuh membawa jaring dan bekal nasi.',
  sideways:
    'Pengrajin batik tulis menggambar pola dengan canting di atas kain putih. Warna diberikan lapis demi lapis, lalu lilinnya dilorot dengan air mendidih. Setiap helai kain memerlukan waktu berminggu-minggu.',
};
const MAX_FILE_BYTES = 600_000;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Replacing a page with a rescan and re-running cleaning with other settings, over HTTP against a
 * real Pindai (runner, sharp, tesseract.js, fs store, FTS index).
 */
describe('staff: replace a page, re-run cleaning with other settings', () => {
  let s: StaffServer;
  let c: StaffClient;
  let bookId = '';
  const scans: Record<string, Buffer> = {};

  beforeAll(async () => {
    s = await startStaffServer({
      runner: true,
      env: { PINDAI_JOB_MAX_ATTEMPTS: '1', PINDAI_MAX_PIXELS: '3000000' },
      staffOptions: { maxFileBytes: MAX_FILE_BYTES },
    });
    await s.addUser('sari', 'staf', 'sari-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('sari', 'sari-sandi-rahasia')).status).toBe(303);
    const page = (text: string) => makePage({ columns: [text], width: 900, height: 1100 });
    scans.first = await page(TEXT.first);
    scans.old = await page(TEXT.old);
    scans.rescan = await page(TEXT.rescan);
    scans.upsideDown = await sharp(await page(TEXT.upsideDown))
      .rotate(180)
      .jpeg()
      .toBuffer();
    // Fed into the scanner on its side: the text runs bottom to top.
    scans.sideways = await sharp(await page(TEXT.sideways))
      .rotate(270)
      .jpeg()
      .toBuffer();
  });
  afterAll(async () => {
    await s?.close();
  });

  const cookie = () => `pindai_sesi=${c.cookies.get('pindai_sesi')}`;

  async function upload(title: string, files: [string, Buffer][]): Promise<string> {
    const form = new FormData();
    form.append('title', title);
    for (const [name, data] of files) form.append('halaman', new Blob([new Uint8Array(data)]), name);
    const r = await fetch(`${s.base}/staf/unggah`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookie(), 'x-csrf-token': c.csrf, accept: 'application/json' },
    });
    const body = (await r.json()) as { itemId: string; message: string };
    expect(r.status, body.message).toBe(201);
    return body.itemId;
  }

  function replace(itemId: string, fields: Record<string, string>, file?: [string, Buffer], csrf = c.csrf) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('halaman', new Blob([new Uint8Array(file[1])]), file[0]);
    return fetch(`${s.base}/staf/item/${itemId}/ganti-halaman?_csrf=${encodeURIComponent(csrf)}`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookie(), accept: 'text/html' },
      redirect: 'manual',
    });
  }

  async function waitForStatus(itemId: string, status: ItemStatus, ms = 90_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if ((await s.pindai.register.items.get(itemId))?.status === status) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(
      `item ${itemId} did not become ${status}: ${JSON.stringify(await s.pindai.register.items.get(itemId))}`,
    );
  }

  /** Pages of `itemId` where the public search finds `q` (whole-item hits as null). */
  async function foundOn(itemId: string, q: string): Promise<(number | null)[]> {
    const r = (await (await fetch(`${s.base}/api/search?q=${encodeURIComponent(q)}`)).json()) as {
      hits: { itemId: string; page: number | null }[];
    };
    return r.hits.filter((h) => h.itemId === itemId).map((h) => h.page);
  }

  const lastRun = async (itemId: string, stage: string) =>
    (await s.pindai.register.runs.runsFor(itemId)).filter((r) => r.stage === stage).at(-1);

  const auditOf = async (action: string) =>
    (await s.pindai.register.audit.list({ action }))
      .reverse()
      .map((r) => ({ username: r.username, target: r.target, detail: r.detail }));

  it('replaces page 2 with a rescan: stored and verified under a new key, old version kept, item redone and re-indexed', async () => {
    bookId = await upload('Catatan Budaya Pesisir', [
      ['halaman-1.jpg', scans.first!],
      ['halaman-2.jpg', scans.old!],
    ]);
    await waitForStatus(bookId, 'available');
    expect(await foundOn(bookId, 'Gamelan keraton')).toContain(2);
    expect(await foundOn(bookId, 'Petani garam')).toEqual([]);
    const [page1, page2] = await s.pindai.register.pages.list(bookId);
    const cleanRuns = (await s.pindai.register.runs.runsFor(bookId)).filter(
      (r) => r.stage === 'clean',
    ).length;

    const r = await replace(bookId, { no: '2' }, ['halaman-2-pindai-ulang.jpg', scans.rescan!]);
    expect(r.status, await r.text()).toBe(303);
    expect(r.headers.get('location')).toBe(`/staf/item/${bookId}?pesan=diganti`);
    await waitForStatus(bookId, 'processing', 5000).catch(() => {});
    await waitForStatus(bookId, 'available');

    const now = await s.pindai.register.pages.list(bookId);
    expect(now).toHaveLength(2);
    const next = now[1]!;
    expect(next.sourceFile).toBe('halaman-2-pindai-ulang.jpg');
    expect(next.originalSha256).toBe(sha256(scans.rescan!));
    expect(next.originalKey).toBe(keys.replacementOriginal(bookId, 2, next.originalSha256, next.sourceFile));
    expect(next.originalKey).not.toBe(page2!.originalKey);
    // The new original is the uploaded file byte for byte; the old original is still there, intact.
    expect(await s.pindai.store.getBuffer(next.originalKey)).toEqual(scans.rescan);
    expect(await s.pindai.store.sha256(page2!.originalKey)).toBe(page2!.originalSha256);
    expect(page2!.originalSha256).toBe(sha256(scans.old!));
    // Page 1 was not touched: its cleaning was kept; page 2 was cleaned and recognised again.
    expect(now[0]).toMatchObject({ originalKey: page1!.originalKey, cleanedAt: page1!.cleanedAt });
    expect((await s.pindai.register.runs.runsFor(bookId)).filter((x) => x.stage === 'clean')).toHaveLength(
      cleanRuns + 1,
    );
    expect((await lastRun(bookId, 'clean'))?.detail).toBe('1 cleaned, 1 already clean');
    expect((await lastRun(bookId, 'ocr'))?.detail).toMatch(
      /^1 recognised( \(1 read ahead while cleaning\))?, 1 already done/,
    );
    // Re-indexed: the rescan's words are found on page 2, the old page's words are gone.
    expect(await foundOn(bookId, 'Petani garam')).toContain(2);
    expect(await foundOn(bookId, 'Gamelan keraton')).toEqual([]);
    expect(await foundOn(bookId, 'layanan baca')).toContain(1);
    // The manifest lists both originals; the item's size counts the originals it consists of now.
    const manifest = JSON.parse((await s.pindai.store.getBuffer(keys.manifest(bookId))).toString()) as {
      objects: { key: string; sha256: string }[];
    };
    const listed = new Map(manifest.objects.map((o) => [o.key, o.sha256]));
    expect(listed.get(page2!.originalKey)).toBe(page2!.originalSha256);
    expect(listed.get(next.originalKey)).toBe(next.originalSha256);
    expect((await s.pindai.register.items.get(bookId))?.originalBytes).toBe(
      scans.first!.length + scans.rescan!.length,
    );

    // The old version is kept as a revision and shown; the audit log records who did it.
    const revisions = await s.pindai.register.staffItems.revisions(bookId);
    expect(revisions.map((x) => [x.kind, x.username])).toEqual([['page_replace', 'sari']]);
    expect(revisions[0]!.before.page).toMatchObject({
      page_no: 2,
      source_file: 'halaman-2.jpg',
      original_key: page2!.originalKey,
      original_sha256: page2!.originalSha256,
    });
    const html = (await c.get(`/staf/item/${bookId}`)).text;
    expect(html).toContain('Halaman diganti');
    expect(html).toContain(`2: halaman-2.jpg (SHA-256 ${page2!.originalSha256.slice(0, 12)}`);
    const audit = await auditOf('item_page_replace');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'sari', target: `item:${bookId}` });
    expect(audit[0]!.detail).toMatchObject({
      page: 2,
      file: 'halaman-2-pindai-ulang.jpg',
      key: next.originalKey,
      previousKey: page2!.originalKey,
      sha256: next.originalSha256,
    });
    // Nothing of the upload stays behind in the temp folder.
    const tmp = path.join(s.pindai.config.inboxDir, '.unggah');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });

  it('refuses a bad replacement with a clear reason and changes nothing', async () => {
    const pagesBefore = await s.pindai.register.pages.list(bookId);
    const objectsBefore: string[] = [];
    for await (const o of s.pindai.store.list(keys.itemPrefix(bookId))) objectsBefore.push(o.key);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n');
    const huge = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const truncated = scans.rescan!.subarray(0, Math.floor(scans.rescan!.length / 2));
    const noise = await sharp(
      Buffer.from(Array.from({ length: 700 * 700 * 3 }, () => Math.floor(Math.random() * 256))),
      {
        raw: { width: 700, height: 700, channels: 3 },
      },
    )
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(MAX_FILE_BYTES);

    const cases: [string, Promise<Response>, number, RegExp][] = [
      [
        'a broken PDF under an image name (read by content)',
        replace(bookId, { no: '1' }, ['halaman-1.jpg', pdf]),
        422,
        /halaman-1\.jpg(&quot;|") adalah PDF yang rusak/,
      ],
      [
        'pixel limit',
        replace(bookId, { no: '1' }, ['besar.png', huge]),
        422,
        /terlalu besar \(2000×2000 piksel; batas 3000000/,
      ],
      [
        'truncated',
        replace(bookId, { no: '1' }, ['potong.jpg', truncated]),
        422,
        /potong\.jpg(&quot;|")? terpotong: isinya berhenti sebelum gambarnya selesai/,
      ],
      ['file size limit', replace(bookId, { no: '1' }, ['berat.png', noise]), 413, /terlalu besar/],
      [
        'same as now',
        replace(bookId, { no: '1' }, ['lagi.jpg', scans.first!]),
        409,
        /sama persis dengan halaman/,
      ],
      [
        'no such page',
        replace(bookId, { no: '9' }, ['p9.jpg', scans.old!]),
        404,
        /tidak ada halaman 9|Halaman 9 tidak ada/,
      ],
      ['no file', replace(bookId, { no: '1' }), 400, /Pilih satu berkas gambar/],
      [
        'not a page file name',
        replace(bookId, { no: '1' }, ['halaman.gif', scans.old!]),
        400,
        /halaman\.gif/,
      ],
      ['no CSRF token', replace(bookId, { no: '1' }, ['p.jpg', scans.old!], 'salah'), 403, /./],
    ];
    for (const [label, request, status, text] of cases) {
      const r = await request;
      const body = await r.text();
      expect(r.status, `${label}: ${body.slice(0, 200)}`).toBe(status);
      expect(body, label).toMatch(text);
    }
    expect(await s.pindai.register.pages.list(bookId)).toEqual(pagesBefore);
    expect((await s.pindai.register.items.get(bookId))?.status).toBe('available');
    const objectsAfter: string[] = [];
    for await (const o of s.pindai.store.list(keys.itemPrefix(bookId))) objectsAfter.push(o.key);
    expect(objectsAfter.sort()).toEqual(objectsBefore.sort());
    expect(await auditOf('item_page_replace')).toHaveLength(1);
  });

  it('removes a page: every derivative of the page number that is gone is deleted, the originals stay', async () => {
    const originals = (await s.pindai.register.pages.list(bookId)).map((p) => p.originalKey);
    await c.get(`/staf/item/${bookId}`);
    const r = await c.post(`/staf/item/${bookId}/halaman`, { urutan_1: '1', urutan_2: '2', hapus_2: '1' });
    expect(r.status).toBe(303);
    await waitForStatus(bookId, 'processing', 5000).catch(() => {});
    await waitForStatus(bookId, 'available');
    expect(await s.pindai.register.pages.list(bookId)).toHaveLength(1);
    const stored = new Set<string>();
    for await (const o of s.pindai.store.list(keys.itemPrefix(bookId))) stored.add(o.key);
    // Found by name, not from the code's own list: a derivative it forgot would linger here.
    expect([...stored].filter((key) => /\/p0002\.\w+$/.test(key))).toEqual([]);
    // Page 1 keeps what the pipeline made for it, the PDF page image included.
    for (const key of [keys.access, keys.pdfImage, keys.ocrText])
      expect(stored.has(key(bookId, 1))).toBe(true);
    for (const key of originals) expect(stored.has(key)).toBe(true);
  });

  it('turns a page scanned on its side upright by itself; staff can choose another turn for that page, or automatic again', async () => {
    const id = await upload('Kerajinan Batik Pesisir', [
      ['hal-1-tegak.jpg', scans.first!],
      ['hal-2-miring.jpg', scans.sideways!],
    ]);
    await waitForStatus(id, 'available');
    const pagesOf = () => s.pindai.register.pages.list(id);
    // Detection turned page 2 a quarter turn clockwise (and left page 1 alone); OCR read it upright.
    expect((await pagesOf()).map((p) => [p.orientation, p.rotateOverride])).toEqual([
      [0, null],
      [90, null],
    ]);
    expect((await pagesOf())[1]!.orientationConfidence).toBeGreaterThanOrEqual(0.5);
    expect((await lastRun(id, 'clean'))?.detail).toBe('2 cleaned, 0 already clean (1 turned upright)');
    expect(await foundOn(id, 'canting kain')).toContain(2);
    let html = (await c.get(`/staf/item/${id}`)).text;
    expect(html).toMatch(
      /<tr data-page="2" data-turned="auto">[\s\S]*?Diputar otomatis 90° searah jarum jam/,
    );
    expect(html).toMatch(/<tr data-page="1" data-turned="none">/);

    // Staff say page 2 is to stay as scanned: only that page is cleaned and read again.
    const page1 = (await pagesOf())[0]!;
    let r = await c.post(`/staf/item/${id}/putar-halaman`, { no: '2', putar: '0' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/staf/item/${id}?pesan=diputar#orientasi`);
    await waitForStatus(id, 'processing', 5000).catch(() => {});
    await waitForStatus(id, 'available');
    expect((await pagesOf())[1]).toMatchObject({ rotateOverride: 0, orientation: null });
    expect((await pagesOf())[0]).toMatchObject({ cleanedAt: page1.cleanedAt, ocrAt: page1.ocrAt });
    expect((await lastRun(id, 'clean'))?.detail).toBe('1 cleaned, 1 already clean');
    // Read on its side, the words are gone; the choice is shown and selected.
    expect(await foundOn(id, 'canting kain')).toEqual([]);
    html = (await c.get(`/staf/item/${id}`)).text;
    expect(html).toMatch(/<tr data-page="2" data-turned="staff">[\s\S]*?Diputar staf: Tidak diputar/);
    expect(html).toMatch(/aria-label="Arah halaman 2">[\s\S]*?<option value="0" selected/);

    // Automatic again: detection turns it upright once more.
    r = await c.post(`/staf/item/${id}/putar-halaman`, { no: '2', putar: 'otomatis' });
    expect(r.status).toBe(303);
    await waitForStatus(id, 'processing', 5000).catch(() => {});
    await waitForStatus(id, 'available');
    expect((await pagesOf())[1]).toMatchObject({ rotateOverride: null, orientation: 90 });
    expect(await foundOn(id, 'canting kain')).toContain(2);

    // Nonsense is refused and changes nothing; every change is in the audit log.
    expect((await c.post(`/staf/item/${id}/putar-halaman`, { no: '2', putar: '45' })).status).toBe(400);
    expect((await c.post(`/staf/item/${id}/putar-halaman`, { no: '9', putar: '90' })).status).toBe(404);
    expect((await pagesOf())[1]?.rotateOverride).toBeNull();
    expect((await auditOf('item_page_rotate')).map((a) => [a.username, a.target, a.detail])).toEqual([
      ['sari', `item:${id}`, { page: 2, turn: 0, before: 'otomatis' }],
      ['sari', `item:${id}`, { page: 2, turn: 'otomatis', before: 0 }],
    ]);
  });

  it('rotates a page scanned upside down; OCR finds its words afterwards, and the setting stays on a re-run', async () => {
    const id = await upload('Kehidupan Kampung Nelayan', [['terbalik.jpg', scans.upsideDown!]]);
    await waitForStatus(id, 'available');
    // Detection already turned it upright.
    expect((await s.pindai.register.pages.list(id))[0]?.orientation).toBe(180);
    expect(await foundOn(id, 'Nelayan tradisional')).toContain(1);

    await c.get(`/staf/item/${id}`);
    const r = await c.post(`/staf/item/${id}/perbaikan`, { rotate: '180', deskew: '1', crop: '1' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/staf/item/${id}?pesan=diproses`);
    // While the item is being redone, a second change is refused.
    expect((await c.post(`/staf/item/${id}/perbaikan`, { rotate: '90' })).status).toBe(409);
    await waitForStatus(id, 'processing', 5000).catch(() => {});
    await waitForStatus(id, 'available');
    const settings = s.pindai.register.itemSettings;
    expect(await settings.cleanSettings(id)).toEqual({ rotate: 180 });
    expect((await lastRun(id, 'clean'))?.detail).toBe('1 cleaned, 0 already clean (rotate=180)');
    expect(await foundOn(id, 'Nelayan tradisional')).toContain(1);
    expect(await foundOn(id, 'jaring bekal')).toContain(1);

    // The item page shows the stored choice.
    const html = (await c.get(`/staf/item/${id}`)).text;
    expect(html).toMatch(/<option value="180" selected[^>]*>/);
    // A plain re-run of cleaning keeps the settings (they live with the item, not the request).
    const rerun = await c.post(`/staf/item/${id}/proses-ulang`, { stage: 'clean' });
    expect(rerun.status).toBe(303);
    await waitForStatus(id, 'processing', 5000).catch(() => {});
    await waitForStatus(id, 'available');
    expect((await lastRun(id, 'clean'))?.detail).toBe('1 cleaned, 0 already clean (rotate=180)');
    expect(await foundOn(id, 'Nelayan tradisional')).toContain(1);

    // Deskew and border cropping can be switched off; unchecked boxes are stored as off.
    await c.get(`/staf/item/${id}`);
    expect((await c.post(`/staf/item/${id}/perbaikan`, { rotate: '180' })).status).toBe(303);
    await waitForStatus(id, 'processing', 5000).catch(() => {});
    await waitForStatus(id, 'available');
    expect(await settings.cleanSettings(id)).toEqual({ rotate: 180, deskew: false, cropBorders: false });
    expect((await lastRun(id, 'clean'))?.detail).toBe(
      '1 cleaned, 0 already clean (rotate=180, deskew=false, cropBorders=false)',
    );
    expect((await s.pindai.register.pages.list(id))[0]?.skew).toBe(0);
    expect((await c.post(`/staf/item/${id}/perbaikan`, { rotate: '45' })).status).toBe(400);
    // A withdrawn item is not re-processed (publishing would bring it back into the collection).
    await c.get(`/staf/item/${id}`);
    expect((await c.post(`/staf/item/${id}/tarik`, { yakin: '1', reason: 'Salinan ganda' })).status).toBe(
      303,
    );
    expect((await c.post(`/staf/item/${id}/perbaikan`, { rotate: '0', deskew: '1', crop: '1' })).status).toBe(
      409,
    );
    expect((await replace(id, { no: '1' }, ['baru.jpg', scans.rescan!])).status).toBe(409);
    expect((await s.pindai.register.items.get(id))?.status).toBe('withdrawn');
    expect((await auditOf('item_clean_settings')).map((a) => a.detail.settings)).toEqual([
      { rotate: 180, deskew: true, cropBorders: true },
      { rotate: 180, deskew: false, cropBorders: false },
    ]);
  });
});
