import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { collectionDepsOf } from '../scripts/collection-deps.ts';
import { createApp } from '../server/app.ts';
import type { CollectionDeps, CutImage } from '../server/collection/collection-deps.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from './support/test-app.ts';

/**
 * The collection's limits over real HTTP, on an item made by the real pipeline (fake OCR only):
 * IIIF cuts are bounded, cached and dropped for clients that left; one pixel limit for intake and
 * cutter; absolute URLs from PINDAI_PUBLIC_URL, never cached publicly when taken from Host;
 * canonical page numbers only.
 */

const MAX_PIXELS = 1_000_000;
const ENV = {
  // Lowered so the pages stay small: what matters is that intake and cutter read the same value.
  PINDAI_MAX_PIXELS: String(MAX_PIXELS),
  PINDAI_IIIF_CUT_CONCURRENCY: '1',
  PINDAI_IIIF_CUT_QUEUE: '2',
};
const PUBLIC_URL = 'https://koleksi.example.go.id';
const FORGED_HOST = 'penyerang.example';

/** A scan-like page: paper with one dark bar (cheap to make and to encode). */
const pageImage = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#f4f1ea' } })
    .composite([
      {
        input: { create: { width: Math.round(width / 2), height: 40, channels: 3, background: '#222222' } },
        top: 100,
        left: 100,
      },
    ])
    .png()
    .toBuffer();

interface Served {
  base: string;
  server: http.Server;
  close(): Promise<void>;
}

async function serve(deps: CollectionDeps): Promise<Served> {
  const server = createApp({ ...deps, health: () => ({}) }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A GET with any headers (fetch cannot forge Host). */
function rawGet(
  base: string,
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${p}`, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** Wait for a condition of the system under test (no timing is asserted). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('collection limits over HTTP', () => {
  const root = tempDir();
  let app: TestApp;
  let id: string;
  let main: Served;
  /** Regions the real cutter was asked for, in call order. */
  const calls: string[] = [];
  let gate: Promise<void> | null = null;
  let openGate = () => {};
  const closeGate = () => {
    gate = new Promise((r) => {
      openGate = () => {
        gate = null;
        r();
      };
    });
  };
  /** Requests the server has received, and the client ports of connections it saw close. */
  const seen = new Set<string>();
  const closedPorts = new Set<number>();
  let next = 0;
  /** A cut no earlier test asked for (so never in the cache). */
  const freshCut = () => `/iiif/${id}/p1/${10 + next++},0,200,200/100,/0/default.jpg`;
  const get = (p: string, init?: RequestInit) => fetch(main.base + p, init);
  /** The deps with a thin counting wrapper round their real sharp cutter; the gate holds cuts. */
  const counting = (deps: CollectionDeps): CollectionDeps => {
    const real = deps.cutImage as CutImage;
    const counted: CutImage = async (input, req, ...rest) => {
      const { x, y, w, h } = req.region;
      calls.push(`${x},${y},${w},${h}`);
      // biome-ignore lint/nursery/noMisusedPromises: whether the gate is closed, not what it resolves to.
      if (gate) await gate;
      return real(input, req, ...rest);
    };
    return { ...deps, cutImage: counted };
  };

  beforeAll(async () => {
    app = createTestApp(path.join(root, 'data'), { env: ENV });
    const metadata = JSON.stringify({ title: 'Buku Uji Batas', year: 2001, rights: 'open' });
    const dir = writeFiles(path.join(root, 'src'), 'Buku Uji', {
      'hal-1.png': await pageImage(1000, 1000),
      'hal-2.png': await pageImage(800, 1000),
      'metadata.json': metadata,
    });
    const r = await app.accept(dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    if (r.status !== 'accepted' || !r.item) throw new Error(`batch not accepted: ${r.status}`);
    id = r.item.id;
    await app.runner.start();
    await app.runner.drain([id]);
    expect((await app.register.items.get(id))?.status).toBe('available');

    main = await serve(counting(collectionDepsOf(app)));
    main.server.on('request', (req: http.IncomingMessage) => seen.add(req.url ?? ''));
    main.server.on('connection', (s) => {
      const port = s.remotePort;
      s.on('close', () => {
        if (port !== undefined) closedPorts.add(port);
      });
    });
  });
  afterAll(async () => {
    openGate();
    await main?.close();
    await app?.close();
  });

  describe('IIIF image cuts', () => {
    it('serves a repeated cut from the cache, also after a restart, without cutting again', async () => {
      const url = `/iiif/${id}/p1/100,100,300,200/150,/0/default.jpg`;
      const first = await get(url);
      expect(first.status).toBe(200);
      const bytes = Buffer.from(await first.arrayBuffer());
      expect(calls.filter((c) => c === '100,100,300,200')).toHaveLength(1);
      const again = await get(url);
      expect(again.status).toBe(200);
      expect(again.headers.get('content-type')).toBe('image/jpeg');
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(Buffer.from(await again.arrayBuffer())).toEqual(bytes);
      expect(calls.filter((c) => c === '100,100,300,200')).toHaveLength(1);
      // The cache is on disk under the data folder: a new server (a restart) finds it.
      const restarted = await serve(counting(collectionDepsOf(app)));
      try {
        const r = await fetch(restarted.base + url);
        expect(r.status).toBe(200);
        expect(Buffer.from(await r.arrayBuffer())).toEqual(bytes);
      } finally {
        await restarted.close();
      }
      expect(calls.filter((c) => c === '100,100,300,200')).toHaveLength(1);
    });

    it('serves stored derivatives straight from the store, not through the cutter', async () => {
      const before = calls.length;
      const thumb = await get(`/iiif/${id}/p1/full/240,/0/default.jpg`);
      expect(thumb.status).toBe(200);
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(240);
      expect(calls.length).toBe(before);
    });

    it('answers 503 with Retry-After when more cuts come than run and wait', async () => {
      closeGate();
      const before = calls.length;
      const running = get(freshCut());
      await until(() => calls.length === before + 1, 'the first cut to start');
      let busy = 0;
      const more = [freshCut(), freshCut(), freshCut()].map((u) =>
        get(u).then((r) => {
          if (r.status === 503) busy++;
          return r;
        }),
      );
      // One slot and two places in the queue: the third newcomer is turned away at once.
      await until(() => busy > 0 || calls.length >= before + 4, 'a 503 or every cut started');
      openGate();
      const answers = await Promise.all([running, ...more]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 503]);
      const refused = answers.find((r) => r.status === 503) as Response;
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(calls.length).toBe(before + 3);
    });

    it('does not cut for a client that went away while its cut waited', async () => {
      closeGate();
      const before = calls.length;
      const firstUrl = freshCut();
      const running = get(firstUrl);
      await until(() => calls.length === before + 1, 'the first cut to start');
      const goneUrls = [freshCut(), freshCut()];
      const gone = goneUrls.map((u) => {
        const req = http.get(`${main.base}${u}`, { agent: false });
        req.on('error', () => {});
        return req;
      });
      await until(() => goneUrls.every((u) => seen.has(u)), 'the server to receive both requests');
      const ports = gone.map((req) => req.socket?.localPort);
      for (const req of gone) req.destroy();
      await until(
        () => ports.every((p) => p !== undefined && closedPorts.has(p)),
        'the server to see both clients leave',
      );
      openGate();
      expect((await running).status).toBe(200);
      const lastUrl = freshCut();
      expect((await get(lastUrl)).status).toBe(200);
      const region = (u: string) => u.split('/')[4];
      expect(calls.slice(before)).toEqual([region(firstUrl), region(lastUrl)]);
    });
  });

  it('uses one pixel limit, from config, for intake and for the image cutter', async () => {
    const page = await app.register.pages.get(id, 1);
    expect((page?.cleanWidth ?? 0) * (page?.cleanHeight ?? 0)).toBe(MAX_PIXELS);
    // A page at the limit was accepted and is viewable through a cut.
    expect((await get(`/iiif/${id}/p1/0,0,600,600/300,/0/default.jpg`)).status).toBe(200);
    // One pixel column more is refused at intake ...
    const over = writeFiles(path.join(root, 'src'), 'Terlalu Besar', {
      'hal-1.png': await pageImage(1001, 1000),
      'metadata.json': JSON.stringify({ title: 'Terlalu Besar', rights: 'open' }),
    });
    const r = await app.accept(over, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('rejected');
    expect(r.problems.map((p) => p.code)).toContain('image_too_large');
    // ... and by the cutter the server is given, while the page at the limit is cut.
    const cut = collectionDepsOf(app).cutImage as CutImage;
    const ask = {
      region: { x: 0, y: 0, w: 100, h: 100 },
      width: 50,
      height: 50,
      quality: 'default',
      format: 'jpg',
    } as const;
    expect((await sharp(await cut(await pageImage(1000, 1000), ask)).metadata()).width).toBe(50);
    await expect(cut(await pageImage(1001, 1000), ask)).rejects.toThrow();
  });

  describe('absolute URLs', () => {
    /** Answers that carry absolute URLs, and a text each must contain. */
    const linked = () => [
      '/sitemap.xml',
      '/robots.txt',
      `/item/${id}`,
      `/item/${id}/halaman/1`,
      `/item/${id}/teks`,
      `/iiif/${id}/manifest`,
      `/iiif/${id}/p1/info.json`,
      `/iiif/${id}/search?q=uji`,
    ];

    it('without PINDAI_PUBLIC_URL, an answer built from the Host header is never cached publicly', async () => {
      for (const u of linked()) {
        const r = await rawGet(main.base, u, { Host: FORGED_HOST });
        expect([u, r.status]).toEqual([u, 200]);
        expect([u, r.body.includes(`://${FORGED_HOST}/`)]).toEqual([u, true]);
        const cc = String(r.headers['cache-control'] ?? '');
        expect([u, cc]).not.toEqual([u, expect.stringMatching(/public/)]);
        expect([u, cc]).toEqual([u, expect.stringMatching(/private|no-store/)]);
      }
    });

    it('with PINDAI_PUBLIC_URL, every absolute URL uses it and the answers may be public', async () => {
      const config = loadConfig({
        PINDAI_DATA_DIR: app.config.dataDir,
        ...ENV,
        PINDAI_PUBLIC_URL: `${PUBLIC_URL}/`,
      });
      const site = await serve(collectionDepsOf({ ...app, config }));
      try {
        for (const u of linked()) {
          const r = await rawGet(site.base, u, { Host: FORGED_HOST });
          expect([u, r.status]).toEqual([u, 200]);
          expect([u, r.body.includes(FORGED_HOST)]).toEqual([u, false]);
          expect([u, r.body.includes(`${PUBLIC_URL}/`)]).toEqual([u, true]);
          expect([u, r.headers['cache-control']]).toEqual([u, expect.stringMatching(/^public/)]);
        }
        const sitemap = await rawGet(site.base, '/sitemap.xml', { Host: FORGED_HOST });
        expect(sitemap.body).toContain(`<loc>${PUBLIC_URL}/item/${id}</loc>`);
        const manifest = JSON.parse(
          (await rawGet(site.base, `/iiif/${id}/manifest`, { Host: FORGED_HOST })).body,
        );
        expect(manifest.id).toBe(`${PUBLIC_URL}/iiif/${id}/manifest`);
      } finally {
        await site.close();
      }
    });
  });

  it('answers 404 for page numbers that are not canonical, on every public page URL', async () => {
    const families = (n: string) => [
      `/item/${id}/halaman/${n}`,
      `/iiif/${id}/p${n}`,
      `/iiif/${id}/p${n}/info.json`,
      `/iiif/${id}/p${n}/full/240,/0/default.jpg`,
      `/iiif/${id}/p${n}/0,0,100,100/50,/0/default.jpg`,
    ];
    for (const u of families('1')) {
      const r = await get(u, { redirect: 'manual' });
      expect([u, r.status]).toEqual([u, expect.toSatisfy((s: number) => s === 200 || s === 303)]);
    }
    for (const bad of ['1e0', '0x1', '1.0', '01', '%201', '1%20', '+1', '0', '-1', '1000000']) {
      for (const u of families(bad)) {
        const r = await get(u, { redirect: 'manual' });
        expect([u, r.status]).toEqual([u, 404]);
      }
    }
  });
});
