import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Manifest } from '@iiif/presentation-3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sniffLogoType } from '../core/config.ts';
import { collectionDepsOf } from '../scripts/collection-deps.ts';
import { createApp } from '../server/app.ts';
import { imageSize } from '../server/collection/library-site.ts';
import { validatePresentation3Manifest } from './support/iiif-validate.ts';
import { BIN } from './support/run-cli.ts';
import { buildSmallCollection, type SmallCollection } from './support/small-collection.ts';
import { tempDir } from './support/temp-dir.ts';

const execFileP = promisify(execFile);

const ABOUT = `# Sejarah kami

Perpustakaan ini berdiri pada 1950. <script>alert("about")</script> & <b>tebal</b>

- Buka Senin–Jumat
- Lihat https://perpus.example.go.id/jadwal

## Layanan
Ruang baca dan alih media.`;

/** The library's own site from PINDAI_LIBRARY_* over HTTP, on a small real collection. */
describe('the library site from settings', () => {
  const root = tempDir();
  const logoFile = path.join(root, 'logo.png');
  const aboutFile = path.join(root, 'tentang.txt');
  let c: SmallCollection;
  let logo: Buffer;
  /** The same collection served without any PINDAI_LIBRARY_* setting. */
  let plain: { base: string; close(): Promise<void> };
  const get = (p: string, base = c.base) => fetch(base + p);
  const html = async (p: string, base = c.base) => {
    const r = await get(p, base);
    expect([p, r.status]).toEqual([p, 200]);
    return r.text();
  };
  /** Items listed on a results page, in order, by id. */
  const listed = (body: string) =>
    [...body.matchAll(/<li class="hit">[\s\S]*?href="\/item\/([a-z0-9]+)[?"]/g)].map((m) => m[1]);

  beforeAll(async () => {
    logo = await sharp({ create: { width: 120, height: 60, channels: 3, background: '#145a32' } })
      .png()
      .toBuffer();
    fs.writeFileSync(logoFile, logo);
    fs.writeFileSync(aboutFile, ABOUT);
    c = await buildSmallCollection(
      root,
      [
        {
          metadata: {
            title: 'Arsip Dinas',
            creator: ['Dinas Perpustakaan', 'Siti Rahma'],
            subjects: ['Sejarah lokal'],
            year: 1987,
            rights: 'open',
          },
        },
        {
          // The creator's name is in the title (a phrase search finds it) but not as creator.
          metadata: {
            title: 'Berita Dinas Perpustakaan',
            creator: 'Budi Santoso',
            subjects: ['Sejarah lokal', 'Pers'],
            year: 2001,
            rights: 'open',
          },
        },
        {
          metadata: {
            title: 'Catatan Dinas Perpustakaan Kota',
            creator: 'Dinas Perpustakaan Kota',
            year: 1960,
            rights: 'open',
          },
        },
        { metadata: { title: 'Daftar Koleksi', creator: 'dinas perpustakaan', year: 1975, rights: 'open' } },
      ],
      {
        PINDAI_LIBRARY_NAME: 'Perpustakaan Kota Malang',
        PINDAI_LIBRARY_LOGO: logoFile,
        PINDAI_LIBRARY_ADDRESS: 'Jl. Ijen No. 30A; Malang 65119',
        PINDAI_LIBRARY_CONTACT: 'layanan@perpus.example.go.id; +62 341 123456; https://perpus.example.go.id',
        PINDAI_LIBRARY_ABOUT: aboutFile,
      },
    );
    const server = createApp({ ...collectionDepsOf(c.app), site: undefined, health: () => ({}) }).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((r) => server.once('listening', r));
    plain = {
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((r) => server.close(() => r())),
    };
  }, 120_000);
  afterAll(async () => {
    await plain?.close();
    await c?.close();
  });

  it('shows the library name in the header, titles and footer instead of the generic name', async () => {
    for (const p of ['/', '/cari?q=arsip', `/item/${c.ids[0]}`, `/item/${c.ids[0]}/halaman/1`, '/tentang']) {
      const body = await html(p);
      expect([p, /<title>[^<]*Perpustakaan Kota Malang[^<]*<\/title>/.test(body)]).toEqual([p, true]);
      expect([p, /<a class="brand" href="\/">[\s\S]*?Perpustakaan Kota Malang<\/a>/.test(body)]).toEqual([
        p,
        true,
      ]);
      expect(body).not.toContain('Koleksi Digital');
    }
    expect(await html('/')).toContain('<meta property="og:site_name" content="Perpustakaan Kota Malang"/>');
    const home = await html('/?lang=en');
    expect(home).toContain('<h1>Perpustakaan Kota Malang</h1>');
    expect(home).not.toContain('Digital Collection');
  });

  it('names the library as provider in IIIF manifests (only when it has a name)', async () => {
    const manifest = (await (await get(`/iiif/${c.ids[0]}/manifest`)).json()) as Manifest;
    expect(validatePresentation3Manifest(manifest)).toEqual([]);
    const provider = manifest.provider?.[0] as unknown as Record<string, unknown>;
    expect(provider).toMatchObject({ type: 'Agent', label: { none: ['Perpustakaan Kota Malang'] } });
    expect(provider.logo).toEqual([
      {
        id: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/logo\?v=[0-9a-f]{16}$/),
        type: 'Image',
        format: 'image/png',
      },
    ]);
    const generic = (await (await get(`/iiif/${c.ids[0]}/manifest`, plain.base)).json()) as Manifest;
    expect(generic.provider).toBeUndefined();
  });

  it('shows the address and contacts in the footer, each contact as a link', async () => {
    const body = await html('/');
    const footer = /<footer class="site">([\s\S]*?)<\/footer>/.exec(body)?.[1] ?? '';
    expect(body.indexOf('<footer class="site">')).toBeGreaterThan(body.indexOf('</main>'));
    expect(footer).toContain('<p>Jl. Ijen No. 30A</p>');
    expect(footer).toContain('<p>Malang 65119</p>');
    expect(footer).toContain('href="mailto:layanan@perpus.example.go.id"');
    expect(footer).toContain('href="tel:+62341123456"');
    expect(footer).toContain('href="https://perpus.example.go.id"');
    expect(footer).toContain('href="/tentang"');
  });

  it('serves the logo at a stable, long-cached URL and shows it in the header and as favicon', async () => {
    const body = await html('/');
    const src = /<a class="brand" href="\/"><img src="([^"]+)" alt(?:="")? height="40" width="80"\/>/.exec(
      body,
    )?.[1];
    expect(src).toMatch(/^\/logo\?v=[0-9a-f]{16}$/);
    expect(body).toContain(`<link rel="icon" type="image/png" href="${src}"/>`);
    const r = await get(src as string);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await r.arrayBuffer())).toEqual(logo);
    // /favicon.ico is a real ICO file holding the logo.
    const ico = Buffer.from(await (await get('/favicon.ico')).arrayBuffer());
    expect([...ico.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect(ico.subarray(22)).toEqual(logo);
    expect((await sharp(ico.subarray(22)).metadata()).width).toBe(120);
  });

  it('renders the about page from the text file, with any HTML in it shown as text', async () => {
    const body = await html('/tentang');
    const main = /<main id="isi">([\s\S]*?)<\/main>/.exec(body)?.[1] ?? '';
    expect(main).toContain('<h1>Tentang Perpustakaan Kota Malang</h1>');
    expect(main).toContain('<h2>Sejarah kami</h2>');
    expect(main).toContain('<h3>Layanan</h3>');
    expect(main).toContain(
      'Perpustakaan ini berdiri pada 1950. &lt;script>alert(&quot;about&quot;)&lt;/script> &amp; &lt;b>tebal&lt;/b>',
    );
    expect(main).not.toMatch(/<script|<b>/);
    expect(main).toContain('<li>Buka Senin–Jumat</li>');
    expect(main).toContain(
      '<a href="https://perpus.example.go.id/jadwal">https://perpus.example.go.id/jadwal</a>',
    );
    expect(await html('/sitemap.xml')).toMatch(/<loc>http:\/\/127\.0\.0\.1:\d+\/tentang<\/loc>/);
  });

  it('without settings: the generic name, a default about page in both languages, a default favicon', async () => {
    const home = await html('/', plain.base);
    expect(home).toContain('<title>Koleksi Digital — cari dan baca bahan pustaka</title>');
    expect(home).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg"/>');
    expect(home).not.toContain('/logo?v=');
    const id = await html('/tentang', plain.base);
    expect(id).toContain('<h1>Tentang Koleksi Digital</h1>');
    expect(id).toContain('dipindai');
    const en = await html('/tentang?lang=en', plain.base);
    expect(en).toContain('<h1>About Digital Collection</h1>');
    expect(en).toContain('scanned');
    const svg = await get('/favicon.svg', plain.base);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);
    const ico = Buffer.from(await (await get('/favicon.ico', plain.base)).arrayBuffer());
    expect([...ico.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect((await sharp(ico.subarray(22)).metadata()).format).toBe('png');
    expect((await get('/logo', plain.base)).status).toBe(404);
  });

  it('links creators and subjects on the item page to lists of exactly their items', async () => {
    const [a, b, , d] = c.ids as [string, string, string, string];
    const item = await html(`/item/${a}`);
    const creatorHref = /<a href="(\/cari\?creator=[^"]+)">Dinas Perpustakaan<\/a>/.exec(item)?.[1];
    const subjectHref = /<a href="(\/cari\?subject=[^"]+)">Sejarah lokal<\/a>/.exec(item)?.[1];
    expect(item).toMatch(/<a href="\/cari\?creator=Siti\+Rahma">Siti Rahma<\/a>/);
    // Not the title that holds the name, not "Dinas Perpustakaan Kota"; case does not matter.
    const byCreator = await html((creatorHref as string).replace(/&amp;/g, '&'));
    expect(byCreator).toContain('<h1>Karya Dinas Perpustakaan</h1>');
    expect(listed(byCreator).sort()).toEqual([a, d].sort());
    const bySubject = await html((subjectHref as string).replace(/&amp;/g, '&'));
    expect(listed(bySubject).sort()).toEqual([a, b].sort());
    expect(bySubject).toMatch(/<p id="count" role="status"><strong>2 item/);
    // Words and a creator together: only that creator's items with those words.
    expect(listed(await html('/cari?q=daftar&creator=Dinas%20Perpustakaan'))).toEqual([d]);
  });

  it('lists all items newest first when there is no query ("Semua item")', async () => {
    const body = await html('/cari');
    expect(body).toContain('<h1>Semua item</h1>');
    expect(listed(body)).toEqual([...c.ids].reverse());
    expect(body).toMatch(/<option value="newest" selected>/);
    // Chosen sorts still apply.
    expect(listed(await html('/cari?sort=title'))).toEqual(c.ids);
  });
});

describe('bad library settings stop the start with a clear message', () => {
  const root = tempDir();

  it('refuses a logo that is missing or not an image, and an about file that is not text', () => {
    const notImage = path.join(root, 'logo.png');
    fs.writeFileSync(notImage, 'this is not a picture');
    const binary = path.join(root, 'tentang.bin');
    fs.writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0xc3]));
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ PINDAI_DATA_DIR: root, ...env });
        return [];
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ PINDAI_LIBRARY_LOGO: path.join(root, 'nope.png') })).toEqual([
      `PINDAI_LIBRARY_LOGO: file not found: ${path.join(root, 'nope.png')}`,
    ]);
    expect(problems({ PINDAI_LIBRARY_LOGO: notImage })).toEqual([
      `PINDAI_LIBRARY_LOGO: not a PNG, JPEG or SVG image: ${notImage}`,
    ]);
    expect(problems({ PINDAI_LIBRARY_LOGO: root })).toEqual([`PINDAI_LIBRARY_LOGO: not a file: ${root}`]);
    expect(problems({ PINDAI_LIBRARY_ABOUT: binary })).toEqual([
      `PINDAI_LIBRARY_ABOUT: not a UTF-8 text file: ${binary}`,
    ]);
  });

  it('`pindai serve` exits with the message instead of serving', async () => {
    const missing = path.join(root, 'logo-perpus.svg');
    const r = await execFileP(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        PINDAI_DATA_DIR: path.join(root, 'data'),
        PINDAI_PORT: '0',
        PINDAI_LIBRARY_LOGO: missing,
      },
      timeout: 30_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string; killed?: boolean }) => ({
        code: e.killed ? 'still running' : e.code,
        stderr: e.stderr ?? '',
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`PINDAI_LIBRARY_LOGO: file not found: ${missing}`);
  }, 40_000);
});

describe('logo files', () => {
  it('are known by their content, and their size read from their own header', async () => {
    const png = await sharp({ create: { width: 90, height: 30, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    const svg = Buffer.from(
      '\uFEFF<?xml version="1.0"?>\n<!-- logo --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"></svg>',
    );
    expect(sniffLogoType(png)).toBe('image/png');
    expect(sniffLogoType(jpeg)).toBe('image/jpeg');
    expect(sniffLogoType(svg)).toBe('image/svg+xml');
    expect(sniffLogoType(Buffer.from('<html><svg></svg></html>'))).toBeNull();
    expect(imageSize(png, 'image/png')).toEqual({ width: 90, height: 30 });
    expect(imageSize(jpeg, 'image/jpeg')).toEqual({ width: 90, height: 30 });
    expect(imageSize(svg, 'image/svg+xml')).toEqual({ width: 200, height: 50 });
    expect(imageSize(Buffer.from('<svg width="64px" height="32">'), 'image/svg+xml')).toEqual({
      width: 64,
      height: 32,
    });
  });
});
