import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { describePostgres, startPostgres, type TestPostgres } from './support/postgres.ts';
import { startPindai } from './support/run-cli.ts';
import { startS3Server, type TestS3Server } from './support/s3-server.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * One web node and two workers, each with its OWN data folder (no shared filesystem), on one
 * PostgreSQL register and one S3 store; the collection uses the embedded index, which lives on
 * the web node: the workers' index changes travel through the register's outbox. One worker is
 * killed with SIGKILL while it runs OCR; the other finishes its work.
 */
describePostgres('several machines: pindai serve + two pindai worker on PostgreSQL and S3', () => {
  const root = tempDir('pindai-multi-');
  let pgServer: TestPostgres;
  let s3: TestS3Server;
  let web: ChildProcess;
  const workers: ChildProcess[] = [];
  let base = '';
  let db: pg.Client;
  let env: Record<string, string> = {};
  const titles = ['Babad Satu', 'Babad Dua', 'Babad Tiga'];

  beforeAll(async () => {
    pgServer = await startPostgres();
    s3 = await startS3Server();
    env = {
      ...OCR_ENV,
      ...s3.env('pindai-multi'),
      PINDAI_REGISTER_URL: await pgServer.createDatabase('multi'),
      PINDAI_JOB_LEASE_SECONDS: '5',
      PINDAI_QUIET_SECONDS: '1',
      PINDAI_OCR_WORKERS: '1',
    };
    db = new pg.Client({ connectionString: env.PINDAI_REGISTER_URL });
    await db.connect();
    const started = await startPindai(
      ['serve', '--data', path.join(root, 'web')],
      { ...env, PINDAI_PORT: '0', PINDAI_JOB_CONCURRENCY: '0' },
      /http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    web = started.child;
    base = `http://127.0.0.1:${started.match[1]}`;
    for (const name of ['w1', 'w2']) {
      const w = await startPindai(
        ['worker', '--data', path.join(root, name)],
        { ...env, PINDAI_JOB_CONCURRENCY: '1' },
        /Pekerja Pindai berjalan \(register PostgreSQL/,
      );
      workers.push(w.child);
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of [web, ...workers]) {
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await exited;
      }
    }
    await db?.end();
    await s3?.close();
    await pgServer?.stop();
  });

  const rows = async <T extends pg.QueryResultRow>(sql: string) => (await db.query<T>(sql)).rows;
  const waitFor = async (what: string, cond: () => Promise<boolean>, ms = 240_000) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('processes every batch dropped on the web node, through a worker killed mid-OCR', async () => {
    const inbox = path.join(root, 'web', 'inbox');
    for (const [i, title] of titles.entries()) {
      const staged = await writeBatch(
        path.join(root, 'staging'),
        title,
        [
          { title, columns: [SAMPLE_TEXT.id1], width: 900, height: 700 },
          { columns: [SAMPLE_TEXT.id2], width: 900, height: 700, footer: String(i) },
        ],
        { metadata: { title, rights: 'open', year: 1900 + i } },
      );
      fs.mkdirSync(inbox, { recursive: true });
      fs.renameSync(staged.dir, path.join(inbox, title));
    }
    // A worker is in the middle of OCR: kill it, as a machine that loses power.
    const victim = workers[0] as ChildProcess;
    await waitFor(
      'worker 1 running OCR',
      async () =>
        (
          await rows<{ n: number }>(
            `SELECT COUNT(*)::int AS n FROM jobs WHERE stage = 'ocr' AND status = 'running'
             AND lease_owner LIKE '%:${victim.pid}:%'`,
          )
        )[0]?.n === 1,
    );
    victim.kill('SIGKILL');

    await waitFor('every item available', async () => {
      const r = await rows<{ status: string }>('SELECT status FROM items');
      return r.length === titles.length && r.every((x) => x.status === 'available');
    });
    const items = await rows<{ id: string; nomor_induk: string; seq: number; title: string }>(
      'SELECT id, nomor_induk, seq, title FROM items ORDER BY seq',
    );
    // Nomor induk: unique and consecutive across the machines.
    expect(items.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(new Set(items.map((x) => x.nomor_induk)).size).toBe(3);
    // The killed worker's OCR job was taken over (a crash or a second attempt on record) and
    // finished by the other one.
    const ocrJobs = await rows<{ attempts: number; crashes: number }>(
      `SELECT attempts, crashes FROM jobs WHERE stage = 'ocr'`,
    );
    expect(ocrJobs.some((j) => j.crashes >= 1 || j.attempts >= 2)).toBe(true);
    const runs = await rows<{ outcome: string; worker: string }>(
      `SELECT outcome, worker FROM stage_runs WHERE stage = 'ocr'`,
    );
    expect(runs.some((r) => r.worker.includes(`:${workers[1]?.pid}:`) && r.outcome === 'done')).toBe(true);

    // Searchable on the web node (its embedded index, fed from the outbox) and downloadable.
    for (const it of items) {
      await waitFor(
        `${it.title} in search`,
        async () => {
          const r = await fetch(`${base}/api/search?q=${encodeURIComponent(it.title)}`);
          return ((await r.json()) as { hits: { itemId: string }[] }).hits.some((h) => h.itemId === it.id);
        },
        30_000,
      );
      const pdf = await fetch(`${base}/api/items/${it.id}/pdf`);
      expect(pdf.status).toBe(200);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
    const page = await fetch(`${base}/api/search?q=${encodeURIComponent('naskah tua yang rapuh')}`);
    expect(((await page.json()) as { total: number }).total).toBeGreaterThan(0);
    // No worker kept anything but its own scratch folder.
    for (const name of ['w1', 'w2']) expect(fs.existsSync(path.join(root, name, 'store'))).toBe(false);
  }, 300_000);
});
