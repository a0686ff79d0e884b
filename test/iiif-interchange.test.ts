import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Manifest } from '@iiif/presentation-3';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemMetadata } from '../core/metadata.schema.ts';
import { launchBrowser } from './support/browser.ts';
import { buildCollection, type CollectionFixture } from './support/collection-fixture.ts';
import { validatePresentation3Manifest } from './support/iiif-validate.ts';
import { tempDir } from './support/temp-dir.ts';
import { schemaErrors } from './support/xml-schema.ts';

const CC_BY = 'http://creativecommons.org/licenses/by/4.0/';
const IN_C = 'http://rightsstatements.org/vocab/InC/1.0/';

/**
 * IIIF Collections, partOf, rights, provider, viewingDirection and Content Search 1, and the
 * METS and ALTO of items, over HTTP on a real collection made by the real pipeline (OCR included);
 * METS and ALTO validated with xmllint against the official schemas.
 */
describe('IIIF Collections, METS and ALTO over HTTP', () => {
  const root = tempDir();
  let f: CollectionFixture;
  const get = (path: string) => fetch(f.base + path);
  const json = async (path: string) => {
    const r = await get(path);
    expect(r.status, path).toBe(200);
    return r.json();
  };
  const setMetadata = async (id: string, change: Partial<ItemMetadata>) => {
    const item = await f.app.register.items.get(id);
    if (!item) throw new Error(`no item ${id}`);
    await f.app.register.staffItems.updateMetadata(item, item.title, { ...item.metadata, ...change }, 'test');
  };

  beforeAll(async () => {
    f = await buildCollection(root);
    // As a sidecar would give them (parsed by the metadata schema): a licence and a Jawi reading order.
    await setMetadata(f.open.id, { license: CC_BY });
    await setMetadata(f.readOnline.id, { license: IN_C, readingDirection: 'rtl' });
  });
  afterAll(async () => {
    await f?.close();
  });

  describe('Presentation 3', () => {
    it('lists every public item, and only those, in the top-level Collection', async () => {
      const c = await json('/iiif/collection');
      expect(c['@context']).toBe('http://iiif.io/api/presentation/3/context.json');
      expect(c.type).toBe('Collection');
      expect(c.id).toBe(`${f.base}/iiif/collection`);
      expect(c.label.id[0]).toBeTruthy();
      const items = c.items as Array<{ id: string; type: string; label: { none: string[] } }>;
      expect(items.map((m) => m.id).sort()).toEqual(
        [`${f.base}/iiif/${f.open.id}/manifest`, `${f.base}/iiif/${f.readOnline.id}/manifest`].sort(),
      );
      expect(items.every((m) => m.type === 'Manifest')).toBe(true);
      expect(items.map((m) => m.label.none[0]).sort()).toEqual([
        'Madjalah Kota Soerabaja',
        'Sejarah Perpustakaan Daerah',
      ]);
      // No library name configured: no provider (the generic site name is not an organisation;
      // test/library-site.http.test.ts checks the named one).
      expect(c.provider).toBeUndefined();
    });

    it('has one Collection per collection, and none for a collection with no public item', async () => {
      const lokal = await json(`/iiif/collection/${encodeURIComponent('Koleksi Lokal')}`);
      expect(lokal.id).toBe(`${f.base}/iiif/collection/Koleksi%20Lokal`);
      expect(lokal.label).toEqual({ none: ['Koleksi Lokal'] });
      expect(lokal.items.map((m: { id: string }) => m.id)).toEqual([`${f.base}/iiif/${f.open.id}/manifest`]);
      const langka = await json('/iiif/collection/Koleksi%20Langka');
      expect(langka.items.map((m: { id: string }) => m.id)).toEqual([
        `${f.base}/iiif/${f.readOnline.id}/manifest`,
      ]);
      expect((await get('/iiif/collection/Tidak%20Ada')).status).toBe(404);
      expect((await get('/iiif/collection?part=2')).status).toBe(404);
      expect((await get('/iiif/collection?part=x')).status).toBe(404);
    });

    it('says in each manifest which Collections it is part of, its rights, provider and reading direction', async () => {
      const open = (await json(`/iiif/${f.open.id}/manifest`)) as Manifest;
      expect(validatePresentation3Manifest(open)).toEqual([]);
      expect(open.partOf?.map((p) => p.id)).toEqual([
        `${f.base}/iiif/collection/Koleksi%20Lokal`,
        `${f.base}/iiif/collection`,
      ]);
      expect(open.partOf?.every((p) => p.type === 'Collection')).toBe(true);
      expect(open.rights).toBe(CC_BY);
      expect(open.viewingDirection).toBe('left-to-right');
      expect(open.provider).toBeUndefined();
      expect(open.requiredStatement?.value).toEqual({ id: ['Koleksi Digital'], en: ['Digital Collection'] });
      // Every Collection a manifest names is one that lists it.
      for (const p of open.partOf ?? []) {
        const c = await json(String(p.id).slice(f.base.length));
        expect(c.items.map((m: { id: string }) => m.id)).toContain(open.id);
      }

      const rtl = (await json(`/iiif/${f.readOnline.id}/manifest`)) as Manifest;
      expect(validatePresentation3Manifest(rtl)).toEqual([]);
      expect(rtl.viewingDirection).toBe('right-to-left');
      expect(rtl.rights).toBe(IN_C);
    });

    it('offers Content Search 1 beside 2, answering an AnnotationList of word boxes on canvases', async () => {
      const m = (await json(`/iiif/${f.readOnline.id}/manifest`)) as Manifest;
      const services = (m.service ?? []) as unknown as Array<Record<string, string>>;
      expect(services.map((s) => s.type)).toEqual(['SearchService2', 'SearchService1']);
      const v1 = services.find((s) => s.profile === 'http://iiif.io/api/search/1/search');
      expect(v1?.id).toBe(`${f.base}/iiif/${f.readOnline.id}/search/v1`);

      const r = await get(`/iiif/${f.readOnline.id}/search/v1?q=Surabaya`);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      const list = await r.json();
      expect(list['@context']).toContain('http://iiif.io/api/search/1/context.json');
      expect(list['@type']).toBe('sc:AnnotationList');
      expect(list['@id']).toBe(`${f.base}/iiif/${f.readOnline.id}/search/v1?q=Surabaya`);
      expect(list.resources.length).toBeGreaterThan(0);
      expect(list.within.total).toBe(list.resources.length);
      const canvases = new Set((m.items ?? []).map((c) => c.id));
      for (const a of list.resources) {
        expect(a['@type']).toBe('oa:Annotation');
        expect(a.resource.chars).toMatch(/Soerabaja/);
        const [canvas, xywh] = a.on.split('#xywh=');
        expect(canvases.has(canvas)).toBe(true);
        expect(xywh).toMatch(/^\d+,\d+,[1-9]\d*,[1-9]\d*$/);
      }
      // Each hit names its annotation and the words around it on the line.
      expect(list.hits).toHaveLength(list.resources.length);
      expect(list.hits.map((h: { annotations: string[] }) => h.annotations)).toEqual(
        list.resources.map((a: Record<string, string>) => [a['@id']]),
      );
      const lines = list.hits.map(
        (h: Record<string, string>) => `${h.before}${h.match}${h.after}`,
      ) as string[];
      expect(
        lines.some((l) => /Pelaboehan kota Soerabaja ramai/.test(l)),
        lines.join(' | '),
      ).toBe(true);

      const none = await (await get(`/iiif/${f.readOnline.id}/search/v1?q=zzzqqq`)).json();
      expect(none.resources).toEqual([]);
      expect((await get(`/iiif/${f.staffOnly.id}/search/v1?q=gudang`)).status).toBe(404);
    });
  });

  describe('METS and ALTO', () => {
    it('serves a METS for an open item that validates, with every file and a div per page', async () => {
      const r = await get(`/iiif/${f.open.id}/mets.xml`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      const xml = await r.text();
      expect(schemaErrors(xml, 'mets.xsd')).toEqual([]);
      expect(xml).toContain(`OBJID="${f.base}/item/${f.open.id}"`);
      expect(xml).toMatch(
        /<mdWrap MDTYPE="DC"[^>]*>\s*<xmlData>\s*<dc:title>Sejarah Perpustakaan Daerah<\/dc:title>/,
      );
      expect(xml).toContain(`<dc:rights>${CC_BY}</dc:rights>`);
      for (const use of ['MASTER', 'MAX', 'DEFAULT', 'THUMBS', 'FULLTEXT', 'DOWNLOAD'])
        expect(xml, use).toContain(`<fileGrp USE="${use}">`);
      // The originals with the checksums the register keeps.
      const pages = await f.app.register.pages.list(f.open.id);
      for (const p of pages) expect(xml).toContain(`CHECKSUM="${p.originalSha256}" CHECKSUMTYPE="SHA-256"`);
      const divs = [...xml.matchAll(/<div ID="PHYS_\d+" TYPE="page" ORDER="(\d+)"[^>]*>([\s\S]*?)<\/div>/g)];
      expect(divs.map((d) => Number(d[1]))).toEqual(pages.map((p) => p.pageNo));
      for (const d of divs) expect(d[2]?.match(/<fptr /g)).toHaveLength(5);
      // Every file a page points at, and the ALTO and PDF links, answer.
      for (const href of [...xml.matchAll(/xlink:href="([^"]+)"/g)].map((m) => m[1] as string)) {
        expect((await get(href.slice(f.base.length))).status, href).toBe(200);
      }
      const manifest = (await json(`/iiif/${f.open.id}/manifest`)) as Manifest;
      expect(manifest.seeAlso?.[0]).toMatchObject({
        id: `${f.base}/iiif/${f.open.id}/mets.xml`,
        format: 'application/xml',
        profile: 'http://www.loc.gov/METS/',
      });
    });

    it('keeps the masters and the PDF out of a read-online item’s METS', async () => {
      const xml = await (await get(`/iiif/${f.readOnline.id}/mets.xml`)).text();
      expect(schemaErrors(xml, 'mets.xsd')).toEqual([]);
      expect(xml).not.toContain('USE="MASTER"');
      expect(xml).not.toContain('USE="MAX"');
      expect(xml).not.toContain('USE="DOWNLOAD"');
      expect(xml).not.toContain('CHECKSUM=');
      expect(xml).toContain('<fileGrp USE="FULLTEXT">');
      expect(xml).toContain('<dc:rights>http://rightsstatements.org/vocab/InC/1.0/</dc:rights>');
      // Every image it names is one the public may fetch (no more than the read-online cap).
      for (const href of [...xml.matchAll(/xlink:href="([^"]+)"/g)].map((m) => m[1] as string))
        expect((await get(href.slice(f.base.length))).status, href).toBe(200);
    });

    it('serves ALTO per page that validates and holds the OCR words with boxes and confidence', async () => {
      const manifest = (await json(`/iiif/${f.readOnline.id}/manifest`)) as Manifest;
      const canvas = manifest.items[1];
      const alto = canvas?.seeAlso?.[0] as unknown as Record<string, string>;
      expect(alto).toMatchObject({
        id: `${f.base}/iiif/${f.readOnline.id}/alto/p2.xml`,
        format: 'application/xml',
        profile: 'http://www.loc.gov/standards/alto/ns-v4#',
      });
      const r = await get(`/iiif/${f.readOnline.id}/alto/p2.xml`);
      expect(r.status).toBe(200);
      const xml = await r.text();
      expect(schemaErrors(xml, 'alto-4-4.xsd')).toEqual([]);
      expect(xml).toMatch(
        new RegExp(`<Page ID="P2" PHYSICAL_IMG_NR="2" WIDTH="${canvas?.width}" HEIGHT="${canvas?.height}"`),
      );
      const strings = [...xml.matchAll(/<String [^>]*CONTENT="([^"]*)"[^>]*WC="([\d.]+)"/g)];
      expect(strings.map((s) => s[1]).join(' ')).toMatch(/Pelaboehan kota Soerabaja ramai/);
      for (const s of strings) expect(Number(s[2])).toBeLessThanOrEqual(1);
      expect(xml).toMatch(/<TextLine [^>]*HPOS="\d+" VPOS="\d+" WIDTH="\d+" HEIGHT="\d+"/);
      expect(xml).toContain('LANG="ind"');
    });

    it('answers 404 for staff-only and held items, and for a page that does not exist', async () => {
      for (const path of [
        `/iiif/${f.staffOnly.id}/mets.xml`,
        `/iiif/${f.staffOnly.id}/alto/p1.xml`,
        `/iiif/${f.open.id}/alto/p9.xml`,
        `/iiif/${f.open.id}/alto/p01.xml`,
        '/iiif/collection/Koleksi%20Lokal?part=0',
      ])
        expect((await get(path)).status, path).toBe(404);
      await setMetadata(f.open.id, { rights: 'review' });
      try {
        for (const path of [
          `/iiif/${f.open.id}/mets.xml`,
          `/iiif/${f.open.id}/alto/p1.xml`,
          `/iiif/${f.open.id}/search/v1?q=perpustakaan`,
          '/iiif/collection/Koleksi%20Lokal',
        ])
          expect((await get(path)).status, path).toBe(404);
        const all = await json('/iiif/collection');
        expect(all.items.map((m: { id: string }) => m.id)).toEqual([
          `${f.base}/iiif/${f.readOnline.id}/manifest`,
        ]);
      } finally {
        await setMetadata(f.open.id, { rights: 'open' });
      }
    });
  });

  /**
   * Mirador 4 (its own UMD bundle, fetched and integrity-checked by scripts/ensure-test-assets.sh)
   * served from another origin, as a library or aggregator embedding the viewer would: it opens
   * the manifest and searches inside the book through Content Search 1.
   */
  describe('in Mirador 4', () => {
    let browser: Browser;
    let viewer: ReturnType<express.Express['listen']>;
    let viewerBase: string;

    beforeAll(async () => {
      execFileSync('bash', ['scripts/ensure-test-assets.sh'], { stdio: 'inherit' });
      const bundle = fs.readFileSync(
        path.resolve('node_modules/.cache/pindai-test-assets/mirador-4.0.0/mirador.min.js'),
      );
      const app = express();
      app.get('/mirador.min.js', (_req, res) => {
        res.type('text/javascript').send(bundle);
      });
      app.get('/', (req, res) => {
        const config = {
          id: 'viewer',
          windows: [{ manifestId: String(req.query.manifest) }],
          window: {
            allowClose: false,
            sideBarOpen: true,
            defaultSideBarPanel: 'search',
            panels: { search: true },
          },
          workspaceControlPanel: { enabled: false },
        };
        res.type('html').send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mirador</title></head><body>
<div id="viewer" style="position:absolute;inset:0"></div>
<script src="/mirador.min.js"></script>
<script>Mirador.viewer(${JSON.stringify(config).replace(/</g, '\\u003c')});</script>
</body></html>`,
        );
      });
      viewer = app.listen(0, 'localhost');
      await new Promise((r) => viewer.once('listening', r));
      viewerBase = `http://localhost:${(viewer.address() as AddressInfo).port}`;
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((r) => viewer?.close(r));
    });

    /** Pixels of the page view that are highlight yellow (the scans themselves are greyscale). */
    async function yellowPixels(page: Page): Promise<number> {
      const shot = await page.locator('.openseadragon-canvas').first().screenshot();
      const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
        if (r > 180 && g > 180 && b < 140) n++;
      }
      return n;
    }

    it('opens the manifest and finds a word inside the book, listing and highlighting the hits', async () => {
      const manifest = `${f.base}/iiif/${f.readOnline.id}/manifest`;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const searches: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/search')) searches.push(r.url());
      });
      await page.goto(`${viewerBase}/?manifest=${encodeURIComponent(manifest)}`);
      await page.getByText('Madjalah Kota Soerabaja').first().waitFor();
      const box = page.getByRole('combobox', { name: 'search terms' });
      await box.waitFor();
      // Wait for the first page's tiles, so the yellow count before the search is of the page itself.
      await page.waitForLoadState('networkidle');
      expect(await yellowPixels(page)).toBe(0);

      // Modern spelling; the 1952 text has the old one: both hits are found through the bridge.
      await box.fill('Surabaya');
      await box.press('Enter');
      const hits = page
        .locator('li, [role="button"]')
        .filter({ has: page.locator('strong', { hasText: 'Soerabaja' }) });
      await expect.poll(() => hits.count(), { timeout: 30_000 }).toBe(2);
      expect(searches).toEqual([`${f.base}/iiif/${f.readOnline.id}/search/v1?q=Surabaya`]);
      await expect.poll(() => page.getByText('1 of 2').count()).toBeGreaterThan(0);
      expect(await hits.nth(1).textContent()).toMatch(/Page 2[\s\S]*Pelaboehan kota\s+Soerabaja\s+ramai/);
      // The hit on the page shown is highlighted on the image.
      await expect.poll(() => yellowPixels(page), { timeout: 15_000 }).toBeGreaterThan(200);

      // Choosing the second hit turns to page 2, where its word is highlighted too.
      await hits.nth(1).click();
      await expect
        .poll(() => page.getByText(/2 of 2 • Page 2/).count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => yellowPixels(page), { timeout: 15_000 }).toBeGreaterThan(200);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
