import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { startPindai } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * `pindai serve` as a user runs it: a batch copied into the inbox becomes an available,
 * searchable item without further steps, and the HTTP API serves it.
 */
describe('pindai serve: drop a batch, find it over HTTP', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const started = await startPindai(
      ['serve', '--data', data],
      { PINDAI_PORT: '0', PINDAI_QUIET_SECONDS: '2' },
      /http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    child = started.child;
    base = `http://127.0.0.1:${started.match[1]}`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('answers /healthz', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { status: string }).status).toBe('ok');
  });

  it('processes a dropped batch and serves search, item and PDF (with ranges)', async () => {
    // Written outside the inbox, then moved in: as an operator's copy finishing.
    const staging = path.join(root, 'staging');
    const batch = await writeBatch(staging, 'Laporan Tahunan', [{ columns: [SAMPLE_TEXT.id3], skewDeg: 1 }], {
      metadata: { title: 'Laporan Tahunan Perpustakaan', year: 2001, rights: 'open' },
    });
    fs.renameSync(batch.dir, path.join(data, 'inbox', 'Laporan Tahunan'));

    let hit: { itemId: string; page: number } | undefined;
    const deadline = Date.now() + 90_000;
    while (!hit && Date.now() < deadline) {
      const r = await fetch(`${base}/api/search?q=${encodeURIComponent('asal usul koleksi')}`);
      hit = ((await r.json()) as { hits: { itemId: string; page: number }[] }).hits[0];
      if (!hit) await new Promise((res) => setTimeout(res, 500));
    }
    expect(hit?.page).toBe(1);
    expect(fs.existsSync(path.join(data, 'inbox', 'arsip', 'Laporan Tahunan', 'HASIL.txt'))).toBe(true);

    const item = (await (await fetch(`${base}/api/items/${hit!.itemId}`)).json()) as { nomorInduk: string };
    expect(item).toMatchObject({ title: 'Laporan Tahunan Perpustakaan', pageCount: 1, access: 'open' });
    expect(item.nomorInduk).toMatch(/^00001\/AM\/\d{4}$/);

    const pdf = await fetch(`${base}/api/items/${hit!.itemId}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const etag = pdf.headers.get('etag');
    expect(
      (
        await fetch(`${base}/api/items/${hit!.itemId}/pdf`, {
          headers: { 'if-none-match': etag ?? '', 'cache-control': 'max-age=0' },
        })
      ).status,
    ).toBe(304);
    const part = await fetch(`${base}/api/items/${hit!.itemId}/pdf`, { headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 10));
  });

  it('returns 404 for unknown items and refuses a bad query', async () => {
    expect((await fetch(`${base}/api/items/nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/search?limit=0`)).status).toBe(400);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
