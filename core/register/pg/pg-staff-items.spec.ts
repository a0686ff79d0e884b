import type pg from 'pg';
import { beforeEach, expect, it } from 'vitest';
import { insertSql, itemRow, usePgRegisters } from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import { createPgItemSettingsQueries } from './pg-item-settings.ts';
import { createPgJobStatements } from './pg-jobs.ts';
import { createPgStaffItemQueries } from './pg-staff-items.ts';

/** The jobs a staff change needs, on the change's connection (as createPgRegister wires them). */
const jobsOn = createPgJobStatements;

const rescan = {
  sourceFile: 'p2-ulang.png',
  originalKey: 'k2b',
  originalSha256: 's2b',
  originalBytes: 5,
  format: 'png',
  width: 2,
  height: 3,
  dpi: 400,
};

describePostgres('staff changes to items on PostgreSQL', () => {
  const pgServer = usePgRegisters('staffitems');
  const registers = { fresh: async () => (await pgServer.fresh())[0] as pg.Pool, sibling: pgServer.sibling };
  let pool: pg.Pool;
  let q: ReturnType<typeof createPgStaffItemQueries>;
  let settings: ReturnType<typeof createPgItemSettingsQueries>;

  /** Item `a`: three pages, cleaned and recognised, every stage done (as staff-items.queries.spec.ts). */
  beforeEach(async () => {
    pool = await registers.fresh();
    q = createPgStaffItemQueries(pool, { jobsOn });
    settings = createPgItemSettingsQueries(pool);
    const pages = [1, 2, 3].map((n) => ({
      item_id: 'a',
      page_no: n,
      source_file: `p${n}.jpg`,
      original_key: `k${n}`,
      original_sha256: `s${n}`,
      original_bytes: 1,
      format: 'jpeg',
      width: 1,
      height: 1,
      cleaned_at: '2026-05-01T09:00:00.000Z',
      ocr_at: '2026-05-01T09:10:00.000Z',
    }));
    const jobs = ['register', 'clean', 'ocr', 'pdf', 'publish'].map((stage) => ({
      item_id: 'a',
      stage,
      status: 'done',
      run_at: 1,
      attempts: 1,
      max_attempts: 3,
      created_at: 1,
      updated_at: 1,
    }));
    await pool.query(
      [
        insertSql('items', [
          itemRow({
            id: 'a',
            title: 'Buku',
            status: 'available',
            page_count: 3,
            original_bytes: 3,
            source_format: 'jpeg',
          }),
        ]),
        insertSql('pages', pages),
        insertSql('jobs', jobs),
      ].join('\n'),
    );
  });

  const pageRows = async () =>
    (
      await pool.query<{
        page_no: number;
        source_file: string;
        cleaned_at: string | null;
        ocr_at: string | null;
        rotate_override: number | null;
      }>(
        'SELECT page_no, source_file, cleaned_at, ocr_at, rotate_override FROM pages WHERE item_id = $1 ORDER BY page_no',
        ['a'],
      )
    ).rows;
  const jobRows = async () =>
    (
      await pool.query<{ stage: string; status: string; attempts: number }>(
        'SELECT stage, status, attempts FROM jobs WHERE item_id = $1 ORDER BY id',
        ['a'],
      )
    ).rows.map((j) => [j.stage, j.status]);
  const item = async () =>
    (await pool.query('SELECT * FROM items WHERE id = $1', ['a'])).rows[0] as Record<string, unknown>;
  /** Every job of `a` done, as a worker would leave them. */
  const finishAll = () => pool.query(`UPDATE jobs SET status = 'done'`);

  it('reorders and removes pages, keeps the old arrangement and redoes from cleaning', async () => {
    expect(await q.rearrangePages('a', [3, 1], 'sari')).toBe(3);
    expect((await pageRows()).map((p) => [p.page_no, p.source_file, p.cleaned_at])).toEqual([
      [1, 'p3.jpg', null],
      [2, 'p1.jpg', null],
    ]);
    expect(await item()).toMatchObject({
      page_count: 2,
      status: 'processing',
      stage: 'clean',
      error_code: null,
    });
    expect(await jobRows()).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    const rev = (await q.revisions('a'))[0]!;
    expect(rev).toMatchObject({ kind: 'pages', username: 'sari' });
    expect((rev.before.pages as { source_file: string }[]).map((p) => p.source_file)).toEqual([
      'p1.jpg',
      'p2.jpg',
      'p3.jpg',
    ]);
  });

  it('refuses an invalid order or a busy item and changes nothing', async () => {
    expect(await q.rearrangePages('a', [1, 1], 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [4], 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [], 'sari')).toBeNull();
    expect(await q.rearrangePages('nope', [1], 'sari')).toBeNull();
    await pool.query(`UPDATE jobs SET status = 'queued' WHERE stage = 'publish'`);
    expect(await q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect((await pageRows()).map((p) => p.source_file)).toEqual(['p1.jpg', 'p2.jpg', 'p3.jpg']);
    expect(await q.revisions('a')).toEqual([]);
    expect(await q.rerunFrom('a', 'ocr')).toBe(false);
    expect(await q.rotatePage('a', 1, 90)).toBeNull();
    expect(await q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect(await item()).toMatchObject({ status: 'available', page_count: 3 });
  });

  it('re-runs OCR only for an item whose OCR ran, and records other languages', async () => {
    expect(await q.rerunFrom('a', 'ocr', { ocrLangs: ['ind', 'eng'] })).toBe(true);
    expect(await jobRows()).toEqual([
      ['register', 'done'],
      ['clean', 'done'],
      ['ocr', 'queued'],
    ]);
    expect((await pageRows()).map((p) => [p.cleaned_at !== null, p.ocr_at])).toEqual([
      [true, null],
      [true, null],
      [true, null],
    ]);
    expect(await item()).toMatchObject({ status: 'processing', stage: 'ocr' });
    expect(await settings.ocrLangs('a')).toEqual(['ind', 'eng']);
    await pool.query(`DELETE FROM jobs WHERE stage = 'clean'`);
    await finishAll();
    expect(await q.rerunFrom('a', 'clean')).toBe(false); // cleaning never ran
  });

  it('replaces one page: the old record is kept, only that page is redone, formats in key order', async () => {
    expect(await q.replacePage('a', 2, rescan, 'sari')).toEqual({
      page_no: 2,
      source_file: 'p2.jpg',
      source_subpage: 0,
      original_key: 'k2',
      original_sha256: 's2',
      original_bytes: 1,
      format: 'jpeg',
      width: 1,
      height: 1,
      dpi: null,
    });
    const pages = (await pool.query('SELECT * FROM pages WHERE item_id = $1 ORDER BY page_no', ['a'])).rows;
    expect(pages.map((p) => [p.source_file, p.original_key, p.cleaned_at === null])).toEqual([
      ['p1.jpg', 'k1', false],
      ['p2-ulang.png', 'k2b', true],
      ['p3.jpg', 'k3', false],
    ]);
    expect(pages[1]).toMatchObject({
      width: 2,
      height: 3,
      dpi: 400,
      format: 'png',
      ocr_at: null,
      source_kind: 'image',
    });
    expect(await item()).toMatchObject({
      status: 'processing',
      stage: 'clean',
      original_bytes: 7,
      source_format: 'jpeg+png',
    });
    expect(await jobRows()).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    expect((await q.revisions('a'))[0]).toMatchObject({
      kind: 'page_replace',
      username: 'sari',
      before: { page: { page_no: 2 } },
    });
    // SQLite lists the formats in original_key order (its GROUP BY sorts), not page order: page 1
    // as "zz" (a PDF of 3 GiB) comes after k2b (PNG) and k3 (JPEG).
    await finishAll();
    const big = { ...rescan, originalKey: 'zz', originalBytes: 3 * 2 ** 30, format: 'pdf' };
    expect(await q.replacePage('a', 1, big, 'sari')).not.toBeNull();
    expect(await item()).toMatchObject({ source_format: 'png+jpeg+pdf', original_bytes: 3 * 2 ** 30 + 6 });
    expect((await pool.query(`SELECT source_kind FROM pages WHERE page_no = 1`)).rows[0]).toEqual({
      source_kind: 'pdf',
    });
  });

  it('lists the formats in key order whatever plan groups the originals', async () => {
    // Hash grouping hands groups over in no particular order; SQLite's sorted GROUP BY does not.
    const hashing = registers.sibling(pool, '-c enable_sort=off -c enable_hashagg=on');
    const staff = createPgStaffItemQueries(hashing, { jobsOn });
    const keys = ['m', 'c', 'x', 'a', 'q', 'f', 'z', 'b'];
    const formats = ['tiff', 'png', 'jpeg', 'pdf', 'webp', 'jp2', 'bmp', 'gif'];
    await pool.query(
      insertSql(
        'pages',
        keys.map((k, i) => ({
          item_id: 'a',
          page_no: 4 + i,
          source_file: `${k}.x`,
          original_key: k,
          original_sha256: k,
          original_bytes: 1,
          format: formats[i] as string,
          width: 1,
          height: 1,
        })),
      ),
    );
    expect(
      await staff.replacePage('a', 1, { ...rescan, originalKey: 'k1', format: 'jpeg' }, 'sari'),
    ).not.toBeNull();
    expect((await item()).source_format).toBe('pdf+gif+png+jp2+jpeg+tiff+webp+bmp');
  });

  it('turns one page, automatic again clears it, a rescan drops it', async () => {
    expect(await q.rotatePage('a', 2, 90)).toEqual({ before: null });
    expect((await pageRows()).map((p) => [p.page_no, p.rotate_override, p.cleaned_at === null])).toEqual([
      [1, null, false],
      [2, 90, true],
      [3, null, false],
    ]);
    expect(await item()).toMatchObject({ status: 'processing', stage: 'clean' });
    expect(await q.rotatePage('a', 2, 0)).toBeNull(); // busy
    await finishAll();
    expect(await q.rotatePage('a', 7, 0)).toBeNull();
    expect(await q.rotatePage('a', 2, null)).toEqual({ before: 90 });
    expect((await pageRows())[1]?.rotate_override).toBeNull();
    await finishAll();
    expect(await q.rotatePage('a', 3, 270)).toEqual({ before: null });
    await finishAll();
    expect(await q.replacePage('a', 3, rescan, 'sari')).not.toBeNull();
    expect((await pageRows())[2]?.rotate_override).toBeNull();
  });

  it('retries a failed stage once, clearing the error', async () => {
    expect(await q.retryFailed('a')).toBeNull();
    await pool.query(`UPDATE jobs SET status = 'failed', attempts = 3 WHERE stage IN ('ocr', 'pdf')`);
    await pool.query(
      `UPDATE items SET status = 'failed', stage = 'pdf', error_code = 'x', error_message = 'y'`,
    );
    expect(await q.retryFailed('a')).toBe('pdf'); // the most recently made failed job
    expect((await pool.query(`SELECT status, attempts FROM jobs WHERE stage = 'pdf'`)).rows[0]).toEqual({
      status: 'queued',
      attempts: 0,
    });
    expect(await item()).toMatchObject({
      status: 'processing',
      stage: 'pdf',
      error_code: null,
      error_message: null,
    });
  });

  it('edits metadata keeping the previous version', async () => {
    const before = { id: 'a', title: 'Buku', metadata: { collection: 'Umum' } };
    await q.updateMetadata(before as never, 'Judul Baru', { barcode: 'B-1', year: 1950 }, 'sari');
    expect(await item()).toMatchObject({ title: 'Judul Baru', source_nomor_induk: 'B-1' });
    expect(JSON.parse((await item()).metadata as string)).toEqual({ barcode: 'B-1', year: 1950 });
    await q.updateMetadata(
      { ...before, title: 'Judul Baru' } as never,
      'Lagi',
      { sourceNomorInduk: 'S-9', barcode: 'B-1' },
      'adi',
    );
    expect(await item()).toMatchObject({ source_nomor_induk: 'S-9' });
    expect(await q.revisions('a')).toEqual([
      {
        at: expect.any(String),
        username: 'adi',
        kind: 'metadata',
        before: { title: 'Judul Baru', metadata: { collection: 'Umum' } },
      },
      {
        at: expect.any(String),
        username: 'sari',
        kind: 'metadata',
        before: { title: 'Buku', metadata: { collection: 'Umum' } },
      },
    ]);
  });

  it('stores cleaning settings with a re-run from cleaning and keeps them for later runs', async () => {
    expect(await settings.cleanSettings('a')).toBeNull();
    expect(await q.rerunFrom('a', 'clean', { clean: { rotate: 90, deskew: false } })).toBe(true);
    expect(await jobRows()).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    expect((await pageRows()).every((p) => p.cleaned_at === null && p.ocr_at === null)).toBe(true);
    expect(await settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    await finishAll();
    expect(await q.rerunFrom('a', 'clean')).toBe(true);
    expect(await settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    await finishAll();
    expect(await q.rerunFrom('a', 'clean', { clean: {} })).toBe(true);
    expect(await settings.cleanSettings('a')).toBeNull();
    await settings.setCleanSettings('a', { deskew: true });
    await finishAll();
    expect(await q.rerunFrom('a', 'clean', { clean: null })).toBe(true);
    expect(await settings.cleanSettings('a')).toBeNull();
  });

  it('keeps per-item settings: OCR languages and checked cleaning settings', async () => {
    expect(await settings.ocrLangs('a')).toBeNull();
    await settings.setOcrLangs('a', ['ind', 'eng']);
    expect(await settings.ocrLangs('a')).toEqual(['ind', 'eng']);
    await settings.setOcrLangs('a', null);
    expect(await settings.ocrLangs('a')).toBeNull();
    await settings.setCleanSettings('a', { rotate: 180, cropBorders: true });
    expect(await settings.cleanSettings('a')).toEqual({ rotate: 180, cropBorders: true });
    await settings.setCleanSettings('a', {});
    expect((await item()).clean_settings).toBeNull();
    // Values no version of Pindai wrote are dropped on reading, as on SQLite.
    await pool.query(
      `UPDATE items SET clean_settings = '{"rotate": 45, "deskew": "ya", "cropBorders": false}'`,
    );
    expect(await settings.cleanSettings('a')).toEqual({ cropBorders: false });
    expect(await settings.cleanSettings('nope')).toBeNull();
    expect(await settings.ocrLangs('nope')).toBeNull();
  });

  it('never re-processes a withdrawn item, and withdraws only a known one', async () => {
    await q.withdraw('a', 'sari', 'Salinan ganda');
    expect(await q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect(await q.rerunFrom('a', 'clean', { clean: { rotate: 180 } })).toBe(false);
    expect(await q.rerunFrom('a', 'ocr')).toBe(false);
    expect(await q.rotatePage('a', 1, 180)).toBeNull();
    expect(await item()).toMatchObject({ status: 'withdrawn' });
    expect((await jobRows()).every(([, s]) => s === 'done')).toBe(true);
    expect(await q.revisions('a')).toEqual([
      {
        at: expect.any(String),
        username: 'sari',
        kind: 'withdraw',
        before: { status: 'available', reason: 'Salinan ganda' },
      },
    ]);
    await expect(q.withdraw('nope', 'sari', 'x')).rejects.toThrow(/not found/);
  });

  it('is one transaction: a change that fails half-way leaves pages, jobs and revisions as they were', async () => {
    const failing = createPgStaffItemQueries(pool, {
      jobsOn: (db) => ({
        ...jobsOn(db),
        requeue: async () => {
          throw new Error('connection lost');
        },
      }),
    });
    await expect(failing.rearrangePages('a', [3, 1], 'sari')).rejects.toThrow('connection lost');
    await expect(failing.rerunFrom('a', 'ocr', { ocrLangs: ['eng'] })).rejects.toThrow('connection lost');
    expect((await pageRows()).map((p) => [p.source_file, p.cleaned_at !== null, p.ocr_at !== null])).toEqual([
      ['p1.jpg', true, true],
      ['p2.jpg', true, true],
      ['p3.jpg', true, true],
    ]);
    expect(await jobRows()).toEqual(['register', 'clean', 'ocr', 'pdf', 'publish'].map((s) => [s, 'done']));
    expect(await q.revisions('a')).toEqual([]);
    expect(await settings.ocrLangs('a')).toBeNull();
  });

  it("lets one of several changes made at once through, as SQLite's write lock does", async () => {
    const results = await Promise.all([
      q.rerunFrom('a', 'clean'),
      q.rerunFrom('a', 'ocr'),
      q.rerunFrom('a', 'clean'),
      q.rotatePage('a', 1, 90),
    ]);
    expect(results.filter((r) => r === true || (r !== false && r !== null))).toHaveLength(1);
    expect((await jobRows()).filter(([, s]) => s === 'queued')).toHaveLength(1);
  });
});
