import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { messageOf } from '../ingest/problems.ts';
import { registerStage } from '../workers/stages/register.stage.ts';
import { makePage, SAMPLE_TEXT } from './fixtures/make-page.ts';
import { StaffClient, type StaffServer, startStaffServer } from './support/staff-server.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from './support/test-app.ts';
import { watchInbox } from './support/watch-inbox.ts';

// A generous bound: it only ends a test that would otherwise hang, on a loaded machine too.
const waitFor = async (cond: () => boolean, ms = 90_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The text a reader sees: entities decoded, so a reason with quotes compares as written. */
const textOf = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The part of a page from the element with this id to the end of its section or table. */
const part = (html: string, id: string, end: string) => {
  const at = html.indexOf(`id="${id}"`);
  expect(at, `no #${id} on the page`).toBeGreaterThan(-1);
  return textOf(html.slice(at, html.indexOf(end, at)));
};

/**
 * A batch the watched folder refused is no longer known to `inbox/gagal/` alone: the register
 * records it, and /staf shows it on the queue (staff and operators) and in the inventory's
 * "Gagal" view, with the same reasons as its ALASAN.txt.
 */
describe('rejected batches are visible in /staf', () => {
  let s: StaffServer;
  let watcher: ReturnType<typeof watchInbox>;
  const seen: string[] = [];
  let reasons: string[] = [];

  beforeAll(async () => {
    s = await startStaffServer({ env: { PINDAI_QUIET_SECONDS: '1' } });
    const { config } = s.pindai;
    watcher = watchInbox(s.pindai);
    watcher.events.on('batch', ({ name }) => seen.push(name));
    await watcher.start();
    await s.addUser('kasie', 'staf');
    await s.addUser('budi', 'operator');

    const dir = path.join(config.inboxDir, 'Naskah Rusak');
    fs.mkdirSync(dir);
    const good = await makePage({ columns: [SAMPLE_TEXT.id1] });
    fs.writeFileSync(path.join(dir, 'p1.jpg'), good);
    fs.writeFileSync(path.join(dir, 'p2.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(dir, 'READY'), '');
    await waitFor(() => seen.includes('Naskah Rusak'));
    const alasan = fs.readFileSync(path.join(config.failedDir, 'Naskah Rusak', 'ALASAN.txt'), 'utf8');
    reasons = alasan
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.slice(2));
    expect(reasons.join('\n')).toMatch(/p2\.jpg" terpotong/);
  });
  afterAll(async () => {
    await watcher?.stop();
    await s?.close();
  });

  it('records the batch in the register: name, channel, reasons, files, where it went, when', async () => {
    const [r] = await s.pindai.register.rejections.list();
    expect(r).toMatchObject({
      batchName: 'Naskah Rusak',
      intake: 'watch',
      operator: null,
      files: ['p1.jpg', 'p2.jpg'],
      fileCount: 2,
      movedTo: path.join(s.pindai.config.failedDir, 'Naskah Rusak'),
    });
    expect(r?.problems.map((p) => messageOf('id', p))).toEqual(reasons);
    expect(Date.now() - Date.parse(r?.at ?? '')).toBeLessThan(3600_000);
  });

  it('lists it on the queue page with its ALASAN text, file names and time, for staff and operators', async () => {
    const staff = new StaffClient(s.base);
    expect((await staff.login('kasie', 'kasie-sandi-rahasia')).status).toBe(303);
    const page = await staff.get('/staf/antrean');
    expect(page.status).toBe(200);
    const section = part(page.text, 'ditolak', '</section>');
    expect(section).toContain('Naskah Rusak');
    for (const reason of reasons) expect(section).toContain(reason);
    expect(section).toContain('p1.jpg');
    expect(section).toContain('gagal/Naskah Rusak');
    expect(section).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);

    // The reason is rendered in the reader's language, from the codes the register keeps.
    const en = part((await staff.get('/staf/antrean?lang=en')).text, 'ditolak', '</section>');
    const [rejection] = await s.pindai.register.rejections.list();
    for (const p of rejection?.problems ?? []) expect(en).toContain(messageOf('en', p));

    // An operator's queue shows their own batches; a folder dropped in the inbox has no known
    // operator, so every operator sees why it was refused.
    const op = new StaffClient(s.base);
    expect((await op.login('budi', 'budi-sandi-rahasia')).status).toBe(303);
    const mine = part((await op.get('/staf/antrean')).text, 'ditolak', '</section>');
    expect(mine).toContain('Naskah Rusak');
    for (const reason of reasons) expect(mine).toContain(reason);
  });

  it('shows it in the inventory "Gagal" view as a row with the reason', async () => {
    const staff = new StaffClient(s.base);
    await staff.login('kasie', 'kasie-sandi-rahasia');
    const failed = await staff.get('/staf/inventaris?status=failed');
    expect(failed.status).toBe(200);
    const table = part(failed.text, 'ditolak', '</table>');
    expect(table).toMatch(/<tr data-rejection="\d+"/);
    expect(table).toContain('Naskah Rusak');
    for (const reason of reasons) expect(table).toContain(reason);
    // Only the "Gagal" view: the Buku Inventaris itself lists items.
    expect((await staff.get('/staf/inventaris?status=available')).text).not.toContain('id="ditolak"');
  });
});

describe('intake: rejections of every channel are recorded; HASIL.txt carries the nomor induk', () => {
  const root = tempDir();
  const inbox = path.join(root, 'data', 'inbox');
  let app: TestApp;

  beforeAll(() => {
    app = createTestApp(path.join(root, 'data'));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('records a `pindai ingest` rejection (folder kept in place) and an empty watched folder', async () => {
    const kept = writeFiles(inbox, 'Hanya Catatan', { 'catatan.docx': 'PK\u0003\u0004 bukan pindaian' });
    const r = await app.accept(kept, { intake: 'ingest', disposition: { kind: 'keep' } });
    expect(r.status).toBe('rejected');
    const empty = writeFiles(inbox, 'Kosong', {});
    expect((await app.accept(empty)).status).toBe('rejected');
    const [second, first] = await app.register.rejections.list();
    expect(first).toMatchObject({ batchName: 'Hanya Catatan', intake: 'ingest', movedTo: null });
    expect(first?.files).toEqual(['catatan.docx']);
    expect(first?.problems.map((p) => p.code)).toContain('batch_empty');
    expect(second).toMatchObject({
      batchName: 'Kosong',
      intake: 'watch',
      files: [],
      movedTo: path.join(app.config.failedDir, 'Kosong'),
    });
  });

  it('writes the nomor induk into HASIL.txt at acceptance; the register stage keeps it', async () => {
    const dir = writeFiles(inbox, 'Buku Bernomor', {
      'p1.jpg': await makePage({ columns: [SAMPLE_TEXT.id2] }),
      'p2.jpg': await makePage({ columns: [SAMPLE_TEXT.id3] }),
    });
    const r = await app.accept(dir);
    expect(r.status).toBe('accepted');
    const nomor = r.item?.nomorInduk;
    expect(nomor).toMatch(/^\d{5}\/AM\/\d{4}$/);
    const receipt = fs.readFileSync(path.join(app.config.archiveDir, 'Buku Bernomor', 'HASIL.txt'), 'utf8');
    expect(receipt).toContain(`Item ${nomor}:`);
    expect(receipt).not.toContain('menunggu nomor');

    const done = await registerStage({
      itemId: r.item!.id,
      deps: { ...app.deps, log: createLogger('silent') },
      signal: new AbortController().signal,
      progress: () => {},
    });
    expect(done).toEqual({ outcome: 'done', detail: nomor });
    expect((await app.register.items.get(r.item!.id))?.nomorInduk).toBe(nomor);
  });
});
