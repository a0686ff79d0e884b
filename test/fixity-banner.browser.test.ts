import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../core/store/keys.ts';
import { createFixityScheduler } from '../scripts/recovery/fixity-schedule.ts';
import type { ItemManifest } from '../workers/manifest.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { type QuickStaff, startQuickStaff } from './support/quick-staff.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * The staff home with both fixity banners up (damage found, and overdue: the run was long ago)
 * and the audit log holding the run's entries, checked by axe-core in Chromium as the other staff
 * pages are: both languages, a laptop and a phone width; serious or critical findings fail.
 */
describe('fixity banner and audit entries: accessible (axe-core)', () => {
  const root = tempDir('pindai-fixity-axe-');
  let q: QuickStaff;
  let browser: Browser;
  const lesser = new Set<string>();

  beforeAll(async () => {
    q = await startQuickStaff(
      root,
      [{ title: 'Sejarah Perpustakaan Daerah', year: 1987, rights: 'open' }],
      [['kasie', 'admin']],
    );
    const [id] = q.ids as [string];
    const manifest = JSON.parse(
      (await q.app.store.getBuffer(keys.manifest(id))).toString('utf8'),
    ) as ItemManifest;
    const original = manifest.objects.find((o) => o.key.includes('/original/'));
    if (!original) throw new Error('no original in the manifest');
    fs.rmSync(path.join(q.app.config.storeDir, 'objects', original.key));
    const clock = new Date(2025, 0, 15, 2, 0);
    const s = createFixityScheduler(
      { register: q.app.register, store: q.app.store, libraryName: null, actor: 'sistem' },
      { at: { hour: 2, minute: 0 }, share: { part: 1, of: 1 } },
      { now: () => clock, pauseMs: 0 },
    );
    expect((await s.tick())?.report?.mismatches).toHaveLength(1);
    await s.stop();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    if (lesser.size > 0) console.info(`axe, moderate or minor (not failed):\n${[...lesser].join('\n')}`);
    await browser?.close();
    await q?.close();
  });

  for (const lang of ['id', 'en'] as const) {
    for (const width of [1366, 360]) {
      it(`home with the banners and the audit log, ${lang} at ${width} px`, async () => {
        const ctx = await browser.newContext({
          viewport: { width, height: width < 800 ? 740 : 768 },
          locale: lang === 'id' ? 'id-ID' : 'en-GB',
          timezoneId: 'UTC',
        });
        const page = await ctx.newPage();
        await page.goto(`${q.base}/staf/masuk`);
        await page.fill('input[name=username]', 'kasie');
        await page.fill('input[name=password]', 'kasie-sandi-rahasia');
        await Promise.all([page.waitForURL(`${q.base}/staf/`), page.click('button[type=submit]')]);
        const found: string[] = [];
        for (const [name, url] of [
          ['beranda', `/staf/?lang=${lang}`],
          ['audit', `/staf/audit?lang=${lang}`],
        ] as const) {
          const r = await page.goto(`${q.base}${url}`);
          expect(r?.status()).toBe(200);
          if (name === 'beranda') {
            expect(await page.locator('#fixity-damage[role=alert]').count()).toBe(1);
            expect(await page.locator('#fixity-overdue[role=alert]').count()).toBe(1);
            await screenshot(page, `fixity-banner-${lang}-${width}`);
            const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
            if (scrollWidth > width) found.push(`${name} is ${scrollWidth} px wide at ${width} px`);
          }
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const v of violations) {
            const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ');
            if (v.impact === 'serious' || v.impact === 'critical' || v.id === 'empty-table-header')
              found.push(`${name}: axe ${v.impact} ${v.id}: ${v.help} → ${targets}`);
            else lesser.add(`${v.impact} ${v.id} on ${name}`);
          }
        }
        await ctx.close();
        expect(found, found.join('\n')).toEqual([]);
      }, 120_000);
    }
  }
});
