import type pg from 'pg';
import { expect, it } from 'vitest';
import { usePgRegisters } from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import { HELD_FLAG } from '../../access.ts';
import type { ItemFlag } from '../../item.types.ts';
import { type NomorTemplate, parseNomorTemplate } from '../../nomor-induk.ts';
import type { NewItem } from '../items.queries.ts';
import { createPgItemQueries, markItemFailed } from './pg-items.ts';
import { createPgJobQueries } from './pg-jobs.ts';
import { createPgPageQueries } from './pg-pages.ts';
import { createPgRestoreQueries } from './pg-restore.ts';
import { createPgReviewQueries } from './pg-review.ts';
import { createPgRunQueries } from './pg-runs.ts';

let n = 0;
const newItem = (over: Partial<NewItem> = {}): NewItem => {
  n++;
  return {
    id: `it${n}-${Math.random().toString(36).slice(2, 8)}`,
    title: `Buku ${n}`,
    metadata: { sourceNomorInduk: `SRC-${n}`, collection: 'Umum' },
    flags: [],
    fingerprint: `fp${n}-${Math.random()}`,
    sourcePath: `/in/batch-${n}`,
    sourceName: `batch-${n}`,
    intake: 'ingest',
    operator: null,
    ...over,
  };
};
/** The value a step before must have produced: a test fails here, not on a later TypeError. */
const must = <T>(v: T | null | undefined): T => {
  expect(v).toBeDefined();
  expect(v).not.toBeNull();
  return v as T;
};
const tpl = parseNomorTemplate('{seq:5}/AM/{year}');
const at = new Date('2026-05-01T00:00:00Z');
const numbers = (count: number, year = 2026) =>
  Array.from({ length: count }, (_, i) => `${String(i + 1).padStart(5, '0')}/AM/${year}`);
const groups = (pool: pg.Pool) => ({
  items: createPgItemQueries(pool),
  jobs: createPgJobQueries(pool, { markFailed: markItemFailed }),
  runs: createPgRunQueries(pool),
  review: createPgReviewQueries(pool),
  restore: createPgRestoreQueries(pool),
});

describePostgres('PostgreSQL items, nomor induk, review and restore', () => {
  const pg = usePgRegisters('items');
  const one = async () => groups(((await pg.fresh()) as [pg.Pool])[0]);

  it('inserts and finds an item by id, fingerprint, folder, name and nomor induk; lists by status', async () => {
    const { items } = await one();
    const a = newItem({
      metadata: { barcode: 'B-77' },
      flags: [{ code: 'page_blank', params: { page: 2 } }],
    });
    const got = await items.insert(a);
    expect(got).toMatchObject({
      id: a.id,
      title: a.title,
      metadata: { barcode: 'B-77' },
      flags: a.flags,
      status: 'receiving',
      nomorInduk: null,
      sourceNomorInduk: 'B-77',
      pageCount: 0,
      originalBytes: 0,
      pdfBytes: null,
      disposedAt: null,
    });
    expect(Date.parse(got.createdAt)).not.toBeNaN();
    expect(await items.get(a.id)).toEqual(got);
    expect(await items.get('nope')).toBeNull();
    expect((await items.byFingerprint(a.fingerprint)).map((i) => i.id)).toEqual([a.id]);
    expect((await items.bySourcePath(a.sourcePath)).map((i) => i.id)).toEqual([a.id]);
    expect((await items.bySourceName(a.sourceName)).map((i) => i.id)).toEqual([a.id]);
    expect(await items.byFingerprint('nope')).toEqual([]);
    const nomor = await items.allocateNomorInduk(a.id, tpl, '', at);
    expect((await items.byNomorInduk(nomor))?.id).toBe(a.id);
    expect(await items.byNomorInduk('00099/AM/2026')).toBeNull();

    const b = (await items.insert(newItem())).id;
    const c = (await items.insert(newItem())).id;
    await items.markReceived(c, { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' });
    expect((await items.list()).map((i) => i.id)).toEqual([a.id, b, c]);
    expect((await items.list({ status: 'received' })).map((i) => i.id)).toEqual([c]);
    expect((await items.list({ limit: 1, offset: 1 })).map((i) => i.id)).toEqual([b]);
    expect((await items.list({ offset: 2 })).map((i) => i.id)).toEqual([c]);
  });

  it('orders by created_at, newest first by folder and name, whatever the insertion order', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const { items } = groups(pool);
    const times = ['2026-05-02T00:00:00.000Z', '2026-05-01T00:00:00.000Z', '2026-05-03T00:00:00.000Z'];
    const ids: string[] = [];
    for (const t of times) {
      const { id } = await items.insert(
        newItem({ fingerprint: 'same', sourcePath: '/in/x', sourceName: 'x' }),
      );
      await pool.query('UPDATE items SET created_at = $2 WHERE id = $1', [id, t]);
      ids.push(id);
    }
    const [second, first, third] = ids;
    expect((await items.byFingerprint('same')).map((i) => i.id)).toEqual([first, second, third]);
    expect((await items.bySourcePath('/in/x')).map((i) => i.id)).toEqual([third, second, first]);
    expect((await items.bySourceName('x')).map((i) => i.id)).toEqual([third, second, first]);
    expect((await items.list()).map((i) => i.id)).toEqual([first, second, third]);
  });

  it('moves an item through its states and keeps its flags unique by code', async () => {
    const { items } = await one();
    const { id } = await items.insert(newItem());
    await items.markReceived(id, { pageCount: 2, originalBytes: 3_000_000_000, sourceFormat: 'jpeg' });
    expect(await items.get(id)).toMatchObject({
      status: 'received',
      pageCount: 2,
      originalBytes: 3_000_000_000,
    });
    // Only a receiving item takes totals.
    await items.markReceived(id, { pageCount: 9, originalBytes: 9, sourceFormat: 'tiff' });
    expect((await items.get(id))?.pageCount).toBe(2);
    await items.setStage(id, 'clean');
    expect(await items.get(id)).toMatchObject({ status: 'processing', stage: 'clean' });
    await items.markFailed(id, 'ocr', 'ocr_failed', 'OCR gagal');
    expect(await items.get(id)).toMatchObject({
      status: 'failed',
      stage: 'ocr',
      errorCode: 'ocr_failed',
      errorMessage: 'OCR gagal',
    });
    await items.markFailed(id, null, 'again', 'lagi');
    expect(await items.get(id)).toMatchObject({ stage: 'ocr', errorCode: 'again' });
    await items.setStage(id, 'ocr');
    expect(await items.get(id)).toMatchObject({ status: 'processing', errorCode: null, errorMessage: null });
    await items.setPdf(id, 'items/x/x.pdf', 1234);
    await items.markAvailable(id);
    const available = await items.get(id);
    expect(available).toMatchObject({ status: 'available', pdfKey: 'items/x/x.pdf', pdfBytes: 1234 });
    expect(available?.availableAt).not.toBeNull();
    // Available stays available when a later stage is set again, and keeps its first available_at.
    await items.setStage(id, 'publish');
    await items.markAvailable(id);
    expect(await items.get(id)).toMatchObject({ status: 'available', availableAt: available?.availableAt });
    await items.addFlag(id, { code: 'page_blank', params: { page: '2' } });
    await items.addFlag(id, { code: 'page_blank', params: { page: '3' } });
    await items.setFlag(id, { code: 'page_count_odd', params: { pages: 3 } });
    await items.setFlag(id, { code: 'page_count_odd', params: { pages: 5 } });
    expect((await items.get(id))?.flags).toEqual([
      { code: 'page_blank', params: { page: '2' } },
      { code: 'page_count_odd', params: { pages: 5 } },
    ]);
    await items.addFlag('nope', { code: 'x' });
    await items.setFlag('nope', { code: 'x' });
    await items.markDisposed(id);
    expect((await items.get(id))?.disposedAt).not.toBeNull();
    expect((await items.list({ status: 'available' })).map((i) => i.id)).toEqual([id]);
    expect(await items.list({ status: 'failed' })).toEqual([]);
  });

  it('keeps flags two machines add to one item at the same time', async () => {
    const [a, b] = (await pg.fresh(2)) as [pg.Pool, pg.Pool];
    const onA = createPgItemQueries(a);
    const onB = createPgItemQueries(b);
    const { id } = await onA.insert(newItem());
    const codes = Array.from({ length: 16 }, (_, i) => `flag_${i}`);
    await Promise.all(codes.map((code, i) => (i % 2 ? onA : onB).addFlag(id, { code })));
    expect((await onA.get(id))?.flags.map((f) => f.code).sort()).toEqual([...codes].sort());
  });

  it('finds or inserts a batch once: its own item, another with the same pages, or a new one', async () => {
    const { items } = await one();
    const flagFor = (id: string): ItemFlag => ({ code: 'batch_name_reused', params: { nomorInduk: id } });
    const reuse = { sameNameWithinMs: 3600_000, nameReused: (e: { id: string }) => flagFor(e.id) };
    const a = newItem({ flags: [{ code: 'page_number_gap', params: { detail: '3' } }] });
    const first = await items.findOrInsert(a, reuse);
    expect(first.inserted).toMatchObject({ id: a.id, flags: a.flags, status: 'receiving' });
    expect(first.nameReused).toBeUndefined();
    const again = await items.findOrInsert({ ...a, id: 'other-id' }, reuse);
    expect(again.own?.id).toBe(a.id);
    expect(again.other).toBeUndefined();
    expect(again.inserted).toBeUndefined();
    const elsewhere = await items.findOrInsert({ ...a, id: 'x2', sourcePath: '/in/elsewhere' }, reuse);
    expect(elsewhere.own).toBeUndefined();
    expect(elsewhere.inserted).toBeUndefined();
    expect(elsewhere.other?.id).toBe(a.id);
    await items.markDisposed(a.id);
    expect((await items.findOrInsert({ ...a, id: 'x3' }, reuse)).other?.id).toBe(a.id);
    const b = newItem({ sourceName: a.sourceName });
    const named = await items.findOrInsert(b, reuse);
    expect(named.nameReused).toEqual(flagFor(a.id));
    expect(named.inserted?.flags).toEqual([flagFor(a.id)]);
    const c = newItem({ sourceName: a.sourceName });
    expect((await items.findOrInsert(c, { ...reuse, sameNameWithinMs: 0 })).nameReused).toBeUndefined();
    expect((await items.list()).map((i) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
  });

  it('registers a batch once when machines accept the same pages at the same time', async () => {
    const machines = await pg.fresh(4, 4);
    const reuse = { sameNameWithinMs: 3600_000, nameReused: () => ({ code: 'batch_name_reused' }) };
    for (let round = 0; round < 8; round++) {
      const batch = newItem();
      // The same folder accepted by every machine twice over (a watcher and an upload, say).
      const found = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          createPgItemQueries(machines[i % 4] as pg.Pool).findOrInsert(
            { ...batch, id: `${batch.id}-${i}` },
            reuse,
          ),
        ),
      );
      expect(found.filter((f) => f.inserted)).toHaveLength(1);
      const winner = found.find((f) => f.inserted)?.inserted?.id;
      for (const f of found) if (!f.inserted) expect(f.own?.id).toBe(winner);
      expect(await createPgItemQueries(machines[0] as pg.Pool).byFingerprint(batch.fingerprint)).toHaveLength(
        1,
      );
    }
  });

  it('flags a reused folder name when two new batches of one name arrive on two machines at once', async () => {
    const [a, b] = (await pg.fresh(2)) as [pg.Pool, pg.Pool];
    const reuse = { sameNameWithinMs: 3600_000, nameReused: () => ({ code: 'batch_name_reused' }) };
    for (let round = 0; round < 8; round++) {
      const name = `Koleksi ${round}`;
      const found = await Promise.all(
        [a, b].map((pool) => createPgItemQueries(pool).findOrInsert(newItem({ sourceName: name }), reuse)),
      );
      expect(found.map((f) => (f.nameReused ? 'flagged' : 'first')).sort()).toEqual(['first', 'flagged']);
    }
  });

  it('receives an item: totals, its nomor induk, a register job and an accepted event, at once', async () => {
    const { items, jobs, runs } = await one();
    const { id } = await items.insert(newItem());
    const totals = { pageCount: 4, originalBytes: 400, sourceFormat: 'jpeg+pdf' };
    const nomor = await items.receive(id, totals, { template: tpl, collectionCode: '', maxAttempts: 3 });
    expect(nomor).toMatch(/^00001\/AM\/\d{4}$/);
    expect(await items.get(id)).toMatchObject({ status: 'received', nomorInduk: nomor, ...totals });
    expect(await items.numberingOf(id)).toMatchObject({ seq: 1 });
    expect((await jobs.forItem(id)).map((j) => [j.stage, j.status, j.maxAttempts])).toEqual([
      ['register', 'queued', 3],
    ]);
    expect((await runs.eventsFor(id)).map((e) => [e.code, e.params])).toEqual([['accepted', { pages: 4 }]]);
  });

  it('receives all or nothing: a failing number leaves the item receiving, without job, event or count', async () => {
    const { items, jobs, runs } = await one();
    const { id } = await items.insert(newItem());
    const broken: NomorTemplate = {
      source: '{seq}',
      series: () => tpl.series(at, ''),
      render: () => {
        throw new Error('template broke');
      },
    };
    await expect(
      items.receive(
        id,
        { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
        { template: broken, collectionCode: '', maxAttempts: 3 },
      ),
    ).rejects.toThrow('template broke');
    expect(await items.get(id)).toMatchObject({ status: 'receiving', nomorInduk: null, pageCount: 0 });
    expect(await jobs.forItem(id)).toEqual([]);
    expect(await runs.eventsFor(id)).toEqual([]);
    expect(await items.allocateNomorInduk(id, tpl, '', at)).toBe('00001/AM/2026');
  });

  it('receives items on several machines at once: nomor induk unique and consecutive, a job each', async () => {
    const machines = await pg.fresh(4, 4);
    const first = createPgItemQueries(machines[0] as pg.Pool);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await first.insert(newItem())).id);
    const o = { template: tpl, collectionCode: '', maxAttempts: 3 };
    const got = await Promise.all(
      ids.map((id, i) =>
        createPgItemQueries(machines[i % 4] as pg.Pool).receive(
          id,
          { pageCount: 1, originalBytes: 1, sourceFormat: 'jpeg' },
          o,
        ),
      ),
    );
    const year = new Date().getFullYear();
    expect([...got].sort()).toEqual(numbers(40, year));
    const { jobs } = groups(machines[1] as pg.Pool);
    expect(await jobs.pendingCount(ids)).toBe(40);
    for (const [i, id] of ids.entries()) expect((await first.get(id))?.nomorInduk).toBe(got[i]);
  });

  it('gives nomor induk consecutive per series, once per item, restarting in a new year', async () => {
    const { items } = await one();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await items.insert(newItem())).id);
    const got: string[] = [];
    for (const id of ids) got.push(await items.allocateNomorInduk(id, tpl, '', at));
    expect(got).toEqual(numbers(6));
    expect(await items.allocateNomorInduk(ids[2] as string, tpl, '', at)).toBe(got[2]);
    expect(await items.numberingOf(ids[2] as string)).toEqual({ series: tpl.series(at, ''), seq: 3 });
    const next = (await items.insert(newItem())).id;
    expect(await items.allocateNomorInduk(next, tpl, '', new Date('2027-01-05T00:00:00Z'))).toBe(
      '00001/AM/2027',
    );
    const later = (await items.insert(newItem())).id;
    expect(await items.allocateNomorInduk(later, tpl, '', at)).toBe('00007/AM/2026');
    expect(await items.numberingOf((await items.insert(newItem())).id)).toBeNull();
    await expect(items.allocateNomorInduk('nope', tpl, '', at)).rejects.toThrow('not found');
  });

  it('gives nomor induk from several machines at once: unique, consecutive, once per item', async () => {
    const machines = await pg.fresh(4, 4);
    const first = createPgItemQueries(machines[0] as pg.Pool);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await first.insert(newItem())).id);
    // Every item asked for twice, by two different machines, all at once.
    const got = await Promise.all(
      ids.flatMap((id, i) => [
        createPgItemQueries(machines[i % 4] as pg.Pool).allocateNomorInduk(id, tpl, '', at),
        createPgItemQueries(machines[(i + 1) % 4] as pg.Pool).allocateNomorInduk(id, tpl, '', at),
      ]),
    );
    for (let i = 0; i < ids.length; i++) expect(got[2 * i]).toBe(got[2 * i + 1]);
    expect(got.filter((_, i) => i % 2 === 0).sort()).toEqual(numbers(40));
  });

  it('holds items for review and releases them with a revision', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const { items, review } = groups(pool);
    const held = await items.insert(
      newItem({
        metadata: { rights: 'review' },
        flags: [{ code: HELD_FLAG, params: { reason: 'x' } }, { code: 'keep' }],
      }),
    );
    const held2 = await items.insert(newItem({ metadata: { rights: 'review' } }));
    await items.insert(newItem({ metadata: { rights: 'open' } }));
    const gone = await items.insert(newItem({ metadata: { rights: 'review' } }));
    await pool.query(`UPDATE items SET status = 'withdrawn' WHERE id = $1`, [gone.id]);
    expect((await review.list()).map((i) => i.id)).toEqual([held.id, held2.id]);
    expect((await review.list({ limit: 1, offset: 1 })).map((i) => i.id)).toEqual([held2.id]);
    expect(await review.count()).toBe(2);
    const before = await review.setAccess(held.id, 'read-online', 'kasi');
    expect(before?.metadata.rights).toBe('review');
    expect(await items.get(held.id)).toMatchObject({
      metadata: { rights: 'read-online' },
      flags: [{ code: 'keep' }],
    });
    expect(await review.count()).toBe(1);
    const { rows } = await pool.query(
      `SELECT kind, username, before FROM item_revisions WHERE item_id = $1`,
      [held.id],
    );
    expect(rows.map((r) => ({ ...r, before: JSON.parse(r.before) }))).toEqual([
      { kind: 'access', username: 'kasi', before: { rights: 'review' } },
    ]);
    // Held again: the flags stay as they are.
    await review.setAccess(held.id, 'review', 'kasi');
    expect(await items.get(held.id)).toMatchObject({
      metadata: { rights: 'review' },
      flags: [{ code: 'keep' }],
    });
    expect(await review.setAccess('nope', 'open', 'kasi')).toBeNull();
    expect(await review.setAccess(gone.id, 'open', 'kasi')).toBeNull();
  });

  it('restores a published item: available, done, its pages, and its counter past its number', async () => {
    const [pool] = (await pg.fresh()) as [pg.Pool];
    const { items, jobs, runs, restore } = groups(pool);
    const pages = (id: string) => createPgPageQueries(pool).list(id);
    expect(await restore.itemCount()).toBe(0);
    const series = tpl.series(at, '');
    const t = '2026-05-02T10:00:00.000Z';
    const restored = (it: NewItem, seq: number) =>
      restore.restoreItem({
        item: {
          ...it,
          nomorInduk: `${String(seq).padStart(5, '0')}/AM/2026`,
          sourceNomorInduk: null,
          pageCount: 1,
          sourceFormat: 'jpeg',
          originalBytes: 1,
          pdfKey: 'k.pdf',
          pdfBytes: 2,
          disposedAt: t,
          createdAt: t,
          registeredAt: t,
          availableAt: null,
        },
        numbering: { series, seq },
        pages: [
          {
            pageNo: 1,
            sourceFile: 'a.jpg',
            sourceSubpage: 0,
            originalKey: 'k1',
            originalSha256: 's1',
            originalBytes: 10,
            format: 'jpeg',
            width: 100,
            height: 200,
            dpi: 300,
            cleanWidth: 90,
            cleanHeight: 180,
            cleanDpi: 300,
            skew: 0.25,
            cleanedAt: t,
            ocrConfidence: 88.5,
            ocrChars: 10,
            ocrWarning: null,
            ocrAt: t,
            sourceKind: 'pdf',
            sourceRegion: { side: 'left', x0: 0, x1: 50 },
            orientation: 90,
            orientationConfidence: 0.9,
            rotateOverride: null,
            textXHeight: null,
          },
        ],
        publishedAt: t,
      });
    const a = newItem();
    await restored(a, 41);
    await restored(newItem(), 7); // restored out of order: the counter does not go back
    expect(await restore.itemCount()).toBe(2);
    expect(await items.get(a.id)).toMatchObject({
      status: 'available',
      stage: 'publish',
      nomorInduk: '00041/AM/2026',
      availableAt: t,
      updatedAt: t,
    });
    expect(await items.numberingOf(a.id)).toEqual({ series, seq: 41 });
    expect((await jobs.forItem(a.id)).map((j) => [j.stage, j.status, j.attempts, j.runAt])).toEqual(
      ['register', 'clean', 'ocr', 'pdf', 'publish'].map((s) => [s, 'done', 1, Date.parse(t)]),
    );
    expect(await jobs.pendingCount()).toBe(0);
    expect((await runs.eventsFor(a.id)).map((e) => e.code)).toEqual(['restored_from_manifest']);
    const { rows } = await pool.query(
      `SELECT source_kind, source_region, skew, orientation FROM pages WHERE item_id = $1`,
      [a.id],
    );
    expect(rows.map((r) => ({ ...r, source_region: JSON.parse(r.source_region) }))).toEqual([
      { source_kind: 'pdf', source_region: { side: 'left', x0: 0, x1: 50 }, skew: 0.25, orientation: 90 },
    ]);
    const { id } = await items.insert(newItem());
    expect(await items.allocateNomorInduk(id, tpl, '', at)).toBe('00042/AM/2026');
    // All or nothing: an item whose pages cannot be written (two pages 1) leaves no trace.
    const broken = newItem();
    const page = { ...must((await pages(a.id))[0]), pageNo: 1 };
    await expect(
      restore.restoreItem({
        item: {
          ...broken,
          nomorInduk: '00050/AM/2026',
          sourceNomorInduk: null,
          pageCount: 2,
          sourceFormat: 'jpeg',
          originalBytes: 1,
          pdfKey: null,
          pdfBytes: null,
          disposedAt: null,
          createdAt: t,
          registeredAt: t,
          availableAt: t,
        },
        numbering: { series, seq: 50 },
        pages: [page, page],
        publishedAt: t,
      }),
    ).rejects.toThrow();
    expect(await restore.itemCount()).toBe(3);
    expect(await items.get(broken.id)).toBeNull();
    expect(await jobs.forItem(broken.id)).toEqual([]);
    expect(await runs.eventsFor(broken.id)).toEqual([]);
    const { id: after } = await items.insert(newItem());
    expect(await items.allocateNomorInduk(after, tpl, '', at)).toBe('00043/AM/2026');
  });
});
