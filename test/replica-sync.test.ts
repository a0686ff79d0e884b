import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegister, type Register } from '../core/register/register.ts';
import { openReplicaStore } from '../core/replica/replica-store.ts';
import { createReplicator } from '../core/replica/replicator.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import { syncReplica } from '../scripts/recovery/replica-sync.ts';
import { tempDir } from './support/temp-dir.ts';

/** The catch-up pass on real parts (SQLite register, two folders): what the listing finds, and what it refuses. */
describe('replica sync (catch-up)', () => {
  const opened: Register[] = [];
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
  });
  const setup = () => {
    const root = tempDir();
    const register = createRegister(path.join(root, 'register.sqlite'));
    opened.push(register);
    const primary = createFsObjectStore(path.join(root, 'primary'));
    fs.mkdirSync(path.join(root, 'replika'));
    const replica = openReplicaStore(
      { store: { kind: 'fs', dir: path.join(root, 'replika') }, maxLagMs: 1000, purgeGraceMs: 0 },
      path.join(root, 'spool'),
    );
    const sides = { register, primary, replica };
    return {
      root,
      ...sides,
      sync: () =>
        syncReplica(sides, createReplicator({ ledger: register.replica, primary, replica }), {
          verify: false,
        }),
    };
  };

  it('copies objects stored before the replica existed (no ledger row), and records the pass', async () => {
    const { register, primary, replica, sync } = setup();
    await primary.put('items/a/original/f0001-x.png', Buffer.from('asli'));
    await primary.put('items/a/manifest.json', Buffer.from('{}'));
    const r = await sync();
    expect(r).toMatchObject({ missing: 2, pending: 0, round: { copied: 2, failed: 0 } });
    expect((await replica.getBuffer('items/a/original/f0001-x.png')).toString()).toBe('asli');
    expect((await register.replica.state('sync'))?.value).toMatchObject({
      missing: 2,
      copied: 2,
      pending: 0,
    });
    expect(await sync()).toMatchObject({ missing: 0 });
  });

  it('does not spread primary damage: a key copied before keeps its hash, and other bytes are refused', async () => {
    const { root, register, primary, replica, sync } = setup();
    const key = 'items/a/original/f0001-x.png';
    await primary.put(key, Buffer.from('halaman asli'));
    await sync();
    // The replica's copy got truncated, and the primary's rotted since the copy.
    fs.writeFileSync(path.join(root, 'replika', 'objects', ...key.split('/')), 'halaman');
    fs.writeFileSync(path.join(root, 'primary', 'objects', ...key.split('/')), 'halaman RUSAK');
    const r = await sync();
    expect(r).toMatchObject({ missing: 1, pending: 1, round: { failed: 1 } });
    expect(r.round.lastError).toMatch(/no longer matches its recorded SHA-256/);
    expect((await replica.getBuffer(key)).toString()).toBe('halaman');
    expect((await register.replica.lag()).failing).toBe(1);
  });
});
