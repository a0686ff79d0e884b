import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePage } from './fixtures/make-page.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

const NFC = 'halaman-1-\u00fc.jpg'; // ü precomposed
const NFD = 'halaman-2-u\u0308.jpg'; // u + combining diaeresis

/** Browser uploads through acceptBatch: limits, names, duplicates, aborts, concurrency. */
describe('staff upload', () => {
  let s: StaffServer;
  let c: StaffClient;
  let tmpRoot: string;
  const pages: Buffer[] = [];

  beforeAll(async () => {
    s = await startStaffServer({
      staffOptions: { maxUploadBytes: 400_000, maxFileBytes: 150_000, maxFiles: 5 },
    });
    await s.addUser('budi', 'operator', 'budi-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('budi', 'budi-sandi-rahasia')).status).toBe(303);
    await c.get('/staf/unggah');
    tmpRoot = path.join(s.pindai.config.inboxDir, '.unggah');
    for (const text of ['Halaman pertama buku uji.', 'Halaman kedua buku uji.', 'Buku lain sama sekali.']) {
      pages.push(await makePage({ columns: [text], width: 400, height: 500 }));
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (files: [string, Buffer][], fields: Record<string, string> = {}, csrf = c.csrf) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [name, data] of files)
      form.append('halaman', new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), name);
    return fetch(`${s.base}/staf/unggah`, {
      method: 'POST',
      body: form,
      headers: {
        cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}`,
        'x-csrf-token': csrf,
        accept: 'application/json',
      },
    });
  };
  const leftovers = () => (fs.existsSync(tmpRoot) ? fs.readdirSync(tmpRoot) : []);
  const openUnder = (dir: string) =>
    fs
      .readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .filter((l) => l.startsWith(dir));

  it('accepts a batch with its metadata; UTF-8 names round-trip exactly (NFC and NFD)', async () => {
    const r = await post(
      [
        [NFC, pages[0]!],
        [NFD, pages[1]!],
      ],
      { title: 'Hikayat Uji Unggah', creator: 'Abdullah; Siti', year: '1931', collection: 'Lokal' },
    );
    const body = (await r.json()) as { status: string; itemId: string; message: string };
    expect(r.status, body.message).toBe(201);
    expect(body.status).toBe('accepted');
    expect(body.message).toContain('Diterima: "Hikayat Uji Unggah", 2 halaman');
    const item = (await s.pindai.register.items.get(body.itemId))!;
    expect(item).toMatchObject({ intake: 'upload', operator: 'budi', status: 'received', pageCount: 2 });
    expect(item.metadata).toMatchObject({ creator: ['Abdullah', 'Siti'], year: 1931, collection: 'Lokal' });
    const names = (await s.pindai.register.pages.list(item.id)).map((p) => p.sourceFile);
    expect(names).toEqual([NFC, NFD]);
    expect(Buffer.from(names[1]!)).toEqual(Buffer.from(NFD));
    expect(leftovers()).toEqual([]);
    // The originals are in the store, verified; the temp copy is gone.
    expect(await s.pindai.store.sha256((await s.pindai.register.pages.list(item.id))[0]!.originalKey)).toBe(
      (await s.pindai.register.pages.list(item.id))[0]!.originalSha256,
    );
  });

  it('works as a plain HTML form without JavaScript (token in the action URL)', async () => {
    const form = new FormData();
    form.append('title', 'Tanpa Skrip');
    form.append('halaman', new Blob([new Uint8Array(pages[1]!)], { type: 'image/jpeg' }), 'satu.jpg');
    const r = await fetch(`${s.base}/staf/unggah?_csrf=${encodeURIComponent(c.csrf)}`, {
      method: 'POST',
      body: form,
      headers: { cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}`, accept: 'text/html' },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await r.text();
    expect(html).toContain('data-result="ok"');
    expect(html).toContain('Diterima: &quot;Tanpa Skrip&quot;, 1 halaman');
  });

  it('reports a duplicate batch and registers nothing new', async () => {
    const before = (await s.pindai.register.items.list()).length;
    const r = await post([
      [NFC, pages[0]!],
      [NFD, pages[1]!],
    ]);
    const body = (await r.json()) as { status: string; message: string };
    expect(r.status).toBe(409);
    expect(body.message).toMatch(/^Duplikat: .*Hikayat Uji Unggah/);
    expect((await s.pindai.register.items.list()).length).toBe(before);
  });

  it('gives one item for 10 concurrent uploads of the same batch', async () => {
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => post([['p1.jpg', pages[2]!]], { title: 'Serentak' })),
    );
    const statuses = await Promise.all(rs.map(async (r) => ((await r.json()) as { status: string }).status));
    expect(statuses.filter((x) => x === 'accepted')).toHaveLength(1);
    expect(statuses.filter((x) => x === 'duplicate')).toHaveLength(9);
    expect((await s.pindai.register.items.list()).filter((i) => i.title === 'Serentak')).toHaveLength(1);
    expect(leftovers()).toEqual([]);
  });

  it('refuses an oversized body from its Content-Length, before reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${s.base}/staf/unggah`, {
        method: 'POST',
        headers: {
          cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}`,
          'x-csrf-token': c.csrf,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(50 * 1024 * 1024),
          accept: 'application/json',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Headers only: the answer must come without a byte of the 50 MB body.
      req.flushHeaders();
    });
    expect(status).toBe(413);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a file over the per-file limit, bad names and missing CSRF, leaving nothing', async () => {
    const big = Buffer.alloc(200_000, 1);
    const r1 = await post([['besar.jpg', big]]);
    expect(r1.status).toBe(413);
    const r2 = await post([['catatan.txt', pages[0]!]]);
    expect(r2.status).toBe(400);
    // The type, not the name, is what is wrong, and the message says so and what is accepted.
    expect(((await r2.json()) as { message: string }).message).toBe(
      'Berkas "catatan.txt" tidak diterima: jenis .txt bukan gambar halaman atau PDF. Yang diterima: JPEG, PNG, TIFF, PDF.',
    );
    const r3 = await post([['p.jpg', pages[0]!]], {}, 'bukan-token');
    expect(r3.status).toBe(403);
    expect(leftovers()).toEqual([]);
  });

  it('cleans up after an aborted upload: no temp files, no open descriptors', async () => {
    const boundary = 'batasunggah';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="halaman"; filename="putus.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const req = http.request(`${s.base}/staf/unggah`, {
      method: 'POST',
      headers: {
        cookie: `pindai_sesi=${c.cookies.get('pindai_sesi')}`,
        'x-csrf-token': c.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(300_000),
      },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(pages[0]!.subarray(0, 20_000));
    // Wait until the server has started writing the file, then cut the connection.
    const deadline = Date.now() + 5000;
    while (
      Date.now() < deadline &&
      !leftovers().some((d) => fs.existsSync(path.join(tmpRoot, d, 'in', 'putus.jpg')))
    ) {
      await sleep(20);
    }
    expect(leftovers().length).toBe(1);
    req.destroy();
    const until = Date.now() + 5000;
    while (Date.now() < until && (leftovers().length > 0 || openUnder(tmpRoot).length > 0)) await sleep(50);
    expect(leftovers()).toEqual([]);
    expect(openUnder(tmpRoot)).toEqual([]);
  });
});
