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

  it('migrates a new file and uses WAL', async () => {
    await createRegister(file).close();
    // Read back with a plain connection: what the file itself says.
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    db.close();
  });

  it('allocates consecutive, unique nomor induk across two connections, once per item', async () => {
    const a = createRegister(file);
    const b = createRegister(file);
    const items = [];
    for (let i = 0; i < 10; i++) items.push(await newItem(a));
    const at = new Date('2026-05-01T00:00:00Z');
    const got: string[] = [];
    // One after the other, alternating connections: the numbers must follow the order of the calls.
    for (const [i, it] of items.entries())
      got.push(await (i % 2 ? a : b).items.allocateNomorInduk(it.id, tpl, '', at));
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `${String(i + 1).padStart(5, '0')}/AM/2026`));
    // Idempotent: asking again returns the same number and does not advance the counter.
    expect(await a.items.allocateNomorInduk(items[3]!.id, tpl, '', at)).toBe(got[3]);
    const next = await newItem(a);
    expect(await b.items.allocateNomorInduk(next.id, tpl, '', at)).toBe('00011/AM/2026');
    expect((await a.items.get(next.id))?.sourceNomorInduk).toBe(`SRC-${n}`);
    await a.close();
    await b.close();
  });

  it('restarts the running number in a new year without reusing numbers', async () => {
    const reg = createRegister(file);
    const it1 = await newItem(reg);
    expect(await reg.items.allocateNomorInduk(it1.id, tpl, '', new Date('2027-01-05T00:00:00Z'))).toBe(
      '00001/AM/2027',
    );
    await reg.close();
  });

  it('leases a job to one worker; an expired lease is taken over; complete needs the lease', async () => {
    const reg = createRegister(file);
    const it1 = await newItem(reg);
    await reg.jobs.enqueue(it1.id, 'register', 3);
    await reg.jobs.enqueue(it1.id, 'register', 3); // idempotent
    const j = await reg.jobs.claim('w1', 50);
    expect(j?.itemId).toBe(it1.id);
    expect(await reg.jobs.claim('w2', 50)).toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    const j2 = await reg.jobs.claim('w2', 10_000);
    expect(j2?.id).toBe(j?.id);
    expect(j2?.attempts).toBe(2);
    const done = { startedAt: new Date().toISOString(), durationMs: 1, outcome: 'done' } as const;
    expect(await reg.jobs.complete(j!, 'w1', done)).toBe(false);
    expect(await reg.jobs.complete(j!, 'w2', done)).toBe(true);
    expect(await reg.jobs.pendingCount([it1.id])).toBe(0);
    await reg.close();
  });

  it('releases leases of dead processes at once and counts the crash', async () => {
    const reg = createRegister(file);
    const it1 = await newItem(reg);
    await reg.jobs.enqueue(it1.id, 'clean', 3);
    const j = await reg.jobs.claim('host:999999:dead', 600_000);
    expect(j).not.toBeNull();
    expect(await reg.jobs.releaseDeadLeases((o) => o !== 'host:999999:dead')).toBe(1);
    const again = await reg.jobs.claim('w3', 1000);
    expect(again?.id).toBe(j?.id);
    expect(again?.attempts).toBe(1);
    expect(again?.crashes).toBe(1);
    await reg.close();
  });

  it('records rejected batches with their reasons, newest first, and filters them', async () => {
    const reg = createRegister(file);
    const first = await reg.rejections.record({
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
    await reg.rejections.record({
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
    expect((await reg.rejections.list()).map((r) => r.batchName)).toEqual(['Unggahan Rusak', 'Kosong']);
    expect((await reg.rejections.list({ since: '2026-05-02T00:00:00Z' })).map((r) => r.batchName)).toEqual([
      'Unggahan Rusak',
    ]);
    expect((await reg.rejections.list({ operator: 'siti' })).map((r) => r.intake)).toEqual(['upload']);
    // An operator sees their own and those nobody is known for (a folder dropped into the inbox).
    expect((await reg.rejections.list({ visibleTo: 'budi' })).map((r) => r.batchName)).toEqual(['Kosong']);
    expect(await reg.rejections.count({ q: 'rusak', from: '2026-05-02', to: '2026-05-02' })).toBe(1);
    await reg.close();
  });
});
