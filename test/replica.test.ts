import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { openReplicaStore } from '../core/replica/replica-store.ts';
import { keys } from '../core/store/keys.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { openCatalog } from '../scripts/open-catalog.ts';
import type { FixityReport } from '../scripts/recovery/fixity.ts';
import type { RepairReport } from '../scripts/recovery/replica-repair.ts';
import type { SyncReport } from '../scripts/recovery/replica-sync.ts';
import { pindai } from './support/run-cli.ts';
import { startS3Server, type TestS3Server } from './support/s3-server.ts';
import { plainPage } from './support/small-collection.ts';
import { tempDir } from './support/temp-dir.ts';
import { createTestApp, type TestApp, writeFiles } from './support/test-app.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every object under items/ with its SHA-256 as read now. */
async function hashes(store: ObjectStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const o of store.list('items/')) out[o.key] = await store.sha256(o.key);
  return out;
}

/** What a restore must bring back: items, pages, every object's hash, index counts, search answers, PDFs. */
async function stateOf(data: string) {
  const cat = await openCatalog(loadConfig({}, { dataDir: data }));
  try {
    const items = await cat.register.items.list();
    const pages: [string, number, string][] = [];
    for (const i of items)
      for (const p of await cat.register.pages.list(i.id)) pages.push([i.id, p.pageNo, p.originalSha256]);
    const pdfs: Record<string, string> = {};
    for (const i of items) {
      const pdf = await cat.store.getBuffer(keys.pdf(i.id));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      pdfs[i.id] = sha(pdf);
    }
    const answers: Record<string, [string, number | null][]> = {};
    for (const q of ['halaman uji', 'Buku Salinan 2'])
      answers[q] = (await cat.index.search({ q, limit: 10 })).hits.map((h) => [h.itemId, h.page]);
    return {
      items: items.map((i) => [i.id, i.nomorInduk, i.status, i.pageCount, i.title]),
      pages,
      objects: await hashes(cat.store),
      index: await cat.index.countDocuments(),
      answers,
      pdfs,
    };
  } finally {
    await cat.close();
  }
}

/**
 * The replica end to end, with real parts: the filesystem store as the primary, an S3 server
 * (s3rver over HTTP) as the replica on "another site", the real register, index, sharp and
 * pdf-lib (fake OCR: the OCR is not the point). Copy, fixity and repair, an outage and its
 * catch-up, and a restore of an empty machine from the replica alone.
 */
describe('replica: a second, verified copy somewhere else', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  let s3: TestS3Server;
  let env: Record<string, string>;
  let app: TestApp;
  let replica: ObjectStore;
  let books = 0;

  const ingest = async () => {
    books++;
    const files: Record<string, Buffer | string> = {
      'metadata.json': JSON.stringify({ title: `Buku Salinan ${books}` }),
    };
    for (let n = 1; n <= 2; n++)
      files[`hal-${n}.png`] = await plainPage(500 + 10 * n, 700, 230 - 7 * books - n);
    const r = await app.accept(writeFiles(path.join(root, 'src'), `buku-${books}`, files), {
      intake: 'ingest',
      disposition: { kind: 'keep' },
    });
    if (!r.item) throw new Error(`not accepted: ${r.status}`);
    await app.runner.drain([r.item.id]);
    expect((await app.register.items.get(r.item.id))?.status).toBe('available');
    return r.item.id;
  };

  beforeAll(async () => {
    s3 = await startS3Server();
    const s3env = s3.env('salinan-kedua');
    env = Object.fromEntries(
      Object.entries(s3env).map(([k, v]) => [k.replace('PINDAI_S3_', 'PINDAI_REPLICA_S3_'), v]),
    );
    env.PINDAI_REPLICA_STORE = 's3';
    delete env.PINDAI_STORE;
    app = createTestApp(data, { env });
    const config = loadConfig({ PINDAI_DATA_DIR: data, ...env });
    if (!config.replica) throw new Error('no replica configured');
    replica = openReplicaStore(config.replica, path.join(root, 'spool'));
    await app.runner.start();
  });
  afterAll(async () => {
    await app?.close();
    await s3?.close();
  });

  it('copies every object the primary stored, each verified by its SHA-256 read back from the replica', async () => {
    const ids = [await ingest(), await ingest()];
    const round = await app.replicator?.drain();
    expect(round).toMatchObject({ failed: 0 });
    const primary = await hashes(app.store);
    expect(Object.keys(primary).length).toBeGreaterThan(20);
    for (const id of ids) {
      expect(primary[keys.manifest(id)]).toBeDefined();
      expect(primary[keys.pdf(id)]).toBeDefined();
    }
    expect(await hashes(replica)).toEqual(primary);
    expect(await app.register.replica.lag()).toMatchObject({
      pending: 0,
      copied: Object.keys(primary).length,
    });
    const status = await pindai(['replica', 'status', '--json', '--data', data], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ configured: true, pending: 0, healthy: true });
  });

  it('fixity reports a damaged primary object, and repair replaces it from the verified replica copy', async () => {
    const [item] = await app.register.items.list();
    const key = keys.access(item?.id ?? '', 1);
    const file = path.join(data, 'store', 'objects', ...key.split('/'));
    const good = fs.readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length >> 1] = (bad[bad.length >> 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bad);
    const original = (await app.register.pages.list(item?.id ?? ''))[1]?.originalKey ?? '';
    fs.rmSync(path.join(data, 'store', 'objects', ...original.split('/')));

    const audit = await pindai(['fixity', '--json', '--data', data], env);
    expect(audit.code).toBe(1);
    const found = (JSON.parse(audit.stdout) as FixityReport).mismatches.map((m) => [m.key, m.actual]);
    expect(found).toEqual(
      expect.arrayContaining([
        [key, sha(bad)],
        [original, 'missing'],
      ]),
    );

    expect(((await app.register.items.get(item?.id ?? ''))?.flags ?? []).map((f) => f.code)).toContain(
      'fixity_failed',
    );
    const fixed = await pindai(['fixity', '--repair', '--json', '--data', data], env);
    expect(fixed.code, fixed.stderr + fixed.stdout).toBe(0);
    const repair = (JSON.parse(fixed.stdout) as { repair: RepairReport }).repair;
    expect(repair.repairs.map((r) => [r.key, r.repaired]).sort()).toEqual(
      [
        [key, 'primary'],
        [original, 'primary'],
      ].sort(),
    );
    expect(repair.unrepairable).toEqual([]);
    expect(fs.readFileSync(file)).toEqual(good);
    // The damage flag fixity set goes with the repair, not only with the next check.
    const flagged = async () =>
      ((await app.register.items.get(item?.id ?? ''))?.flags ?? []).map((f) => f.code);
    expect(await flagged()).not.toContain('fixity_failed');
    const again = await pindai(['fixity', '--json', '--data', data], env);
    expect(again.code, again.stdout).toBe(0);
    const logged = await app.register.audit.list({ action: 'replica_repair' });
    expect(logged.map((e) => e.detail.key).sort()).toEqual([key, original].sort());
  });

  it('verification finds a damaged replica copy, and repair replaces it from the primary', async () => {
    const [, item] = await app.register.items.list();
    const key = keys.pdf(item?.id ?? '');
    const good = await app.store.getBuffer(key);
    // Same size, one byte flipped (bit rot): only re-hashing finds it, not the listing.
    const bad = Buffer.from(good);
    bad[100] = (bad[100] ?? 0) ^ 0xff;
    await replica.put(key, bad);
    const verify = await pindai(['replica', 'sync', '--verify', '--json', '--data', data], env);
    expect(verify.code).toBe(1);
    const report = JSON.parse(verify.stdout) as SyncReport;
    expect(report.verify?.mismatches.map((m) => m.key)).toEqual([key]);
    const status = JSON.parse((await pindai(['replica', 'status', '--json', '--data', data], env)).stdout);
    expect(status).toMatchObject({ healthy: false, lastVerify: { mismatches: 1 } });

    const fixed = await pindai(
      ['replica', 'repair', '--item', item?.nomorInduk ?? '', '--json', '--data', data],
      env,
    );
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((JSON.parse(fixed.stdout) as RepairReport).repairs.map((r) => [r.key, r.repaired])).toEqual([
      [key, 'replica'],
    ]);
    expect(sha(await replica.getBuffer(key))).toBe(sha(good));
    // Still red until a verification over everything: a repair of every item is one.
    expect(
      JSON.parse((await pindai(['replica', 'status', '--json', '--data', data], env)).stdout),
    ).toMatchObject({
      healthy: false,
    });
    const all = await pindai(['replica', 'repair', '--json', '--data', data], env);
    expect(JSON.parse(all.stdout)).toMatchObject({ repairs: [], unrepairable: [] });
    expect(
      JSON.parse((await pindai(['replica', 'status', '--json', '--data', data], env)).stdout),
    ).toMatchObject({
      healthy: true,
      lastVerify: { mismatches: 0 },
    });
    const clean = await pindai(['replica', 'sync', '--verify', '--json', '--data', data], env);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('keeps copies pending while the replica is down, and catches up once it is back', async () => {
    await s3.stop();
    const id = await ingest();
    const round = await app.replicator?.drain();
    expect(round?.failed).toBeGreaterThan(0);
    const lag = await app.register.replica.lag();
    expect(lag.pending).toBeGreaterThanOrEqual(Object.keys(await hashes(app.store)).length - 0 - lag.copied);
    expect(lag.pending).toBeGreaterThan(0);
    expect(lag.lastError).toMatch(/not reachable|ECONNREFUSED/);
    const down = JSON.parse((await pindai(['replica', 'status', '--json', '--data', data], env)).stdout);
    expect(down).toMatchObject({ pending: lag.pending, failing: expect.any(Number) });
    expect(down.oldestPendingSeconds).toEqual(expect.any(Number));

    await s3.restart();
    // Also lost on the replica behind the ledger's back: the listing comparison finds it.
    const [first] = await app.register.items.list();
    const lost = keys.thumb(first?.id ?? '', 2);
    await replica.delete(lost);
    const sync = await pindai(['replica', 'sync', '--json', '--data', data], env);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect((JSON.parse(sync.stdout) as SyncReport).pending).toBe(0);
    const primary = await hashes(app.store);
    expect(primary[keys.manifest(id)]).toBeDefined();
    expect(await hashes(replica)).toEqual(primary);
    expect((await app.register.replica.lag()).pending).toBe(0);
  });

  it('restores an empty machine from the replica alone: same counts, checksums, search answers and PDFs', async () => {
    await app.runner.stop(1000);
    const before = await stateOf(data);
    expect(before.items).toHaveLength(3);
    expect(before.answers['halaman uji']?.length).toBeGreaterThan(0);
    // A derivative the primary removed since (a page taken out) stays on the replica, which never
    // deletes; a restore brings back what the manifests name (and originals), not such leftovers.
    const [first] = await app.register.items.list();
    await replica.put(keys.web(first?.id ?? '', 9), Buffer.from('halaman yang sudah dihapus'));
    const fresh = path.join(root, 'mesin-baru');
    const r = await pindai(['restore', '--from-replica', '--json', '--data', fresh], env);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ damaged: [], fixity: [] });
    expect(await stateOf(fresh)).toEqual(before);
    const status = JSON.parse((await pindai(['replica', 'status', '--json', '--data', fresh], env)).stdout);
    expect(status).toMatchObject({ pending: 0, healthy: true });
    // Refused over a register that holds items.
    const again = await pindai(['restore', '--from-replica', '--data', fresh], env);
    expect(again.code).not.toBe(0);
  });
  it('deletes from the replica only by an explicit purge of an item withdrawn past its grace period, logged', async () => {
    const [keep, gone] = await app.register.items.list();
    await app.register.staffItems.withdraw(gone?.id ?? '', 'ani', 'duplikat');
    const on = async (id: string) => {
      const found: string[] = [];
      for await (const o of replica.list(keys.itemPrefix(id))) found.push(o.key);
      return found.length;
    };
    const before = await on(gone?.id ?? '');
    expect(before).toBeGreaterThan(5);
    // Within the default grace period (90 days): nothing happens.
    const waiting = JSON.parse((await pindai(['replica', 'purge', '--json', '--data', data], env)).stdout);
    expect(waiting).toMatchObject({ items: [], waiting: 1 });
    const dry = await pindai(
      ['replica', 'purge', '--grace-days', '0', '--dry-run', '--json', '--data', data],
      env,
    );
    expect(JSON.parse(dry.stdout).items).toEqual([
      expect.objectContaining({ itemId: gone?.id, objects: before }),
    ]);
    expect(await on(gone?.id ?? '')).toBe(before);
    const purged = await pindai(
      ['replica', 'purge', '--grace-days', '0', '--by', 'ani', '--data', data],
      env,
    );
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toMatch(/salinan 1 item yang ditarik/);
    expect(await on(gone?.id ?? '')).toBe(0);
    expect(await on(keep?.id ?? '')).toBeGreaterThan(5);
    // The primary keeps the withdrawn item's objects: the purge touches the replica only.
    expect(await app.store.head(keys.manifest(gone?.id ?? ''))).not.toBeNull();
    const logged = await app.register.audit.list({ action: 'replica_purge' });
    expect(logged).toEqual([
      expect.objectContaining({
        username: 'ani',
        target: `item:${gone?.id}`,
        detail: expect.objectContaining({ objects: before }),
      }),
    ]);
  });
});
