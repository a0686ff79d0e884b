import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { type StaffServer, startStaffServer } from './support/staff-server.ts';

/**
 * The live queue on a web node whose workers run elsewhere (no runner in this process): a worker
 * on another machine writes its page progress to the register, and the queue page shows
 * "OCR: halaman 3 dari 12" with a progress bar, then moves on by itself, at a laptop and a phone
 * (without sideways scrolling, and without a serious axe finding).
 */
describe('live queue page progress in headless Chromium', () => {
  let s: StaffServer;
  let browser: Browser;
  let jobId = 0;
  const REMOTE = 'mesin-lain:4242:pekerja';

  beforeAll(async () => {
    s = await startStaffServer({});
    await s.addUser('budi', 'operator', 'budi-sandi-rahasia');
    const { register } = s.pindai;
    await register.items.insert({
      id: 'buku-ocr',
      title: 'Buku Sedang Dibaca',
      metadata: {},
      flags: [],
      fingerprint: 'fp-ocr',
      sourcePath: '/in/ocr',
      sourceName: 'ocr',
      intake: 'upload',
      operator: 'budi',
    });
    await register.jobs.enqueue('buku-ocr', 'ocr', 3);
    const job = await register.jobs.claim(REMOTE, 600_000);
    jobId = job?.id ?? 0;
    await register.jobs.reportProgress(jobId, REMOTE, 3, 12);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  for (const [w, h] of [
    [1366, 768],
    [360, 740],
  ] as const) {
    it(`shows and follows a remote worker's page progress (${w}×${h})`, async () => {
      await s.pindai.register.jobs.reportProgress(jobId, REMOTE, 3, 12);
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'id-ID' });
      const page = await ctx.newPage();
      await page.goto(`${s.base}/staf/masuk`);
      await page.fill('input[name=username]', 'budi');
      await page.fill('input[name=password]', 'budi-sandi-rahasia');
      await Promise.all([page.waitForURL(`${s.base}/staf/`), page.click('button[type=submit]')]);
      await page.goto(`${s.base}/staf/antrean`);
      const row = page.locator('#sedang tr[data-item="buku-ocr"]');
      await expect.poll(() => row.textContent()).toContain('OCR: halaman 3 dari 12');
      const bar = row.getByRole('progressbar');
      expect(await bar.getAttribute('aria-valuenow')).toBe('3');
      expect(await bar.getAttribute('aria-valuemin')).toBe('0');
      expect(await bar.getAttribute('aria-valuemax')).toBe('12');
      expect(await bar.getAttribute('aria-valuetext')).toBe('OCR: halaman 3 dari 12');
      expect(await bar.getAttribute('aria-label')).toContain('Buku Sedang Dibaca');

      // The worker elsewhere reads on: the open page follows without being reloaded.
      await page.evaluate(() => {
        (window as unknown as { marker: boolean }).marker = true;
      });
      await s.pindai.register.jobs.reportProgress(jobId, REMOTE, 4, 12);
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('OCR: halaman 4 dari 12');
      await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('4');
      expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
      // The queue with a bar in it fits the screen and passes axe (the bar is a named progressbar).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(
        violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
      ).toEqual([]);
      await screenshot(page, `staf-antrean-kemajuan-${w}`);
      await ctx.close();
    });
  }
});
