import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePage } from './fixtures/make-page.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';

/** No answer within this long counts as a hang (the failure mode, not a speed goal). */
const SOCKET_TIMEOUT_MS = 4000;

/**
 * One hand-built HTTP request over a raw socket; resolves with the status code, or rejects when
 * the server says nothing for SOCKET_TIMEOUT_MS. The socket stays open, as a waiting client's does.
 */
function rawRequest(
  base: string,
  head: string,
  body: Buffer,
  opts: { halfClose?: boolean } = {},
): Promise<number> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), '127.0.0.1');
    let got = '';
    const finish = (err: Error | null, status?: number) => {
      sock.destroy();
      if (err) reject(err);
      else resolve(status ?? 0);
    };
    sock.setTimeout(SOCKET_TIMEOUT_MS, () => finish(new Error(`no answer within ${SOCKET_TIMEOUT_MS} ms`)));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m) finish(null, Number(m[1]));
    });
    sock.on('error', (err) => finish(err));
    sock.on('close', () => finish(new Error(`closed without an answer: ${JSON.stringify(got)}`)));
    sock.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    // The client stops sending (FIN) but still waits for the answer.
    if (opts.halfClose) sock.end();
  });
}

const B = 'batasrakitan';
const part = (name: string, filename: string, data: Buffer, type = 'image/jpeg') =>
  Buffer.concat([
    Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      'latin1',
    ),
    data,
    Buffer.from('\r\n'),
  ]);
const field = (name: string, value: string) =>
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
const close = Buffer.from(`--${B}--\r\n`);

/** Malformed multipart bodies on both staff upload endpoints: each gets a prompt 4xx, never a hang. */
describe('malformed uploads get an answer', () => {
  let s: StaffServer;
  let c: StaffClient;
  let page: Buffer;
  let itemId = '';

  beforeAll(async () => {
    s = await startStaffServer({
      staffOptions: { maxUploadBytes: 400_000, maxFileBytes: 150_000, maxFiles: 5 },
    });
    await s.addUser('sari', 'staf', 'sari-sandi-rahasia');
    c = new StaffClient(s.base);
    expect((await c.login('sari', 'sari-sandi-rahasia')).status).toBe(303);
    await c.get('/staf/unggah');
    page = await makePage({ columns: ['Halaman uji unggahan rusak.'], width: 300, height: 400 });
    // An item whose pages may be replaced: cleaning has run and nothing is queued. The runner is
    // off, so the register's jobs are settled by hand through the job queue's own calls.
    const form = new FormData();
    form.append('title', 'Buku Uji Ganti');
    form.append('halaman', new Blob([new Uint8Array(page)], { type: 'image/jpeg' }), 'h1.jpg');
    const r = await fetch(`${s.base}/staf/unggah`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookie(), 'x-csrf-token': c.csrf, accept: 'application/json' },
    });
    itemId = ((await r.json()) as { itemId: string }).itemId;
    expect(r.status).toBe(201);
    const jobs = s.pindai.register.jobs;
    const done = { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' } as const;
    for (let j = await jobs.claim('t', 60_000); j; j = await jobs.claim('t', 60_000))
      await jobs.complete(j, 't', done);
    await jobs.enqueue(itemId, 'clean', 1);
    for (let j = await jobs.claim('t', 60_000); j; j = await jobs.claim('t', 60_000))
      await jobs.complete(j, 't', done);
  });
  afterAll(async () => {
    await s?.close();
  });

  const cookie = () => `pindai_sesi=${c.cookies.get('pindai_sesi')}`;
  const endpoints = () => [
    {
      name: 'upload',
      path: `/staf/unggah?_csrf=${encodeURIComponent(c.csrf)}`,
      extra: field('title', 'Rusak'),
    },
    {
      name: 'page replacement',
      path: `/staf/item/${itemId}/ganti-halaman?_csrf=${encodeURIComponent(c.csrf)}`,
      extra: field('no', '1'),
    },
  ];
  const send = (path: string, body: Buffer, contentType = `multipart/form-data; boundary=${B}`) =>
    rawRequest(
      s.base,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie()}\r\nAccept: text/html\r\n` +
        `Content-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );

  for (const [label, filename] of [
    ['a NUL', 'a\0b.jpg'],
    ['a CR', 'a\rb.jpg'],
  ] as const) {
    it(`answers 400 to a part whose filename holds ${label}`, async () => {
      for (const e of endpoints()) {
        const body = Buffer.concat([e.extra, part('halaman', filename, page), close]);
        expect(await send(e.path, body), e.name).toBe(400);
      }
    });
  }

  it('answers 400 to a body cut off before its closing boundary', async () => {
    for (const e of endpoints()) {
      const body = Buffer.concat([e.extra, part('halaman', 'h1.jpg', page)]).subarray(
        0,
        e.extra.length + 5000,
      );
      expect(await send(e.path, body), e.name).toBe(400);
    }
  });

  it('answers 400 to a body that ends before its Content-Length (the client stops sending)', async () => {
    for (const e of endpoints()) {
      const body = Buffer.concat([e.extra, part('halaman', 'h1.jpg', page), close]);
      const head =
        `POST ${e.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie()}\r\nAccept: text/html\r\n` +
        `Content-Type: multipart/form-data; boundary=${B}\r\nContent-Length: ${body.length}\r\n\r\n`;
      expect(await rawRequest(s.base, head, body.subarray(0, 3000), { halfClose: true }), e.name).toBe(400);
    }
  });

  it('answers 400 to a multipart body without a boundary', async () => {
    for (const e of endpoints()) {
      const body = Buffer.concat([e.extra, part('halaman', 'h1.jpg', page), close]);
      expect(await send(e.path, body, 'multipart/form-data'), e.name).toBe(400);
    }
  });

  it('answers 413 to a file part over the per-file limit', async () => {
    for (const e of endpoints()) {
      const body = Buffer.concat([e.extra, part('halaman', 'besar.jpg', Buffer.alloc(160_000, 7)), close]);
      expect(await send(e.path, body), e.name).toBe(413);
    }
  });

  it('answers 400 to a field over its size limit', async () => {
    for (const e of endpoints()) {
      const body = Buffer.concat([
        field('title', 'x'.repeat(70 * 1024)),
        part('halaman', 'h1.jpg', page),
        close,
      ]);
      expect(await send(e.path, body), e.name).toBe(400);
    }
  });
});
