import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegister, type Register } from './register.ts';

/** Every job that is due runs and finishes, as a worker would do it. */
async function finishAll(reg: Register): Promise<void> {
  const done = { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' } as const;
  for (let j = await reg.jobs.claim('t', 60_000); j; j = await reg.jobs.claim('t', 60_000))
    await reg.jobs.complete(j, 't', done);
}

describe('staff item changes in the register', () => {
  let dir: string;
  let reg: Register;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-staff-items-'));
    reg = createRegister(path.join(dir, 'r.sqlite'));
    await reg.items.insert({
      id: 'a',
      title: 'Buku',
      metadata: {},
      flags: [],
      fingerprint: 'f',
      sourcePath: '/x',
      sourceName: 'x',
      intake: 'upload',
      operator: null,
    });
    await reg.items.markReceived('a', { pageCount: 3, originalBytes: 3, sourceFormat: 'jpeg' });
    for (const n of [1, 2, 3]) {
      await reg.pages.upsert({
        itemId: 'a',
        pageNo: n,
        sourceFile: `p${n}.jpg`,
        sourceSubpage: 0,
        sourceKind: 'image',
        sourceRegion: null,
        originalKey: `k${n}`,
        originalSha256: `s${n}`,
        originalBytes: 1,
        format: 'jpeg',
        width: 1,
        height: 1,
        dpi: null,
      });
      await reg.pages.markCleaned('a', n, { width: 1, height: 1, dpi: 300, skew: 0 });
    }
    for (const stage of ['register', 'clean', 'ocr', 'pdf', 'publish'] as const)
      await reg.jobs.enqueue('a', stage, 3);
    await finishAll(reg);
  });
  afterEach(async () => {
    await reg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reorders and removes pages, keeps the old arrangement and redoes from cleaning', async () => {
    const q = reg.staffItems;
    expect(await q.rearrangePages('a', [3, 1], 'sari')).toBe(3);
    expect((await reg.pages.list('a')).map((p) => [p.pageNo, p.sourceFile, p.cleanedAt])).toEqual([
      [1, 'p3.jpg', null],
      [2, 'p1.jpg', null],
    ]);
    expect(await reg.items.get('a')).toMatchObject({ pageCount: 2, status: 'processing', stage: 'clean' });
    expect((await reg.jobs.forItem('a')).map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    const rev = (await q.revisions('a'))[0]!;
    expect(rev.kind).toBe('pages');
    expect((rev.before.pages as { source_file: string }[]).map((p) => p.source_file)).toEqual([
      'p1.jpg',
      'p2.jpg',
      'p3.jpg',
    ]);
  });

  it('refuses an invalid order or a busy item and changes nothing', async () => {
    const q = reg.staffItems;
    expect(await q.rearrangePages('a', [1, 1], 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [4], 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [], 'sari')).toBeNull();
    await reg.jobs.requeue('a', 'publish');
    expect(await q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect((await reg.pages.list('a')).map((p) => p.sourceFile)).toEqual(['p1.jpg', 'p2.jpg', 'p3.jpg']);
    expect(await q.revisions('a')).toEqual([]);
    expect(await q.rerunFrom('a', 'ocr')).toBe(false);
  });

  it('re-runs OCR only for an item whose OCR ran, and records other languages', async () => {
    const q = reg.staffItems;
    expect(await q.rerunFrom('a', 'ocr', { ocrLangs: ['ind'] })).toBe(true);
    expect((await reg.jobs.forItem('a')).map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'done'],
      ['ocr', 'queued'],
    ]);
    expect(await reg.itemSettings.ocrLangs('a')).toEqual(['ind']);
  });

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

  it('replaces one page: the old record is kept, only that page is redone from cleaning', async () => {
    const q = reg.staffItems;
    expect(await q.replacePage('a', 2, rescan, 'sari')).toMatchObject({ page_no: 2, original_key: 'k2' });
    const pages = await reg.pages.list('a');
    expect(pages.map((p) => [p.sourceFile, p.originalKey, p.cleanedAt === null])).toEqual([
      ['p1.jpg', 'k1', false],
      ['p2-ulang.png', 'k2b', true],
      ['p3.jpg', 'k3', false],
    ]);
    expect(pages[1]).toMatchObject({ width: 2, height: 3, dpi: 400, format: 'png', ocrAt: null });
    expect(await reg.items.get('a')).toMatchObject({
      status: 'processing',
      stage: 'clean',
      originalBytes: 7,
      sourceFormat: 'jpeg+png',
    });
    expect((await reg.jobs.forItem('a')).map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    const rev = (await q.revisions('a'))[0]!;
    expect(rev).toMatchObject({ kind: 'page_replace', username: 'sari' });
    expect(rev.before.page).toMatchObject({ page_no: 2, source_file: 'p2.jpg', original_sha256: 's2' });
  });

  it('refuses to replace a page of a busy item or a page that does not exist', async () => {
    const q = reg.staffItems;
    expect(await q.replacePage('a', 4, rescan, 'sari')).toBeNull();
    await reg.jobs.requeue('a', 'publish');
    expect(await q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect((await reg.pages.get('a', 2))?.originalKey).toBe('k2');
    expect(await q.revisions('a')).toEqual([]);
  });

  it('stores cleaning settings with a re-run from cleaning and keeps them for later runs', async () => {
    const q = reg.staffItems;
    const settings = reg.itemSettings;
    expect(await settings.cleanSettings('a')).toBeNull();
    expect(await q.rerunFrom('a', 'clean', { clean: { rotate: 90, deskew: false } })).toBe(true);
    expect(await settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    await finishAll(reg);
    // A re-run without new settings (or an OCR re-run) leaves them as they are.
    expect(await q.rerunFrom('a', 'clean')).toBe(true);
    expect(await settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    await finishAll(reg);
    expect(await q.rerunFrom('a', 'clean', { clean: {} })).toBe(true);
    expect(await settings.cleanSettings('a')).toBeNull();
  });

  it('turns one page: only that page is cleaned again, automatic again clears it, a rescan drops it', async () => {
    const q = reg.staffItems;
    await reg.pages.markCleaned('a', 2, {
      width: 1,
      height: 1,
      dpi: 300,
      skew: 0,
      orientation: { turn: 180, confidence: 0.9 },
    });
    expect(await reg.pages.get('a', 2)).toMatchObject({
      orientation: 180,
      orientationConfidence: 0.9,
      rotateOverride: null,
    });
    expect(await q.rotatePage('a', 2, 90)).toEqual({ before: null });
    expect(
      (await reg.pages.list('a')).map((p) => [p.pageNo, p.rotateOverride, p.cleanedAt === null]),
    ).toEqual([
      [1, null, false],
      [2, 90, true],
      [3, null, false],
    ]);
    expect(await reg.items.get('a')).toMatchObject({ status: 'processing', stage: 'clean' });
    expect((await reg.jobs.forItem('a')).map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    // Busy now: refused. An unknown page is refused too.
    expect(await q.rotatePage('a', 2, 0)).toBeNull();
    await finishAll(reg);
    expect(await q.rotatePage('a', 7, 0)).toBeNull();
    // Cleaning with staff's turn records no detection; automatic again clears the choice.
    await reg.pages.markCleaned('a', 2, { width: 1, height: 1, dpi: 300, skew: 0, orientation: null });
    expect(await reg.pages.get('a', 2)).toMatchObject({ orientation: null, orientationConfidence: null });
    expect(await q.rotatePage('a', 2, null)).toEqual({ before: 90 });
    expect((await reg.pages.get('a', 2))?.rotateOverride).toBeNull();
    // A rescan of the page lies its own way round: staff's turn for the old one is dropped.
    await finishAll(reg);
    expect(await q.rotatePage('a', 3, 270)).toEqual({ before: null });
    await finishAll(reg);
    expect(await q.replacePage('a', 3, rescan, 'sari')).not.toBeNull();
    expect((await reg.pages.get('a', 3))?.rotateOverride).toBeNull();
  });

  it('never re-processes a withdrawn item (publishing would put it back in the collection)', async () => {
    const q = reg.staffItems;
    await q.withdraw('a', 'sari', 'Salinan ganda');
    expect(await q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect(await q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect(await q.rerunFrom('a', 'clean', { clean: { rotate: 180 } })).toBe(false);
    expect(await q.rerunFrom('a', 'ocr')).toBe(false);
    expect(await q.rotatePage('a', 1, 180)).toBeNull();
    expect((await reg.items.get('a'))?.status).toBe('withdrawn');
    expect((await reg.jobs.forItem('a')).every((j) => j.status === 'done')).toBe(true);
  });
});
