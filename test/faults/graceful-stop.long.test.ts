import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SAMPLE_TEXT } from '../fixtures/make-page.ts';
import { writeBatch } from '../support/fixture-batches.ts';
import { startPindai } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DENSE = [SAMPLE_TEXT.id1, SAMPLE_TEXT.id2, SAMPLE_TEXT.id3, SAMPLE_TEXT.en1].join('\n\n');

interface JobRow {
  stage: string;
  status: string;
  attempts: number;
  lease_owner: string | null;
  last_error_code: string | null;
}

function jobs(data: string): JobRow[] {
  const db = new Database(path.join(data, 'register.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT stage, status, attempts, lease_owner, last_error_code FROM jobs ORDER BY id')
      .all() as JobRow[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

async function serve(data: string, graceSeconds: number) {
  return startPindai(
    ['serve', '--data', data],
    {
      PINDAI_PORT: '0',
      PINDAI_QUIET_SECONDS: '1',
      PINDAI_OCR_WORKERS: '1',
      PINDAI_STOP_GRACE_SECONDS: String(graceSeconds),
    },
    /Pindai berjalan/,
  );
}

/** Drop a batch of `pages` dense A4 300 dpi pages (seconds of OCR each) and wait until OCR runs. */
async function untilMidOcr(root: string, data: string, child: ChildProcess, pages: number): Promise<void> {
  const columns = [DENSE, DENSE];
  await writeBatch(
    path.join(root, 'staging'),
    'Buku Tebal',
    Array.from({ length: pages }, (_, i) => ({
      columns,
      width: 2480 - i * 16,
      height: 3508,
      dpi: 300,
      fontPt: 10,
    })),
  );
  fs.writeFileSync(path.join(root, 'staging', 'Buku Tebal', 'READY'), '');
  fs.renameSync(path.join(root, 'staging', 'Buku Tebal'), path.join(data, 'inbox', 'Buku Tebal'));
  const deadline = Date.now() + 90_000;
  while (!jobs(data).some((j) => j.stage === 'ocr' && j.status === 'running')) {
    expect(Date.now() < deadline).toBe(true);
    expect(child.exitCode).toBeNull();
    await sleep(100);
  }
  await sleep(1500); // the page is now inside tesseract
}

async function stop(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const code = await exited;
  return { code, ms: Date.now() - t0 };
}

async function untilAvailable(data: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const db = new Database(path.join(data, 'register.sqlite'), { readonly: true });
    const s = (db.prepare('SELECT status FROM items').get() as { status: string } | undefined)?.status;
    db.close();
    if (s === 'available') return;
    expect(Date.now() < deadline, `status ${s}`).toBe(true);
    await sleep(300);
  }
}

/**
 * SIGTERM to `pindai serve` while a page is being recognised: in-flight work either finishes
 * within the grace period or is released back to the queue (no attempt spent) when the grace
 * period is shorter than the page; either way the process exits 0 promptly and a restart completes.
 */
describe('graceful stop of pindai serve mid-OCR', () => {
  it('releases in-flight OCR when the grace period is shorter than the page', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    const s = await serve(data, 1);
    // Four pages: far more OCR than the 1 s grace and the 2 s release wait, however fast the machine.
    await untilMidOcr(root, data, s.child, 4);
    const { code, ms } = await stop(s.child);
    process.stderr.write(`graceful stop (grace 1 s, page in OCR): exited ${code} after ${ms} ms\n`);
    expect(code, s.stderr()).toBe(0);
    expect(ms).toBeLessThan(1000 + 2000 + 4000); // grace + release wait + closing the OCR threads
    const ocr = jobs(data).find((j) => j.stage === 'ocr');
    expect(ocr).toMatchObject({
      status: 'queued',
      lease_owner: null,
      attempts: 0,
      last_error_code: 'released',
    });
    const again = await serve(data, 1);
    await untilAvailable(data);
    expect((await stop(again.child)).code).toBe(0);
  });

  it('lets in-flight OCR finish when it fits in the grace period, starting nothing new', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    const s = await serve(data, 120);
    await untilMidOcr(root, data, s.child, 1);
    const { code, ms } = await stop(s.child);
    process.stderr.write(`graceful stop (grace 120 s, page in OCR): exited ${code} after ${ms} ms\n`);
    expect(code, s.stderr()).toBe(0);
    const all = jobs(data);
    expect(all.find((j) => j.stage === 'ocr')).toMatchObject({ status: 'done', lease_owner: null });
    expect(all.filter((j) => j.status === 'running')).toEqual([]);
    const again = await serve(data, 1);
    await untilAvailable(data);
    expect((await stop(again.child)).code).toBe(0);
  });
});
