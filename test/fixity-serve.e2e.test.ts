import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FixityHealth } from '../core/fixity-health.ts';
import { keys } from '../core/store/keys.ts';
import type { ItemManifest } from '../workers/manifest.ts';
import { startPindai } from './support/run-cli.ts';
import { plainPage } from './support/small-collection.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, writeFiles } from './support/test-app.ts';

/**
 * The real `pindai serve` with PINDAI_FIXITY_AT set to the current minute: started inside the
 * night's window, it checks the collection at once, finds the object damaged on disk, tells the
 * webhook and shows it on /healthz. (What is waited for is a state, never a duration.)
 */
describe('pindai serve: fixity on a schedule, end to end', () => {
  const root = tempDir('pindai-fixity-serve-');
  const data = path.join(root, 'data');
  let child: ChildProcess | undefined;
  const posts: Record<string, unknown>[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      posts.push(JSON.parse(body) as Record<string, unknown>);
      res.end();
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => receiver.close(r));
  });

  it('runs the night due, records the damage, calls the webhook and reports it on /healthz', async () => {
    // A collection of one available item, made beforehand (fake OCR), then one original damaged.
    const app = createTestApp(data);
    await app.runner.start();
    const dir = writeFiles(path.join(root, 'src'), 'buku', {
      'metadata.json': JSON.stringify({ title: 'Babad Kota', rights: 'open' }),
      'hal-1.png': await plainPage(600, 800, 230),
    });
    const r = await app.accept(dir, { disposition: { kind: 'keep' } });
    const id = r.item?.id ?? '';
    await app.runner.drain([id]);
    const manifest = JSON.parse(
      (await app.store.getBuffer(keys.manifest(id))).toString('utf8'),
    ) as ItemManifest;
    await app.close();
    const original = manifest.objects.find((o) => o.key.includes('/original/'));
    if (!original) throw new Error('no original');
    fs.writeFileSync(path.join(data, 'store', 'objects', original.key), 'bukan gambar lagi');

    receiver.listen(0, '127.0.0.1');
    await new Promise((res) => receiver.once('listening', res));
    const now = new Date();
    const at = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
    const started = await startPindai(
      ['serve', '--data', data],
      {
        PINDAI_PORT: '0',
        PINDAI_FIXITY_AT: at,
        PINDAI_FIXITY_SHARE: '1/1',
        PINDAI_FIXITY_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
        PINDAI_LIBRARY_NAME: 'Perpustakaan Kota Contoh',
      },
      /http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    child = started.child;
    const base = `http://127.0.0.1:${started.match[1]}`;

    let fixity: FixityHealth | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      fixity = ((await (await fetch(`${base}/healthz`)).json()) as { fixity: FixityHealth }).fixity;
      if (fixity.lastRun?.finishedAt && posts.length > 0) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(fixity).toMatchObject({
      status: 'damage',
      damagedItems: 1,
      lastRun: { kind: 'schedule', result: 'damage', share: '1/1', checkedItems: 1, mismatches: 1 },
    });
    expect(posts).toMatchObject([
      {
        event: 'fixity_damage',
        library: 'Perpustakaan Kota Contoh',
        damaged: [{ itemId: id, key: original.key, expected: original.sha256 }],
      },
    ]);
  }, 120_000);
});
