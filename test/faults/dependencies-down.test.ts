import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePage, SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { failingIndex, failingStore, type Outage, outage } from '../support/failing-deps.ts';
import { tempDir } from '../support/temp-dir.ts';
import { createTestApp, writeFiles } from '../support/test-app.ts';

/**
 * The object store, the search index or the disk go away for a while (longer than every attempt
 * a job has, at this backoff): jobs back off, resume by themselves after recovery, and nothing is
 * marked failed for good.
 */
describe.each([
  ['object store unreachable', 'store', 'ECONNREFUSED'],
  ['disk full', 'store', 'ENOSPC'],
  ['search index unreachable', 'index', ''],
] as const)('dependency down: %s', (_label, which, code) => {
  const root = tempDir();

  it('backs off, then finishes every item once it is back', async () => {
    const o: Outage = outage();
    const app = createTestApp(path.join(root, 'data'), {
      env: { PINDAI_JOB_MAX_ATTEMPTS: '2' },
      wrapStore: which === 'store' ? (s) => failingStore(s, o, code) : undefined,
      wrapIndex: which === 'index' ? (i) => failingIndex(i, o) : undefined,
      runner: { backoffBaseMs: 50 },
    });
    try {
      const ids: string[] = [];
      for (const [i, t] of [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3].entries()) {
        const page = await makePage({ columns: [t], width: 500 + i * 10, height: 600 });
        const r = await app.accept(writeFiles(path.join(root, 'inbox'), `buku ${i}`, { 'p1.jpg': page }));
        ids.push(r.item?.id ?? '');
      }
      o.down = true;
      await app.runner.start();
      // Down until every item has been turned away more often than its 2 attempts allow.
      const deferred = async (id: string) =>
        (await app.register.runs.runsFor(id)).filter((r) => r.errorCode === 'dependency_unavailable').length;
      const deadline = Date.now() + 90_000;
      const allDeferred = async () => {
        for (const id of ids) if ((await deferred(id)) < 3) return false;
        return true;
      };
      while (!(await allDeferred())) {
        expect(Date.now() < deadline, 'outage never reached every item').toBe(true);
        for (const id of ids)
          expect((await app.register.items.get(id))?.status, 'failed for good').not.toBe('failed');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Still down: nothing may have been failed for good, whatever the attempt budget.
      for (const id of ids) {
        expect((await app.register.items.get(id))?.status).not.toBe('failed');
        expect((await app.register.jobs.forItem(id)).some((j) => j.status === 'failed')).toBe(false);
      }
      o.down = false;
      await app.runner.drain(ids);
      for (const id of ids) {
        expect((await app.register.items.get(id))?.status).toBe('available');
        expect((await app.register.jobs.forItem(id)).every((j) => j.status === 'done')).toBe(true);
      }
      const runs = [];
      for (const id of ids) runs.push(...(await app.register.runs.runsFor(id)));
      const retries = runs.filter((r) => r.outcome === 'retry');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((r) => r.errorCode === 'dependency_unavailable')).toBe(true);
      expect((await app.index.countDocuments()).items).toBe(3);
    } finally {
      await app.close();
    }
  });
});
