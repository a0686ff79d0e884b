import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from './fixtures/make-page.ts';
import { cspViolations, launchBrowser, screenshot } from './support/browser.ts';
import { type StaffServer, startStaffServer } from './support/staff-server.ts';

/**
 * The staff workspace in headless Chromium against a real Pindai (runner, OCR, store, index):
 * each role signs in; an operator uploads a batch and watches it reach "available"; staff edit
 * its metadata and find the new title in search, retry a deliberately failed stage, export the
 * inventory; an operator cannot reach admin pages.
 */
const BATIK = 'Pengrajin batik tulis menggambar motif parang dengan canting dan malam panas.';

describe('staff workspace in headless Chromium', () => {
  let s: StaffServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const files: string[] = [];
  const failFiles: string[] = [];
  const pw = { admin: 'admin-sandi-rahasia', staf: 'staf-sandi-rahasia', operator: 'operator-sandi-rahasia' };
  let firstItem = '';
  let failedItem = '';
  const rescanFile: string[] = [];
  let loginShot = false;

  beforeAll(async () => {
    s = await startStaffServer({ runner: true, env: { PINDAI_JOB_MAX_ATTEMPTS: '1' } });
    await s.addUser('kasie', 'admin', pw.admin);
    await s.addUser('sari', 'staf', pw.staf);
    await s.addUser('budi', 'operator', pw.operator);
    const dir = path.join(s.root, 'pindaian');
    fs.mkdirSync(dir, { recursive: true });
    for (const [i, text] of [SAMPLE_TEXT.id3, SAMPLE_TEXT.id1].entries()) {
      const f = path.join(dir, `halaman-${i + 1}.jpg`);
      fs.writeFileSync(f, await makePage({ columns: [text], width: 900, height: 1100, skewDeg: 0.8 }));
      files.push(f);
    }
    const g = path.join(dir, 'rusak-1.jpg');
    fs.writeFileSync(g, await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700 }));
    failFiles.push(g);
    // A rescan for the replace-a-page step, fed upside down (fixed there with the cleaning settings).
    const rescan = path.join(dir, 'rusak-1-pindai-ulang.jpg');
    const upright = await makePage({ columns: [BATIK], width: 600, height: 700 });
    fs.writeFileSync(rescan, await sharp(upright).rotate(180).jpeg().toBuffer());
    rescanFile.push(rescan);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  async function signIn(username: string, password: string): Promise<Page> {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      locale: 'id-ID',
      timezoneId: 'UTC',
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`${s.base}/staf/`);
    expect(new URL(page.url()).pathname).toBe('/staf/masuk');
    if (!loginShot) {
      loginShot = true;
      await screenshot(page, 'staf-masuk');
    }
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${s.base}/staf/`), page.click('button[type=submit]')]);
    expect(await page.textContent('.who')).toContain(username);
    return page;
  }

  async function waitForStatus(itemId: string, status: string, ms = 90_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if ((await s.pindai.register.items.get(itemId))?.status === status) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(
      `item ${itemId} did not become ${status}: ${JSON.stringify(await s.pindai.register.items.get(itemId))}`,
    );
  }

  it('signs in as each role and shows each only its own navigation', async () => {
    const navOf = async (p: Page) =>
      (await p.locator('header.site nav a').allTextContents()).map((t) => t.trim());
    const admin = await signIn('kasie', pw.admin);
    expect(await navOf(admin)).toEqual([
      'Beranda',
      'Unggah',
      'Antrean',
      'Buku Inventaris',
      'Tinjau',
      'Laporan',
      'Pengguna',
      'Log Audit',
      'Daftar Isian',
    ]);
    await admin.goto(`${s.base}/staf/pengguna`);
    expect(await admin.locator('table.grid tbody tr').count()).toBe(3);
    await screenshot(admin, 'staf-pengguna');
    const staf = await signIn('sari', pw.staf);
    expect(await navOf(staf)).toEqual([
      'Beranda',
      'Unggah',
      'Antrean',
      'Buku Inventaris',
      'Tinjau',
      'Laporan',
    ]);
    const op = await signIn('budi', pw.operator);
    expect(await navOf(op)).toEqual(['Beranda', 'Unggah', 'Antrean']);
  });

  it('keeps an operator out of admin and staff pages', async () => {
    const op = await signIn('budi', pw.operator);
    for (const p of ['/staf/pengguna', '/staf/audit', '/staf/inventaris', '/staf/laporan', '/staf/tinjau']) {
      const r = await op.goto(`${s.base}${p}`);
      expect(r?.status(), p).toBe(403);
      expect(await op.textContent('h1')).toBe('Akses ditolak');
    }
    await screenshot(op, 'staf-operator-ditolak');
  });

  it('uploads a batch as an operator with progress, and watches it become available in the live queue', async () => {
    const op = await signIn('budi', pw.operator);
    await op.goto(`${s.base}/staf/unggah`);
    await op.setInputFiles('input[type=file]', files);
    await op.fill('#m-title', 'Riwayat Perpustakaan Kabupaten');
    await op.fill('#m-creator', 'Suryadi; Lestari');
    await op.fill('#m-year', '1987');
    await op.selectOption('#m-collection', 'Koleksi Lokal');
    await screenshot(op, 'staf-unggah-form');
    await op.click('#unggah button[type=submit]');
    const result = op.locator('#hasil [data-result]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-result')).toBe('ok');
    expect(await result.textContent()).toContain('Diterima: "Riwayat Perpustakaan Kabupaten", 2 halaman');
    await screenshot(op, 'staf-unggah-diterima');
    const href = await result.locator('a').getAttribute('href');
    firstItem = href?.split('/').pop() ?? '';
    expect((await s.pindai.register.items.get(firstItem))?.operator).toBe('budi');

    await op.goto(`${s.base}/staf/antrean`);
    // The live page updates itself from server-sent events: no reload here.
    await op.locator(`#selesai [data-item="${firstItem}"]`).waitFor({ timeout: 120_000 });
    expect((await s.pindai.register.items.get(firstItem))?.status).toBe('available');
    await screenshot(op, 'staf-antrean');
    await op.goto(`${s.base}/staf/item/${firstItem}`);
    expect(await op.locator('h1 [data-status]').getAttribute('data-status')).toBe('available');
    expect(await op.locator('#riwayat tr[data-outcome=done]').count()).toBe(5);
    // Operators read; only staff change items.
    expect(await op.locator('#ubah').count()).toBe(0);
  });

  it('edits the metadata as staff; the new title is found in search at once', async () => {
    const staf = await signIn('sari', pw.staf);
    await staf.goto(`${s.base}/staf/item/${firstItem}`);
    const thumb = staf.locator('.thumbs img').first();
    await thumb.scrollIntoViewIfNeeded();
    await staf.waitForFunction(() =>
      [...document.querySelectorAll('.thumbs img')].every((i) => (i as HTMLImageElement).complete),
    );
    expect(await thumb.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(50);
    await screenshot(staf, 'staf-item');
    // The item's history reads as sentences, not event codes.
    expect(await staf.textContent('main')).toContain('Batch diterima: 2 halaman');
    await staf.fill('#m-title', 'Kronik Taman Bacaan Desa Sukamaju');
    await Promise.all([staf.waitForURL(/pesan=disimpan/), staf.click('#ubah button[type=submit]')]);
    expect(await staf.textContent('h1')).toContain('Kronik Taman Bacaan Desa Sukamaju');
    expect(await staf.textContent('.notice.ok')).toContain('Metadata disimpan dan diindeks ulang');
    const r = (await (
      await fetch(`${s.base}/api/search?q=${encodeURIComponent('Kronik Sukamaju')}`)
    ).json()) as {
      hits: { itemId: string }[];
    };
    expect(r.hits.map((h) => h.itemId)).toContain(firstItem);
    const old = (await (
      await fetch(`${s.base}/api/search?q=${encodeURIComponent('Riwayat Kabupaten')}`)
    ).json()) as {
      hits: { itemId: string; page: number | null }[];
    };
    expect(old.hits.filter((h) => h.itemId === firstItem && h.page === null)).toEqual([]);
    expect(await staf.locator('text=Versi sebelumnya').count()).toBe(1);
  });

  it('shows why a stage failed and retries it', async () => {
    await s.pindai.runner.stop(5000);
    const op = await signIn('budi', pw.operator);
    await op.goto(`${s.base}/staf/unggah`);
    await op.setInputFiles('input[type=file]', failFiles);
    await op.fill('#m-title', 'Naskah Yang Gagal Dulu');
    await op.click('#unggah button[type=submit]');
    const result = op.locator('#hasil [data-result]');
    await result.waitFor({ timeout: 30_000 });
    const itemId = (await result.locator('a').getAttribute('href'))?.split('/').pop() ?? '';
    failedItem = itemId;
    // Take the stored original away: the cleaning stage cannot read it and fails (1 attempt).
    const page1 = (await s.pindai.register.pages.list(itemId))[0]!;
    const stored = path.join(s.pindai.config.storeDir, 'objects', page1.originalKey);
    const aside = path.join(s.root, 'aside.jpg');
    fs.renameSync(stored, aside);
    await s.pindai.runner.start();
    await waitForStatus(itemId, 'failed');

    const staf = await signIn('sari', pw.staf);
    await staf.goto(`${s.base}/staf/item/${itemId}`);
    expect(await staf.textContent('#alasan')).toMatch(/Alasan gagal:.*object not found: .*rusak-1\.jpg/);
    expect(await staf.locator('#riwayat tr[data-stage=clean][data-outcome=failed]').count()).toBe(1);
    await screenshot(staf, 'staf-item-gagal');
    await staf.goto(`${s.base}/staf/antrean`);
    expect(await staf.locator(`#gagal [data-item="${itemId}"]`).count()).toBe(1);

    fs.renameSync(aside, stored);
    await staf.goto(`${s.base}/staf/item/${itemId}`);
    await Promise.all([staf.waitForURL(/pesan=diulang/), staf.click('#alasan button[type=submit]')]);
    await waitForStatus(itemId, 'available');
    await staf.reload();
    expect(await staf.locator('h1 [data-status]').getAttribute('data-status')).toBe('available');
    expect(await staf.locator('#riwayat tr[data-stage=clean][data-outcome=done]').count()).toBe(1);
  });

  it('exports the inventory as CSV and XLSX from the browser', async () => {
    const staf = await signIn('sari', pw.staf);
    await staf.goto(`${s.base}/staf/inventaris`);
    expect(await staf.locator('#inventaris tbody tr').count()).toBe(2);
    await screenshot(staf, 'staf-inventaris');
    const [csv] = await Promise.all([staf.waitForEvent('download'), staf.click('text=CSV')]);
    const csvText = fs.readFileSync((await csv.path())!, 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    const lines = csvText.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(csvText).toContain('Kronik Taman Bacaan Desa Sukamaju');
    expect(csvText).toContain('Naskah Yang Gagal Dulu');
    const [xlsx] = await Promise.all([staf.waitForEvent('download'), staf.click('text=Excel (XLSX)')]);
    expect(xlsx.suggestedFilename()).toMatch(/^buku-inventaris-alih-media-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsx.path())!);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(3);
    // Columns by their header, so a new column does not shift what is checked.
    const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const col = (name: string) => {
      const i = header.indexOf(name);
      expect(i, `column ${name} in ${header.join(' | ')}`).toBeGreaterThan(0);
      return i;
    };
    const title = col('Judul');
    expect([ws.getRow(2).getCell(title).value, ws.getRow(3).getCell(title).value]).toEqual([
      'Kronik Taman Bacaan Desa Sukamaju',
      'Naskah Yang Gagal Dulu',
    ]);
    expect(ws.getRow(2).getCell(1).value).toMatch(/^00001\/AM\/\d{4}$/);
    expect(ws.getRow(2).getCell(col('Halaman')).value).toBe(2);
    expect(ws.getRow(2).getCell(col('Format Hasil')).value).toBe('PDF');
    expect(ws.getRow(2).getCell(col('Operator')).value).toBe('budi');
    expect(ws.getRow(2).getCell(col('Keadaan')).value).toBe('tersedia');
  });

  it('re-runs OCR of a published item, then withdraws it from search', async () => {
    const staf = await signIn('sari', pw.staf);
    await staf.goto(`${s.base}/staf/item/${firstItem}`);
    const ocrRuns = async () =>
      (await s.pindai.register.runs.runsFor(firstItem)).filter((r) => r.stage === 'ocr').length;
    expect(await ocrRuns()).toBe(1);
    await staf.selectOption('select[name=stage]', 'ocr');
    // Other settings: Indonesian only this time.
    await staf.selectOption('select[name=ocrLangs]', 'ind');
    await Promise.all([staf.waitForURL(/pesan=diproses/), staf.click('text=Proses ulang >> nth=-1')]);
    await waitForStatus(firstItem, 'processing', 5000).catch(() => {});
    await waitForStatus(firstItem, 'available');
    expect(await ocrRuns()).toBe(2);
    const lastOcr = (await s.pindai.register.runs.runsFor(firstItem)).filter((r) => r.stage === 'ocr').at(-1);
    expect(lastOcr?.detail).toBe('2 recognised, 0 already done (ind)');
    const search = async () =>
      (
        (await (await fetch(`${s.base}/api/search?q=${encodeURIComponent('Kronik Sukamaju')}`)).json()) as {
          hits: { itemId: string }[];
        }
      ).hits.map((h) => h.itemId);
    expect(await search()).toContain(firstItem);
    // Swap the two pages: the old arrangement is kept, the item is redone from cleaning.
    await staf.reload();
    await staf.fill('input[name=urutan_1]', '2');
    await staf.fill('input[name=urutan_2]', '1');
    await Promise.all([staf.waitForURL(/pesan=diproses/), staf.click('#halaman button[type=submit]')]);
    await waitForStatus(firstItem, 'processing', 5000).catch(() => {});
    await waitForStatus(firstItem, 'available');
    expect((await s.pindai.register.pages.list(firstItem)).map((p) => p.sourceFile)).toEqual([
      'halaman-2.jpg',
      'halaman-1.jpg',
    ]);
    const hits = (
      (await (await fetch(`${s.base}/api/search?q=${encodeURIComponent('layanan baca')}`)).json()) as {
        hits: { itemId: string; page: number | null }[];
      }
    ).hits.filter((h) => h.itemId === firstItem);
    expect(hits.map((h) => h.page)).toContain(1);
    await staf.reload();
    await screenshot(staf, 'staf-item-halaman');
    await staf.fill('input[name=reason]', 'Salinan ganda');
    await staf.check('input[name=yakin]');
    await Promise.all([staf.waitForURL(/pesan=ditarik/), staf.click('button.danger')]);
    expect(await staf.locator('h1 [data-status]').getAttribute('data-status')).toBe('withdrawn');
    expect(await search()).not.toContain(firstItem);
  });

  it('shows reports with charts and the audit log of what happened above', async () => {
    const admin = await signIn('kasie', pw.admin);
    await screenshot(admin, 'staf-beranda');
    await admin.goto(`${s.base}/staf/laporan`);
    expect(await admin.locator('#per-bulan svg.chart rect').count()).toBeGreaterThan(0);
    expect(await admin.locator('#operator tbody tr').first().textContent()).toContain('budi');
    expect(await admin.locator('#kegagalan tbody tr').count()).toBe(1);
    await screenshot(admin, 'staf-laporan');
    await admin.goto(`${s.base}/staf/audit`);
    const actions = await admin
      .locator('#audit tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const a of [
      'login',
      'upload',
      'item_edit',
      'item_retry',
      'inventory_export_csv',
      'inventory_export_xlsx',
    ]) {
      expect(actions, a).toContain(a);
    }
    await screenshot(admin, 'staf-audit');
    await admin.goto(`${s.base}/staf/?lang=en`);
    expect(await admin.textContent('h1')).toBe('Home');
  });

  it('replaces a page with a rescan, then cleans it again turned the right way up, from the item page', async () => {
    const staf = await signIn('sari', pw.staf);
    const found = async (q: string) =>
      (
        (await (await fetch(`${s.base}/api/search?q=${encodeURIComponent(q)}`)).json()) as {
          hits: { itemId: string; page: number | null }[];
        }
      ).hits
        .filter((h) => h.itemId === failedItem)
        .map((h) => h.page);
    expect(await found('Naskah rapuh dipindai')).toContain(1);
    await staf.goto(`${s.base}/staf/item/${failedItem}`);
    await staf.selectOption('#ganti-halaman select[name=no]', '1');
    await staf.setInputFiles('#ganti-halaman input[type=file]', rescanFile);
    await Promise.all([staf.waitForURL(/pesan=diganti/), staf.click('#ganti-halaman button[type=submit]')]);
    expect(await staf.textContent('.notice.ok')).toContain('Halaman diganti');
    await waitForStatus(failedItem, 'processing', 5000).catch(() => {});
    await waitForStatus(failedItem, 'available');
    expect((await s.pindai.register.pages.list(failedItem)).map((p) => p.sourceFile)).toEqual([
      'rusak-1-pindai-ulang.jpg',
    ]);
    expect(await found('Naskah rapuh dipindai')).toEqual([]);
    // The rescan was fed upside down: its words are not found until it is turned.
    expect(await found('batik canting')).toEqual([]);
    await staf.reload();
    expect(await staf.textContent('main')).toContain('Halaman diganti');
    await staf.selectOption('#perbaikan select[name=rotate]', '180');
    await staf.uncheck('#perbaikan input[name=crop]');
    await screenshot(staf, 'staf-item-ganti-perbaikan');
    await Promise.all([staf.waitForURL(/pesan=diproses/), staf.click('#perbaikan button[type=submit]')]);
    await waitForStatus(failedItem, 'processing', 5000).catch(() => {});
    await waitForStatus(failedItem, 'available');
    expect(await s.pindai.register.itemSettings.cleanSettings(failedItem)).toEqual({
      rotate: 180,
      cropBorders: false,
    });
    expect(await found('batik canting')).toContain(1);
    await staf.reload();
    expect(await staf.locator('#perbaikan select[name=rotate]').inputValue()).toBe('180');
    expect(await staf.locator('#perbaikan input[name=crop]').isChecked()).toBe(false);
    expect(await staf.locator('#perbaikan input[name=deskew]').isChecked()).toBe(true);
  });

  // Last: every page above ran under the security headers' CSP (server/security-headers.ts).
  it('no page had anything refused by the Content-Security-Policy', () => {
    expect(cspViolations(browser)).toEqual([]);
  });
});
