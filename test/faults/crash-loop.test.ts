import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLeaseOwnerAlive } from '../../workers/lease-owner.ts';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { withRegisterSql } from '../support/register-sql.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from '../support/test-app.ts';

const DEAD = `${os.hostname()}:999999:dead`;

/** The process running `stage` of the only queued job dies `n` times (as after SIGKILL), then restarts. */
async function crashTimes(app: TestApp, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    expect(await app.register.jobs.claim(DEAD, 60_000)).not.toBeNull();
    expect(await app.register.jobs.releaseDeadLeases(isLeaseOwnerAlive)).toBe(1);
  }
}

/**
 * A job that takes its process down every time (a crash loop) is parked after maxCrashes restarts
 * without progress; a job that advances between crashes (power cuts during a long book) is not.
 */
describe('crash loops', () => {
  const root = tempDir();

  it('parks a job that was running at every one of maxCrashes process deaths', async () => {
    const app = createTestApp(path.join(root, 'a'), { runner: { maxCrashes: 3 } });
    try {
      const page = await makePage({ columns: [SAMPLE_TEXT.id1], width: 500, height: 600 });
      const r = await app.accept(writeFiles(path.join(root, 'in-a'), 'buku', { 'p1.jpg': page }));
      const id = r.item?.id ?? '';
      await crashTimes(app, 3);
      await app.runner.start();
      await app.runner.drain([id]);
      const item = await app.register.items.get(id);
      expect(item?.status).toBe('failed');
      expect(item?.errorMessage).toMatch(/Tahap register berulang kali menghentikan proses/);
    } finally {
      await app.close();
    }
  });

  it('forgives earlier crashes once the job stores a page', async () => {
    const app = createTestApp(path.join(root, 'b'), { runner: { maxCrashes: 3 } });
    try {
      const pages = await Promise.all(
        [SAMPLE_TEXT.id2, SAMPLE_TEXT.id3].map((t) => makePage({ columns: [t], width: 520, height: 600 })),
      );
      const r = await app.accept(
        writeFiles(path.join(root, 'in-b'), 'buku', {
          'p1.jpg': pages[0] as Buffer,
          'p2.jpg': pages[1] as Buffer,
        }),
      );
      const id = r.item?.id ?? '';
      // The clean job was running at two process deaths already (one short of parking).
      await app.register.jobs.enqueue(id, 'clean', 5);
      withRegisterSql(app.config.registerPath, (db) =>
        db.prepare(`UPDATE jobs SET crashes = 2 WHERE item_id = ? AND stage = 'clean'`).run(id),
      );
      await app.runner.start();
      await app.runner.drain([id]);
      expect((await app.register.items.get(id))?.status).toBe('available');
      expect((await app.register.jobs.forItem(id)).find((j) => j.stage === 'clean')?.crashes).toBe(0);
    } finally {
      await app.close();
    }
  });
});
