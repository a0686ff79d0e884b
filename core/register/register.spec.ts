import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import { parseNomorTemplate } from '../nomor-induk.ts';
import { createRegister } from './register.ts';

const dir = tempDir();
let n = 0;
const newItem = (reg: ReturnType<typeof createRegister>) =>
  reg.items.insert({
    id: `item${++n}`,
    title: `Buku ${n}`,
    metadata: { sourceNomorInduk: `SRC-${n}` },
    flags: [],
    fingerprint: `fp${n}`,
    sourcePath: `/in/${n}`,
    sourceName: String(n),
    intake: 'ingest',
    operator: null,
  });

describe('register', () => {
  const file = path.join(dir, 'register.sqlite');
  const tpl = parseNomorTemplate('{seq:5}/AM/{year}');

  it('migrates a new file and uses WAL', () => {
    createRegister(file).close();
    // Read back with a plain connection: what the file itself says.
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('allocates consecutive, unique nomor induk across two connections, once per item', () => {
    const a = createRegister(file);
    const b = createRegister(file);
    const items = Array.from({ length: 10 }, () => newItem(a));
    const at = new Date('2026-05-01T00:00:00Z');
    const got = items.map((it, i) => (i % 2 ? a : b).items.allocateNomorInduk(it.id, tpl, '', at));
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `${String(i + 1).padStart(5, '0')}/AM/2026`));
    // Idempotent: asking again returns the same number and does not advance the counter.
    expect(a.items.allocateNomorInduk(items[3]!.id, tpl, '', at)).toBe(got[3]);
    const next = newItem(a);
    expect(b.items.allocateNomorInduk(next.id, tpl, '', at)).toBe('00011/AM/2026');
    expect(a.items.get(next.id)?.sourceNomorInduk).toBe(`SRC-${n}`);
    a.close();
    b.close();
  });

  it('restarts the running number in a new year without reusing numbers', () => {
    const reg = createRegister(file);
    const it1 = newItem(reg);
    expect(reg.items.allocateNomorInduk(it1.id, tpl, '', new Date('2027-01-05T00:00:00Z'))).toBe(
      '00001/AM/2027',
    );
    reg.close();
  });

  it('leases a job to one worker; an expired lease is taken over; complete needs the lease', async () => {
    const reg = createRegister(file);
    const it1 = newItem(reg);
    reg.jobs.enqueue(it1.id, 'register', 3);
    reg.jobs.enqueue(it1.id, 'register', 3); // idempotent
    const j = reg.jobs.claim('w1', 50);
    expect(j?.itemId).toBe(it1.id);
    expect(reg.jobs.claim('w2', 50)).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    const j2 = reg.jobs.claim('w2', 10_000);
    expect(j2?.id).toBe(j?.id);
    expect(j2?.attempts).toBe(2);
    const done = { startedAt: new Date().toISOString(), durationMs: 1, outcome: 'done' } as const;
    expect(reg.jobs.complete(j!, 'w1', done)).toBe(false);
    expect(reg.jobs.complete(j!, 'w2', done)).toBe(true);
    expect(reg.jobs.pendingCount([it1.id])).toBe(0);
    reg.close();
  });

  it('releases leases of dead processes at once and counts the crash', () => {
    const reg = createRegister(file);
    const it1 = newItem(reg);
    reg.jobs.enqueue(it1.id, 'clean', 3);
    const j = reg.jobs.claim('host:999999:dead', 600_000);
    expect(j).not.toBeNull();
    expect(reg.jobs.releaseDeadLeases((o) => o !== 'host:999999:dead')).toBe(1);
    const again = reg.jobs.claim('w3', 1000);
    expect(again?.id).toBe(j?.id);
    expect(again?.attempts).toBe(1);
    expect(again?.crashes).toBe(1);
    reg.close();
  });

  it('records rejected batches with their reasons, newest first, and filters them', () => {
    const reg = createRegister(file);
    const first = reg.rejections.record({
      batchName: 'Kosong',
      sourcePath: '/in/Kosong',
      intake: 'watch',
      operator: null,
      problems: [{ code: 'batch_empty' }],
      files: ['catatan.docx'],
      fileCount: 1,
      movedTo: '/in/gagal/Kosong',
      at: '2026-05-01T08:00:00.000Z',
    });
    reg.rejections.record({
      batchName: 'Unggahan Rusak',
      sourcePath: '/tmp/u/Unggahan Rusak',
      intake: 'upload',
      operator: 'siti',
      problems: [{ code: 'image_corrupt', params: { file: 'p2.jpg', detail: 'truncated' } }],
      files: ['p1.jpg', 'p2.jpg'],
      fileCount: 2,
      movedTo: null,
      at: '2026-05-02T08:00:00.000Z',
    });
    expect(first).toMatchObject({
      batchName: 'Kosong',
      problems: [{ code: 'batch_empty' }],
      files: ['catatan.docx'],
    });
    expect(reg.rejections.list().map((r) => r.batchName)).toEqual(['Unggahan Rusak', 'Kosong']);
    expect(reg.rejections.list({ since: '2026-05-02T00:00:00Z' }).map((r) => r.batchName)).toEqual([
      'Unggahan Rusak',
    ]);
    expect(reg.rejections.list({ operator: 'siti' }).map((r) => r.intake)).toEqual(['upload']);
    // An operator sees their own and those nobody is known for (a folder dropped into the inbox).
    expect(reg.rejections.list({ visibleTo: 'budi' }).map((r) => r.batchName)).toEqual(['Kosong']);
    expect(reg.rejections.count({ q: 'rusak', from: '2026-05-02', to: '2026-05-02' })).toBe(1);
    reg.close();
  });
});
