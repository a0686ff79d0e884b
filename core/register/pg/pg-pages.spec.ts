import type pg from 'pg';
import { expect, it } from 'vitest';
import { usePgRegisters } from '../../../test/support/pg-register.ts';
import { describePostgres } from '../../../test/support/postgres.ts';
import { MAX_FILES } from '../rejections.queries.ts';
import { createPgItemQueries } from './pg-items.ts';
import { createPgPageQueries } from './pg-pages.ts';
import { createPgRejectionQueries } from './pg-rejections.ts';
import { createPgRunQueries } from './pg-runs.ts';

describePostgres('PostgreSQL pages and refused batches', () => {
  const pg = usePgRegisters('pages');
  const one = async () => ((await pg.fresh()) as [pg.Pool])[0];

  it('records pages idempotently, then their cleaning and OCR', async () => {
    const pool = await one();
    const pages = createPgPageQueries(pool);
    const { id } = await createPgItemQueries(pool).insert({
      id: 'item1',
      title: 'Buku',
      metadata: {},
      flags: [],
      fingerprint: 'fp',
      sourcePath: '/in/1',
      sourceName: '1',
      intake: 'ingest',
      operator: null,
    });
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
    await pages.upsert(page(2, 'b.jpg'));
    await pages.upsert(page(1, 'a.jpg'));
    // A crash and a second try: the same row, every field replaced.
    await pages.upsert({
      ...page(1, 'a2.jpg'),
      sourceKind: 'pdf',
      sourceSubpage: 3,
      originalBytes: 3_000_000_000,
      dpi: null,
    });
    expect((await pages.list(id)).map((p) => [p.pageNo, p.sourceFile])).toEqual([
      [1, 'a2.jpg'],
      [2, 'b.jpg'],
    ]);
    expect(await pages.get(id, 1)).toEqual({
      ...page(1, 'a2.jpg'),
      sourceKind: 'pdf',
      sourceSubpage: 3,
      originalBytes: 3_000_000_000,
      dpi: null,
      cleanWidth: null,
      cleanHeight: null,
      cleanDpi: null,
      skew: null,
      cleanedAt: null,
      ocrConfidence: null,
      ocrChars: null,
      ocrWarning: null,
      ocrAt: null,
      orientation: null,
      orientationConfidence: null,
      rotateOverride: null,
      textXHeight: null,
    });
    expect((await pages.get(id, 2))?.sourceRegion).toEqual({ side: 'left', x0: 0, x1: 50 });
    expect(await pages.get(id, 3)).toBeNull();
    expect(await pages.list('nope')).toEqual([]);
    await pages.markCleaned(id, 1, {
      width: 90,
      height: 180,
      dpi: 300,
      skew: 0.5,
      orientation: { turn: 180, confidence: 0.8 },
      xHeight: 12.5,
    });
    await pages.markOcr(id, 1, { confidence: 91.25, chars: 1500, warning: null });
    expect(await pages.get(id, 1)).toMatchObject({
      cleanWidth: 90,
      cleanHeight: 180,
      cleanDpi: 300,
      skew: 0.5,
      orientation: 180,
      orientationConfidence: 0.8,
      textXHeight: 12.5,
      ocrConfidence: 91.25,
      ocrChars: 1500,
      ocrWarning: null,
    });
    expect(Date.parse((await pages.get(id, 1))?.cleanedAt ?? '')).not.toBeNaN();
    expect(Date.parse((await pages.get(id, 1))?.ocrAt ?? '')).not.toBeNaN();
    // Cleaned again without detection: the orientation found before stays; null clears it.
    await pages.markCleaned(id, 1, { width: 91, height: 181, dpi: 300, skew: 0.1 });
    expect(await pages.get(id, 1)).toMatchObject({ cleanWidth: 91, orientation: 180, textXHeight: null });
    await pages.markCleaned(id, 1, { width: 91, height: 181, dpi: 300, skew: 0.1, orientation: null });
    expect(await pages.get(id, 1)).toMatchObject({ orientation: null, orientationConfidence: null });
    await pages.markOcr(id, 2, { confidence: 0, chars: 0, warning: 'ocr_empty' });
    expect(await pages.get(id, 2)).toMatchObject({ ocrWarning: 'ocr_empty', cleanedAt: null });
  });

  it('records refused batches with their event, newest first, and filters them as SQLite does', async () => {
    // A database whose LC_CTYPE folds more than ASCII (as most production locales do).
    const [pool] = (await pg.fresh(1, 4, { ctype: 'C.utf8' })) as [pg.Pool];
    const rejections = createPgRejectionQueries(pool);
    const base = { sourcePath: '/in/x', movedTo: null, files: ['a.docx'], fileCount: 1 };
    const first = await rejections.record({
      ...base,
      batchName: 'Kosong',
      intake: 'watch',
      operator: null,
      problems: [{ code: 'batch_empty' }],
      movedTo: '/in/gagal/Kosong',
      at: '2026-05-01T08:00:00.000Z',
    });
    expect(first).toEqual({
      ...base,
      id: first.id,
      batchName: 'Kosong',
      intake: 'watch',
      operator: null,
      problems: [{ code: 'batch_empty' }],
      movedTo: '/in/gagal/Kosong',
      at: '2026-05-01T08:00:00.000Z',
    });
    const many = Array.from({ length: MAX_FILES + 5 }, (_, i) => `p${i}.jpg`);
    await rejections.record({
      ...base,
      batchName: 'Unggahan Rusak',
      intake: 'upload',
      operator: 'siti',
      problems: [{ code: 'image_corrupt', params: { file: 'p2.jpg' } }, { code: 'page_number_gap' }],
      files: many,
      fileCount: many.length,
      at: '2026-05-02T08:00:00.000Z',
    });
    await rejections.record({
      ...base,
      batchName: 'ÉTUDE 100%_final',
      intake: 'upload',
      operator: 'budi',
      problems: [{ code: 'batch_empty' }],
      at: '2026-05-02T08:00:00.000Z',
    });
    const now = await rejections.record({
      ...base,
      batchName: 'Baru',
      intake: 'watch',
      operator: null,
      problems: [],
    });
    expect(Date.now() - Date.parse(now.at)).toBeLessThan(60_000);

    expect((await rejections.list()).map((x) => x.batchName)).toEqual([
      'Baru',
      'ÉTUDE 100%_final', // the same instant as the upload: the later one first (id)
      'Unggahan Rusak',
      'Kosong',
    ]);
    const rusak = (await rejections.list({ operator: 'siti' }))[0];
    expect(rusak?.files).toHaveLength(MAX_FILES);
    expect(rusak?.fileCount).toBe(MAX_FILES + 5);
    expect((await rejections.list({ visibleTo: 'budi' })).map((x) => x.batchName)).toEqual([
      'Baru',
      'ÉTUDE 100%_final',
      'Kosong',
    ]);
    expect((await rejections.list({ since: '2026-05-02T00:00:00Z' })).map((x) => x.batchName)).toEqual([
      'Baru',
      'ÉTUDE 100%_final',
      'Unggahan Rusak',
    ]);
    expect(await rejections.count({ from: '2026-05-01', to: '2026-05-01' })).toBe(1);
    expect(await rejections.count({ q: 'rusak', from: '2026-05-02', to: '2026-05-02' })).toBe(1);
    expect(await rejections.count({ q: 'RUSAK', operator: 'siti', visibleTo: 'siti' })).toBe(1);
    // SQLite's LIKE folds ASCII letters only, and %, _ and \ in the words are literal.
    expect(await rejections.count({ q: 'étude' })).toBe(0);
    expect(await rejections.count({ q: 'ÉTUDE' })).toBe(1);
    expect(await rejections.count({ q: 'Étude' })).toBe(1);
    expect(await rejections.count({ q: '100%_' })).toBe(1);
    expect(await rejections.count({ q: '100__' })).toBe(0);
    expect(await rejections.count({ q: '0%f' })).toBe(0);
    expect(await rejections.count({ q: '\\' })).toBe(0);
    expect((await rejections.list({}, { limit: 2, offset: 1 })).map((x) => x.batchName)).toEqual([
      'ÉTUDE 100%_final',
      'Unggahan Rusak',
    ]);
    expect(await rejections.count()).toBe(4);
    const { rows } = await pool.query(
      `SELECT level, code, params FROM events WHERE item_id IS NULL ORDER BY id`,
    );
    expect(rows.map((r) => [r.level, r.code, JSON.parse(r.params)])[1]).toEqual([
      'warn',
      'batch_rejected',
      { batch: 'Unggahan Rusak', reasons: 'image_corrupt,page_number_gap' },
    ]);
    expect(await createPgRunQueries(pool).eventsFor('x')).toEqual([]);
  });

  it('records a refused batch all or nothing', async () => {
    const pool = await one();
    const rejections = createPgRejectionQueries(pool);
    // This register refuses every event: the refused batch must not be kept without its event.
    await pool.query(`
      CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'events refused'; END $$;
      CREATE TRIGGER refuse_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_events();
    `);
    await expect(
      rejections.record({
        sourcePath: '/in/x',
        movedTo: null,
        files: [],
        fileCount: 0,
        batchName: 'Kosong',
        intake: 'watch',
        operator: null,
        problems: [{ code: 'batch_empty' }],
      }),
    ).rejects.toThrow('events refused');
    expect(await rejections.count()).toBe(0);
  });
});
