import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { langMiddleware, langOf } from '../server/lang.middleware.ts';
import { render } from '../server/render.ts';
import { Layout } from '../server/views/layout.tsx';
import { launchBrowser, screenshot } from './support/browser.ts';

/** The shared page frame in a real browser: language switch, landmarks, escaping, 360 px. */
describe('web layout in headless Chromium', () => {
  let browser: Browser;
  let base: string;
  let server: ReturnType<express.Express['listen']>;

  beforeAll(async () => {
    const app = express();
    app.use(langMiddleware('id'));
    app.get('/contoh', (req, res) => {
      const lang = langOf(res);
      render(
        res,
        <Layout lang={lang} title="Contoh" path={req.originalUrl}>
          <h1>{lang === 'id' ? 'Halo pemustaka' : 'Hello patron'}</h1>
          <p>{'<script>alert(1)</script>'}</p>
        </Layout>,
      );
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('starts in Bahasa Indonesia, switches to English and remembers it', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    await page.goto(`${base}/contoh`);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    expect(await page.textContent('h1')).toBe('Halo pemustaka');
    expect(await page.textContent('main p')).toBe('<script>alert(1)</script>');
    await page.click('a.lang');
    expect(await page.textContent('h1')).toBe('Hello patron');
    await page.goto(`${base}/contoh`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await screenshot(page, 'layout-360');
    await page.close();
  });
});
