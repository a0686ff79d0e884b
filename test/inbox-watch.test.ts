import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createInboxWatcher } from '../ingest/inbox-watcher.ts';
import { createPindai, type Pindai } from '../scripts/pindai-context.ts';
import { makePage, SAMPLE_TEXT } from './fixtures/make-page.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { tempDir } from './support/temp-dir.ts';

// A generous bound: it only ends a test that would otherwise hang, on a loaded machine too.
const waitFor = async (cond: () => boolean, ms = 90_000, why: () => string = () => '') => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting ${why()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The watched inbox with real files, real chokidar and the real acceptBatch (no workers). */
describe.each([
  ['events', false],
  ['polling', true],
])('inbox watcher (%s)', (_mode, poll) => {
  const root = tempDir();
  let app: Pindai;
  let watcher: ReturnType<typeof createInboxWatcher>;
  const seen: string[] = [];
  const triggers = new Map<string, string>();
  // What the watcher said meanwhile: a timeout then tells why the batch was not taken.
  const notes: string[] = [];
  const why = () => `(watcher: ${notes.join('; ') || 'nothing'}; tracking ${watcher?.pending().join(', ')})`;

  beforeAll(async () => {
    const config = loadConfig({ PINDAI_DATA_DIR: root, PINDAI_QUIET_SECONDS: '1.5', ...OCR_ENV });
    app = await createPindai(config, { log: createLogger('silent') });
    watcher = createInboxWatcher({
      inboxDir: config.inboxDir,
      reserved: ['arsip', 'gagal'],
      quietMs: config.quietMs,
      markerSettleMs: 200,
      poll,
      pollMs: 100,
      accept: (dir, { arrivedAt }) =>
        app.accept(dir, {
          intake: 'watch',
          arrivedAt,
          disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
        }),
    });
    watcher.events.on('waiting', ({ name, error }) => notes.push(`${name} waiting: ${error.message}`));
    watcher.events.on('error', ({ name, error }) => notes.push(`${name} error: ${error.message}`));
    watcher.events.on('batch', ({ name, trigger }) => {
      seen.push(name);
      triggers.set(name, trigger);
    });
    await watcher.start();
  });

  afterAll(async () => {
    await watcher?.stop();
    await app?.close();
  });

  it('waits while a slow scanner pauses between pages, then accepts the whole batch', async () => {
    const dir = path.join(app.config.inboxDir, 'Buku Lambat');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'p1.jpg'), await makePage({ columns: [SAMPLE_TEXT.id1] }));
    await new Promise((r) => setTimeout(r, 900)); // a pause shorter than the quiet period
    expect(seen).not.toContain('Buku Lambat');
    fs.writeFileSync(path.join(dir, 'p2.jpg'), await makePage({ columns: [SAMPLE_TEXT.id2] }));
    await waitFor(() => seen.includes('Buku Lambat'), 90_000, why);
    const receipt = fs.readFileSync(path.join(app.config.archiveDir, 'Buku Lambat', 'HASIL.txt'), 'utf8');
    expect(receipt).toMatch(/Diterima .* 2 halaman/);
    expect(receipt).toMatch(/Ditahan untuk ditinjau.*metadata\.json/); // held: no metadata.json
    const item = (await app.register.items.list()).find((i) => i.sourceName === 'Buku Lambat');
    expect(item?.pageCount).toBe(2);
    expect(item?.metadata.rights).toBe('review');
    expect(item?.flags).toContainEqual({ code: 'held_for_review', params: { reason: 'metadata_missing' } });
    // Arrival in the inbox is when its last page came, not when the quiet period let intake start.
    const [arrived, accepted] = await app.register.steps.ofItem(item?.id as string);
    expect(arrived?.step).toBe('arrived');
    expect(accepted?.step).toBe('accepted');
    expect(Date.parse(accepted?.at as string) - Date.parse(arrived?.at as string)).toBeGreaterThanOrEqual(
      app.config.quietMs,
    );
    expect(Date.parse(item?.createdAt as string)).toBeGreaterThan(Date.parse(arrived?.at as string));
  });

  it('accepts at once when the marker file appears', async () => {
    const dir = path.join(app.config.inboxDir, 'bertanda');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'hal 1.png'),
      await makePage({ columns: [SAMPLE_TEXT.id3], format: 'png' }),
    );
    fs.writeFileSync(path.join(dir, 'SELESAI'), '');
    await waitFor(() => seen.includes('bertanda'));
    // Taken as complete because of its marker, before the quiet period ran out.
    expect(triggers.get('bertanda')).toBe('marker');
    expect(fs.existsSync(path.join(app.config.archiveDir, 'bertanda', 'hal 1.png'))).toBe(true);
  });

  it('moves a batch with a damaged page to gagal/ with a reason in Bahasa Indonesia; originals kept', async () => {
    const dir = path.join(app.config.inboxDir, 'rusak');
    fs.mkdirSync(dir);
    const good = await makePage({ columns: [SAMPLE_TEXT.id1] });
    fs.writeFileSync(path.join(dir, 'p1.jpg'), good);
    fs.writeFileSync(path.join(dir, 'p2.jpg'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(dir, 'READY'), '');
    await waitFor(() => seen.includes('rusak'));
    const failed = path.join(app.config.failedDir, 'rusak');
    const reason = fs.readFileSync(path.join(failed, 'ALASAN.txt'), 'utf8');
    expect(reason).toMatch(/Ditolak/);
    expect(reason).toMatch(/p2\.jpg" terpotong/);
    expect(fs.readFileSync(path.join(failed, 'p1.jpg'))).toEqual(good);
    expect((await app.register.items.list()).some((i) => i.sourceName === 'rusak')).toBe(false);
  });
});

/**
 * A folder the file-system watcher never reports (chokidar polling once an hour: as good as a
 * missed event) is still found by the watcher's own look at the inbox, and taken.
 */
describe('inbox watcher: a missed event does not lose a batch', () => {
  const root = tempDir();
  let app: Pindai;
  let watcher: ReturnType<typeof createInboxWatcher>;
  const seen: string[] = [];

  beforeAll(async () => {
    const config = loadConfig({ PINDAI_DATA_DIR: root, PINDAI_QUIET_SECONDS: '1', ...OCR_ENV });
    app = await createPindai(config, { log: createLogger('silent') });
    watcher = createInboxWatcher({
      inboxDir: config.inboxDir,
      reserved: ['arsip', 'gagal'],
      quietMs: config.quietMs,
      poll: true,
      pollMs: 3_600_000,
      accept: (dir) =>
        app.accept(dir, {
          intake: 'watch',
          disposition: { kind: 'move', archiveDir: config.archiveDir, failedDir: config.failedDir },
        }),
    });
    watcher.events.on('batch', ({ name }) => seen.push(name));
    await watcher.start();
  });

  afterAll(async () => {
    await watcher?.stop();
    await app?.close();
  });

  it('takes a batch chokidar did not report', async () => {
    const dir = path.join(app.config.inboxDir, 'Tak Terlihat');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'p1.jpg'), await makePage({ columns: [SAMPLE_TEXT.id2] }));
    await waitFor(() => seen.includes('Tak Terlihat'), 60_000);
    expect(fs.existsSync(path.join(app.config.archiveDir, 'Tak Terlihat', 'HASIL.txt'))).toBe(true);
  });
});
