import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { keys } from '../core/store/keys.ts';
import { createPindai, type Pindai } from '../scripts/pindai-context.ts';
import { createApp } from '../server/app.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { startS3Server, type TestS3Server } from './support/s3-server.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * PINDAI_STORE=s3 end to end: the pipeline stores every object in a real S3-protocol server
 * (s3rver over HTTP on 127.0.0.1), nothing lands in the filesystem store, and the HTTP API
 * serves the PDF streamed back from S3, whole and by range.
 */
describe('pipeline on S3 storage', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  let s3: TestS3Server;
  let app: Pindai;
  let server: ReturnType<ReturnType<typeof createApp>['listen']>;
  let base: string;
  let itemId: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    const batch = await writeBatch(
      path.join(root, 'src'),
      'Laporan S3',
      [{ columns: [SAMPLE_TEXT.id3], skewDeg: 1 }],
      {
        metadata: { title: 'Laporan Penyimpanan Awan', year: 2003, rights: 'open' },
      },
    );
    const config = loadConfig({ PINDAI_DATA_DIR: data, ...OCR_ENV, ...s3.env('pindai-e2e') });
    expect(config.store.kind).toBe('s3');
    app = await createPindai(config, { log: createLogger('warn') });
    const r = await app.accept(batch.dir, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('accepted');
    itemId = r.item?.id ?? '';
    await app.runner.start();
    await app.runner.drain([itemId]);
    const http = createApp({
      register: app.register,
      store: app.store,
      index: app.index,
      health: () => ({}),
    });
    server = http.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await app?.close();
    await s3?.close();
  });

  it('runs every stage with the objects in S3, none on local disk', async () => {
    expect(app.store.name).toBe('s3');
    expect((await app.register.items.get(itemId))?.status).toBe('available');
    const stored: string[] = [];
    for await (const o of app.store.list(`items/${itemId}/`)) stored.push(o.key);
    expect(stored).toContain(keys.pdf(itemId));
    expect(stored).toContain(keys.manifest(itemId));
    const localObjects = path.join(data, 'store', 'objects');
    expect(fs.existsSync(localObjects) ? fs.readdirSync(localObjects) : []).toEqual([]);
    const manifest = JSON.parse((await app.store.getBuffer(keys.manifest(itemId))).toString());
    for (const o of manifest.objects as Array<{ key: string; sha256: string }>) {
      expect(await app.store.sha256(o.key)).toBe(o.sha256);
    }
  });

  it('serves the PDF over HTTP from S3, whole and by range', async () => {
    const res = await fetch(`${base}/api/items/${itemId}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/pdf/);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf).toEqual(await app.store.getBuffer(keys.pdf(itemId)));
    const file = path.join(root, 'dl.pdf');
    fs.writeFileSync(file, pdf);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+1/);
    expect(execFileSync('pdftotext', [file, '-']).toString()).toMatch(/asal usul koleksi/i);

    const part = await fetch(`${base}/api/items/${itemId}/pdf`, { headers: { Range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe(
      pdf.subarray(0, 8).toString('latin1'),
    );
  });

  it('finds the item through search and signs a direct download URL', async () => {
    const r = await fetch(`${base}/api/search?q=${encodeURIComponent('asal usul koleksi')}`);
    const body = (await r.json()) as { hits: Array<{ itemId: string; page: number }> };
    expect(body.hits[0]).toMatchObject({ itemId, page: 1 });
    const url = await app.store.signedUrl(keys.pdf(itemId), 120);
    const direct = await fetch(url ?? '');
    expect(Buffer.from(await direct.arrayBuffer())).toEqual(await app.store.getBuffer(keys.pdf(itemId)));
  });
});
