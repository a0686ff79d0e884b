import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegister, type Register } from './register.ts';

/** Every job that is due runs and finishes, as a worker would do it. */
function finishAll(reg: Register): void {
  const done = { startedAt: new Date().toISOString(), durationMs: 0, outcome: 'done' } as const;
  for (let j = reg.jobs.claim('t', 60_000); j; j = reg.jobs.claim('t', 60_000))
    reg.jobs.complete(j, 't', done);
}

describe('staff item changes in the register', () => {
  let dir: string;
  let reg: Register;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-staff-items-'));
    reg = createRegister(path.join(dir, 'r.sqlite'));
    reg.items.insert({
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
    reg.items.markReceived('a', { pageCount: 3, originalBytes: 3, sourceFormat: 'jpeg' });
    for (const n of [1, 2, 3]) {
      reg.pages.upsert({
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
      reg.pages.markCleaned('a', n, { width: 1, height: 1, dpi: 300, skew: 0 });
    }
    for (const stage of ['register', 'clean', 'ocr', 'pdf', 'publish'] as const)
      reg.jobs.enqueue('a', stage, 3);
    finishAll(reg);
  });
  afterEach(() => {
    reg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reorders and removes pages, keeps the old arrangement and redoes from cleaning', () => {
    const q = reg.staffItems;
    expect(q.rearrangePages('a', [3, 1], 'sari')).toBe(3);
    expect(reg.pages.list('a').map((p) => [p.pageNo, p.sourceFile, p.cleanedAt])).toEqual([
      [1, 'p3.jpg', null],
      [2, 'p1.jpg', null],
    ]);
    expect(reg.items.get('a')).toMatchObject({ pageCount: 2, status: 'processing', stage: 'clean' });
    expect(reg.jobs.forItem('a').map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    const rev = q.revisions('a')[0]!;
    expect(rev.kind).toBe('pages');
    expect((rev.before.pages as { source_file: string }[]).map((p) => p.source_file)).toEqual([
      'p1.jpg',
      'p2.jpg',
      'p3.jpg',
    ]);
  });

  it('refuses an invalid order or a busy item and changes nothing', () => {
    const q = reg.staffItems;
    expect(q.rearrangePages('a', [1, 1], 'sari')).toBeNull();
    expect(q.rearrangePages('a', [4], 'sari')).toBeNull();
    expect(q.rearrangePages('a', [], 'sari')).toBeNull();
    reg.jobs.requeue('a', 'publish');
    expect(q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect(reg.pages.list('a').map((p) => p.sourceFile)).toEqual(['p1.jpg', 'p2.jpg', 'p3.jpg']);
    expect(q.revisions('a')).toEqual([]);
    expect(q.rerunFrom('a', 'ocr')).toBe(false);
  });

  it('re-runs OCR only for an item whose OCR ran, and records other languages', () => {
    const q = reg.staffItems;
    expect(q.rerunFrom('a', 'ocr', { ocrLangs: ['ind'] })).toBe(true);
    expect(reg.jobs.forItem('a').map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'done'],
      ['ocr', 'queued'],
    ]);
    expect(reg.itemSettings.ocrLangs('a')).toEqual(['ind']);
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

  it('replaces one page: the old record is kept, only that page is redone from cleaning', () => {
    const q = reg.staffItems;
    expect(q.replacePage('a', 2, rescan, 'sari')).toMatchObject({ page_no: 2, original_key: 'k2' });
    const pages = reg.pages.list('a');
    expect(pages.map((p) => [p.sourceFile, p.originalKey, p.cleanedAt === null])).toEqual([
      ['p1.jpg', 'k1', false],
      ['p2-ulang.png', 'k2b', true],
      ['p3.jpg', 'k3', false],
    ]);
    expect(pages[1]).toMatchObject({ width: 2, height: 3, dpi: 400, format: 'png', ocrAt: null });
    expect(reg.items.get('a')).toMatchObject({
      status: 'processing',
      stage: 'clean',
      originalBytes: 7,
      sourceFormat: 'jpeg+png',
    });
    expect(reg.jobs.forItem('a').map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    const rev = q.revisions('a')[0]!;
    expect(rev).toMatchObject({ kind: 'page_replace', username: 'sari' });
    expect(rev.before.page).toMatchObject({ page_no: 2, source_file: 'p2.jpg', original_sha256: 's2' });
  });

  it('refuses to replace a page of a busy item or a page that does not exist', () => {
    const q = reg.staffItems;
    expect(q.replacePage('a', 4, rescan, 'sari')).toBeNull();
    reg.jobs.requeue('a', 'publish');
    expect(q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect(reg.pages.get('a', 2)?.originalKey).toBe('k2');
    expect(q.revisions('a')).toEqual([]);
  });

  it('stores cleaning settings with a re-run from cleaning and keeps them for later runs', () => {
    const q = reg.staffItems;
    const settings = reg.itemSettings;
    expect(settings.cleanSettings('a')).toBeNull();
    expect(q.rerunFrom('a', 'clean', { clean: { rotate: 90, deskew: false } })).toBe(true);
    expect(settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    finishAll(reg);
    // A re-run without new settings (or an OCR re-run) leaves them as they are.
    expect(q.rerunFrom('a', 'clean')).toBe(true);
    expect(settings.cleanSettings('a')).toEqual({ rotate: 90, deskew: false });
    finishAll(reg);
    expect(q.rerunFrom('a', 'clean', { clean: {} })).toBe(true);
    expect(settings.cleanSettings('a')).toBeNull();
  });

  it('turns one page: only that page is cleaned again, automatic again clears it, a rescan drops it', () => {
    const q = reg.staffItems;
    reg.pages.markCleaned('a', 2, {
      width: 1,
      height: 1,
      dpi: 300,
      skew: 0,
      orientation: { turn: 180, confidence: 0.9 },
    });
    expect(reg.pages.get('a', 2)).toMatchObject({
      orientation: 180,
      orientationConfidence: 0.9,
      rotateOverride: null,
    });
    expect(q.rotatePage('a', 2, 90)).toEqual({ before: null });
    expect(reg.pages.list('a').map((p) => [p.pageNo, p.rotateOverride, p.cleanedAt === null])).toEqual([
      [1, null, false],
      [2, 90, true],
      [3, null, false],
    ]);
    expect(reg.items.get('a')).toMatchObject({ status: 'processing', stage: 'clean' });
    expect(reg.jobs.forItem('a').map((j) => [j.stage, j.status])).toEqual([
      ['register', 'done'],
      ['clean', 'queued'],
    ]);
    // Busy now: refused. An unknown page is refused too.
    expect(q.rotatePage('a', 2, 0)).toBeNull();
    finishAll(reg);
    expect(q.rotatePage('a', 7, 0)).toBeNull();
    // Cleaning with staff's turn records no detection; automatic again clears the choice.
    reg.pages.markCleaned('a', 2, { width: 1, height: 1, dpi: 300, skew: 0, orientation: null });
    expect(reg.pages.get('a', 2)).toMatchObject({ orientation: null, orientationConfidence: null });
    expect(q.rotatePage('a', 2, null)).toEqual({ before: 90 });
    expect(reg.pages.get('a', 2)?.rotateOverride).toBeNull();
    // A rescan of the page lies its own way round: staff's turn for the old one is dropped.
    finishAll(reg);
    expect(q.rotatePage('a', 3, 270)).toEqual({ before: null });
    finishAll(reg);
    expect(q.replacePage('a', 3, rescan, 'sari')).not.toBeNull();
    expect(reg.pages.get('a', 3)?.rotateOverride).toBeNull();
  });

  it('never re-processes a withdrawn item (publishing would put it back in the collection)', () => {
    const q = reg.staffItems;
    q.withdraw('a', 'sari', 'Salinan ganda');
    expect(q.replacePage('a', 2, rescan, 'sari')).toBeNull();
    expect(q.rearrangePages('a', [2, 1, 3], 'sari')).toBeNull();
    expect(q.rerunFrom('a', 'clean', { clean: { rotate: 180 } })).toBe(false);
    expect(q.rerunFrom('a', 'ocr')).toBe(false);
    expect(q.rotatePage('a', 1, 180)).toBeNull();
    expect(reg.items.get('a')?.status).toBe('withdrawn');
    expect(reg.jobs.forItem('a').every((j) => j.status === 'done')).toBe(true);
  });
});
