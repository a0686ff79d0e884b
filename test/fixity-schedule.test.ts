import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixityHealth } from '../core/fixity-health.ts';
import { createRegister, type Register } from '../core/register/register.ts';
import { keys } from '../core/store/keys.ts';
import { collectionDepsOf } from '../scripts/collection-deps.ts';
import { fixityCommand } from '../scripts/commands/fixity.command.ts';
import { serveHealth } from '../scripts/commands/serve.command.ts';
import type { FixityRunDeps } from '../scripts/recovery/fixity-run.ts';
import { createFixityScheduler } from '../scripts/recovery/fixity-schedule.ts';
import type { FixityWebhookPayload } from '../scripts/recovery/fixity-webhook.ts';
import { createApp } from '../server/app.ts';
import type { ItemManifest } from '../workers/manifest.ts';
import { type QuickStaff, startQuickStaff } from './support/quick-staff.ts';
import { StaffClient } from './support/staff-server.ts';
import { tempDir } from './support/temp-dir.ts';

/** A webhook receiver on an ephemeral port: answers each POST with the next status given (then 200). */
async function startReceiver(statuses: number[]) {
  const got: { body: FixityWebhookPayload; type: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as FixityWebhookPayload,
        type: req.headers['content-type'],
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alarm`,
    got,
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * Fixity on a schedule with real parts: the SQLite register, the fs store, the staff workspace,
 * /healthz as `pindai serve` answers it, and a webhook receiver over HTTP. The scheduler's clock
 * is the test's: "it is 02:00" is set, not waited for.
 */
describe('fixity on a schedule: nightly run, damage recorded, alarms raised and cleared', () => {
  const root = tempDir('pindai-fixity-');
  let q: QuickStaff;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let health: http.Server;
  let healthBase = '';
  let other: Register;
  const staff = () => new StaffClient(q.base);
  // Long ago, so a check recorded at these times is overdue by the real clock (checked at the end).
  let clock = new Date(2025, 2, 10, 1, 59);

  beforeAll(async () => {
    q = await startQuickStaff(
      root,
      [
        { title: 'Sejarah Perpustakaan Daerah', year: 1987, rights: 'open' },
        { title: 'Madjalah Kota', year: 1952, rights: 'open' },
      ],
      [['kasie', 'admin']],
    );
    receiver = await startReceiver([500]);
    health = createApp({
      ...collectionDepsOf(q.app),
      health: () => serveHealth(q.app, { pending: () => [] }),
    }).listen(0, '127.0.0.1');
    await new Promise((r) => health.once('listening', r));
    healthBase = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    // A second process on the same register.
    other = createRegister(q.app.config.registerPath);
  }, 120_000);

  afterAll(async () => {
    await other?.close();
    health?.closeAllConnections();
    await new Promise((r) => health?.close(r));
    await receiver?.close();
    await q?.close();
  });

  const deps = (register: Register): FixityRunDeps => ({
    register,
    store: q.app.store,
    libraryName: 'Perpustakaan Kota Contoh',
    webhookUrl: receiver.url,
    webhook: { backoffMs: [10], timeoutMs: 5000 },
    actor: 'sistem',
  });
  const schedule = { at: { hour: 2, minute: 0 }, share: { part: 1, of: 1 } };
  const healthz = async () =>
    ((await (await fetch(`${healthBase}/healthz`)).json()) as { fixity: FixityHealth }).fixity;

  it('runs once at 02:00 across two processes, records the damage, calls the webhook, raises the banner', async () => {
    const [damagedId] = q.ids as [string];
    const damagedItem = await q.app.register.items.get(damagedId);
    expect((await healthz()).status).toBe('ok');
    expect((await healthz()).lastRun).toBeNull();

    const a = createFixityScheduler(deps(q.app.register), schedule, {
      now: () => clock,
      pauseMs: 0,
      owner: 'a',
    });
    const b = createFixityScheduler(deps(other), schedule, { now: () => clock, pauseMs: 0, owner: 'b' });
    expect(await a.tick()).toBeNull();
    expect(await q.app.register.fixity.recent(5)).toEqual([]);

    // Damage one original on disk: its bytes no longer match the SHA-256 taken at intake.
    const manifest = JSON.parse(
      (await q.app.store.getBuffer(keys.manifest(damagedId))).toString('utf8'),
    ) as ItemManifest;
    const original = manifest.objects.find((o) => o.key.includes('/original/'));
    if (!original) throw new Error('no original in the manifest');
    const file = path.join(q.app.config.storeDir, 'objects', original.key);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([good.subarray(0, 100), Buffer.from('rusak')]));

    clock = new Date(2025, 2, 10, 2, 0);
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    const outcome = ra ?? rb;
    expect([ra, rb].filter((r) => r !== null)).toHaveLength(1);
    expect(outcome?.report?.mismatches.map((m) => m.key)).toEqual([original.key]);
    // Once claimed, the night is done for every process.
    expect(await a.tick()).toBeNull();
    expect(await b.tick()).toBeNull();

    const runs = await q.app.register.fixity.recent(5);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      kind: 'schedule',
      sharePart: 1,
      shareOf: 1,
      checkedItems: 2,
      mismatches: 1,
    });
    expect(runs[0]?.checkedObjects).toBeGreaterThan(4);
    expect(runs[0]?.finishedAt).not.toBeNull();
    expect((await q.app.register.items.get(damagedId))?.flags.map((f) => f.code)).toContain('fixity_failed');

    const runEntries = await q.app.register.audit.list({ action: 'fixity_run' });
    expect(runEntries).toMatchObject([{ username: 'sistem', detail: { run: runs[0]?.id, mismatches: 1 } }]);
    expect(await q.app.register.audit.list({ action: 'fixity_damage' })).toMatchObject([
      { target: `item:${damagedId}`, detail: { key: original.key, expected: original.sha256 } },
    ]);

    // The receiver refused the first POST: the second attempt was delivered.
    expect(outcome?.webhook).toMatchObject({ ok: true, attempts: 2 });
    expect(receiver.got).toHaveLength(2);
    expect(receiver.got[1]?.type).toBe('application/json');
    expect(receiver.got[1]?.body).toMatchObject({
      event: 'fixity_damage',
      library: 'Perpustakaan Kota Contoh',
      run: { id: runs[0]?.id, kind: 'schedule', share: '1/1', mismatches: 1, error: null },
      damaged: [
        {
          itemId: damagedId,
          nomorInduk: damagedItem?.nomorInduk,
          key: original.key,
          expected: original.sha256,
        },
      ],
    });
    expect(receiver.got[1]?.body.damaged[0]?.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(receiver.got[1]?.body.damaged[0]?.actual).not.toBe(original.sha256);

    const h = await healthz();
    expect(h).toMatchObject({
      status: 'damage',
      damagedItems: 1,
      lastRun: { result: 'damage', kind: 'schedule', checkedItems: 2, mismatches: 1 },
    });
    expect(h.lastRun?.checkedObjects).toBe(runs[0]?.checkedObjects);

    const c = staff();
    await c.login('kasie', 'kasie-sandi-rahasia');
    const home = await c.get('/staf/');
    expect(home.text).toContain('id="fixity-damage"');
    expect(home.text).toContain(damagedItem?.nomorInduk ?? 'x');
    expect(home.text).toContain(original.key);
    expect(home.text).toMatch(/id="fixity-last" data-result="damage"/);
    const audit = await c.get('/staf/audit');
    expect(audit.text).toContain('Pemeriksaan fixity');
    expect(audit.text).toContain('Fixity: berkas rusak');
    expect(audit.text).toContain(original.key);
    const en = await c.get('/staf/audit?lang=en');
    expect(en.text).toContain('Fixity: damaged file');

    // Repaired (the good bytes back): the next night's check finds it whole and lifts the banner.
    fs.writeFileSync(file, good);
    clock = new Date(2025, 2, 11, 2, 30);
    const next = await b.tick();
    expect(next?.run).toMatchObject({ mismatches: 0, error: null });
    expect(next?.run.slot).toBe((runs[0]?.slot ?? 0) + 1);
    expect(next?.cleared).toEqual([damagedId]);
    expect(next?.webhook).toBeNull();
    expect(receiver.got).toHaveLength(2);
    expect((await q.app.register.items.get(damagedId))?.flags.map((f) => f.code)).not.toContain(
      'fixity_failed',
    );
    expect(await q.app.register.audit.count({ action: 'fixity_cleared' })).toBe(1);
    const after = await c.get('/staf/');
    expect(after.text).not.toContain('id="fixity-damage"');
    expect(after.text).toMatch(/id="fixity-last" data-result="ok"/);

    // Those checks were long ago by the real clock: overdue, on /healthz and as a banner.
    expect(await healthz()).toMatchObject({ status: 'overdue', overdue: true, damagedItems: 0 });
    expect((await c.get('/staf/')).text).toContain('id="fixity-overdue"');

    // `pindai fixity` by hand is recorded the same way, and a whole check now ends the warning.
    const code = await fixityCommand(q.app.config, { share: '1/1', json: true });
    expect(code).toBe(0);
    expect((await q.app.register.fixity.recent(5))[0]).toMatchObject({ kind: 'manual', mismatches: 0 });
    expect(await q.app.register.audit.list({ action: 'fixity_run' })).toHaveLength(3);
    expect((await q.app.register.audit.list({ action: 'fixity_run' }))[0]?.username).toBe('cli');
    expect(await healthz()).toMatchObject({
      status: 'ok',
      overdue: false,
      lastRun: { kind: 'manual', result: 'ok' },
    });
    expect((await c.get('/staf/')).text).not.toContain('id="fixity-overdue"');
    await a.stop();
    await b.stop();
  }, 120_000);

  it('records a run that fails, alarms the webhook, and never throws when the webhook is unreachable', async () => {
    const failing: FixityRunDeps = {
      ...deps(q.app.register),
      // Nobody listens there: every attempt fails.
      webhookUrl: 'http://127.0.0.1:9/alarm',
      webhook: { attempts: 2, backoffMs: [10], timeoutMs: 2000 },
      store: {
        ...q.app.store,
        sha256: async () => {
          throw new Error('disk gone');
        },
      },
    };
    const s = createFixityScheduler(failing, schedule, { now: () => clock, pauseMs: 0 });
    clock = new Date(2025, 2, 12, 2, 0);
    const out = await s.tick();
    expect(out?.run).toMatchObject({ error: 'disk gone', mismatches: 0 });
    expect(out?.webhook).toMatchObject({ ok: false, attempts: 2 });
    expect(await q.app.register.audit.list({ action: 'fixity_webhook_failed' })).toMatchObject([
      { detail: { run: out?.run.id, attempts: 2 } },
    ]);
    const h = await healthz();
    expect(h.lastRun).toMatchObject({ result: 'failed', error: 'disk gone' });
    // A failed run is not a check done: the last whole one still counts.
    expect(h.lastCompletedAt).not.toBeNull();
    await s.stop();
  }, 60_000);
  it('a process stopped mid-run leaves the night to another, which takes it over and finishes it', async () => {
    let stopA: (() => Promise<void>) | null = null;
    const a = createFixityScheduler(
      {
        ...deps(q.app.register),
        store: {
          ...q.app.store,
          // The first object hashed: serve is told to stop (SIGTERM) while the run goes on.
          sha256: async (key: string) => {
            void stopA?.();
            stopA = null;
            return q.app.store.sha256(key);
          },
        },
      },
      schedule,
      { now: () => clock, pauseMs: 0, owner: 'a', leaseMs: 3600_000 },
    );
    stopA = () => a.stop();
    clock = new Date(2025, 2, 13, 2, 0);
    const stopped = await a.tick();
    expect(stopped).toMatchObject({ abandoned: true, report: null });
    const left = await q.app.register.fixity.get(stopped?.run.id ?? 0);
    expect(left?.finishedAt).toBeNull();
    // Another process, within the night's window: the lease was given back, so it takes over now.
    const b = createFixityScheduler(deps(other), schedule, { now: () => clock, pauseMs: 0, owner: 'b' });
    const done = await b.tick();
    expect(done?.run).toMatchObject({ id: stopped?.run.id, owner: 'b', error: null, checkedItems: 2 });
    expect(done?.run.finishedAt).not.toBeNull();
    await b.stop();
  }, 60_000);
});
