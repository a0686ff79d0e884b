import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInboxWatcher } from '../../ingest/inbox-watcher.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp } from '../support/test-app.ts';

/**
 * A scanner writing over a slow network share stalls in the middle of a page for longer than the
 * quiet period. The watched inbox must not reject the half-written page: it waits, and accepts
 * the batch whole once the copy completes.
 */
describe('slow writer pausing longer than the quiet period', () => {
  const root = tempDir();
  const app = createTestApp(path.join(root, 'data'), { env: { PINDAI_QUIET_SECONDS: '0.5' } });
  afterAll(async () => {
    await app.close();
  });

  it('waits for a page stalled mid-copy, then accepts the whole batch', async () => {
    const { config } = app;
    const results: string[] = [];
    const watcher = createInboxWatcher({
      inboxDir: config.inboxDir,
      reserved: ['arsip', 'gagal'],
      quietMs: config.quietMs,
      poll: false,
      pollMs: 100,
      accept: (dir) => app.accept(dir, { incompleteGraceMs: config.quietMs * 4 }),
    });
    watcher.events.on('batch', ({ result }) => results.push(result.status));
    await watcher.start();
    try {
      const dir = path.join(config.inboxDir, 'Buku Lambat Sekali');
      fs.mkdirSync(dir);
      const p1 = await makePage({ columns: [SAMPLE_TEXT.id1], width: 600, height: 700 });
      const p2 = await makePage({ columns: [SAMPLE_TEXT.id2], width: 600, height: 700 });
      fs.writeFileSync(path.join(dir, 'p1.jpg'), p1);
      const fd = fs.openSync(path.join(dir, 'p2.jpg'), 'w');
      fs.writeSync(fd, p2.subarray(0, 2000));
      await new Promise((r) => setTimeout(r, 1500)); // 3× the quiet period, mid-file
      expect(results).toEqual([]);
      expect(fs.existsSync(path.join(dir, 'p2.jpg'))).toBe(true);
      fs.writeSync(fd, p2.subarray(2000));
      fs.closeSync(fd);
      const deadline = Date.now() + 15_000;
      while (results.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(results).toEqual(['accepted']);
      const item = (await app.register.items.list())[0];
      expect(item?.pageCount).toBe(2);
      expect(fs.readFileSync(path.join(config.archiveDir, 'Buku Lambat Sekali', 'p2.jpg'))).toEqual(p2);
      expect(fs.existsSync(config.failedDir)).toBe(false);
    } finally {
      await watcher.stop();
    }
  });
});
