import { afterEach, describe, expect, it } from 'vitest';
import { HELD_FLAG } from '../access.ts';
import type { CatalogRecord } from '../catalog.types.ts';
import type { ItemFlag } from '../item.types.ts';
import { DEFAULT_ITEM_LISTS } from '../item-lists.ts';
import { type NomorTemplate, parseNomorTemplate } from '../nomor-induk.ts';
import type { Attempt, Job } from './jobs.queries.ts';
import type { LoginLimitRules } from './login-limits.ts';
import type { Register } from './register.ts';

type Open = () => Promise<Register> | Register;

/**
 * The register's contract, checked through the `Register` interface only: what every adapter
 * (SQLite, PostgreSQL) must do, not how. Each test opens a fresh, empty register with `open`;
 * `sibling(reg)`, when given, opens a second connection to the same register, as another process
 * would (the cases that need one are skipped without it). The port is asynchronous: every method
 * answers with a promise (checked below), and every call here is awaited.
 */
export function describeRegisterContract(
  name: string,
  open: Open,
  opts: { sibling?: (reg: Register) => Promise<Register> | Register } = {},
): void {
  describe(`register contract: ${name}`, () => {
    const opened: Register[] = [];
    const fresh = async () => {
      const reg = await open();
      opened.push(reg);
      return reg;
    };
    const siblingOf = async (reg: Register) => {
      const other = await opts.sibling?.(reg);
      if (other) opened.push(other);
      return other;
    };
    afterEach(async () => {
      for (const reg of opened.splice(0)) await reg.close();
    });

    let n = 0;
    const newItem = (over: Partial<Parameters<Register['items']['insert']>[0]> = {}) => {
      n++;
      return {
        id: `it${n}-${Math.random().toString(36).slice(2, 8)}`,
        title: `Buku ${n}`,
        metadata: { sourceNomorInduk: `SRC-${n}`, collection: 'Umum' },
        flags: [] as ItemFlag[],
        fingerprint: `fp${n}-${Math.random()}`,
        sourcePath: `/in/batch-${n}`,
        sourceName: `batch-${n}`,
        intake: 'ingest' as const,
        operator: null,
        ...over,
      };
    };
    const tpl = parseNomorTemplate('{seq:5}/AM/{year}');
    const at = new Date('2026-05-01T00:00:00Z');
    const done = (outcome: 'done' | 'skipped' = 'done'): Attempt & { outcome: 'done' | 'skipped' } => ({
      startedAt: new Date().toISOString(),
      durationMs: 5,
      outcome,
      detail: 'ok',
    });
    const failed = (code = 'boom', message = 'it broke') => ({
      startedAt: new Date().toISOString(),
      durationMs: 5,
      error: { code, message },
    });
    /** The value a step before must have produced: a test fails here, not on a later TypeError. */
    const must = <T>(v: T | null | undefined): T => {
      expect(v).toBeDefined();
      expect(v).not.toBeNull();
      return v as T;
    };
    const claimed = async (reg: Register, worker: string) => must(await reg.jobs.claim(worker, 60_000));
    const jobOf = async (reg: Register, itemId: string, stage: Job['stage']) =>
      (await reg.jobs.forItem(itemId)).find((j) => j.stage === stage);

    it('is a closed port: query groups only, no driver handle, no transaction of its own', async () => {
      const reg = await fresh();
      for (const group of [
        'items',
        'pages',
        'jobs',
        'runs',
        'review',
        'rejections',
        'itemSettings',
        'staffItems',
        'users',
        'sessions',
        'audit',
        'inventory',
        'reports',
        'steps',
        'queue',
        'outbox',
        'harvest',
        'restore',
        'catalog',
        'fixity',
        'replica',
      ] as const) {
        expect(typeof reg[group], group).toBe('object');
      }
      expect(typeof reg.loginLimits).toBe('function');
      expect('db' in reg).toBe(false);
      expect('tx' in reg).toBe(false);
    });

    it('answers every call with a promise, a refusal with a rejection, rows one by one asynchronously', async () => {
      const reg = await fresh();
      const got = reg.items.get('no-such-item');
      expect(typeof got.then).toBe('function');
      expect(await got).toBeNull();
      // A method that refuses must reject, never throw at the call: callers only await.
      let thrown: unknown = null;
      let pending: Promise<unknown> | null = null;
      try {
        pending = reg.items.allocateNomorInduk('no-such-item', tpl, 'X', at);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeNull();
      await expect(pending).rejects.toThrow();
      const rows = reg.inventory.iterate();
      expect(typeof rows[Symbol.asyncIterator]).toBe('function');
      for await (const _ of rows) throw new Error('an empty register has no inventory rows');
      const limits = reg.loginLimits({
        address: { max: 3, windowMs: 60_000, blockMs: 60_000 },
        accountAddress: { max: 3, windowMs: 60_000, blockMs: 60_000 },
        account: { max: 3, windowMs: 60_000, blockMs: 60_000 },
      });
      expect(typeof limits.closed('x', '127.0.0.1').then).toBe('function');
    });

    describe('items', () => {
      it('inserts and finds an item by id, fingerprint, folder and nomor induk', async () => {
        const reg = await fresh();
        const it1 = newItem({ metadata: { barcode: 'B-77' } });
        const got = await reg.items.insert(it1);
        expect(got).toMatchObject({
          id: it1.id,
          title: it1.title,
          status: 'receiving',
          nomorInduk: null,
          sourceNomorInduk: 'B-77',
          pageCount: 0,
          disposedAt: null,
        });
        expect(await reg.items.get(it1.id)).toEqual(got);
        expect(await reg.items.get('nope')).toBeNull();
        expect((await reg.items.byFingerprint(it1.fingerprint)).map((i) => i.id)).toEqual([it1.id]);
        expect((await reg.items.bySourcePath(it1.sourcePath)).map((i) => i.id)).toEqual([it1.id]);
        expect((await reg.items.bySourceName(it1.sourceName)).map((i) => i.id)).toEqual([it1.id]);
        const nomor = await reg.items.allocateNomorInduk(it1.id, tpl, '', at);
        expect((await reg.items.byNomorInduk(nomor))?.id).toBe(it1.id);
        expect(await reg.items.byNomorInduk('00099/AM/2026')).toBeNull();
      });

      it('moves an item through its states and keeps its flags unique by code', async () => {
        const reg = await fresh();
        const { id } = await reg.items.insert(newItem());
        await reg.items.markReceived(id, { pageCount: 2, originalBytes: 10, sourceFormat: 'jpeg' });
        expect(await reg.items.get(id)).toMatchObject({
          status: 'received',
          pageCount: 2,
          originalBytes: 10,
        });
        await reg.items.setStage(id, 'clean');
        expect(await reg.items.get(id)).toMatchObject({ status: 'processing', stage: 'clean' });
        await reg.items.markFailed(id, 'ocr', 'ocr_failed', 'OCR gagal');
        expect(await reg.items.get(id)).toMatchObject({
          status: 'failed',
          stage: 'ocr',
          errorCode: 'ocr_failed',
          errorMessage: 'OCR gagal',
        });
        // Starting a stage again clears the failure.
        await reg.items.setStage(id, 'ocr');
        expect(await reg.items.get(id)).toMatchObject({ status: 'processing', errorCode: null });
        await reg.items.setPdf(id, 'items/x/x.pdf', 1234);
        await reg.items.markAvailable(id);
        const available = await reg.items.get(id);
        expect(available).toMatchObject({ status: 'available', pdfKey: 'items/x/x.pdf', pdfBytes: 1234 });
        expect(available?.availableAt).not.toBeNull();
        await reg.items.addFlag(id, { code: 'page_blank', params: { page: '2' } });
        await reg.items.addFlag(id, { code: 'page_blank', params: { page: '3' } });
        await reg.items.setFlag(id, { code: 'page_count_odd', params: { pages: 3 } });
        await reg.items.setFlag(id, { code: 'page_count_odd', params: { pages: 5 } });
        expect((await reg.items.get(id))?.flags).toEqual([
          { code: 'page_blank', params: { page: '2' } },
          { code: 'page_count_odd', params: { pages: 5 } },
        ]);
        await reg.items.markDisposed(id);
        expect((await reg.items.get(id))?.disposedAt).not.toBeNull();
        expect((await reg.items.list({ status: 'available' })).map((i) => i.id)).toEqual([id]);
        expect(await reg.items.list({ status: 'failed' })).toEqual([]);
      });

      it('finds or inserts a batch once: its own item, another with the same pages, or a new one', async () => {
        const reg = await fresh();
        const reuse = { sameNameWithinMs: 3600_000, nameReused: (e: { id: string }) => flagFor(e.id) };
        const flagFor = (id: string): ItemFlag => ({ code: 'batch_name_reused', params: { nomorInduk: id } });
        const a = newItem({ flags: [{ code: 'page_number_gap', params: { detail: '3' } }] });
        const first = await reg.items.findOrInsert(a, reuse);
        expect(first.inserted).toMatchObject({ id: a.id, flags: a.flags });
        expect(first.nameReused).toBeUndefined();
        // The same folder again: its own item, not a second one.
        const again = await reg.items.findOrInsert({ ...a, id: 'other-id' }, reuse);
        expect(again.own?.id).toBe(a.id);
        expect(again.inserted).toBeUndefined();
        // The same pages from another folder: the other item.
        const elsewhere = await reg.items.findOrInsert(
          { ...a, id: 'x2', sourcePath: '/in/elsewhere' },
          reuse,
        );
        expect(elsewhere.own).toBeUndefined();
        expect(elsewhere.inserted).toBeUndefined();
        expect(elsewhere.other?.id).toBe(a.id);
        // Once disposed of, the folder's item is "another" too (a new copy of a finished batch).
        await reg.items.markDisposed(a.id);
        expect((await reg.items.findOrInsert({ ...a, id: 'x3' }, reuse)).other?.id).toBe(a.id);
        // New pages under a folder name used recently: inserted, with the flag.
        const b = newItem({ sourceName: a.sourceName });
        const named = await reg.items.findOrInsert(b, reuse);
        expect(named.nameReused).toEqual(flagFor(a.id));
        expect(named.inserted?.flags).toEqual([flagFor(a.id)]);
        // ... but not when the earlier one is older than the window.
        const c = newItem({ sourceName: a.sourceName });
        expect(
          (await reg.items.findOrInsert(c, { ...reuse, sameNameWithinMs: 0 })).nameReused,
        ).toBeUndefined();
        expect((await reg.items.list()).map((i) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
      });

      it('receives an item: totals, its nomor induk, a register job and an accepted event, at once', async () => {
        const reg = await fresh();
        const { id } = await reg.items.insert(newItem());
        const totals = { pageCount: 4, originalBytes: 400, sourceFormat: 'jpeg+pdf' };
        const nomor = await reg.items.receive(id, totals, {
          template: tpl,
          collectionCode: '',
          maxAttempts: 3,
        });
        expect(nomor).toMatch(/^00001\/AM\/\d{4}$/);
        expect(await reg.items.get(id)).toMatchObject({ status: 'received', nomorInduk: nomor, ...totals });
        expect((await reg.jobs.forItem(id)).map((j) => [j.stage, j.status, j.maxAttempts])).toEqual([
          ['register', 'queued', 3],
        ]);
        expect((await reg.runs.eventsFor(id)).map((e) => [e.code, e.params])).toEqual([
          ['accepted', { pages: 4 }],
        ]);
      });

      it('receives all or nothing: a failing number leaves the item receiving, without job or event', async () => {
        const reg = await fresh();
        const { id } = await reg.items.insert(newItem());
        const broken: NomorTemplate = {
          source: '{seq}',
          series: () => 'S',
          render: () => {
            throw new Error('template broke');
          },
        };
        await expect(
          (async () =>
            reg.items.receive(
              id,
              { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
              { template: broken, collectionCode: '', maxAttempts: 3 },
            ))(),
        ).rejects.toThrow('template broke');
        expect(await reg.items.get(id)).toMatchObject({
          status: 'receiving',
          nomorInduk: null,
          pageCount: 0,
        });
        expect(await reg.jobs.forItem(id)).toEqual([]);
        expect(await reg.runs.eventsFor(id)).toEqual([]);
        // The counter did not move either: the next number is still the first.
        expect(await reg.items.allocateNomorInduk(id, tpl, '', at)).toBe('00001/AM/2026');
      });
    });

    describe('nomor induk', () => {
      it('is consecutive and unique per series, once per item, and restarts in a new year', async () => {
        const reg = await fresh();
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) ids.push((await reg.items.insert(newItem())).id);
        const got: string[] = [];
        for (const id of ids) got.push(await reg.items.allocateNomorInduk(id, tpl, '', at));
        expect(got).toEqual(ids.map((_, i) => `${String(i + 1).padStart(5, '0')}/AM/2026`));
        // Idempotent: asking again returns the same number and does not advance the counter.
        expect(await reg.items.allocateNomorInduk(must(ids[2]), tpl, '', at)).toBe(got[2]);
        expect(await reg.items.numberingOf(must(ids[2]))).toEqual({ series: tpl.series(at, ''), seq: 3 });
        const next = (await reg.items.insert(newItem())).id;
        expect(await reg.items.allocateNomorInduk(next, tpl, '', new Date('2027-01-05T00:00:00Z'))).toBe(
          '00001/AM/2027',
        );
        const later = (await reg.items.insert(newItem())).id;
        expect(await reg.items.allocateNomorInduk(later, tpl, '', at)).toBe('00007/AM/2026');
        expect(await reg.items.numberingOf((await reg.items.insert(newItem())).id)).toBeNull();
      });

      it('is unique and consecutive across two connections allocating in turn and at once', async () => {
        const a = await fresh();
        const b = await siblingOf(a);
        if (!b) return;
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) ids.push((await a.items.insert(newItem())).id);
        const got = await Promise.all(
          ids.map(async (id, i) => (i % 2 ? a : b).items.allocateNomorInduk(id, tpl, '', at)),
        );
        expect([...got].sort()).toEqual(ids.map((_, i) => `${String(i + 1).padStart(5, '0')}/AM/2026`));
        expect((await b.items.get(must(ids[0])))?.nomorInduk).toBe(got[0]);
      });
    });

    describe('pages', () => {
      it('records pages idempotently, then their cleaning and OCR', async () => {
        const reg = await fresh();
        const { id } = await reg.items.insert(newItem());
        const page = (pageNo: number, sourceFile: string) => ({
          itemId: id,
          pageNo,
          sourceFile,
          sourceSubpage: 0,
          sourceKind: 'image' as const,
          sourceRegion: pageNo === 2 ? { side: 'left' as const, x0: 0, x1: 50 } : null,
          originalKey: `k${pageNo}`,
          originalSha256: `s${pageNo}`,
          originalBytes: 10,
          format: 'jpeg',
          width: 100,
          height: 200,
          dpi: 300,
        });
        await reg.pages.upsert(page(2, 'b.jpg'));
        await reg.pages.upsert(page(1, 'a.jpg'));
        await reg.pages.upsert(page(1, 'a2.jpg')); // a crash and a second try: the same row
        expect((await reg.pages.list(id)).map((p) => [p.pageNo, p.sourceFile])).toEqual([
          [1, 'a2.jpg'],
          [2, 'b.jpg'],
        ]);
        expect((await reg.pages.get(id, 2))?.sourceRegion).toEqual({ side: 'left', x0: 0, x1: 50 });
        expect(await reg.pages.get(id, 3)).toBeNull();
        await reg.pages.markCleaned(id, 1, {
          width: 90,
          height: 180,
          dpi: 300,
          skew: 0.5,
          orientation: { turn: 180, confidence: 0.8 },
          xHeight: 12,
        });
        await reg.pages.markOcr(id, 1, { confidence: 91, chars: 1500, warning: null });
        expect(await reg.pages.get(id, 1)).toMatchObject({
          cleanWidth: 90,
          skew: 0.5,
          orientation: 180,
          orientationConfidence: 0.8,
          textXHeight: 12,
          ocrChars: 1500,
          ocrWarning: null,
        });
        expect((await reg.pages.get(id, 1))?.cleanedAt).not.toBeNull();
        expect((await reg.pages.get(id, 2))?.cleanedAt).toBeNull();
      });
    });

    describe('jobs', () => {
      it('queues a stage once and claims due jobs oldest first', async () => {
        const reg = await fresh();
        const a = (await reg.items.insert(newItem())).id;
        const b = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(a, 'register', 3, Date.now() - 1000);
        await reg.jobs.enqueue(a, 'register', 3); // idempotent
        await reg.jobs.enqueue(b, 'register', 3, Date.now() - 2000);
        await reg.jobs.enqueue(b, 'clean', 3, Date.now() + 3600_000); // not due yet
        expect(await reg.jobs.pendingCount()).toBe(3);
        expect(await reg.jobs.pendingCount([a])).toBe(1);
        expect(await reg.jobs.pendingCount([])).toBe(0);
        const first = await reg.jobs.claim('w1', 60_000);
        expect(first).toMatchObject({ itemId: b, stage: 'register', status: 'running', attempts: 1 });
        expect(first?.leaseOwner).toBe('w1');
        expect((await reg.jobs.claim('w2', 60_000))?.itemId).toBe(a);
        expect(await reg.jobs.claim('w3', 60_000)).toBeNull();
        expect(await reg.jobs.nextRunAt()).toBeGreaterThan(Date.now() + 3000_000);
      });

      it('claims only the stages asked for, oldest first among them (the runner’s lanes)', async () => {
        const reg = await fresh();
        const a = (await reg.items.insert(newItem())).id;
        const b = (await reg.items.insert(newItem())).id;
        const c = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(a, 'clean', 3, Date.now() - 3000);
        await reg.jobs.enqueue(b, 'clean', 3, Date.now() - 2000);
        await reg.jobs.enqueue(c, 'ocr', 3, Date.now() - 1000);
        expect(await reg.jobs.claim('w1', 60_000, ['ocr', 'pdf'])).toMatchObject({ itemId: c, stage: 'ocr' });
        expect(await reg.jobs.claim('w1', 60_000, ['ocr', 'pdf'])).toBeNull();
        expect(await reg.jobs.claim('w1', 60_000, ['clean'])).toMatchObject({ itemId: a, stage: 'clean' });
        expect(await reg.jobs.claim('w2', 60_000)).toMatchObject({ itemId: b, stage: 'clean' });
        expect(await reg.jobs.claim('w2', 60_000, ['clean'])).toBeNull();
        // By item: the worker that cleaned an item asks for that item's OCR first.
        const d = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(c, 'pdf', 3, Date.now() - 5000);
        await reg.jobs.enqueue(d, 'ocr', 3, Date.now() - 100);
        expect(await reg.jobs.claim('w3', 60_000, ['ocr'], a)).toBeNull();
        expect(await reg.jobs.claim('w3', 60_000, ['ocr'], d)).toMatchObject({ itemId: d, stage: 'ocr' });
        expect(await reg.jobs.claim('w3', 60_000, undefined, c)).toMatchObject({ itemId: c, stage: 'pdf' });
      });

      it('leases a job to one worker; an expired lease is taken over, a live one can be extended', async () => {
        const reg = await fresh();
        const id = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(id, 'register', 3);
        const j = await reg.jobs.claim('w1', 50);
        expect(j?.itemId).toBe(id);
        expect(await reg.jobs.claim('w2', 50)).toBeNull();
        await new Promise((r) => setTimeout(r, 80));
        const j2 = await reg.jobs.claim('w2', 10_000);
        expect(j2?.id).toBe(j?.id);
        expect(j2?.attempts).toBe(2);
        expect(await reg.jobs.extendLease(must(j).id, 'w1', 10_000)).toBe(false);
        expect(await reg.jobs.extendLease(must(j).id, 'w2', 10_000)).toBe(true);
        // Completing needs the lease: the first worker's late result is recorded as lost.
        expect(await reg.jobs.complete(must(j), 'w1', done(), 'clean')).toBe(false);
        expect(await jobOf(reg, id, 'clean')).toBeUndefined();
        expect(await reg.jobs.complete(must(j2), 'w2', done(), 'clean')).toBe(true);
        expect((await reg.jobs.forItem(id)).map((x) => [x.stage, x.status])).toEqual([
          ['register', 'done'],
          ['clean', 'queued'],
        ]);
        expect((await reg.runs.runsFor(id)).map((r) => [r.worker, r.outcome, r.attempt])).toEqual([
          ['w1', 'lost', 1],
          ['w2', 'done', 2],
        ]);
      });

      it('claims each job once among two connections', async () => {
        const a = await fresh();
        const b = await siblingOf(a);
        if (!b) return;
        for (let i = 0; i < 10; i++)
          await a.jobs.enqueue((await a.items.insert(newItem())).id, 'register', 3);
        const claims = await Promise.all(
          Array.from({ length: 14 }, async (_, i) => (i % 2 ? a : b).jobs.claim(`w${i}`, 60_000)),
        );
        const ids = claims.filter((c) => c !== null).map((c) => c.id);
        expect(ids).toHaveLength(10);
        expect(new Set(ids).size).toBe(10);
      });

      it('retries later spending an attempt, defers without spending one, and records each run', async () => {
        const reg = await fresh();
        const id = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(id, 'ocr', 3);
        const j = await claimed(reg, 'w1');
        await reg.jobs.retryLater(j, 'w1', Date.now() - 1, failed('ocr_timeout', 'too slow'));
        expect(await jobOf(reg, id, 'ocr')).toMatchObject({
          status: 'queued',
          attempts: 1,
          leaseOwner: null,
          lastErrorCode: 'ocr_timeout',
          lastError: 'too slow',
        });
        const j2 = await claimed(reg, 'w1');
        expect(j2.attempts).toBe(2);
        expect(await reg.jobs.deferLater(j2, 'someone-else', Date.now(), failed('released', 'x'))).toBe(
          false,
        );
        expect(
          await reg.jobs.deferLater(j2, 'w1', Date.now() - 1, failed('dependency_unavailable', 'down')),
        ).toBe(true);
        expect(await jobOf(reg, id, 'ocr')).toMatchObject({ status: 'queued', attempts: 1 });
        // A deferral the worker no longer owned is not recorded; the others are.
        expect((await reg.runs.runsFor(id)).map((r) => [r.outcome, r.errorCode, r.errorMessage])).toEqual([
          ['retry', 'ocr_timeout', 'too slow'],
          ['retry', 'dependency_unavailable', 'down'],
        ]);
        const j3 = await claimed(reg, 'w1');
        await reg.jobs.lost(j3, 'w1', failed('lease_lost', 'taken'));
        expect((await reg.runs.runsFor(id)).at(-1)).toMatchObject({
          outcome: 'lost',
          errorCode: 'lease_lost',
        });
      });

      it('fails a job for good: the job, the item, an event and the run', async () => {
        const reg = await fresh();
        const id = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(id, 'clean', 1);
        const j = await claimed(reg, 'w1');
        await reg.jobs.fail(j, 'w1', 'Halaman rusak', failed('image_corrupt', 'bad jpeg'));
        expect(await jobOf(reg, id, 'clean')).toMatchObject({
          status: 'failed',
          leaseOwner: null,
          lastErrorCode: 'image_corrupt',
          lastError: 'Halaman rusak',
        });
        expect(await reg.items.get(id)).toMatchObject({
          status: 'failed',
          stage: 'clean',
          errorCode: 'image_corrupt',
          errorMessage: 'Halaman rusak',
        });
        expect((await reg.runs.eventsFor(id)).map((e) => [e.level, e.code, e.params])).toEqual([
          ['error', 'stage_failed', { stage: 'clean', code: 'image_corrupt' }],
        ]);
        expect((await reg.runs.runsFor(id)).map((r) => [r.outcome, r.errorMessage])).toEqual([
          ['failed', 'bad jpeg'],
        ]);
        expect(await reg.jobs.pendingCount([id])).toBe(0);
        // Re-queued (a staff retry): attempts and crashes start over.
        await reg.jobs.requeue(id, 'clean');
        expect(await jobOf(reg, id, 'clean')).toMatchObject({ status: 'queued', attempts: 0, crashes: 0 });
      });

      it('releases the leases of dead workers at once, counting a crash instead of an attempt', async () => {
        const reg = await fresh();
        const id = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(id, 'clean', 3);
        const j = await reg.jobs.claim('dead', 600_000);
        expect(await reg.jobs.releaseDeadLeases((o) => o !== 'dead')).toBe(1);
        const again = await reg.jobs.claim('w2', 60_000);
        expect(again).toMatchObject({ id: j?.id, attempts: 1, crashes: 1 });
        await reg.jobs.resetCrashes(must(again).id, 'w2');
        expect((await jobOf(reg, id, 'clean'))?.crashes).toBe(0);
        expect(await reg.jobs.releaseDeadLeases(() => true)).toBe(0);
      });
    });

    describe('runs and events', () => {
      it('records stage runs and events per item, and totals finished runs per stage', async () => {
        const reg = await fresh();
        const id = (await reg.items.insert(newItem())).id;
        const run = {
          itemId: id,
          stage: 'ocr' as const,
          attempt: 1,
          worker: 'w',
          startedAt: new Date().toISOString(),
          durationMs: 100,
          outcome: 'done' as const,
          detail: '2 pages',
          errorCode: null,
          errorMessage: null,
        };
        await reg.runs.recordRun(run);
        await reg.runs.recordRun({ ...run, attempt: 2, durationMs: 50, outcome: 'skipped' });
        await reg.runs.recordRun({ ...run, attempt: 3, durationMs: 999, outcome: 'failed' });
        expect(await reg.runs.runsFor(id)).toHaveLength(3);
        expect(await reg.runs.stageTotals()).toEqual([{ stage: 'ocr', runs: 2, totalMs: 150 }]);
        await reg.runs.event({ itemId: id, level: 'warn', code: 'page_blank', params: { page: 2 } });
        await reg.runs.event({ itemId: null, level: 'info', code: 'started' });
        const events = await reg.runs.eventsFor(id);
        expect(events.map((e) => [e.level, e.code, e.params])).toEqual([['warn', 'page_blank', { page: 2 }]]);
        expect(Date.parse(must(events[0]).at)).not.toBeNaN();
      });
    });

    describe('staff accounts', () => {
      it('keeps users with unique names, roles, disabling and last sign-in', async () => {
        const reg = await fresh();
        const u = await reg.users.insert({
          username: 'sari',
          displayName: 'Sari',
          role: 'staf',
          passwordHash: 'h1',
        });
        expect(u).toMatchObject({ username: 'sari', role: 'staf', disabledAt: null, lastLoginAt: null });
        await expect((async () => reg.users.insert({ ...u, passwordHash: 'h2' }))()).rejects.toThrow();
        await reg.users.insert({ username: 'adi', displayName: 'Adi', role: 'admin', passwordHash: 'h' });
        expect((await reg.users.list()).map((x) => x.username)).toEqual(['adi', 'sari']);
        expect(await reg.users.count()).toBe(2);
        await reg.users.setRole(u.id, 'operator');
        await reg.users.setPassword(u.id, 'h3');
        await reg.users.touchLogin(u.id);
        await reg.users.setDisabled(u.id, true);
        const after = await reg.users.byUsername('sari');
        expect(after).toMatchObject({ role: 'operator', passwordHash: 'h3' });
        expect(after?.disabledAt).not.toBeNull();
        expect(after?.lastLoginAt).not.toBeNull();
        await reg.users.setDisabled(u.id, false);
        expect((await reg.users.get(u.id))?.disabledAt).toBeNull();
        expect(await reg.users.byUsername('nobody')).toBeNull();
      });

      it('keeps sessions until they expire, end, or their account is disabled', async () => {
        const reg = await fresh();
        const u = await reg.users.insert({
          username: 'sari',
          displayName: 'Sari',
          role: 'staf',
          passwordHash: 'h',
        });
        const now = Date.now();
        const s = { userId: u.id, csrfToken: 'c', ip: '10.0.0.1', userAgent: 'test' };
        await reg.sessions.create({ ...s, id: 'sesi-1', expiresAt: now + 60_000 });
        await reg.sessions.create({ ...s, id: 'sesi-2', expiresAt: now + 60_000 });
        await reg.sessions.create({ ...s, id: 'sesi-old', expiresAt: now - 1 });
        expect(await reg.sessions.find('sesi-1')).toMatchObject({
          userId: u.id,
          username: 'sari',
          csrfToken: 'c',
        });
        expect(await reg.sessions.find('sesi-old')).toBeNull();
        expect(await reg.sessions.find('sesi-1', now + 120_000)).toBeNull();
        await reg.sessions.touch('sesi-1', now + 300_000);
        expect(await reg.sessions.find('sesi-1', now + 120_000)).not.toBeNull();
        expect(await reg.sessions.countForUser(u.id)).toBe(3);
        expect(await reg.sessions.purgeExpired()).toBe(1);
        await reg.users.setDisabled(u.id, true);
        expect(await reg.sessions.find('sesi-1')).toBeNull();
        await reg.users.setDisabled(u.id, false);
        await reg.sessions.delete('sesi-1');
        expect(await reg.sessions.find('sesi-1')).toBeNull();
        expect(await reg.sessions.deleteForUser(u.id)).toBe(1);
        expect(await reg.sessions.countForUser(u.id)).toBe(0);
      });

      it('appends to the audit log and filters it, newest first', async () => {
        const reg = await fresh();
        await reg.audit.record({ userId: null, username: 'cli', action: 'user_create', target: 'user:sari' });
        await reg.audit.record({
          userId: 1,
          username: 'sari',
          action: 'item_publish',
          target: 'item:x',
          detail: { to: 'open' },
          ip: '10.0.0.1',
        });
        await reg.audit.record({ userId: 1, username: 'sari', action: 'login' });
        expect((await reg.audit.list()).map((e) => e.action)).toEqual([
          'login',
          'item_publish',
          'user_create',
        ]);
        expect(await reg.audit.list({ action: 'item_publish' })).toMatchObject([
          { username: 'sari', target: 'item:x', detail: { to: 'open' }, ip: '10.0.0.1' },
        ]);
        expect(await reg.audit.count({ username: 'sari' })).toBe(2);
        expect(await reg.audit.count({ from: '2999-01-01' })).toBe(0);
        expect((await reg.audit.list({}, { limit: 1, offset: 1 })).map((e) => e.action)).toEqual([
          'item_publish',
        ]);
        expect(await reg.audit.actions()).toEqual(['item_publish', 'login', 'user_create']);
      });

      it('counts failed sign-ins where every connection sees them, and unlocks an account', async () => {
        const reg = await fresh();
        const rules: LoginLimitRules = {
          address: { max: 6, windowMs: 3600_000, blockMs: 3600_000 },
          accountAddress: { max: 3, windowMs: 3600_000, blockMs: 3600_000 },
          account: { max: 10, windowMs: 3600_000, blockMs: 7200_000 },
        };
        const l = reg.loginLimits(rules);
        for (let i = 0; i < 2; i++) await l.failed('budi', '10.0.0.1');
        expect(await l.closed('budi', '10.0.0.1')).toBeNull();
        await l.succeeded('budi', '10.0.0.1'); // the count at this address starts over
        for (let i = 0; i < 2; i++) await l.failed('budi', '10.0.0.1');
        expect(await l.closed('budi', '10.0.0.1')).toBeNull();
        await l.failed('Budi', '10.0.0.1');
        expect(await l.closed('budi', '10.0.0.1')).toMatchObject({ rule: 'accountAddress' });
        expect(await l.closed('budi', '10.0.0.2')).toBeNull();
        expect([...(await l.lockedAccounts()).keys()]).toEqual(['budi']);
        const other = await siblingOf(reg);
        if (other) expect(await other.loginLimits(rules).closed('budi', '10.0.0.1')).not.toBeNull();
        expect(await l.unlock('BUDI')).toBeGreaterThan(0);
        expect(await l.closed('budi', '10.0.0.1')).toBeNull();
      });
    });

    describe('staff work on items', () => {
      /** An item that went through every stage. */
      const finishedItem = async (reg: Register) => {
        const { id } = await reg.items.insert(newItem());
        await reg.items.receive(
          id,
          { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
          { template: tpl, collectionCode: '', maxAttempts: 3 },
        );
        const next = { register: 'clean', clean: 'ocr', ocr: 'pdf', pdf: 'publish', publish: null } as const;
        for (let j = await reg.jobs.claim('w', 60_000); j; j = await reg.jobs.claim('w', 60_000))
          await reg.jobs.complete(j, 'w', done(), next[j.stage]);
        await reg.items.markAvailable(id);
        return id;
      };

      it('re-runs from a stage, retries a failed one, and refuses while busy or withdrawn', async () => {
        const reg = await fresh();
        const id = await finishedItem(reg);
        expect(await reg.staffItems.rerunFrom(id, 'ocr', { ocrLangs: ['ind'] })).toBe(true);
        expect((await reg.jobs.forItem(id)).map((j) => [j.stage, j.status])).toEqual([
          ['register', 'done'],
          ['clean', 'done'],
          ['ocr', 'queued'],
        ]);
        expect(await reg.itemSettings.ocrLangs(id)).toEqual(['ind']);
        expect(await reg.items.get(id)).toMatchObject({ status: 'processing', stage: 'ocr' });
        expect(await reg.staffItems.rerunFrom(id, 'clean')).toBe(false); // busy
        const j = await claimed(reg, 'w');
        await reg.jobs.fail(j, 'w', 'OCR gagal', failed('ocr_failed'));
        expect(await reg.staffItems.retryFailed(id)).toBe('ocr');
        expect(await jobOf(reg, id, 'ocr')).toMatchObject({ status: 'queued', attempts: 0 });
        expect(await reg.items.get(id)).toMatchObject({ status: 'processing', errorCode: null });
        expect(await reg.staffItems.retryFailed(id)).toBeNull();
        const j2 = await claimed(reg, 'w');
        await reg.jobs.complete(j2, 'w', done(), null);
        await reg.staffItems.withdraw(id, 'sari', 'Salinan ganda');
        expect(await reg.items.get(id)).toMatchObject({ status: 'withdrawn' });
        expect(await reg.staffItems.rerunFrom(id, 'clean')).toBe(false);
        expect(await reg.staffItems.rotatePage(id, 1, 90)).toBeNull();
        expect(await reg.staffItems.revisions(id)).toMatchObject([
          { kind: 'withdraw', username: 'sari', before: { reason: 'Salinan ganda' } },
        ]);
      });

      it('restores a withdrawn item to its status before, with a revision; refuses one not withdrawn', async () => {
        const reg = await fresh();
        const id = await finishedItem(reg);
        expect(await reg.staffItems.restore(id, 'sari', 'x')).toBeNull();
        await reg.staffItems.withdraw(id, 'sari', 'Salinan ganda');
        expect(await reg.staffItems.restore(id, 'kasie', 'Bukan duplikat')).toBe('available');
        expect(await reg.items.get(id)).toMatchObject({ status: 'available' });
        expect(await reg.staffItems.revisions(id)).toMatchObject([
          { kind: 'restore', username: 'kasie', before: { status: 'withdrawn', reason: 'Bukan duplikat' } },
          { kind: 'withdraw', username: 'sari', before: { status: 'available', reason: 'Salinan ganda' } },
        ]);
        expect(await reg.staffItems.restore(id, 'kasie', 'lagi')).toBeNull();
        expect(await reg.staffItems.restore('tidak-ada', 'kasie', 'x')).toBeNull();
      });

      it('keeps the metadata lists of collections and material types, defaults until saved', async () => {
        const reg = await fresh();
        expect(await reg.itemSettings.itemLists()).toEqual(DEFAULT_ITEM_LISTS);
        await reg.itemSettings.setItemLists({ collections: ['Koleksi Lokal'], types: ['Buku', 'Lontar'] });
        await reg.itemSettings.setItemLists({ collections: ['Koleksi Lokal', 'Deposit'], types: ['Lontar'] });
        expect(await reg.itemSettings.itemLists()).toEqual({
          collections: ['Koleksi Lokal', 'Deposit'],
          types: ['Lontar'],
        });
      });

      it('edits metadata keeping the previous version, and keeps cleaning settings', async () => {
        const reg = await fresh();
        const id = await finishedItem(reg);
        const before = must(await reg.items.get(id));
        await reg.staffItems.updateMetadata(before, 'Judul Baru', { barcode: 'B-1', year: 1950 }, 'sari');
        expect(await reg.items.get(id)).toMatchObject({
          title: 'Judul Baru',
          metadata: { barcode: 'B-1', year: 1950 },
          sourceNomorInduk: 'B-1',
        });
        expect((await reg.staffItems.revisions(id))[0]).toMatchObject({
          kind: 'metadata',
          username: 'sari',
          before: { title: before.title, metadata: before.metadata },
        });
        expect(await reg.itemSettings.cleanSettings(id)).toBeNull();
        await reg.itemSettings.setCleanSettings(id, { rotate: 90, deskew: false });
        expect(await reg.itemSettings.cleanSettings(id)).toEqual({ rotate: 90, deskew: false });
        await reg.itemSettings.setCleanSettings(id, {});
        expect(await reg.itemSettings.cleanSettings(id)).toBeNull();
        await reg.itemSettings.setOcrLangs(id, ['ind', 'eng']);
        expect(await reg.itemSettings.ocrLangs(id)).toEqual(['ind', 'eng']);
      });

      it('holds items for review and releases them with a revision', async () => {
        const reg = await fresh();
        const held = await reg.items.insert(
          newItem({ metadata: { rights: 'review' }, flags: [{ code: HELD_FLAG, params: { reason: 'x' } }] }),
        );
        await reg.items.insert(newItem({ metadata: { rights: 'open' } }));
        expect((await reg.review.list()).map((i) => i.id)).toEqual([held.id]);
        expect(await reg.review.count()).toBe(1);
        const before = await reg.review.setAccess(held.id, 'read-online', 'kasi');
        expect(before?.metadata.rights).toBe('review');
        expect(await reg.items.get(held.id)).toMatchObject({
          metadata: { rights: 'read-online' },
          flags: [],
        });
        expect(await reg.review.count()).toBe(0);
        expect((await reg.staffItems.revisions(held.id))[0]).toMatchObject({
          kind: 'access',
          before: { rights: 'review' },
        });
        expect(await reg.review.setAccess('nope', 'open', 'kasi')).toBeNull();
      });

      it('shows the live queue: running, waiting and failed jobs with their items', async () => {
        const reg = await fresh();
        const a = (await reg.items.insert(newItem({ operator: 'budi' }))).id;
        const b = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(a, 'clean', 3, Date.now() - 10);
        await reg.jobs.enqueue(b, 'clean', 1);
        await reg.jobs.claim('w', 60_000);
        expect((await reg.queue.running()).map((e) => [e.itemId, e.stage, e.jobStatus])).toEqual([
          [a, 'clean', 'running'],
        ]);
        expect((await reg.queue.waiting()).map((e) => e.itemId)).toEqual([b]);
        expect(await reg.queue.waiting('budi')).toEqual([]);
        const j = await claimed(reg, 'w');
        const since = new Date(Date.now() - 60_000).toISOString();
        await reg.jobs.fail(j, 'w', 'Rusak', failed());
        expect((await reg.queue.failedSince(since)).map((e) => [e.itemId, e.errorMessage])).toEqual([
          [b, 'Rusak'],
        ]);
      });
      it('keeps a running stage’s page progress on its job row, for queue pages in any process', async () => {
        const reg = await fresh();
        const a = (await reg.items.insert(newItem())).id;
        await reg.jobs.enqueue(a, 'ocr', 3);
        const j = await claimed(reg, 'w');
        expect((await reg.queue.running())[0]).toMatchObject({ progressDone: null, progressTotal: null });
        await reg.jobs.reportProgress(j.id, 'w', 3, 12);
        expect((await reg.queue.running())[0]).toMatchObject({
          itemId: a,
          progressDone: 3,
          progressTotal: 12,
        });
        // Only the lease holder writes; a new attempt starts from nothing.
        await reg.jobs.reportProgress(j.id, 'other', 9, 12);
        expect((await reg.queue.running())[0]).toMatchObject({ progressDone: 3 });
        await reg.jobs.retryLater(j, 'w', Date.now() - 1, failed());
        await claimed(reg, 'w2');
        expect((await reg.queue.running())[0]).toMatchObject({ progressDone: null, progressTotal: null });
      });
    });

    describe('harvest (OAI-PMH)', () => {
      /** An item taken through intake to `available` with these metadata, or left at `status`. */
      const published = async (
        reg: Register,
        metadata: Record<string, unknown>,
        then: 'available' | 'received' | 'withdrawn' | 'withdrawn-unpublished' = 'available',
      ) => {
        const it = await reg.items.insert(newItem({ metadata }));
        await reg.items.markReceived(it.id, { pageCount: 1, originalBytes: 10, sourceFormat: 'png' });
        if (then === 'withdrawn-unpublished') await reg.staffItems.withdraw(it.id, 'sari', 'salah');
        if (then === 'received' || then === 'withdrawn-unpublished') return it.id;
        await reg.items.markAvailable(it.id);
        if (then === 'withdrawn') await reg.staffItems.withdraw(it.id, 'sari', 'rusak');
        return it.id;
      };
      const any = { from: null, until: null, collections: null, types: null } as const;

      it('lists public items and withdrawn ones that were public, by id, one keyset page at a time', async () => {
        const reg = await fresh();
        const open = await published(reg, { rights: 'open', collection: 'Koleksi Lokal', type: 'Buku' });
        const read = await published(reg, { rights: 'read-online', collection: 'Langka', type: 'Majalah' });
        const gone = await published(reg, { rights: 'open', collection: 'Langka' }, 'withdrawn');
        await published(reg, { rights: 'staff-only', collection: 'Langka' });
        await published(reg, { rights: 'review', collection: 'Langka' });
        await published(reg, { rights: 'open' }, 'received');
        await published(reg, { rights: 'open' }, 'withdrawn-unpublished');
        const want = [open, read, gone].sort();
        const seen: string[] = [];
        let afterId: string | null = null;
        // Bounded: a keyset that does not move on would loop for ever.
        for (let pages = 0; pages < 5; pages++) {
          const page = await reg.harvest.page({ ...any, afterId, limit: 2 });
          if (page.length === 0) break;
          seen.push(...page.map((i) => i.id));
          afterId = page.at(-1)?.id ?? null;
        }
        expect(seen).toEqual(want);
        expect(await reg.harvest.count(any)).toBe(3);
        const langka = { ...any, collections: ['Langka'] };
        expect((await reg.harvest.page({ ...langka, afterId: null, limit: 10 })).map((i) => i.id)).toEqual(
          [read, gone].sort(),
        );
        expect(await reg.harvest.count({ ...any, types: ['Buku', 'Majalah'] })).toBe(2);
        expect(await reg.harvest.count({ ...any, types: [] })).toBe(0);
        expect(await reg.harvest.page({ ...any, collections: [], afterId: null, limit: 10 })).toEqual([]);
        expect(await reg.harvest.setValues()).toEqual({
          collections: ['Koleksi Lokal', 'Langka'],
          types: ['Buku', 'Majalah'],
        });
      });

      it('bounds a harvest by datestamp (updated_at): from inclusive, until exclusive', async () => {
        const reg = await fresh();
        const a = await published(reg, { rights: 'open' });
        await new Promise((r) => setTimeout(r, 5));
        const b = await published(reg, { rights: 'open' });
        const stampA = must(await reg.items.get(a)).updatedAt;
        const stampB = must(await reg.items.get(b)).updatedAt;
        expect(stampA < stampB).toBe(true);
        const ids = async (q: { from: string | null; until: string | null }) =>
          (await reg.harvest.page({ ...any, ...q, afterId: null, limit: 10 })).map((i) => i.id);
        expect(await ids({ from: stampB, until: null })).toEqual([b]);
        expect(await ids({ from: null, until: stampB })).toEqual([a]);
        expect(await ids({ from: stampA, until: stampB })).toEqual([a]);
        expect(await reg.harvest.earliestDatestamp()).toBe(stampA);
        // An edit moves the datestamp: the item now falls in a later window.
        await new Promise((r) => setTimeout(r, 5));
        const item = must(await reg.items.get(a));
        await reg.staffItems.updateMetadata(item, 'Judul baru', item.metadata, 'sari');
        expect(await ids({ from: stampB, until: null })).toEqual([a, b].sort());
        expect(await reg.harvest.earliestDatestamp()).toBe(stampB);
      });

      it('finds nothing to harvest in an empty register', async () => {
        const reg = await fresh();
        expect(await reg.harvest.earliestDatestamp()).toBeNull();
        expect(await reg.harvest.setValues()).toEqual({ collections: [], types: [] });
      });
    });

    describe('rejections, reports and the inventory', () => {
      it('records refused batches, newest first, and filters them', async () => {
        const reg = await fresh();
        const base = { sourcePath: '/in/x', movedTo: null, files: ['a.docx'], fileCount: 1 };
        await reg.rejections.record({
          ...base,
          batchName: 'Kosong',
          intake: 'watch',
          operator: null,
          problems: [{ code: 'batch_empty' }],
          at: '2026-05-01T08:00:00.000Z',
        });
        const r = await reg.rejections.record({
          ...base,
          batchName: 'Unggahan Rusak',
          intake: 'upload',
          operator: 'siti',
          problems: [{ code: 'image_corrupt', params: { file: 'p2.jpg' } }],
          at: '2026-05-02T08:00:00.000Z',
        });
        expect(r).toMatchObject({ batchName: 'Unggahan Rusak', problems: [{ code: 'image_corrupt' }] });
        expect((await reg.rejections.list()).map((x) => x.batchName)).toEqual(['Unggahan Rusak', 'Kosong']);
        expect((await reg.rejections.list({ visibleTo: 'budi' })).map((x) => x.batchName)).toEqual([
          'Kosong',
        ]);
        expect(await reg.rejections.count({ q: 'rusak', from: '2026-05-02', to: '2026-05-02' })).toBe(1);
        expect(await reg.rejections.count({ since: '2026-05-03T00:00:00Z' })).toBe(0);
      });

      it('reports counts, storage and months, and lists the inventory filtered and paged', async () => {
        const reg = await fresh();
        const ids: string[] = [];
        for (const [i, collection] of ['Lokal', 'Umum', 'Lokal'].entries()) {
          const { id } = await reg.items.insert(
            newItem({ title: `Hikayat ${i}`, metadata: { collection }, operator: i ? 'budi' : 'siti' }),
          );
          await reg.items.receive(
            id,
            { pageCount: 10 * (i + 1), originalBytes: 100, sourceFormat: 'jpeg' },
            { template: tpl, collectionCode: '', maxAttempts: 3 },
          );
          ids.push(id);
        }
        await reg.items.setPdf(must(ids[0]), 'k.pdf', 50);
        await reg.items.markAvailable(must(ids[0]));
        await reg.items.insert(newItem()); // still receiving: not in the storage totals
        expect(await reg.reports.statusCounts()).toEqual({ available: 1, received: 2, receiving: 1 });
        expect(await reg.reports.storage()).toEqual({
          originalBytes: 300,
          pdfBytes: 50,
          items: 3,
          pages: 60,
        });
        const month = new Date().toISOString().slice(0, 7);
        expect(await reg.reports.perMonth()).toEqual([{ month, items: 4, pages: 60 }]);
        expect(await reg.reports.availablePerMonth()).toEqual([{ month, items: 1, pages: 10 }]);
        expect(await reg.inventory.count({ collection: 'Lokal' })).toBe(2);
        expect(await reg.inventory.count({ q: 'hikayat' })).toBe(3);
        expect(await reg.inventory.count({ status: 'available' })).toBe(1);
        const page = await reg.inventory.list({ operator: 'budi' }, { sort: 'pages', dir: 'desc', limit: 1 });
        expect(page.map((e) => [e.id, e.pages, e.collection])).toEqual([[ids[2], 30, 'Lokal']]);
        expect(await reg.inventory.collections()).toEqual(['Lokal', 'Umum']);
        expect(await reg.inventory.operators()).toEqual(['budi', 'siti']);
        const all: string[] = [];
        for await (const e of reg.inventory.iterate({ collection: 'Lokal' })) all.push(e.id);
        expect(all.sort()).toEqual([ids[0], ids[2]].sort());
      });
    });

    describe('human steps (SOP report)', () => {
      it('records arrival, acceptance, review and publication with who and when', async () => {
        const reg = await fresh();
        const recv = (id: string) =>
          reg.items.receive(
            id,
            { pageCount: 10, originalBytes: 100, sourceFormat: 'jpeg' },
            { template: tpl, collectionCode: '', maxAttempts: 3 },
          );
        const open = await reg.items.insert(newItem({ operator: 'budi', metadata: { rights: 'open' } }));
        await recv(open.id);
        await recv(open.id); // intake finishing the batch again records nothing twice
        await reg.items.markAvailable(open.id);
        await reg.items.markAvailable(open.id);
        const steps = await reg.steps.ofItem(open.id);
        expect(steps.map((s) => [s.step, s.username])).toEqual([
          ['arrived', 'budi'],
          ['accepted', 'budi'],
          ['published', null],
        ]);
        expect(steps[0]?.at).toBe(open.createdAt);

        const held = await reg.items.insert(
          newItem({ metadata: { rights: 'review' }, flags: [{ code: HELD_FLAG, params: { reason: 'x' } }] }),
        );
        await recv(held.id);
        await reg.items.markAvailable(held.id); // held: done, but not published
        expect((await reg.steps.ofItem(held.id)).map((s) => s.step)).toEqual(['arrived', 'accepted']);
        const watched = await reg.items.insert(newItem({ operator: 'sari' }));
        await reg.items.receive(
          watched.id,
          { pageCount: 2, originalBytes: 10, sourceFormat: 'tiff' },
          { template: tpl, collectionCode: '', maxAttempts: 3, arrivedAt: '2026-05-01T07:00:00.000Z' },
        );
        expect((await reg.steps.ofItem(watched.id))[0]).toMatchObject({
          step: 'arrived',
          at: '2026-05-01T07:00:00.000Z',
          username: 'sari',
        });
        await reg.review.setAccess(held.id, 'open', 'kasi');
        expect((await reg.steps.ofItem(held.id)).slice(2).map((s) => [s.step, s.username])).toEqual([
          ['reviewed', 'kasi'],
          ['published', 'kasi'],
        ]);
      });

      it('lists steps and items by arrival for a period, with fixed times', async () => {
        const reg = await fresh();
        const a = await reg.items.insert(newItem({ operator: 'siti' }));
        const b = await reg.items.insert(newItem({ operator: 'budi' }));
        await reg.steps.record({
          itemId: a.id,
          step: 'arrived',
          at: '2026-11-30T23:00:00.000Z',
          username: 'siti',
        });
        await reg.steps.record({
          itemId: b.id,
          step: 'arrived',
          at: '2026-12-01T08:00:00.000Z',
          username: 'budi',
        });
        await reg.steps.record({
          itemId: b.id,
          step: 'accepted',
          at: '2026-12-01T08:01:00.000Z',
          username: 'budi',
        });
        await reg.steps.record({
          itemId: b.id,
          step: 'published',
          at: '2026-12-02T08:00:00.000Z',
          username: null,
          staffMs: 300_000,
        });
        expect(await reg.steps.sopItems('2026-12-01', '2026-12-31')).toEqual([
          {
            itemId: b.id,
            operator: 'budi',
            pages: 0,
            arrivedAt: '2026-12-01T08:00:00.000Z',
            acceptedAt: '2026-12-01T08:01:00.000Z',
            publishedAt: '2026-12-02T08:00:00.000Z',
          },
        ]);
        expect((await reg.steps.sopItems()).map((i) => [i.itemId, i.publishedAt])).toEqual([
          [a.id, null],
          [b.id, '2026-12-02T08:00:00.000Z'],
        ]);
        const list = await reg.steps.list('2026-12-01', '2026-12-01');
        expect(list.map((s) => [s.itemId, s.step, s.username, s.staffMs])).toEqual([
          [b.id, 'arrived', 'budi', null],
          [b.id, 'accepted', 'budi', null],
        ]);
        expect((await reg.steps.list()).at(-1)).toMatchObject({ step: 'published', staffMs: 300_000 });
      });
    });

    describe('index outbox', () => {
      it('keeps notes in order until they are removed, for every connection', async () => {
        const reg = await fresh();
        expect(await reg.outbox.next(10)).toEqual([]);
        await reg.outbox.add('a1', 'upsert');
        await reg.outbox.add('b2', 'remove');
        await reg.outbox.add('a1', 'upsert');
        const notes = await reg.outbox.next(2);
        expect(notes.map((n) => [n.itemId, n.action])).toEqual([
          ['a1', 'upsert'],
          ['b2', 'remove'],
        ]);
        await reg.outbox.remove(notes.map((n) => n.id));
        expect(await reg.outbox.pendingCount()).toBe(1);
        const other = await siblingOf(reg);
        if (other) expect((await other.outbox.next(10)).map((n) => n.itemId)).toEqual(['a1']);
      });
    });

    describe('replica ledger', () => {
      it('keeps a key pending from before its put until a copy of that very version is verified', async () => {
        const reg = await fresh();
        const orig = 'items/a1/original/f0001-hal.png';
        const web = 'items/a1/web/p0001.jpg';
        expect(await reg.replica.lag()).toEqual({
          pending: 0,
          oldestQueuedAt: null,
          failing: 0,
          lastError: null,
          copied: 0,
        });
        await reg.replica.record(web, null, 1000);
        await reg.replica.record(web, { sha256: 'w1', size: 5 }, 1500);
        await reg.replica.record(orig, { sha256: 'o1', size: 9 }, 2000);
        // Originals first, then oldest first; the time a key started waiting is kept across its puts.
        const due = await reg.replica.due(5000, 10);
        expect(due.map((d) => [d.key, d.itemId, d.original, d.sha256, d.queuedAt])).toEqual([
          [orig, 'a1', true, 'o1', 2000],
          [web, 'a1', false, 'w1', 1000],
        ]);
        const webRow = due[1] as (typeof due)[number];
        // Stored again while being copied: the copy of the older version does not count.
        await reg.replica.record(web, { sha256: 'w2', size: 6 }, 3000);
        expect(await reg.replica.copied(web, webRow.version, 'w1')).toBe(false);
        const [, again] = await reg.replica.due(5000, 10);
        expect(again).toMatchObject({ key: web, sha256: 'w2', queuedAt: 1000 });
        expect(await reg.replica.copied(web, again?.version ?? 0, 'w2', 4000)).toBe(true);
        expect(await reg.replica.copiedSha(web)).toBe('w2');
        // A failed attempt waits for its next try and is counted as failing.
        await reg.replica.failed(orig, due[0]?.version ?? 0, 'connect ECONNREFUSED', 9000);
        expect(await reg.replica.due(5000, 10)).toEqual([]);
        expect((await reg.replica.due(9000, 10)).map((d) => [d.key, d.attempts])).toEqual([[orig, 1]]);
        expect(await reg.replica.lag()).toEqual({
          pending: 1,
          oldestQueuedAt: 2000,
          failing: 1,
          lastError: 'connect ECONNREFUSED',
          copied: 1,
        });
        // Stored again after being copied: pending anew, from the new time.
        await reg.replica.record(web, null, 6000);
        expect((await reg.replica.due(9000, 10)).map((d) => [d.key, d.queuedAt])).toEqual([
          [orig, 2000],
          [web, 6000],
        ]);
        const row = (await reg.replica.due(9000, 10))[1];
        await reg.replica.drop(web, row?.version ?? 0);
        await reg.replica.recordCopied('items/b2/manifest.json', { sha256: 'm', size: 3 }, 7000);
        expect(await reg.replica.copiedSha('items/b2/manifest.json')).toBe('m');
        expect(await reg.replica.lag()).toMatchObject({ pending: 1, copied: 1 });
        const other = await siblingOf(reg);
        if (other) expect((await other.replica.lag()).pending).toBe(1);
      });

      it('keeps the last sync and verification', async () => {
        const reg = await fresh();
        expect(await reg.replica.state('sync')).toBeNull();
        await reg.replica.setState('sync', { copied: 3, missing: 3 }, 100);
        await reg.replica.setState('sync', { copied: 1, missing: 1 }, 200);
        expect(await reg.replica.state('sync')).toEqual({ value: { copied: 1, missing: 1 }, at: 200 });
      });
    });

    describe('catalogue', () => {
      const record = (over: Partial<CatalogRecord> = {}): CatalogRecord => ({
        id: '001:INL-1',
        format: 'marc',
        controlNumber: 'INL-1',
        title: 'Hikayat Hang Tuah',
        creators: ['Kassim Ahmad'],
        publisher: 'Balai Pustaka',
        place: 'Jakarta',
        year: 1964,
        edition: null,
        isbn: ['978-979-407-1'],
        language: ['ind'],
        subjects: ['Sastra Melayu'],
        callNumber: '899.2 HIK',
        barcodes: ['B0001'],
        nomorInduk: ['0001/LP/64'],
        ...over,
      });

      it('imports records in one go, finds them by every key, and updates them on a re-import', async () => {
        const reg = await fresh();
        const second = record({
          id: '001:INL-2',
          controlNumber: 'INL-2',
          title: 'Sejarah Melayu Édisi Baru',
          isbn: [],
          barcodes: ['B0002'],
          nomorInduk: ['0002/LP/64'],
          callNumber: '899.2 HIK',
        });
        expect(await reg.catalog.importRecords([record(), second], 'a.mrc')).toEqual({
          inserted: 2,
          updated: 0,
        });
        expect(await reg.catalog.count()).toBe(2);
        expect((await reg.catalog.find('nomorInduk', ' 0001/lp/64 ')).map((r) => r.id)).toEqual([
          '001:INL-1',
        ]);
        expect((await reg.catalog.find('barcode', 'b0002')).map((r) => r.title)).toEqual([
          'Sejarah Melayu Édisi Baru',
        ]);
        expect((await reg.catalog.find('isbn', '9789794071')).map((r) => r.id)).toEqual(['001:INL-1']);
        // One call number, two records: both are answered, the caller decides.
        expect((await reg.catalog.find('callNumber', '899.2 hik')).map((r) => r.id)).toEqual([
          '001:INL-1',
          '001:INL-2',
        ]);
        expect(await reg.catalog.find('barcode', 'B9999')).toEqual([]);
        // A re-import replaces the record and its keys: the old barcode no longer finds it.
        const again = record({ title: 'Hikayat Hang Tuah (cetak ulang)', barcodes: ['B0003'] });
        expect(await reg.catalog.importRecords([again], 'b.mrc')).toEqual({ inserted: 0, updated: 1 });
        expect(await reg.catalog.get('001:INL-1')).toEqual(again);
        expect(await reg.catalog.find('barcode', 'B0001')).toEqual([]);
        expect((await reg.catalog.find('barcode', 'B0003')).map((r) => r.id)).toEqual(['001:INL-1']);
        const other = await siblingOf(reg);
        if (other) expect(await other.catalog.count()).toBe(2);
      });

      it('searches by any key or by words of title, creators and subjects, accents and case folded', async () => {
        const reg = await fresh();
        await reg.catalog.importRecords(
          [
            record(),
            record({
              id: '001:INL-2',
              controlNumber: 'INL-2',
              title: 'Sejarah Melayu Édisi Baru',
              creators: ['Abdullah'],
              subjects: ['Sejarah'],
              barcodes: ['B0002'],
              nomorInduk: [],
              isbn: [],
              callNumber: null,
            }),
          ],
          'a.mrc',
        );
        expect((await reg.catalog.search('0001/LP/64')).map((r) => r.id)).toEqual(['001:INL-1']);
        expect((await reg.catalog.search('edisi MELAYU')).map((r) => r.id)).toEqual(['001:INL-2']);
        expect((await reg.catalog.search('kassim')).map((r) => r.id)).toEqual(['001:INL-1']);
        expect((await reg.catalog.search('sastra')).map((r) => r.id)).toEqual(['001:INL-1']);
        expect(await reg.catalog.search('100%_')).toEqual([]);
      });

      it('stores a record given twice once, as its last version, and imports a thousand in one go', async () => {
        const reg = await fresh();
        const many = Array.from({ length: 1200 }, (_, i) =>
          record({
            id: `001:M-${i}`,
            controlNumber: `M-${i}`,
            barcodes: [`M${i}`],
            nomorInduk: [],
            isbn: [],
          }),
        );
        const twice = [record(), ...many, record({ title: 'Versi terakhir' })];
        expect(await reg.catalog.importRecords(twice, 'a.mrc')).toEqual({ inserted: 1201, updated: 0 });
        expect((await reg.catalog.get('001:INL-1'))?.title).toBe('Versi terakhir');
        expect((await reg.catalog.find('barcode', 'm1199')).map((r) => r.id)).toEqual(['001:M-1199']);
        expect(await reg.catalog.importRecords(many.slice(0, 700), 'b.mrc')).toEqual({
          inserted: 0,
          updated: 700,
        });
      });

      it('imports nothing when one record of the batch cannot be stored', async () => {
        const reg = await fresh();
        const broken = { ...record({ id: '001:X' }), title: null } as unknown as CatalogRecord;
        // Past the first few hundred, so an adapter that stores in slices must undo the earlier ones.
        const before = Array.from({ length: 800 }, (_, i) =>
          record({ id: `001:B-${i}`, barcodes: [`B-${i}`] }),
        );
        await expect(reg.catalog.importRecords([record(), ...before, broken], 'c.mrc')).rejects.toThrow();
        expect(await reg.catalog.count()).toBe(0);
        expect(await reg.catalog.find('barcode', 'B0001')).toEqual([]);
      });
    });

    describe('fixity runs', () => {
      const share = { slot: 20_428, part: 1, of: 30 };
      const t0 = new Date('2026-12-06T02:00:00.000Z');
      const later = (ms: number) => new Date(t0.getTime() + ms);

      it('lets one claim of a night run at a time across connections; a lapsed lease is taken over', async () => {
        const reg = await fresh();
        const other = await siblingOf(reg);
        const claim = { claimKey: 'nightly:2026-12-06', ...share, leaseMs: 60_000 };
        const first = must(await reg.fixity.claim({ ...claim, owner: 'a', at: t0 }));
        expect(first).toMatchObject({
          kind: 'schedule',
          slot: share.slot,
          sharePart: 1,
          shareOf: 30,
          owner: 'a',
        });
        expect(first.finishedAt).toBeNull();
        // Held: neither this connection nor another may run the same night.
        expect(await reg.fixity.claim({ ...claim, owner: 'b', at: later(1000) })).toBeNull();
        if (other) expect(await other.fixity.claim({ ...claim, owner: 'b', at: later(1000) })).toBeNull();
        expect(await reg.fixity.renew(first.id, 'a', 60_000, later(30_000))).toBe(true);
        expect(await reg.fixity.claim({ ...claim, owner: 'b', at: later(61_000) })).toBeNull();
        // Owner a died: once its lease lapsed, b takes the same row over; a may no longer write.
        const taken = must(await reg.fixity.claim({ ...claim, owner: 'b', at: later(91_000) }));
        expect(taken).toMatchObject({ id: first.id, owner: 'b' });
        expect(await reg.fixity.renew(first.id, 'a', 60_000, later(92_000))).toBe(false);
        expect(
          await reg.fixity.finish(first.id, 'a', {
            checkedItems: 1,
            checkedObjects: 1,
            mismatches: 0,
            error: null,
          }),
        ).toBe(false);
        expect(
          await reg.fixity.finish(taken.id, 'b', {
            checkedItems: 3,
            checkedObjects: 12,
            mismatches: 1,
            error: null,
            at: later(120_000),
          }),
        ).toBe(true);
        // Finished: never claimed again, however old its lease.
        expect(await reg.fixity.claim({ ...claim, owner: 'c', at: later(86_400_000) })).toBeNull();
        expect(await reg.fixity.get(first.id)).toMatchObject({
          owner: 'b',
          checkedItems: 3,
          checkedObjects: 12,
          mismatches: 1,
          error: null,
          finishedAt: later(120_000).toISOString(),
        });
      });

      it('claims each night once when two connections claim at the same moment', async () => {
        const reg = await fresh();
        const other = await siblingOf(reg);
        if (!other) return;
        const claim = { claimKey: 'nightly:2026-12-07', ...share, leaseMs: 60_000, at: t0 };
        const got = await Promise.all([
          reg.fixity.claim({ ...claim, owner: 'a' }),
          other.fixity.claim({ ...claim, owner: 'b' }),
          reg.fixity.claim({ ...claim, owner: 'c' }),
        ]);
        expect(got.filter((r) => r !== null)).toHaveLength(1);
      });

      it('records manual runs beside nightly ones, newest first, with errors, and sums them up', async () => {
        const reg = await fresh();
        expect(await reg.fixity.summary()).toEqual({
          last: null,
          lastCompleted: null,
          damagedItems: 0,
          oldestItemAt: null,
        });
        const m = await reg.fixity.start({ ...share, owner: 'cli', at: t0 });
        expect(m).toMatchObject({ kind: 'manual', finishedAt: null });
        await reg.fixity.finish(m.id, 'cli', {
          checkedItems: 2,
          checkedObjects: 9,
          mismatches: 0,
          error: null,
          at: later(5000),
        });
        const n = must(
          await reg.fixity.claim({
            claimKey: 'nightly:x',
            ...share,
            owner: 's',
            leaseMs: 1000,
            at: later(10_000),
          }),
        );
        await reg.fixity.finish(n.id, 's', {
          checkedItems: 0,
          checkedObjects: 0,
          mismatches: 0,
          error: 'store unreachable',
          at: later(11_000),
        });
        expect((await reg.fixity.recent(10)).map((r) => [r.kind, r.error])).toEqual([
          ['schedule', 'store unreachable'],
          ['manual', null],
        ]);
        const s = await reg.fixity.summary();
        expect(s.last?.id).toBe(n.id);
        // A run that failed is not a check done: the last completed one is the manual run.
        expect(s.lastCompleted?.id).toBe(m.id);
      });

      it('lists items fixity found damaged and clears one when it checks out again', async () => {
        const reg = await fresh();
        const a = await reg.items.insert(newItem({ title: 'Rusak' }));
        const b = await reg.items.insert(newItem({ title: 'Utuh' }));
        await reg.items.markAvailable(a.id);
        await reg.items.markAvailable(b.id);
        await reg.items.addFlag(a.id, { code: 'page_blank', params: { page: '2' } });
        await reg.items.addFlag(a.id, { code: 'fixity_failed', params: { key: 'items/a/p.jpg' } });
        expect(await reg.fixity.damaged(10)).toEqual([
          { id: a.id, nomorInduk: null, title: 'Rusak', key: 'items/a/p.jpg' },
        ]);
        const s = await reg.fixity.summary();
        expect(s.damagedItems).toBe(1);
        expect(s.oldestItemAt).not.toBeNull();
        expect(await reg.fixity.clearDamage(b.id)).toBe(false);
        expect(await reg.fixity.clearDamage(a.id)).toBe(true);
        expect((await reg.items.get(a.id))?.flags).toEqual([{ code: 'page_blank', params: { page: '2' } }]);
        expect(await reg.fixity.damaged(10)).toEqual([]);
        expect((await reg.fixity.summary()).damagedItems).toBe(0);
      });
    });

    describe('restore', () => {
      it('brings a published item back available, done, and its counter past its number', async () => {
        const reg = await fresh();
        expect(await reg.restore.itemCount()).toBe(0);
        const it1 = newItem();
        const series = tpl.series(at, '');
        const t = '2026-05-02T10:00:00.000Z';
        await reg.restore.restoreItem({
          item: {
            ...it1,
            nomorInduk: '00041/AM/2026',
            sourceNomorInduk: null,
            pageCount: 0,
            sourceFormat: 'jpeg',
            originalBytes: 1,
            pdfKey: 'k.pdf',
            pdfBytes: 2,
            disposedAt: t,
            createdAt: t,
            registeredAt: t,
            availableAt: t,
          },
          numbering: { series, seq: 41 },
          pages: [],
          publishedAt: t,
        });
        expect(await reg.restore.itemCount()).toBe(1);
        expect(await reg.items.get(it1.id)).toMatchObject({
          status: 'available',
          nomorInduk: '00041/AM/2026',
        });
        expect((await reg.jobs.forItem(it1.id)).every((j) => j.status === 'done')).toBe(true);
        expect(await reg.jobs.pendingCount()).toBe(0);
        expect((await reg.runs.eventsFor(it1.id)).map((e) => e.code)).toEqual(['restored_from_manifest']);
        const { id } = await reg.items.insert(newItem());
        expect(await reg.items.allocateNomorInduk(id, tpl, '', at)).toBe('00042/AM/2026');
      });
    });
  });
}
