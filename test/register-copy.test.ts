import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CopyReport } from '../core/register/pg/copy-from-sqlite.ts';
import { createPgCatalogQueries } from '../core/register/pg/pg-catalog.ts';
import { createPgItemQueries } from '../core/register/pg/pg-items.ts';
import { createPgPool } from '../core/register/pg/pool.ts';
import { createRegister } from '../core/register/register.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { describePostgres, startPostgres, type TestPostgres } from './support/postgres.ts';
import { pindai } from './support/run-cli.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp } from './support/test-app.ts';

/**
 * `pindai register copy --to postgres://…` on a register a real pipeline filled (items, pages,
 * jobs, runs, events, a held item, a refused batch, a user, audit lines), into a real PostgreSQL.
 */
describePostgres(
  'pindai register copy: the embedded register into PostgreSQL, verified and resumable',
  () => {
    const root = tempDir('pindai-regcopy-');
    const data = path.join(root, 'data');
    let server: TestPostgres;
    let url = '';
    const ids: string[] = [];
    const copy = async () => {
      const r = await pindai(['register', 'copy', '--to', url, '--json', '--data', data]);
      return {
        code: r.code,
        stderr: r.stderr,
        report: (r.stdout ? JSON.parse(r.stdout) : null) as CopyReport | null,
      };
    };
    const rowsOf = (report: CopyReport | null, table: string) =>
      report?.tables.find((t) => t.table === table);

    beforeAll(async () => {
      const app = createTestApp(data);
      const a = await writeBatch(
        root,
        'a-hikayat',
        [{ columns: [SAMPLE_TEXT.id1] }, { columns: [SAMPLE_TEXT.id2] }],
        {
          metadata: { title: 'Hikayat Salinan', rights: 'open', year: 1930 },
        },
      );
      const b = await writeBatch(root, 'b-tanpa-metadata', [{ columns: [SAMPLE_TEXT.id3] }]);
      for (const dir of [a.dir, b.dir]) {
        const r = await app.accept(dir, { intake: 'ingest', disposition: { kind: 'keep' } });
        if (r.item) ids.push(r.item.id);
      }
      fs.mkdirSync(path.join(root, 'c-kosong'));
      await app.accept(path.join(root, 'c-kosong'), { intake: 'ingest', disposition: { kind: 'keep' } });
      await app.runner.start();
      await app.runner.drain(ids);
      await app.register.users.insert({
        username: 'kasi',
        displayName: 'Kasi',
        role: 'staf',
        passwordHash: 'x',
      });
      await app.register.audit.record({
        userId: null,
        username: 'cli',
        action: 'user_create',
        detail: { a: 1, b: [2] },
      });
      await app.register.catalog.importRecords(
        [
          {
            id: '001:INL-1',
            format: 'marc',
            controlNumber: 'INL-1',
            title: 'Hikayat Raja Pasai',
            creators: ['Anonim'],
            publisher: null,
            place: null,
            year: 1960,
            edition: null,
            isbn: [],
            language: ['ind'],
            subjects: [],
            callNumber: '899.2 HIK',
            barcodes: ['B1'],
            nomorInduk: ['1/LP'],
          },
        ],
        'katalog.mrc',
      );
      await app.close();
      server = await startPostgres();
      url = await server.createDatabase('copy_target');
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('copies every table, verifies each, and the PostgreSQL register reads the same items', async () => {
      const { code, report, stderr } = await copy();
      expect(code, stderr).toBe(0);
      expect(report?.ok).toBe(true);
      for (const t of [
        'items',
        'pages',
        'jobs',
        'stage_runs',
        'events',
        'users',
        'audit_log',
        'rejected_batches',
        'catalog_records',
        'catalog_keys',
      ]) {
        expect(rowsOf(report, t)?.rows, t).toBeGreaterThan(0);
        expect(rowsOf(report, t)?.copied, t).toBe(rowsOf(report, t)?.rows);
      }
      const sqlite = createRegister(path.join(data, 'register.sqlite'));
      const pool = createPgPool(url);
      try {
        const pgItems = createPgItemQueries(pool);
        for (const id of ids) expect(await pgItems.get(id)).toEqual(await sqlite.items.get(id));
        expect(await createPgCatalogQueries(pool).find('nomorInduk', '1/lp')).toEqual(
          await sqlite.catalog.find('nomorInduk', '1/lp'),
        );
        // The server numbers new rows after the copied ones.
        const next = await pool.query<{ id: number }>(
          `INSERT INTO audit_log (at, username, action) VALUES ('t', 'x', 'y') RETURNING id`,
        );
        expect(next.rows[0]?.id).toBe((rowsOf(report, 'audit_log')?.rows ?? 0) + 1);
        await pool.query('DELETE FROM audit_log WHERE id = $1', [next.rows[0]?.id]);
      } finally {
        await sqlite.close();
        await pool.end();
      }
    });

    it('goes on after a stop: run again, it copies only what is missing', async () => {
      const pool = createPgPool(url);
      try {
        await pool.query('DELETE FROM events WHERE id > 2');
      } finally {
        await pool.end();
      }
      const { code, report } = await copy();
      expect(code).toBe(0);
      expect(rowsOf(report, 'events')?.copied).toBe((rowsOf(report, 'events')?.rows ?? 0) - 2);
      expect(rowsOf(report, 'items')?.copied).toBe(0);
      expect(report?.ok).toBe(true);
    });

    it('says so when the target differs from the register (exit status 1)', async () => {
      const pool = createPgPool(url);
      try {
        await pool.query(`UPDATE items SET title = 'Diubah di tujuan' WHERE id = $1`, [ids[0]]);
      } finally {
        await pool.end();
      }
      const { code, report } = await copy();
      expect(code).toBe(1);
      expect(report?.ok).toBe(false);
      expect(report?.tables.filter((t) => !t.verified).map((t) => t.table)).toEqual(['items']);
    });
  },
);
