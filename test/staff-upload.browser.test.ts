import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePage } from './fixtures/make-page.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { type StaffServer, startStaffServer } from './support/staff-server.ts';

/**
 * An operator's upload at a laptop (1366×768) and a phone: a file of the wrong type is named
 * before anything is sent, and the answer appears where the operator is looking.
 */
describe('upload form in headless Chromium', () => {
  let s: StaffServer;
  let browser: Browser;
  let jpeg: Buffer;

  beforeAll(async () => {
    s = await startStaffServer({});
    await s.addUser('budi', 'operator', 'budi-sandi-rahasia');
    jpeg = await makePage({ columns: ['Halaman uji unggah.'], width: 400, height: 500 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function uploadPage(width: number, height: number): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width, height }, locale: 'id-ID' });
    const page = await ctx.newPage();
    await page.goto(`${s.base}/staf/masuk`);
    await page.fill('input[name=username]', 'budi');
    await page.fill('input[name=password]', 'budi-sandi-rahasia');
    await Promise.all([page.waitForURL(`${s.base}/staf/`), page.click('button[type=submit]')]);
    await page.goto(`${s.base}/staf/unggah`);
    return page;
  }

  /** Whether the element is inside the visible window. */
  const inView = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
    });

  for (const [w, h] of [
    [1366, 768],
    [360, 740],
  ] as const) {
    it(`names a file of the wrong type before uploading, and shows answers in view (${w}×${h})`, async () => {
      const page = await uploadPage(w, h);
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST') posts.push(r.url());
      });
      await page.setInputFiles('input[type=file]', [
        { name: 'hal-1.jpg', mimeType: 'image/jpeg', buffer: jpeg },
        { name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan gambar') },
      ]);
      const box = page.locator('#hasil [data-result=err]');
      await box.waitFor();
      const text = (await box.textContent()) ?? '';
      expect(text).toContain('Berkas "catatan.txt" tidak diterima: jenis .txt');
      expect(text).not.toContain('hal-1.jpg');
      await page.fill('input[name=title]', 'Buku Uji Unggah');
      await page.click('#unggah button[type=submit]');
      expect(posts.filter((u) => u.includes('/staf/unggah'))).toEqual([]);
      // The content check reads the files first: the answer comes a moment after the click.
      await expect.poll(() => inView(page, '#hasil [data-result=err]')).toBe(true);

      // A good batch: sent, and its answer is in view and focused.
      await page.setInputFiles('input[type=file]', [
        { name: 'hal-1.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      ]);
      await page.click('#unggah button[type=submit]');
      const answer = page.locator('#hasil [data-result]');
      await answer.waitFor();
      expect(await answer.getAttribute('data-result')).toMatch(/ok|warn/);
      expect(posts.filter((u) => u.includes('/staf/unggah'))).toHaveLength(1);
      expect(await inView(page, '#hasil [data-result]')).toBe(true);
      expect(await answer.evaluate((el) => el === document.activeElement)).toBe(true);
      await screenshot(page, `staf-unggah-${w}`);
      await page.context().close();
    });
  }

  it('names a fake JPEG before uploading and a cut-off one after, in plain words, also in the queue’s refusals (1366×768)', async () => {
    const page = await uploadPage(1366, 768);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(r.url());
    });
    /** Neither the file's raw bytes nor the image library's own words reach the operator. */
    const noRaw = (text: string) => {
      for (const raw of [
        'Ini catatan',
        'Ini cata',
        'Vips',
        'JPEG file',
        'Premature',
        'starts with',
        'ÿØ',
        '...',
      ])
        expect(text).not.toContain(raw);
    };
    // A text file named like a page: its content is read in the browser, and nothing is sent.
    await page.setInputFiles('input[type=file]', [
      { name: 'hal-1.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      {
        name: 'hal-2.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('Ini catatan, bukan foto halaman.\n'),
      },
    ]);
    const refused = page.locator('#hasil [data-result=err]');
    await refused.waitFor();
    let text = (await refused.textContent()) ?? '';
    expect(text).toContain(
      'Berkas "hal-2.jpg" tidak diterima: namanya berakhiran .jpg, tetapi isinya bukan gambar',
    );
    expect(text).not.toContain('hal-1.jpg');
    noRaw(text);
    await page.fill('input[name=title]', 'Buku Palsu');
    await page.click('#unggah button[type=submit]');
    expect(await refused.textContent()).toContain('"hal-2.jpg"');
    expect(posts.filter((u) => u.includes('/staf/unggah'))).toEqual([]);

    // A JPEG cut short starts as a JPEG: the server decodes it and names what is wrong.
    await page.setInputFiles('input[type=file]', [
      { name: 'hal-1.jpg', mimeType: 'image/jpeg', buffer: jpeg },
      { name: 'hal-3.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
    ]);
    await page.click('#unggah button[type=submit]');
    const answer = page.locator('#hasil [data-result=err]', { hasText: 'Ditolak' });
    await answer.waitFor();
    text = (await answer.textContent()) ?? '';
    expect(text).toContain('"hal-3.jpg" terpotong');
    expect(text).not.toContain('hal-1.jpg');
    noRaw(text);
    expect(posts.filter((u) => u.includes('/staf/unggah'))).toHaveLength(1);

    await page.goto(`${s.base}/staf/antrean`);
    text = (await page.locator('#ditolak').textContent()) ?? '';
    expect(text).toContain('"hal-3.jpg" terpotong');
    noRaw(text);
    await page.context().close();
  });
});
