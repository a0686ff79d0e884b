import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spellingKey } from '../search/ejaan.ts';
import { cspViolations, launchBrowser, screenshot } from './support/browser.ts';
import { buildCollection, type CollectionFixture, SECRET_TEXT } from './support/collection-fixture.ts';
import { tempDir } from './support/temp-dir.ts';

const PHRASE = 'dipindai satu halaman demi satu halaman';
const OSD_JS = createRequire(import.meta.url).resolve(
  'openseadragon/build/openseadragon/openseadragon.min.js',
);
const KB = 1024;

/** Bytes transferred over the network (headers + body, as encoded) while `action` runs. */
async function measure(
  page: Page,
  action: () => Promise<unknown>,
): Promise<{ bytes: number; urls: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const urls: string[] = [];
  cdp.on('Network.responseReceived', (e) => urls.push(e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  await action();
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { bytes, urls };
}

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(fg: string, bg: string): number {
  const lum = (c: string) => {
    const [r, g, b] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number) as [number, number, number];
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
  return (a + 0.05) / (b + 0.05);
}

/** The patron's view of the online collection, in a real browser, on a real pipeline's output. */
describe('online collection in headless Chromium', () => {
  const root = tempDir();
  let f: CollectionFixture;
  let browser: Browser;

  beforeAll(async () => {
    f = await buildCollection(root);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  it('searches a phrase from a sample page, opens the hit and lands on that page with the words marked', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${f.base}/`);
    await page.fill('#q', PHRASE);
    await page.press('#q', 'Enter');
    await page.waitForURL(/\/cari\?q=/);
    const first = page.locator('.hit').first();
    expect(await first.locator('h2 a').getAttribute('href')).toBe(
      `/item/${f.open.id}?q=${encodeURIComponent(PHRASE).replaceAll('%20', '+')}`,
    );
    expect(await first.locator('.found').textContent()).toMatch(/ditemukan di halaman\s+2/);
    expect(await first.locator('.snip mark').count()).toBeGreaterThan(0);
    await screenshot(page, 'collection-results');
    await first.locator('.found a', { hasText: '2' }).click();
    await page.waitForURL(new RegExp(`/item/${f.open.id}/halaman/2\\?q=`));
    expect(await page.locator('h1').textContent()).toContain('Halaman 2 dari 3');
    const words = await page
      .locator('.pageimg .mark')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-word')));
    const keys = new Set(words.map((w) => spellingKey((w ?? '').replace(/\W+$/u, ''))));
    expect(words.length).toBeGreaterThanOrEqual(5);
    for (const w of ['dipindai', 'satu', 'halaman', 'demi']) expect(keys.has(w)).toBe(true);
    // Every mark sits on the page image, and the first one is on the text, not blank paper.
    const img = (await page.locator('.pageimg img').boundingBox())!;
    for (const box of await page
      .locator('.pageimg .mark')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.x).toBeGreaterThanOrEqual(img.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(img.x + img.width + 1);
      expect(box.height).toBeGreaterThan(3);
    }
    await screenshot(page, 'collection-reader-marked');
    await page.close();
  });

  it('finds another form of a word in old spelling and marks it on the page image, after the form typed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${f.base}/cari?q=cerita`);
    const hit = page.locator('.hit', { has: page.locator(`h2 a[href^="/item/${f.readOnline.id}?"]`) });
    // Page 2 says "Tjerita" (the form typed, in old spelling), page 1 only "bertjerita": 2 first.
    expect(await hit.locator('.found').textContent()).toMatch(/ditemukan di halaman\s+2,\s*1/);
    await hit.locator('.found a', { hasText: '1' }).click();
    await page.waitForURL(new RegExp(`/item/${f.readOnline.id}/halaman/1\\?q=cerita`));
    const marked = await page
      .locator('.pageimg .mark')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-word') ?? '').replace(/\W+$/u, '')));
    expect(marked.map((w) => w.toLowerCase())).toEqual(['bertjerita']);
    const mark = (await page.locator('.pageimg .mark').first().boundingBox())!;
    const img = (await page.locator('.pageimg img').boundingBox())!;
    expect(mark.x).toBeGreaterThanOrEqual(img.x);
    expect(mark.y + mark.height).toBeLessThanOrEqual(img.y + img.height);
    await screenshot(page, 'collection-word-form-marked');
    await page.close();
  });

  it('switches language and remembers it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${f.base}/item/${f.open.id}/halaman/2`);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await page.click('a.lang');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toContain('Page 2 of 3');
    await page.goto(`${f.base}/`);
    expect(await page.locator('.hero h1').textContent()).toBe('Digital Collection');
    expect(await page.locator('label[for=q]').textContent()).toBe('Search the collection');
    await screenshot(page, 'collection-home-en');
    await page.click('a.lang');
    expect(await page.locator('.hero h1').textContent()).toBe('Koleksi Digital');
    await page.close();
  });

  it('downloads the PDF whose size the item page shows', async () => {
    const item = (await f.app.register.items.get(f.open.id))!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.goto(`${f.base}/item/${f.open.id}`);
    const link = page.locator('a.btn.dl');
    const shown = /\(([\d,]+) KB\)/.exec((await link.textContent()) ?? '')?.[1];
    expect(Number(shown?.replace(',', '.'))).toBeCloseTo(item.pdfBytes! / 1024, 1);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = path.join(root, 'downloaded.pdf');
    await download.saveAs(file);
    expect(fs.statSync(file).size).toBe(item.pdfBytes);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+3/);
    await screenshot(page, 'collection-item');
    await page.close();
  });

  it('cannot reach a restricted item by search, link or guessed URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${f.base}/cari?q=${encodeURIComponent(SECRET_TEXT.slice(0, 30))}`);
    expect(await page.locator('#count').textContent()).toContain('0 item');
    expect(await page.content()).not.toContain(f.staffOnly.id);
    for (const url of [
      `/item/${f.staffOnly.id}`,
      `/item/${f.staffOnly.id}/halaman/1`,
      `/item/${f.staffOnly.id}/teks`,
    ]) {
      const r = await page.goto(f.base + url);
      expect(r?.status()).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Halaman tidak ditemukan');
    }
    await screenshot(page, 'collection-restricted-404');
    const img = await page.goto(`${f.base}/iiif/${f.staffOnly.id}/p1/full/max/0/default.jpg`);
    expect(img?.status()).toBe(404);
    // Read-online: pages and text yes, PDF no.
    await page.goto(`${f.base}/item/${f.readOnline.id}`);
    expect(await page.locator('a.btn.dl').count()).toBe(0);
    const pdf = await page.goto(`${f.base}/item/${f.readOnline.id}/pdf?lang=en`);
    expect(pdf?.status()).toBe(403);
    expect(await page.locator('main p').first().textContent()).toContain('can be read online only');
    await page.close();
  });

  it('stays within the page-weight budgets for slow connections', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    const results = await measure(page, () => page.goto(`${f.base}/cari?q=perpustakaan`));
    expect(results.bytes).toBeGreaterThan(2 * KB);
    expect(results.bytes).toBeLessThan(100 * KB);
    const item = await measure(page, () => page.goto(`${f.base}/item/${f.open.id}`));
    expect(item.bytes).toBeLessThan(300 * KB);
    // Before the reader opens a page, no page image larger than a thumbnail is fetched.
    const pageImages = item.urls.filter((u) => /\/iiif\/[a-z0-9]+\/p\d+\/full\/(\d+),/.test(u));
    expect(pageImages.length).toBeGreaterThan(0);
    for (const u of pageImages) expect(Number(/\/full\/(\d+),/.exec(u)?.[1])).toBeLessThanOrEqual(240);
    // The reader picks the image width for a 360 px screen (720 device px), not the 1400 px one.
    const reader = await measure(page, () => page.goto(`${f.base}/item/${f.readOnline.id}/halaman/1`));
    const shown = await page.locator('.pageimg img').evaluate((i) => (i as HTMLImageElement).currentSrc);
    const width = Number(/\/full\/(\d+),/.exec(shown)?.[1]);
    expect(width).toBeGreaterThanOrEqual(480);
    expect(width).toBeLessThanOrEqual(720);
    expect(reader.urls.some((u) => u.includes('/full/1400,'))).toBe(false);
    console.info(
      `page weight: results ${(results.bytes / KB).toFixed(1)} KB, item ${(item.bytes / KB).toFixed(1)} KB, reader ${(reader.bytes / KB).toFixed(1)} KB (image ${width} px)`,
    );
    await page.close();
  });

  it('is usable on a 360 px screen without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    for (const [name, url] of [
      ['home', '/'],
      ['results', '/cari?q=surabaya'],
      ['item', `/item/${f.readOnline.id}`],
      ['reader', `/item/${f.readOnline.id}/halaman/2?q=surabaya`],
      ['text', `/item/${f.open.id}/teks`],
    ] as const) {
      await page.goto(f.base + url);
      await page.waitForLoadState('networkidle');
      expect([name, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([name, 360]);
      await screenshot(page, `collection-360-${name}`);
    }
    await page.close();
  });

  it('zooms the page image from the keyboard, fetching one sharper image of that page only', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${f.base}/item/${f.readOnline.id}/halaman/2?q=surabaya`);
    await page.waitForLoadState('networkidle');
    const before = (await page.locator('.pageimg').boundingBox())!.width;
    const images: string[] = [];
    page.on('request', (r) => {
      if (/\/full\/\d+,/.test(r.url())) images.push(r.url());
    });
    await page.focus('#viewport');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.waitForRequest(/\/full\/\d+,/);
    await page.waitForLoadState('networkidle');
    const after = (await page.locator('.pageimg').boundingBox())!.width;
    expect(after).toBeGreaterThan(before * 2.5);
    const sharper = images.filter((u) => !/\/full\/240,/.test(u));
    expect(sharper.length).toBe(1);
    expect(sharper[0]).toContain(`/iiif/${f.readOnline.id}/p2/full/`);
    expect(Number(/\/full\/(\d+),/.exec(sharper[0]!)?.[1])).toBeLessThanOrEqual(1400);
    // The marks scale with the image.
    const mark = (await page.locator('.pageimg .mark').first().boundingBox())!;
    expect(mark.width).toBeGreaterThan(20);
    await screenshot(page, 'collection-reader-zoomed');
    await page.close();
  });

  it('opens every page in OpenSeadragon (the deep-zoom engine of Mirador and UV) from another origin', async () => {
    // A page on another origin, as a third-party IIIF viewer would be: needs CORS on our side.
    const viewerApp = express();
    viewerApp.get('/osd.js', (_req, res) => res.sendFile(OSD_JS));
    viewerApp.get('/', (req, res) => {
      res.type('html').send(`<!doctype html><div id="v" style="width:800px;height:600px"></div>
        <script src="/osd.js"></script>
        <script>
          window.loaded = 0; window.failed = [];
          const v = OpenSeadragon({ id: 'v', tileSources: ${JSON.stringify(String(req.query.info))}, showNavigationControl: false });
          v.addHandler('tile-loaded', () => { window.loaded++; });
          v.addHandler('tile-load-failed', (e) => { window.failed.push(String(e.message)); });
          v.addHandler('open-failed', (e) => { window.failed.push('open: ' + e.message); });
          window.zoomIn = () => { v.viewport.zoomTo(v.viewport.getMaxZoom(), null, true); };
        </script>`);
    });
    const viewer = viewerApp.listen(0, '127.0.0.1');
    await new Promise((r) => viewer.once('listening', r));
    const viewerBase = `http://127.0.0.1:${(viewer.address() as AddressInfo).port}`;
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
      for (const fx of [f.open, f.readOnline]) {
        for (const p of await f.app.register.pages.list(fx.id)) {
          const tiles: string[] = [];
          page.on('response', (r) => {
            if (r.url().includes(`/iiif/${fx.id}/p${p.pageNo}/`) && !r.url().endsWith('info.json'))
              tiles.push(`${r.status()} ${r.url()}`);
          });
          const info = `${f.base}/iiif/${fx.id}/p${p.pageNo}/info.json`;
          await page.goto(`${viewerBase}/?info=${encodeURIComponent(info)}`);
          await page.waitForFunction(() => (window as unknown as { loaded: number }).loaded > 0, null, {
            timeout: 20_000,
          });
          const opened = await page.evaluate(() => {
            const w = window as unknown as { loaded: number; failed: string[] };
            return { loaded: w.loaded, failed: [...w.failed] };
          });
          expect(opened.failed).toEqual([]);
          if (fx === f.open && p.pageNo === 2) {
            await page.waitForLoadState('networkidle');
            await screenshot(page, 'collection-openseadragon');
          }
          // Jump to the deepest zoom: OSD asks for region tiles at the finest scale offered.
          await page.evaluate(() => (window as unknown as { zoomIn: () => void }).zoomIn());
          await page.waitForLoadState('networkidle');
          await page.waitForTimeout(300);
          await page.waitForLoadState('networkidle');
          // Every answer was a real image (tiles OSD gave up on mid-jump are aborts, not errors).
          expect(tiles.filter((t) => !t.startsWith('200 '))).toEqual([]);
          const regionTiles = tiles.filter((t) => /\/\d+,\d+,\d+,\d+\/\d+,\d*\//.test(t));
          expect(regionTiles.length).toBeGreaterThan(0);
          page.removeAllListeners('response');
        }
      }
      await page.close();
    } finally {
      await new Promise((r) => viewer.close(r));
    }
  });

  it('works without JavaScript for searching and reading text', async () => {
    const ctx = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1024, height: 800 },
    });
    const page = await ctx.newPage();
    await page.goto(`${f.base}/`);
    await page.fill('#q', 'Surabaya');
    await page.click('.bigsearch button');
    await page.waitForURL(/\/cari\?q=Surabaya/);
    await page.locator('.hit .found a', { hasText: '2' }).first().click();
    expect(await page.locator('.pageimg .mark').count()).toBeGreaterThan(0);
    await page.goto(`${f.base}/item/${f.readOnline.id}/teks`);
    expect(await page.locator('#p2 .pagetext').textContent()).toContain('Soerabaja');
    await page.goto(`${f.base}/item/${f.open.id}/halaman/1`);
    await page.fill('#goto', '3');
    await page.press('#goto', 'Enter');
    await page.waitForURL(new RegExp(`/item/${f.open.id}/halaman/3`));
    await ctx.close();
  });

  it('is accessible: skip link first, labelled controls, alt text, readable contrast', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const url of ['/', '/cari?q=kota', `/item/${f.open.id}`, `/item/${f.open.id}/halaman/1`]) {
      await page.goto(f.base + url);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
      expect(await page.locator('main#isi h1').count()).toBe(1);
      expect(await page.locator('img:not([alt])').count()).toBe(0);
      const unlabelled = await page
        .locator('input:not([type=hidden])')
        .evaluateAll((els) => els.filter((e) => !(e as HTMLInputElement).labels?.length).length);
      expect([url, unlabelled]).toEqual([url, 0]);
      const pairs = await page
        .locator('main p, main a, main dt, main dd, main button, main .count, main .badge, header a')
        .evaluateAll((els) =>
          els
            .filter((e) => (e.textContent ?? '').trim() !== '' && (e as HTMLElement).offsetParent !== null)
            .map((e) => {
              let bg = 'rgba(0, 0, 0, 0)';
              for (
                let n: Element | null = e;
                n && /rgba\(0, 0, 0, 0\)|transparent/.test(bg);
                n = n.parentElement
              )
                bg = getComputedStyle(n).backgroundColor;
              return { text: (e.textContent ?? '').slice(0, 30), fg: getComputedStyle(e).color, bg };
            }),
        );
      for (const p of pairs)
        expect([url, p.text, p.fg, p.bg, contrast(p.fg, p.bg) >= 4.5]).toEqual([
          url,
          p.text,
          p.fg,
          p.bg,
          true,
        ]);
    }
    await page.close();
  });

  // Last: every page above ran under the security headers' CSP (server/security-headers.ts).
  it('no page had anything refused by the Content-Security-Policy', () => {
    expect(cspViolations(browser)).toEqual([]);
  });
});
