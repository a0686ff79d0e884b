import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { type QuickStaff, startQuickStaff } from './support/quick-staff.ts';
import { StaffClient } from './support/staff-server.ts';
import { tempDir } from './support/temp-dir.ts';
import { writeFiles } from './support/test-app.ts';

/**
 * Every staff page, signed in as an admin, in Bahasa Indonesia at a laptop and a phone width:
 * no English left over (words from a list), no raw codes (`item:…`, JSON), and no serious or
 * critical finding of axe-core. The register holds what an audit log and an item page show in
 * practice: an edited item, a withdrawn one, refused uploads, a refused inbox batch, a failed sign-in
 * and a refused page.
 */
const ENGLISH = [
  'cleaned',
  'already',
  'recognised',
  'reason',
  'upload',
  'watch',
  'status',
  'pending',
  'failed',
  'available',
  'rejected',
  'withdrawn',
  'error',
  'objects',
  'bytes',
  'pages',
];
const RAW = ['item:', 'user:', '{"'];

describe('staff pages in Bahasa Indonesia, accessible (axe-core)', () => {
  const root = tempDir('pindai-walk-');
  let q: QuickStaff;
  let base = '';
  let browser: Browser;
  const ids: string[] = [];
  const lesser = new Set<string>();

  beforeAll(async () => {
    q = await startQuickStaff(
      root,
      [
        { title: 'Sejarah Perpustakaan Daerah', creator: ['Siti Rahma'], year: 1987, rights: 'open' },
        { title: 'Madjalah Kota', year: 1952, type: 'Majalah', rights: 'open' },
        // Held for review: the review page lists it with its reason.
        { title: 'Arsip Rapat Tanpa Keterangan', year: 1961, rights: 'review' },
      ],
      [
        ['kasie', 'admin'],
        ['budi', 'operator'],
      ],
    );
    ids.push(...q.ids);
    base = q.base;
    // A batch the inbox refuses: it is listed with its reason on the queue and inventory pages.
    await q.app.accept(writeFiles(path.join(root, 'src'), 'catatan', { 'catatan.txt': 'bukan gambar' }));

    // What staff do in a day, so the audit log and item pages hold it.
    const [edited, withdrawn] = ids as [string, string];
    await new StaffClient(base).login('kasie', 'salah-sandi');
    const op = new StaffClient(base);
    await op.login('budi', 'budi-sandi-rahasia');
    expect((await op.get('/staf/audit')).status).toBe(403);
    const c = new StaffClient(base);
    expect((await c.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
    await c.get(`/staf/item/${edited}`);
    const edit = await c.post(`/staf/item/${edited}/metadata`, {
      title: 'Sejarah Perpustakaan Daerah Jilid 1',
      creator: 'Siti Rahma',
      year: '1988',
      rights: 'open',
    });
    expect(edit.status).toBe(303);
    await c.get(`/staf/item/${withdrawn}`);
    const w = await c.post(`/staf/item/${withdrawn}/tarik`, { reason: 'Salinan ganda', yakin: '1' });
    expect(w.status).toBe(303);
    const form = new FormData();
    form.append('title', 'Catatan');
    form.append('halaman', new Blob(['bukan gambar']), 'catatan.txt');
    await fetch(`${base}/staf/unggah`, {
      method: 'POST',
      body: form,
      headers: {
        cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}`,
        'x-csrf-token': c.csrf,
        accept: 'application/json',
      },
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    if (lesser.size > 0) console.info(`axe, moderate or minor (not failed):\n${[...lesser].join('\n')}`);
    await browser?.close();
    await q?.close();
  });

  /** Pages that must not scroll sideways on a phone (wide tables scroll inside their own region). */
  const FIT = new Set([
    'item',
    'item ditarik',
    'audit',
    'pengguna',
    'daftar isian',
    'tinjau',
    'antrean',
    'inventaris',
    'laporan',
  ]);
  const pages = () => {
    const [edited, withdrawn] = ids as [string, string];
    return [
      ['beranda', '/staf/'],
      ['unggah', '/staf/unggah'],
      ['antrean', '/staf/antrean'],
      ['inventaris', '/staf/inventaris'],
      ['item', `/staf/item/${edited}`],
      ['item ditarik', `/staf/item/${withdrawn}`],
      ['tinjau', '/staf/tinjau'],
      ['laporan', '/staf/laporan'],
      ['audit', '/staf/audit'],
      ['pengguna', '/staf/pengguna'],
      ['daftar isian', '/staf/daftar'],
      ['tidak ditemukan', '/staf/item/tidak-ada', 404],
      ['filter salah', '/staf/audit?from=kemarin', 400],
    ] as const;
  };

  for (const width of [1366, 360]) {
    it(`every staff page at ${width} px: Indonesian words only, no raw codes, no serious axe finding`, async () => {
      const ctx = await browser.newContext({
        viewport: { width, height: width < 800 ? 740 : 768 },
        locale: 'id-ID',
        timezoneId: 'UTC',
      });
      const page = await ctx.newPage();
      const found: string[] = [];
      await page.goto(`${base}/staf/masuk`);
      await page.fill('input[name=username]', 'kasie');
      await page.fill('input[name=password]', 'kasie-sandi-rahasia');
      await Promise.all([page.waitForURL(`${base}/staf/`), page.click('button[type=submit]')]);
      const check = async (name: string) => {
        // biome-ignore lint/performance/useDomNodeTextContent: the words a reader sees, not hidden ones
        const text = await page.evaluate(() => document.body.innerText);
        for (const w of ENGLISH) {
          const m = new RegExp(`\\b${w}\\b`, 'i').exec(text);
          if (m)
            found.push(`${name}: English "${w}" in "${text.slice(Math.max(0, m.index - 40), m.index + 40)}"`);
        }
        for (const raw of RAW) {
          const i = text.indexOf(raw);
          if (i >= 0) found.push(`${name}: raw "${raw}" in "${text.slice(Math.max(0, i - 40), i + 40)}"`);
        }
        if (width === 360 || name === 'audit') await screenshot(page, `staf-${name}-${width}`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (FIT.has(name) && scrollWidth > width) {
          // Name the elements that stick out, so the finding says where to look.
          const wide = await page.evaluate((w) => {
            const out: string[] = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.right > w + 1 && !el.closest('.scroll'))
                out.push(
                  `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`,
                );
            }
            return out.slice(0, 6).join(' ');
          }, width);
          found.push(`${name} is ${scrollWidth} px wide at ${width} px: ${wide}`);
        }
        const { violations } = await new AxeBuilder({ page }).analyze();
        for (const v of violations) {
          const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ');
          // Empty table headers are "minor" to axe, but the issue names them: they fail too.
          if (v.impact === 'serious' || v.impact === 'critical' || v.id === 'empty-table-header')
            found.push(`${name}: axe ${v.impact} ${v.id}: ${v.help} → ${targets}`);
          else lesser.add(`${v.impact} ${v.id} on ${name}`);
        }
      };
      for (const [name, url, status = 200] of pages()) {
        const r = await page.goto(`${base}${url}`);
        if (r?.status() !== status) found.push(`${name} (${url}) answered ${r?.status()}`);
        await check(name);
      }
      // Signed out: the sign-in page, and its answer to a wrong password.
      await ctx.clearCookies();
      await page.goto(`${base}/staf/masuk`);
      await check('masuk');
      await page.fill('input[name=username]', 'kasie');
      await page.fill('input[name=password]', 'salah-sandi');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      await check('masuk gagal');
      await ctx.close();
      expect(found, found.join('\n')).toEqual([]);
    }, 180_000);
  }
});
