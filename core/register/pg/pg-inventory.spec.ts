import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  insertSql,
  itemRow,
  onBoth,
  sqliteRegisterDb,
  usePgRegisters,
} from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import {
  createInventoryQueries,
  INVENTORY_SORTS,
  type InventoryFilter,
  type InventoryPage,
} from '../inventory.queries.ts';
import { createQueueQueries } from '../queue.queries.ts';
import { createReportQueries } from '../reports.queries.ts';
import { createPgInventoryQueries } from './pg-inventory.ts';
import { createPgQueueQueries } from './pg-queue.ts';
import { createPgReportQueries } from './pg-reports.ts';

/**
 * The inventory, reports and queue on PostgreSQL answer what SQLite answers: the same rows written
 * into both engines, the same calls, equal results (SQLite's groups are the reference). The data
 * are chosen where the engines differ: NULL nomor induk (NULL ordering), titles equal but for
 * case and non-ASCII letters (NOCASE, LIKE's case rules), %, _ and \ in titles (LIKE escapes),
 * equal dates (ties), missing collections and operators, NULL PDF sizes, sums past 2^31.
 */
const day = (d: number, h = 8) =>
  `2026-0${1 + (d % 3)}-${String(10 + (d % 17)).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`;
const TITLES = [
  'Hikayat Aceh',
  'hikayat aceh',
  'HIKAYAT',
  'Écrits',
  'écrits',
  '100% Merdeka',
  'a_b',
  'a\\b',
  'Babad',
  'babad tanah',
];

function dataSet() {
  const items = Array.from({ length: 40 }, (_, i) =>
    itemRow({
      id: `inv-${String((i * 7) % 40).padStart(2, '0')}`,
      title: TITLES[i % TITLES.length] as string,
      nomor_induk: i % 4 === 0 ? null : `${String(i).padStart(5, '0')}/AM/2026`,
      source_nomor_induk: i % 5 === 0 ? `SRC-${i}` : null,
      metadata: {
        ...(i % 3 === 0 ? {} : { collection: i % 3 === 1 ? 'Lokal' : 'Umum' }),
        creator: ['Raja Ali', `Penulis ${i}`],
        ...(i % 2 ? { year: 1900 + i } : {}),
        publisher: 'Balai Pustaka',
      },
      flags: i % 6 === 0 ? [{ code: 'low_dpi', params: { dpi: 150 } }] : [],
      operator: i % 5 === 0 ? null : (['budi', 'siti', 'Agus'][i % 3] as string),
      status: ['available', 'processing', 'failed', 'received', 'receiving'][i % 5] as string,
      stage: i % 5 === 2 ? 'ocr' : null,
      error_message: i % 5 === 2 ? 'OCR gagal' : null,
      page_count: (i * 13) % 9,
      original_bytes: 3_000_000_000 + i,
      pdf_key: i % 4 === 1 ? `pdf/${i}.pdf` : null,
      pdf_bytes: i % 4 === 1 ? 2_500_000_000 + (i % 3) : null,
      // Many items share a date: ties are ordered by id.
      created_at: day(i % 7),
      updated_at: day(i % 4, 9),
      registered_at: i % 3 === 0 ? day(i % 5, 10) : null,
      available_at: i % 5 === 0 ? day(i % 6, 11) : null,
    }),
  );
  const runs = items.flatMap((it, i) =>
    ['clean', 'ocr', 'pdf'].map((stage, k) => ({
      item_id: it.id as string,
      stage,
      attempt: 1,
      worker: 'w',
      started_at: day((i + k) % 5, 12),
      duration_ms: 1000 + ((i * 37 + k * 11) % 997),
      outcome: ['done', 'skipped', 'failed', 'retry'][(i + k) % 4] as string,
      error_code: (i + k) % 4 >= 2 && i % 3 ? (['ocr_failed', 'image_corrupt'][i % 2] as string) : null,
    })),
  );
  const jobs = items.slice(0, 30).map((it, i) => ({
    item_id: it.id as string,
    stage: i % 3 === 0 ? 'publish' : 'ocr',
    status: ['running', 'queued', 'failed', 'done'][i % 4] as string,
    run_at: 1_000 + (i % 3),
    max_attempts: 3,
    created_at: 1,
    // Equal times: ties.
    updated_at: 500 + (i % 2),
    last_error: i % 4 === 2 ? 'rusak' : null,
  }));
  return [insertSql('items', items), insertSql('stage_runs', runs), insertSql('jobs', jobs)].join('\n');
}

describePostgres('inventory, reports and queue on PostgreSQL answer as on SQLite', () => {
  const pgServer = usePgRegisters('inventory');
  const registers = { fresh: async () => (await pgServer.fresh())[0] as pg.Pool, sibling: pgServer.sibling };
  const sqlite = sqliteRegisterDb();
  let pool: pg.Pool;
  /** The same rows in a database whose LC_CTYPE folds more than ASCII (as most production locales do). */
  let unicode: pg.Pool;
  beforeAll(async () => {
    pool = await registers.fresh();
    const data = `BEGIN;\n${dataSet()}\nCOMMIT;`;
    await onBoth(sqlite, pool, data);
    unicode = (await pgServer.fresh(1, 4, { ctype: 'C.utf8' }))[0] as pg.Pool;
    await unicode.query(data);
    // lower() and ILIKE there fold É to é, which SQLite's NOCASE and LIKE do not.
    expect((await unicode.query(`SELECT lower('É') AS l`)).rows[0]).toEqual({ l: 'é' });
  });

  describe('inventory', () => {
    const filters: InventoryFilter[] = [
      {},
      { status: 'available' },
      { collection: 'Lokal' },
      { operator: 'budi' },
      { q: 'hikayat' },
      { q: 'ÉCRITS' },
      { q: 'écrits' },
      { q: '%' },
      { q: '_' },
      { q: 'a\\b' },
      { q: '/AM/' },
      { q: 'src-1' },
      { from: '2026-02-11', to: '2026-02-16' },
      { from: '2026-01-10' },
      { to: '2026-01-31' },
      { collection: 'Umum', operator: 'siti', q: 'a' },
    ];

    it('counts and lists every filter, sort, direction and page as SQLite does', async () => {
      const ref = createInventoryQueries(sqlite);
      const pages: InventoryPage[] = [
        {},
        { limit: 5 },
        { limit: 7, offset: 9 },
        { offset: 30 },
        { limit: -1 },
        { limit: 4, offset: -3 },
      ];
      let compared = 0;
      for (const pgq of [createPgInventoryQueries(pool), createPgInventoryQueries(unicode)]) {
        for (const f of filters) {
          expect(await pgq.count(f), JSON.stringify(f)).toBe(ref.count(f));
          for (const sort of INVENTORY_SORTS)
            for (const dir of ['asc', 'desc'] as const)
              for (const p of pages) {
                const page = { ...p, sort, dir };
                const want = ref.list(f, page);
                compared += want.length;
                expect(await pgq.list(f, page), JSON.stringify([f, page])).toEqual(want);
              }
        }
      }
      expect(compared).toBeGreaterThan(2000);
    });

    it('has the engine differences made good: NULL nomor first going up, NOCASE titles, ASCII-only LIKE', async () => {
      for (const pgq of [createPgInventoryQueries(pool), createPgInventoryQueries(unicode)]) {
        const up = await pgq.list({}, { sort: 'nomor', dir: 'asc' });
        expect(up.slice(0, 10).every((e) => e.nomorInduk === null)).toBe(true);
        const down = await pgq.list({}, { sort: 'nomor', dir: 'desc' });
        expect(down.slice(-10).every((e) => e.nomorInduk === null)).toBe(true);
        expect(await pgq.count({ q: 'hikayat' })).toBe(12);
        // SQLite's LIKE folds ASCII letters only: "É" does not match "é".
        expect(await pgq.count({ q: 'écrits' })).toBe(4);
        expect(await pgq.count({ q: '_' })).toBe(4);
        // "HIKAYAT" < "Hikayat Aceh" = "hikayat aceh" (ties by id) < … regardless of case.
        const titles = (await pgq.list({ q: 'hikayat' }, { sort: 'title', dir: 'asc' })).map((e) => e.title);
        expect(titles.slice(0, 4)).toEqual(['HIKAYAT', 'HIKAYAT', 'HIKAYAT', 'HIKAYAT']);
        expect(new Set(titles.slice(4))).toEqual(new Set(['Hikayat Aceh', 'hikayat aceh']));
        // "Écrits" and "écrits" differ but for a non-ASCII letter: not equal under NOCASE.
        const e = (await pgq.list({ q: 'crits' }, { sort: 'title', dir: 'asc' })).map((x) => x.title);
        expect(e).toEqual(['Écrits', 'Écrits', 'Écrits', 'Écrits', 'écrits', 'écrits', 'écrits', 'écrits']);
      }
    });

    it('iterates every matching row oldest first, across keyset pages, as SQLite does', async () => {
      const ref = createInventoryQueries(sqlite);
      // Pages of 3 rows: most page ends fall among items of the same date.
      for (const pgq of [
        createPgInventoryQueries(pool),
        createPgInventoryQueries(pool, { iteratePage: 3 }),
        createPgInventoryQueries(unicode, { iteratePage: 3 }),
      ])
        for (const f of filters) {
          const got = [];
          for await (const e of pgq.iterate(f)) got.push(e);
          expect(got, JSON.stringify(f)).toEqual([...ref.iterate(f)]);
        }
    });

    it('lists collections and operators as SQLite does', async () => {
      const ref = createInventoryQueries(sqlite);
      const pgq = createPgInventoryQueries(pool);
      expect(await pgq.collections()).toEqual(['Lokal', 'Umum']);
      expect(await pgq.collections()).toEqual(ref.collections());
      expect(await pgq.operators()).toEqual(['Agus', 'budi', 'siti']);
      expect(await pgq.operators()).toEqual(ref.operators());
    });
  });

  it('reports every aggregate as SQLite does, over all time and over a period', async () => {
    const ref = createReportQueries(sqlite);
    const pgq = createPgReportQueries(pool);
    for (const [from, to] of [
      [],
      ['2026-02-01', '2026-02-28'],
      // Bounds on days that have items, runs and publications: both ends inclusive.
      ['2026-02-11', '2026-02-14'],
      ['2026-01-15'],
      [undefined, '2026-02-14'],
    ] as [string?, string?][]) {
      const at = JSON.stringify([from, to]);
      expect(await pgq.perMonth(from, to), at).toEqual(ref.perMonth(from, to));
      expect(await pgq.availablePerMonth(from, to), at).toEqual(ref.availablePerMonth(from, to));
      const times = await pgq.stageTimes(from, to);
      const want = ref.stageTimes(from, to);
      expect(
        times.map((t) => [t.stage, t.runs]),
        at,
      ).toEqual(want.map((t) => [t.stage, t.runs]));
      for (const [i, t] of times.entries()) {
        expect([typeof t.avgMs, typeof t.avgPerPageMs]).toEqual(['number', 'number']);
        expect(t.avgMs).toBeCloseTo(want[i]?.avgMs as number, 9);
        expect(t.avgPerPageMs).toBeCloseTo(want[i]?.avgPerPageMs as number, 9);
      }
      expect(await pgq.failuresByReason(from, to), at).toEqual(ref.failuresByReason(from, to));
      expect(await pgq.perOperator(from, to), at).toEqual(ref.perOperator(from, to));
    }
    expect(await pgq.storage()).toEqual(ref.storage());
    // Sums past 2^31 come back as numbers, not NUMERIC strings.
    expect((await pgq.storage()).originalBytes).toBe(
      32 * 3_000_000_000 + (40 * 39) / 2 - [4, 9, 14, 19, 24, 29, 34, 39].reduce((a, b) => a + b, 0),
    );
    expect(await pgq.statusCounts()).toEqual(ref.statusCounts());
    expect(await pgq.statusCounts()).toEqual({
      available: 8,
      processing: 8,
      failed: 8,
      received: 8,
      receiving: 8,
    });
  });

  describe('queue', () => {
    // Its own registers: every item and job a tie of some kind, run_at out of step with job ids.
    const sqliteQ = sqliteRegisterDb();
    let poolQ: pg.Pool;
    beforeAll(async () => {
      poolQ = await registers.fresh();
      const items = Array.from({ length: 24 }, (_, i) =>
        itemRow({
          id: `q${String((i * 5) % 24).padStart(2, '0')}`,
          operator: i % 3 ? 'budi' : null,
          status: ['failed', 'available', 'processing'][i % 3] as string,
          error_message: i % 3 === 0 ? `rusak ${i}` : null,
          updated_at: i % 4 ? '2026-02-01T00:00:00.000Z' : '2026-03-01T00:00:00.000Z',
          available_at: i % 3 === 1 ? (i % 7 ? '2026-02-02T00:00:00.000Z' : null) : null,
        }),
      );
      const jobs = items.map((it, i) => ({
        item_id: it.id as string,
        stage: i % 3 === 1 ? 'publish' : 'ocr',
        status: ['failed', 'done', i % 2 ? 'running' : 'queued'][i % 3] as string,
        run_at: (i * 7) % 5,
        attempts: i % 2,
        max_attempts: 3,
        created_at: 1,
        updated_at: 500 + (i % 2),
        last_error: i % 3 === 0 ? 'rusak' : null,
      }));
      await onBoth(
        sqliteQ,
        poolQ,
        `BEGIN;\n${insertSql('items', items)}\n${insertSql('jobs', jobs)}\nCOMMIT;`,
      );
    });

    it('shows running, waiting, failed and published work as SQLite does, ties included', async () => {
      const ref = createQueueQueries(sqliteQ);
      const pgq = createPgQueueQueries(poolQ);
      for (const op of [undefined, 'budi', 'nobody']) {
        expect(await pgq.running(op)).toEqual(ref.running(op));
        expect(await pgq.waiting(op)).toEqual(ref.waiting(op));
        expect(await pgq.waiting(op, 2)).toEqual(ref.waiting(op, 2));
        expect(await pgq.failedSince('2026-01-01', op)).toEqual(ref.failedSince('2026-01-01', op));
        expect(await pgq.failedSince('2026-03-01', op)).toEqual(ref.failedSince('2026-03-01', op));
        expect(await pgq.recentlyAvailable(op)).toEqual(ref.recentlyAvailable(op));
        expect(await pgq.recentlyAvailable(op, 3)).toEqual(ref.recentlyAvailable(op, 3));
        expect(await pgq.recentlyAvailable(op, -1)).toEqual(ref.recentlyAvailable(op, -1));
        expect(await pgq.waiting(op, -1)).toEqual(ref.waiting(op, -1));
      }
      expect((await pgq.running()).length).toBe(4);
      expect((await pgq.waiting()).length).toBe(4);
      expect((await pgq.failedSince('2026-01-01')).length).toBe(8);
      expect((await pgq.recentlyAvailable(undefined, 100)).length).toBe(8);
      expect((await pgq.recentlyAvailable(undefined, 100)).at(-1)?.itemId).toBe('q11'); // no available_at: last
      expect((await pgq.running())[0]).toEqual({
        itemId: expect.any(String),
        title: expect.any(String),
        nomorInduk: null,
        operator: 'budi',
        status: 'processing',
        pages: 0,
        stage: 'ocr',
        jobStatus: 'running',
        attempts: 1,
        runAt: expect.any(Number),
        lastError: null,
        updatedAt: expect.any(String),
        errorMessage: null,
        progressDone: null,
        progressTotal: null,
      });
    });
  });
});
