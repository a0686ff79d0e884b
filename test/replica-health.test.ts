import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegister } from '../core/register/register.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import { startPindai } from './support/run-cli.ts';
import { StaffClient, startStaffServer } from './support/staff-server.ts';
import { tempDir } from './support/temp-dir.ts';

const HOUR = 3_600_000;

/**
 * The replica's lag where people look: /healthz of `pindai serve` (a real process), and the staff
 * home's red banner when a copy has waited longer than PINDAI_REPLICA_MAX_LAG or the last
 * verification found damage. The replica here is a folder that is not there (a NAS not mounted).
 */
describe('replica lag on /healthz and the staff home', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  /** A data folder whose ledger holds one copy waiting since `since` ms ago (the object is on the primary). */
  const waitingSince = async (data: string, since: number) => {
    fs.mkdirSync(data, { recursive: true });
    const key = 'items/it1/original/f0001-hal.png';
    const put = await createFsObjectStore(path.join(data, 'store')).put(key, Buffer.from('halaman'));
    const reg = createRegister(path.join(data, 'register.sqlite'));
    await reg.replica.record(key, put, Date.now() - since);
    await reg.close();
  };

  it('/healthz says how many copies wait, the oldest age, and unhealthy past the limit', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    await waitingSince(data, 2 * HOUR);
    const env = {
      PINDAI_PORT: '0',
      PINDAI_REPLICA_STORE: 'fs',
      PINDAI_REPLICA_DIR: path.join(root, 'nas-tidak-terpasang', 'pindai'),
      PINDAI_REPLICA_MAX_LAG: '1h',
    };
    const s = await startPindai(['serve', '--data', data], env, /http:\/\/127\.0\.0\.1:(\d+)\//);
    children.push(s.child);
    const body = (await (await fetch(`http://127.0.0.1:${s.match[1]}/healthz`)).json()) as {
      replica: Record<string, unknown>;
    };
    expect(body.replica).toEqual({
      configured: true,
      pending: 1,
      oldestPendingSeconds: expect.any(Number),
      healthy: false,
    });
    expect(body.replica.oldestPendingSeconds).toBeGreaterThanOrEqual(7200);
  });

  it('/healthz without a replica says so', async () => {
    const root = tempDir();
    const s = await startPindai(
      ['serve', '--data', path.join(root, 'data')],
      { PINDAI_PORT: '0' },
      /http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    children.push(s.child);
    const body = (await (await fetch(`http://127.0.0.1:${s.match[1]}/healthz`)).json()) as {
      replica: unknown;
    };
    expect(body.replica).toEqual({
      configured: false,
      pending: 0,
      oldestPendingSeconds: null,
      healthy: true,
    });
  });

  it('the staff home shows a red banner when the replica is behind or damaged, and none while it keeps up', async () => {
    const root = tempDir('pindai-staff-');
    const data = path.join(root, 'data');
    await waitingSince(data, 10 * 60_000);
    const staff = await startStaffServer({
      root,
      env: {
        PINDAI_REPLICA_STORE: 'fs',
        PINDAI_REPLICA_DIR: path.join(root, 'nas', 'pindai'),
        PINDAI_REPLICA_MAX_LAG: '30m',
      },
    });
    try {
      await staff.addUser('ani', 'admin');
      const c = new StaffClient(staff.base);
      await c.login('ani', 'ani-sandi-rahasia');
      const calm = await c.get('/staf/');
      expect(calm.status).toBe(200);
      expect(calm.text).not.toContain('data-replica');

      await staff.pindai.register.replica.record('items/it2/web/p0001.jpg', null, Date.now() - 2 * HOUR);
      const behind = await c.get('/staf/');
      expect(behind.text).toMatch(
        /<div class="notice err" role="alert" data-replica="behind"><p>Replika tertinggal: 2 objek/,
      );
      expect(behind.text).toContain('(batas 30 mnt 0 dtk)');

      await staff.pindai.register.replica.drop('items/it2/web/p0001.jpg', 1);
      await staff.pindai.register.replica.setState('verify', { checked: 40, mismatches: 3 });
      const damaged = await c.get('/staf/');
      expect(damaged.text).toContain('menemukan 3 salinan yang tidak cocok');
      expect(damaged.text).not.toContain('Replika tertinggal');
    } finally {
      await staff.close();
    }
  });
});
