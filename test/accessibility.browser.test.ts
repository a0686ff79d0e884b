import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { buildSmallCollection, plainPage, type SmallCollection } from './support/small-collection.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * The public pages checked by a real accessibility engine (axe-core, as Lighthouse and the
 * browsers' own checkers use it) in headless Chromium: every page kind, both languages, a phone
 * and a laptop width. Serious and critical findings fail; each is listed with where it is.
 */
describe('accessibility of the public pages (axe-core)', () => {
  const root = tempDir();
  let c: SmallCollection;
  let browser: Browser;

  /** Below serious: reported, not failed (axe's "moderate" and "minor"). */
  const lesser = new Set<string>();

  beforeAll(async () => {
    // The library's own header and footer are on every page: check them with a logo and contacts.
    const logo = path.join(root, 'logo.png');
    fs.writeFileSync(logo, await plainPage(160, 60, 40));
    const books = [
      {
        metadata: {
          title: 'Sejarah Perpustakaan Daerah',
          creator: ['Dinas Perpustakaan', 'Siti Rahma'],
          subjects: ['Perpustakaan', 'Sejarah lokal'],
          publisher: 'Pemerintah Daerah',
          year: 1987,
          language: ['ind', 'eng'],
          type: 'Buku',
          collection: 'Koleksi Lokal',
          description: 'Riwayat perpustakaan daerah sejak 1950.',
          rights: 'open',
        },
        pages: 3,
      },
      { metadata: { title: 'Madjalah Kota', year: 1952, type: 'Majalah', rights: 'baca-online' }, pages: 2 },
    ];
    c = await buildSmallCollection(root, books, {
      PINDAI_LIBRARY_NAME: 'Perpustakaan Kota Contoh',
      PINDAI_LIBRARY_LOGO: logo,
      PINDAI_LIBRARY_ADDRESS: 'Jl. Merdeka 1; Kota Contoh',
      PINDAI_LIBRARY_CONTACT: 'info@perpus.example.go.id; +62 21 5550123; https://perpus.example.go.id',
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    if (lesser.size > 0) console.info(`axe, moderate or minor (not failed):\n${[...lesser].join('\n')}`);
    await browser?.close();
    await c?.close();
  });

  const pages = () => {
    const [open, readOnline] = c.ids as [string, string];
    return [
      ['home', '/'],
      ['results', '/cari?q=halaman'],
      ['browse', '/cari'],
      ['browse by creator', '/cari?creator=Dinas%20Perpustakaan'],
      ['no results', '/cari?q=tidakadasamasekali'],
      ['item', `/item/${open}?q=halaman`],
      ['item read-online', `/item/${readOnline}`],
      ['reader', `/item/${open}/halaman/2?q=halaman`],
      ['text', `/item/${open}/teks`],
      ['about', '/tentang'],
    ] as const;
  };

  for (const lang of ['id', 'en'] as const) {
    for (const width of [360, 1366]) {
      it(`has no serious or critical violation in ${lang} at ${width} px`, async () => {
        const ctx = await browser.newContext({ viewport: { width, height: width < 800 ? 740 : 768 } });
        const page = await ctx.newPage();
        const found: string[] = [];
        for (const [name, url] of pages()) {
          const r = await page.goto(`${c.base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
          expect([url, r?.status()]).toEqual([url, 200]);
          await page.waitForLoadState('networkidle');
          // The library's logo and name in the header must not push a phone's page sideways.
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scrollWidth > width) found.push(`${name} (${url}) is ${scrollWidth} px wide at ${width} px`);
          if (name === 'home' || name === 'about') await screenshot(page, `axe-${name}-${lang}-${width}`);
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const v of violations) {
            const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ');
            const line = `${name} (${url}) ${v.impact} ${v.id}: ${v.help} → ${targets}`;
            if (v.impact === 'serious' || v.impact === 'critical') found.push(line);
            else lesser.add(`${v.impact} ${v.id} on ${name}`);
          }
        }
        await ctx.close();
        expect(found, found.join('\n')).toEqual([]);
      }, 120_000);
    }
  }
});
