import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, launchBrowser, screenshot } from './support/browser.ts';
import { buildCollection, type CollectionFixture } from './support/collection-fixture.ts';
import { tempDir } from './support/temp-dir.ts';

/** In SAMPLE_TEXT.id3: printed on pages 2 and 3 of the open book, not on page 1. */
const WORD = 'dicatat';
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 740 };

type Box = { x: number; y: number; width: number; height: number };

/** The page reader as a patron uses it on a laptop and a phone, in a real browser. */
describe('page reader in headless Chromium', () => {
  const root = tempDir();
  let f: CollectionFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const open = async (viewport: { width: number; height: number }, lang: 'id' | 'en' = 'id') => {
    const ctx = await browser.newContext({ viewport });
    contexts.push(ctx);
    const page = await ctx.newPage();
    if (lang === 'en') await page.goto(`${f.base}/?lang=en`);
    return page;
  };
  const reader = (n: number, q?: string) =>
    `${f.base}/item/${f.open.id}/halaman/${n}${q ? `?q=${encodeURIComponent(q)}` : ''}`;
  const ready = async (page: Page, url: string) => {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
  };
  const imageBox = async (page: Page, sel = '#halaman img') => (await page.locator(sel).boundingBox()) as Box;
  const visibleImages = (page: Page) =>
    page
      .locator('#viewport img')
      .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);

  beforeAll(async () => {
    f = await buildCollection(root);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await f?.close();
  });

  it('shows the whole page below the header at 1366×768 without scrolling, and fills the width on request', async () => {
    const page = await open(LAPTOP);
    await ready(page, reader(2));
    expect(await page.getAttribute('[data-fit=page]', 'aria-pressed')).toBe('true');
    const header = (await page.locator('header.site').boundingBox()) as Box;
    const img = await imageBox(page);
    expect(img.y).toBeGreaterThanOrEqual(header.y + header.height);
    expect(img.y + img.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(img.x).toBeGreaterThanOrEqual(0);
    expect(img.x + img.width).toBeLessThanOrEqual(LAPTOP.width);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(img.height).toBeGreaterThan(LAPTOP.height / 2);
    await screenshot(page, 'reader-1366-fit-page');

    await page.click('[data-fit=width]');
    expect(await page.getAttribute('[data-fit=width]', 'aria-pressed')).toBe('true');
    const inner = await page
      .locator('#viewport')
      .evaluate((v) => v.clientWidth - Number.parseFloat(getComputedStyle(v).paddingLeft) * 2);
    const wideImg = await imageBox(page);
    expect(Math.abs(wideImg.width - inner)).toBeLessThanOrEqual(2);
    expect(wideImg.width).toBeGreaterThan(img.width * 1.3);
    await screenshot(page, 'reader-1366-fit-width');
    // The choice is remembered on the next page.
    await ready(page, reader(3));
    expect(await page.getAttribute('[data-fit=width]', 'aria-pressed')).toBe('true');
    await page.click('[data-fit=page]');
    expect((await imageBox(page)).y + (await imageBox(page)).height).toBeLessThanOrEqual(LAPTOP.height);
  });

  it('enters full screen by button or f, turns pages in it, and leaves with Escape', async () => {
    const page = await open(LAPTOP);
    await ready(page, reader(2, WORD));
    const inFull = () => page.evaluate(() => document.fullscreenElement?.id ?? null);
    await page.click('[data-fullscreen]');
    await page.waitForFunction(() => document.fullscreenElement !== null);
    expect(await inFull()).toBe('viewport');
    const img = await imageBox(page);
    const size = await page.evaluate(() => ({ w: window.innerWidth, h: window.innerHeight }));
    expect(img.y).toBeGreaterThanOrEqual(0);
    expect(img.y + img.height).toBeLessThanOrEqual(size.h);
    await screenshot(page, 'reader-fullscreen');
    // The next page opens inside full screen, with q kept.
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(new RegExp(`/halaman/3\\?q=${WORD}$`));
    await page.waitForFunction(() => document.querySelector('#halaman')?.getAttribute('data-page') === '3');
    expect(await inFull()).toBe('viewport');
    expect(await page.locator('h1').textContent()).toContain('Halaman 3 dari 3');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.fullscreenElement === null);
    await page.keyboard.press('f');
    await page.waitForFunction(() => document.fullscreenElement !== null);
    expect(await inFull()).toBe('viewport');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.fullscreenElement === null);
  });

  it('marks the thumbnails of pages with hits and keeps q when a thumbnail is followed', async () => {
    const page = await open(LAPTOP);
    await ready(page, `${f.base}/item/${f.open.id}?q=${WORD}`);
    const hitThumbs = () =>
      page.locator('.strip li.has-hits a').evaluateAll((els) =>
        els.map((a) => ({
          n: Number(/halaman\/(\d+)/.exec(a.getAttribute('href') ?? '')?.[1]),
          said: a.querySelector('.sr')?.textContent ?? '',
        })),
      );
    expect(await hitThumbs()).toEqual([
      { n: 2, said: ' — ada hasil' },
      { n: 3, said: ' — ada hasil' },
    ]);
    // The matching pages are listed in page order, each link keeping q.
    const listed = await page
      .locator('.inside-hits a')
      .evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    expect(listed).toEqual([2, 3].map((n) => `/item/${f.open.id}/halaman/${n}?q=${WORD}`));
    await screenshot(page, 'item-hit-thumbs');
    await page.locator('.strip a[href*="/halaman/3"]').click();
    await page.waitForURL(new RegExp(`/item/${f.open.id}/halaman/3\\?q=${WORD}$`));
    expect(await page.locator('h1').textContent()).toContain('Halaman 3 dari 3');
    expect((await hitThumbs()).map((h) => h.n)).toEqual([2, 3]);
    expect(await page.locator('.strip a[aria-current=page]').getAttribute('href')).toContain('/halaman/3');
    // From the reader's strip too.
    await page.locator('.strip a[href*="/halaman/1"]').click();
    await page.waitForURL(new RegExp(`/halaman/1\\?q=${WORD}$`));
    // In English the thumbnails say so in English.
    await ready(page, `${reader(2, WORD)}&lang=en`);
    expect((await hitThumbs())[0]?.said).toBe(' — has results');
  });

  it('turns pages with ← → and PageUp/PageDown, but not while typing in a field', async () => {
    const page = await open(LAPTOP);
    await ready(page, reader(2, WORD));
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(new RegExp(`/halaman/3\\?q=${WORD}$`));
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(new RegExp(`/halaman/2\\?q=${WORD}$`));
    await page.keyboard.press('PageUp');
    await page.waitForURL(new RegExp(`/halaman/1\\?q=${WORD}$`));
    await page.keyboard.press('PageDown');
    await page.waitForURL(new RegExp(`/halaman/2\\?q=${WORD}$`));
    await page.waitForLoadState('networkidle');
    await page.focus('#goto');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/\/halaman\/2\?/);
  });

  it('turns the page with a horizontal swipe on a touch screen', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await ready(page, reader(2, WORD));
    const box = (await page.locator('#viewport').boundingBox()) as Box;
    const y = box.y + Math.min(box.height, 300) / 2;
    const cdp = await ctx.newCDPSession(page);
    const swipe = async (from: number, to: number) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
      for (let i = 1; i <= 5; i++)
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchMove',
          touchPoints: [{ x: from + ((to - from) * i) / 5, y: y + i }],
        });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await swipe(box.x + box.width - 30, box.x + 30);
    await page.waitForURL(new RegExp(`/halaman/3\\?q=${WORD}$`));
    await page.waitForLoadState('networkidle');
    await swipe(box.x + 30, box.x + box.width - 30);
    await page.waitForURL(new RegExp(`/halaman/2\\?q=${WORD}$`));
  });

  it('shows two facing pages on a wide screen and one on a phone', async () => {
    const page = await open(LAPTOP);
    await ready(page, reader(2));
    expect(await visibleImages(page)).toBe(1);
    await page.click('[data-two]');
    expect(await page.getAttribute('[data-two]', 'aria-pressed')).toBe('true');
    expect(await visibleImages(page)).toBe(2);
    const pagesShown = await page
      .locator('#viewport .pageimg')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-page'))));
    expect(pagesShown).toEqual([2, 3]);
    // Both whole, side by side, inside the window.
    const left = await imageBox(page, '#viewport .pageimg >> nth=0 >> img');
    const right = await imageBox(page, '#viewport .pageimg >> nth=1 >> img');
    expect(right.x).toBeGreaterThanOrEqual(left.x + left.width - 1);
    const frame = (await page.locator('#viewport').boundingBox()) as Box;
    expect(left.x).toBeGreaterThanOrEqual(frame.x);
    expect(right.x + right.width).toBeLessThanOrEqual(frame.x + frame.width);
    expect(right.y + right.height).toBeLessThanOrEqual(LAPTOP.height);
    await screenshot(page, 'reader-1366-two-pages');
    // Zooming enlarges both pages.
    await page.keyboard.press('+');
    expect((await imageBox(page, '#viewport .pageimg >> nth=1 >> img')).width).toBeGreaterThan(
      right.width * 1.4,
    );
    expect((await imageBox(page, '#viewport .pageimg >> nth=0 >> img')).width).toBeGreaterThan(
      left.width * 1.4,
    );
    // On an odd page the facing (even) page is on the left; the choice is remembered.
    await ready(page, reader(3));
    expect(
      await page
        .locator('#viewport .pageimg')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-page')))),
    ).toEqual([2, 3]);
    // A narrower laptop window: the pair shrinks to fit side by side, neither page cut off.
    await page.setViewportSize({ width: 1000, height: 900 });
    await ready(page, reader(2));
    const narrowFrame = (await page.locator('#viewport').boundingBox()) as Box;
    const pair = [
      await imageBox(page, '#viewport .pageimg >> nth=0 >> img'),
      await imageBox(page, '#viewport .pageimg >> nth=1 >> img'),
    ];
    expect(pair[0]!.x).toBeGreaterThanOrEqual(narrowFrame.x);
    expect(pair[1]!.x + pair[1]!.width).toBeLessThanOrEqual(narrowFrame.x + narrowFrame.width);
    // The same reader (same stored choice) on a phone: one page, no toggle.
    await page.setViewportSize(PHONE);
    await ready(page, reader(2));
    expect(await visibleImages(page)).toBe(1);
    expect(await page.locator('[data-two]').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
  });

  it('puts the page text beside the image at 1366 px and folds it at 360 px', async () => {
    const page = await open(LAPTOP);
    await ready(page, reader(2));
    const img = await imageBox(page);
    const text = (await page.locator('.side .pagetext').boundingBox()) as Box;
    expect(await page.locator('.side .pagetext').isVisible()).toBe(true);
    expect(text.x).toBeGreaterThanOrEqual(img.x + img.width);
    expect(text.y).toBeLessThan(img.y + img.height);
    expect(await page.locator('.side .pagetext').textContent()).toMatch(/dipindai/);
    const phone = await open(PHONE);
    await ready(phone, reader(2));
    expect(await phone.locator('details.textpage').getAttribute('open')).toBeNull();
    expect(await phone.locator('.side .pagetext').isVisible()).toBe(false);
    await phone.click('details.textpage summary');
    expect(await phone.locator('.side .pagetext').isVisible()).toBe(true);
    const below = (await phone.locator('.side .pagetext').boundingBox()) as Box;
    expect(below.y).toBeGreaterThan((await imageBox(phone)).y);
    await screenshot(phone, 'reader-360-text');
  });

  it('without JavaScript: the page fits the window height, the text sits beside it, links keep q', async () => {
    const ctx = await browser.newContext({ viewport: LAPTOP, javaScriptEnabled: false });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await ready(page, reader(2, WORD));
    const img = await imageBox(page);
    expect(img.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(img.height).toBeGreaterThan(LAPTOP.height / 2);
    expect(await page.locator('.tools').isVisible()).toBe(false);
    const text = (await page.locator('.side .pagetext').boundingBox()) as Box;
    expect(text.x).toBeGreaterThanOrEqual(img.x + img.width);
    await page.locator('.strip a[href*="/halaman/3"]').click();
    await page.waitForURL(new RegExp(`/halaman/3\\?q=${WORD}$`));
    expect(await page.locator('.strip li.has-hits').count()).toBe(2);
  });

  it('says plainly when the words are not in this book, in both languages', async () => {
    const q = 'zebrakuda';
    for (const [lang, said] of [
      ['id', `Tidak ada hasil untuk «${q}» di buku ini.`],
      ['en', `No results for «${q}» in this book.`],
    ] as const) {
      const page = await open(PHONE, lang);
      await ready(page, `${f.base}/item/${f.open.id}?q=${q}`);
      expect(await page.locator('.nohits').textContent()).toBe(said);
      expect(await page.locator('.strip li.has-hits').count()).toBe(0);
      await ready(page, reader(1, q));
      expect(await page.locator('.nohits').textContent()).toBe(said);
      expect(await page.locator('.found').count()).toBe(0);
    }
  });

  it('has no serious or critical accessibility violation (axe) on the reader and item pages', async () => {
    const found: string[] = [];
    for (const lang of ['id', 'en'] as const) {
      for (const size of [PHONE, LAPTOP]) {
        const page = await open(size, lang);
        for (const url of [
          `/item/${f.open.id}`,
          `/item/${f.open.id}?q=${WORD}`,
          `/item/${f.open.id}/halaman/2?q=${WORD}`,
          `/item/${f.readOnline.id}/halaman/1`,
        ]) {
          await ready(page, f.base + url);
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const v of violations)
            if (v.impact === 'serious' || v.impact === 'critical')
              found.push(
                `${lang} ${size.width}px ${url}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
              );
        }
        if (size === LAPTOP) {
          // With the two-page view on as well.
          await ready(page, `${f.base}/item/${f.open.id}/halaman/2`);
          await page.click('[data-two]');
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const v of violations)
            if (v.impact === 'serious' || v.impact === 'critical')
              found.push(`${lang} two pages: ${v.id} (${v.impact})`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('had nothing refused by the Content-Security-Policy', () => {
    expect(cspViolations(browser)).toEqual([]);
  });
});
