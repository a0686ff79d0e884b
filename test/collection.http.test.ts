import http from 'node:http';
import type { Canvas, Manifest } from '@iiif/presentation-3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../core/store/keys.ts';
import { buildCollection, type CollectionFixture, SECRET_TEXT } from './support/collection-fixture.ts';
import { validatePresentation3Manifest } from './support/iiif-validate.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * The public collection over HTTP, on a real collection made by the real pipeline: search
 * relevance, access levels, IIIF (manifest, Image API, Content Search), caching and ranges.
 */
describe('online collection over HTTP', () => {
  const root = tempDir();
  let f: CollectionFixture;
  const get = (path: string, init?: RequestInit) => fetch(f.base + path, init);
  const html = async (path: string) => {
    const r = await get(path);
    return { status: r.status, body: await r.text(), headers: r.headers };
  };

  /**
   * Status of a revalidation as a browser cache sends it. (fetch() cannot be used: with
   * If-None-Match it also sends Cache-Control: no-cache, which rightly defeats the 304.)
   */
  const conditionalStatus = (path: string, etag: string) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(f.base + path, { headers: { 'If-None-Match': etag } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });

  beforeAll(async () => {
    f = await buildCollection(root);
  });
  afterAll(async () => {
    await f?.close();
  });

  /** The result list of /cari as [itemId, pages listed] in rank order. */
  async function ranked(q: string): Promise<Array<{ itemId: string; pages: number[] }>> {
    const { body } = await html(`/cari?q=${encodeURIComponent(q)}`);
    return [...body.matchAll(/<li class="hit">([\s\S]*?)<\/li>/g)].map((m) => {
      const block = m[1] as string;
      const itemId = /href="\/item\/([a-z0-9]+)[?"]/.exec(block)?.[1] ?? '';
      const pages = [...block.matchAll(/href="\/item\/[a-z0-9]+\/halaman\/(\d+)\?q=/g)].map((x) =>
        Number(x[1]),
      );
      return { itemId, pages };
    });
  }

  describe('search relevance on phrases from the ground truth', () => {
    const cases: Array<[string, () => string, number]> = [
      ['layanan baca setiap hari kerja', () => f.open.id, 1],
      ['dipindai satu halaman demi satu halaman', () => f.open.id, 2],
      ['prepare their final examinations', () => f.open.id, 3],
      ['buku induk dengan nomor', () => f.open.id, 2],
      ['terbit setiap boelan', () => f.readOnline.id, 1],
      ['angin moesim', () => f.readOnline.id, 2],
    ];
    for (const [phrase, item, page] of cases) {
      it(`"${phrase}" ranks the right item first and lists page ${page}`, async () => {
        const hits = await ranked(phrase);
        expect(hits[0]?.itemId).toBe(item());
        expect(hits[0]?.pages).toContain(page);
      });
    }

    it('bridges old spellings both ways and tolerates case and diacritics', async () => {
      // Modern spelling finds the 1952 text: Surabaya → Soerabaja, cerita nelayan → Tjerita nelajan.
      expect((await ranked('pelabuhan Surabaya'))[0]).toMatchObject({ itemId: f.readOnline.id, pages: [2] });
      expect((await ranked('cerita nelayan'))[0]).toMatchObject({ itemId: f.readOnline.id, pages: [2] });
      // Old spelling finds modern text: "pemboeka" is not a word, but "doeloe"-style input works:
      expect((await ranked('PERPOESTAKAAN'))[0]?.itemId).toBe(f.open.id);
      expect((await ranked('pemustakà'))[0]?.itemId).toBe(f.open.id);
    });

    it('highlights the words in the snippet and escapes the query', async () => {
      const { body } = await html(`/cari?q=${encodeURIComponent('nelayan <script>x</script>')}`);
      expect(body).not.toContain('<script>x</script>');
      const ok = await html(`/cari?q=${encodeURIComponent('Surabaya')}`);
      expect(ok.body).toMatch(/<mark>Soerabaja<\/mark>/);
      expect(ok.body).toMatch(/ditemukan di halaman/);
    });

    it('filters by facet, sorts and pages', async () => {
      const all = await html('/cari');
      expect(all.body).toContain('2 item ditemukan');
      const mag = await html('/cari?type=Majalah');
      expect(mag.body).toContain('1 item ditemukan');
      expect(mag.body).toContain(`/item/${f.readOnline.id}`);
      expect(mag.body).not.toContain(`href="/item/${f.open.id}"`);
      const years = await html('/cari?yearFrom=1980&yearTo=1989');
      expect(years.body).toContain(`/item/${f.open.id}`);
      expect(years.body).not.toContain(`href="/item/${f.readOnline.id}"`);
      const oldest = (await ranked('')).map((h) => h.itemId);
      expect(oldest).toHaveLength(2);
      const byYearAsc = [
        ...(await html('/cari?sort=year-asc')).body.matchAll(/<h2><a href="\/item\/([a-z0-9]+)"/g),
      ].map((m) => m[1]);
      expect(byYearAsc).toEqual([f.readOnline.id, f.open.id]);
      const byYearDesc = [
        ...(await html('/cari?sort=year-desc')).body.matchAll(/<h2><a href="\/item\/([a-z0-9]+)"/g),
      ].map((m) => m[1]);
      expect(byYearDesc).toEqual([f.open.id, f.readOnline.id]);
      const facets = (await html('/cari?q=kota')).body;
      expect(facets).toMatch(/Majalah<\/a> <span class="count">\(1\)/);
    });
  });

  describe('access levels', () => {
    it('keeps a staff-only item invisible everywhere public', async () => {
      const id = f.staffOnly.id;
      expect((await ranked(SECRET_TEXT.slice(0, 40))).length).toBe(0);
      expect((await ranked('Notulen Panitia Gudang')).length).toBe(0);
      const urls = [
        `/item/${id}`,
        `/item/${id}/halaman/1`,
        `/item/${id}/teks`,
        `/item/${id}/pdf`,
        `/iiif/${id}/manifest`,
        `/iiif/${id}/p1/info.json`,
        `/iiif/${id}/p1/full/max/0/default.jpg`,
        `/iiif/${id}/p1/full/240,/0/default.jpg`,
        `/iiif/${id}/search?q=arsip`,
        `/api/items/${id}`,
        `/api/items/${id}/pdf`,
      ];
      for (const u of urls) expect([u, (await get(u)).status]).toEqual([u, 404]);
      const search = await (await get(`/api/search?q=${encodeURIComponent('gudang arsip')}`)).json();
      expect(search.total).toBe(0);
      for (const page of ['/', '/cari', '/sitemap.xml', `/cari?q=${encodeURIComponent('arsip')}`]) {
        const { body } = await html(page);
        expect(body).not.toContain(id);
        expect(body).not.toContain('Notulen');
        expect(body).not.toContain('Arsip</a>');
      }
      // An object key spelled into a URL is never served: there is no route to the store.
      expect((await get(`/${keys.pdf(id)}`)).status).toBe(404);
      expect((await get(`/${keys.pdf(f.open.id)}`)).status).toBe(404);
    });

    it('read-online items show pages and text but no PDF nor full-resolution image', async () => {
      const id = f.readOnline.id;
      const item = await html(`/item/${id}`);
      expect(item.status).toBe(200);
      expect(item.body).not.toContain(`/item/${id}/pdf`);
      expect(item.body).toContain('Hanya baca daring');
      expect((await get(`/item/${id}/pdf`)).status).toBe(403);
      expect((await get(`/api/items/${id}/pdf`)).status).toBe(403);
      const text = await html(`/item/${id}/teks`);
      expect(text.body).toContain('Soerabaja');
      const page = (await f.app.register.pages.get(id, 2))!;
      const fullWidth = page.cleanWidth!;
      expect(fullWidth).toBeGreaterThan(1400);
      const info = await (await get(`/iiif/${id}/p2/info.json`)).json();
      expect(info.maxWidth).toBe(1400);
      // Tiles are offered only at scales that stay under the cap, and those tiles are served.
      const factors = info.tiles[0].scaleFactors as number[];
      expect(factors).not.toContain(1);
      const f0 = factors[0]!;
      const tile = await get(`/iiif/${id}/p2/0,0,${512 * f0},${512 * f0}/512,/0/default.jpg`);
      expect(tile.status).toBe(200);
      expect((await get(`/iiif/${id}/p2/full/${fullWidth},/0/default.jpg`)).status).toBe(403);
      const max = await get(`/iiif/${id}/p2/full/max/0/default.jpg`);
      expect(max.status).toBe(200);
      expect((await sharp(Buffer.from(await max.arrayBuffer())).metadata()).width).toBe(1400);
      // A small region at full scale would rebuild the page at full resolution: refused.
      expect((await get(`/iiif/${id}/p2/0,0,400,400/400,/0/default.jpg`)).status).toBe(403);
      const scaled = await get(`/iiif/${id}/p2/0,0,400,400/max/0/default.jpg`);
      expect(scaled.status).toBe(200);
      const w = (await sharp(Buffer.from(await scaled.arrayBuffer())).metadata()).width!;
      expect(w).toBeLessThanOrEqual(Math.ceil((400 * 1400) / fullWidth) + 1);
      const manifest = (await (await get(`/iiif/${id}/manifest`)).json()) as Manifest;
      expect(manifest.rendering).toBeUndefined();
    });

    it('lets the register have the last word over an index not yet updated (API search)', async () => {
      const hitIds = async () => {
        const r = (await (await get(`/api/search?q=${encodeURIComponent('perpustakaan')}`)).json()) as {
          hits: { itemId: string }[];
        };
        return r.hits.map((h) => h.itemId);
      };
      expect(await hitIds()).toContain(f.open.id);
      // Made staff-only in the register alone, as between a staff change and its re-index.
      const before = await f.app.register.review.setAccess(f.open.id, 'staff-only', 'uji');
      try {
        expect(await hitIds()).not.toContain(f.open.id);
      } finally {
        await f.app.register.review.setAccess(f.open.id, before?.metadata.rights ?? 'open', 'uji');
      }
      expect(await hitIds()).toContain(f.open.id);
    });

    it('open items offer the PDF with its size, ranges and validators', async () => {
      const item = (await f.app.register.items.get(f.open.id))!;
      const page = await html(`/item/${f.open.id}`);
      expect(page.body).toContain(`href="/item/${f.open.id}/pdf"`);
      expect(page.body).toMatch(/Unduh PDF \(\d+(,\d)? KB\)/);
      const r = await get(`/item/${f.open.id}/pdf`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(bytes.length).toBe(item.pdfBytes);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const etag = r.headers.get('etag')!;
      expect(r.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect(await conditionalStatus(`/item/${f.open.id}/pdf`, etag)).toBe(304);
      const part = await get(`/item/${f.open.id}/pdf`, { headers: { Range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-199/${item.pdfBytes}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    });
  });

  describe('IIIF', () => {
    it('serves a Presentation 3 manifest that validates and lists every page', async () => {
      for (const fx of [f.open, f.readOnline]) {
        const r = await get(`/iiif/${fx.id}/manifest`);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toContain('application/ld+json');
        expect(r.headers.get('access-control-allow-origin')).toBe('*');
        const manifest = (await r.json()) as Manifest;
        expect(validatePresentation3Manifest(manifest)).toEqual([]);
        const pages = await f.app.register.pages.list(fx.id);
        expect(manifest.items).toHaveLength(pages.length);
        expect(manifest.items.map((c: Canvas) => c.label?.id?.[0])).toEqual(
          pages.map((p) => `Halaman ${p.pageNo}`),
        );
        for (const [i, canvas] of manifest.items.entries()) {
          expect(canvas.width).toBe(pages[i]!.cleanWidth);
          expect(canvas.height).toBe(pages[i]!.cleanHeight);
        }
      }
      const open = (await (await get(`/iiif/${f.open.id}/manifest`)).json()) as Manifest;
      expect(JSON.stringify(open.rendering)).toContain(`/item/${f.open.id}/pdf`);
      expect(
        validatePresentation3Manifest({ ...open, items: [{ id: 'x', type: 'Canvas' }] } as Manifest),
      ).not.toEqual([]);
    });

    it('serves every painted image and its Image API service at the sizes it declares', async () => {
      const manifest = (await (await get(`/iiif/${f.open.id}/manifest`)).json()) as Manifest;
      for (const canvas of manifest.items) {
        const anno = canvas.items?.[0]?.items?.[0] as {
          body: { id: string; width: number; service: { id: string }[] };
        };
        const img = await fetch(anno.body.id);
        expect(img.status).toBe(200);
        expect(img.headers.get('etag')).toBeTruthy();
        expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).width).toBe(anno.body.width);
        const info = await (await fetch(`${anno.body.service[0]!.id}/info.json`)).json();
        expect(info.type).toBe('ImageService3');
        expect(info.width).toBe(canvas.width);
        for (const size of info.sizes as { width: number; height: number }[]) {
          const s = await fetch(`${info.id}/full/${size.width},/0/default.jpg`);
          const meta = await sharp(Buffer.from(await s.arrayBuffer())).metadata();
          expect([meta.width, Math.abs((meta.height ?? 0) - size.height) <= 1]).toEqual([size.width, true]);
        }
      }
    });

    it('cuts regions and scales with ETags and 304s', async () => {
      const url = `/iiif/${f.open.id}/p1/100,200,300,150/150,/0/gray.png`;
      const r = await get(url);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/png');
      const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([150, 75]);
      expect(await conditionalStatus(url, r.headers.get('etag')!)).toBe(304);
      expect(await conditionalStatus(url, '"other"')).toBe(200);
      expect((await get(`/iiif/${f.open.id}/p1/full/max/90/default.jpg`)).status).toBe(400);
      expect((await get(`/iiif/${f.open.id}/p1/nonsense/max/0/default.jpg`)).status).toBe(400);
      expect((await get(`/iiif/${f.open.id}/p9/full/max/0/default.jpg`)).status).toBe(404);
    });

    it('answers Content Search with word boxes on the right canvas', async () => {
      // Quoted: this form only (unquoted, other forms of pustaka such as perpustakaan are marked too).
      const r = await get(`/iiif/${f.open.id}/search?q=${encodeURIComponent('"pemustaka"')}`);
      const page = await r.json();
      expect(page.type).toBe('AnnotationPage');
      expect(page.items.length).toBeGreaterThan(0);
      for (const a of page.items) {
        expect(a.motivation).toBe('highlighting');
        expect(a.target).toMatch(new RegExp(`/iiif/${f.open.id}/canvas/p1#xywh=\\d+,\\d+,\\d+,\\d+$`));
        expect(a.body.value.toLowerCase()).toContain('pemustaka');
      }
      const old = await (await get(`/iiif/${f.readOnline.id}/search?q=Surabaya`)).json();
      expect(old.items.map((a: { body: { value: string } }) => a.body.value.replace(/\W+$/, ''))).toContain(
        'Soerabaja',
      );
    });
  });

  describe('for search engines', () => {
    it('serves robots.txt and a sitemap of public items', async () => {
      const robots = await html('/robots.txt');
      expect(robots.body).toMatch(/Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml/);
      expect(robots.body).toContain('Disallow: /cari');
      const sitemap = await html('/sitemap.xml');
      expect(sitemap.headers.get('content-type')).toContain('application/xml');
      expect(sitemap.body).toContain(`/item/${f.open.id}</loc>`);
      expect(sitemap.body).toContain(`/item/${f.readOnline.id}</loc>`);
    });

    it('sends text gzip-compressed and with security headers', async () => {
      const r = await get(`/item/${f.open.id}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(r.headers.get('content-encoding')).toBe('gzip');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      const img = await get(`/iiif/${f.open.id}/p1/full/240,/0/default.jpg`, {
        headers: { 'Accept-Encoding': 'gzip' },
      });
      expect(img.headers.get('content-encoding')).toBeNull();
      // Viewers on other sites load page images with <img>: no same-origin resource policy.
      expect(img.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(img.headers.get('x-content-type-options')).toBe('nosniff');
      // The API gets its own JSON policy (server/security-headers.ts), not the collection's or gzip.
      const api = await get('/api/search?q=kota', { headers: { 'Accept-Encoding': 'gzip' } });
      expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(api.headers.get('content-encoding')).toBeNull();
      const unknown = await html(`/item/${f.open.id}/nothing-here`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('Halaman tidak ditemukan');
    });

    it('gives each item a meaningful title, description and structured data', async () => {
      const { body } = await html(`/item/${f.open.id}`);
      expect(body).toContain('<title>Sejarah Perpustakaan Daerah (1987) — Koleksi Digital</title>');
      expect(body).toMatch(
        /<meta name="description" content="Sejarah Perpustakaan Daerah — Dinas Perpustakaan/,
      );
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(body)![1]!);
      expect(ld).toMatchObject({
        '@type': 'Book',
        name: 'Sejarah Perpustakaan Daerah',
        datePublished: '1987',
      });
      const text = await html(`/item/${f.open.id}/teks`);
      expect(text.body).toContain('final examinations');
    });
  });
});
