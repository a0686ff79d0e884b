import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegister, type Register } from '../register/register.ts';
import { createFsObjectStore } from '../store/fs.object-store.ts';
import { createReplicatedObjectStore } from '../store/replicated.object-store.ts';
import { openReplicaStore } from './replica-store.ts';
import { createReplicator } from './replicator.ts';

/** The copier on real parts: a SQLite register, a primary folder and a replica folder. */
describe('replicator', () => {
  const opened: Register[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const setup = () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-replicator-'));
    dirs.push(root);
    const register = createRegister(path.join(root, 'register.sqlite'));
    opened.push(register);
    const primary = createFsObjectStore(path.join(root, 'primary'));
    const replicaDir = path.join(root, 'nas', 'pindai');
    fs.mkdirSync(replicaDir, { recursive: true });
    const replica = openReplicaStore(
      { store: { kind: 'fs', dir: replicaDir }, maxLagMs: 3_600_000, purgeGraceMs: 0 },
      path.join(root, 'spool'),
    );
    const store = createReplicatedObjectStore(primary, register.replica);
    const replicator = createReplicator(
      { ledger: register.replica, primary, replica },
      { backoffBaseMs: 60_000 },
    );
    return { root, register, primary, replica, replicaDir, store, replicator };
  };

  it('copies what was stored, originals first, each read back from the replica', async () => {
    const { register, replica, store, replicator } = setup();
    await store.put('items/a/web/p0001.jpg', Buffer.from('web'));
    await store.put('items/a/original/f0001-x.png', Buffer.from('asli'));
    expect((await register.replica.due(Date.now(), 10)).map((d) => d.key)).toEqual([
      'items/a/original/f0001-x.png',
      'items/a/web/p0001.jpg',
    ]);
    expect(await replicator.drain()).toMatchObject({ copied: 2, failed: 0 });
    expect((await replica.getBuffer('items/a/original/f0001-x.png')).toString()).toBe('asli');
    expect(await register.replica.lag()).toMatchObject({ pending: 0, copied: 2 });
  });

  it('a put that died before its bytes landed is dropped; one that died after them is copied', async () => {
    const { register, primary, replica, replicator } = setup();
    // Intent noted, then the process died: nothing on the primary.
    await register.replica.record('items/a/ocr/p0001.json', null);
    // Intent noted, bytes written, died before the hash was noted.
    await register.replica.record('items/a/ocr/p0001.txt', null);
    await primary.put('items/a/ocr/p0001.txt', Buffer.from('teks'));
    expect(await replicator.drain()).toMatchObject({ copied: 1, dropped: 1 });
    expect((await replica.getBuffer('items/a/ocr/p0001.txt')).toString()).toBe('teks');
    expect(await replica.head('items/a/ocr/p0001.json')).toBeNull();
    expect((await register.replica.lag()).pending).toBe(0);
  });

  it('never overwrites a good replica copy with primary bytes that no longer match their hash', async () => {
    const { root, store, replica, replicator } = setup();
    const key = 'items/a/manifest.json';
    await store.put(key, Buffer.from('{"versi":1}'));
    await replicator.drain();
    // Stored again with new bytes, then the primary's disk rots before the copier comes by.
    await store.put(key, Buffer.from('{"versi":2}'));
    fs.writeFileSync(path.join(root, 'primary', 'objects', ...key.split('/')), '{"versi":9}');
    const round = await replicator.drain();
    expect(round.failed).toBe(1);
    expect(round.lastError).toMatch(/no longer matches its recorded SHA-256; replica copy kept/);
    expect((await replica.getBuffer(key)).toString()).toBe('{"versi":1}');
  });

  it('sends nothing for a key the replica already holds with the recorded bytes', async () => {
    const { store, replicator } = setup();
    await store.put('items/a/web/p0001.jpg', Buffer.from('web'));
    await replicator.drain();
    await store.put('items/a/web/p0001.jpg', Buffer.from('web'));
    expect(await replicator.drain()).toMatchObject({ copied: 0, present: 1 });
  });

  it('waits while the replica folder is not there (a NAS not mounted), then catches up', async () => {
    const { replicaDir, register, store, replica, replicator } = setup();
    fs.renameSync(replicaDir, `${replicaDir}.off`);
    await store.put('items/a/thumb/p0001.jpg', Buffer.from('kecil'));
    const round = await replicator.drain();
    expect(round).toMatchObject({ copied: 0, failed: 1 });
    expect(round.lastError).toMatch(/replica folder not reachable/);
    // Nothing was written under the empty mount point.
    expect(fs.existsSync(replicaDir)).toBe(false);
    const lag = await register.replica.lag();
    expect(lag).toMatchObject({ pending: 1, failing: 1 });
    // Backed off: not due again at once.
    expect(await register.replica.due(Date.now(), 10)).toEqual([]);
    fs.renameSync(`${replicaDir}.off`, replicaDir);
    expect(await register.replica.due(Date.now() + 120_000, 10)).toHaveLength(1);
    // A catch-up pass notes it again; then it is copied.
    await register.replica.record('items/a/thumb/p0001.jpg', null);
    expect(await replicator.drain()).toMatchObject({ copied: 1 });
    expect((await replica.getBuffer('items/a/thumb/p0001.jpg')).toString()).toBe('kecil');
  });
});
