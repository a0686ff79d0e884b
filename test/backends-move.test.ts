import fs from 'node:fs';
import path from 'node:path';
import * as Minio from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { createS3ObjectStore } from '../core/store/s3.object-store.ts';
import { storeCopyCommand } from '../scripts/commands/store-copy.command.ts';
import { openCatalog } from '../scripts/open-catalog.ts';
import { createPindai } from '../scripts/pindai-context.ts';
import { rebuildIndex } from '../scripts/reindex.ts';
import { copyObjects } from '../scripts/store-copy.ts';
import type { SearchQuery } from '../search/search-index.ts';
import { SAMPLE_TEXT } from './fixtures/make-page.ts';
import { writeBatch } from './support/fixture-batches.ts';
import { OCR_ENV } from './support/ocr-env.ts';
import { pindai } from './support/run-cli.ts';
import { S3RVER_KEY, startS3Server, type TestS3Server } from './support/s3-server.ts';
import { tempDir } from './support/temp-dir.ts';

/**
 * A library starts embedded and moves later: `pindai reindex` rebuilds the index from register
 * + store, `pindai store copy --to s3` moves the objects. Afterwards search answers and object
 * checksums are what they were. Each command runs once through the real CLI; repeats run the
 * same functions in-process to keep the suite fast.
 */
describe('moving between backends', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  const bucket = 'pindai-pindah';
  let s3: TestS3Server;
  let s3env: Record<string, string>;

  const QUERIES: SearchQuery[] = [
    { q: 'asal usul koleksi' },
    { q: 'perpustakaan', groupBy: 'item', sort: 'year-desc' },
    { q: 'naskah', limit: 5 },
    { q: '', browse: true, groupBy: 'item' },
  ];

  const answers = async (env: Record<string, string> = {}) => {
    const cat = await openCatalog(loadConfig({ ...env }, { dataDir: data }));
    try {
      const out = [];
      for (const q of QUERIES) {
        const { tookMs: _t, ...r } = await cat.index.search(q);
        out.push(r);
      }
      return out;
    } finally {
      await cat.close();
    }
  };

  const checksums = async (store: ObjectStore) => {
    const out: Record<string, string> = {};
    for await (const o of store.list('')) out[o.key] = await store.sha256(o.key);
    return out;
  };

  const s3Store = () =>
    createS3ObjectStore({
      endPoint: '127.0.0.1',
      port: s3.port,
      useSSL: false,
      accessKey: S3RVER_KEY,
      secretKey: S3RVER_KEY,
      bucket,
      region: 'us-east-1',
      tmpDir: path.join(root, 'spool'),
    });

  let before: Awaited<ReturnType<typeof answers>>;
  let fsSums: Record<string, string>;

  beforeAll(async () => {
    s3 = await startS3Server();
    s3env = s3.env(bucket);
    const src = path.join(root, 'src');
    await writeBatch(src, 'a-laporan', [{ columns: [SAMPLE_TEXT.id3] }], {
      metadata: { title: 'Laporan Perpustakaan Daerah', year: 2001, type: 'buku' },
    });
    await writeBatch(src, 'b-naskah', [{ columns: [SAMPLE_TEXT.id2] }], {
      metadata: { title: 'Naskah Perpustakaan Lama', year: 1950, type: 'naskah' },
    });
    const app = await createPindai(loadConfig({ ...OCR_ENV }, { dataDir: data }), {
      log: createLogger('silent'),
    });
    const ids: string[] = [];
    for (const name of ['a-laporan', 'b-naskah']) {
      const r = await app.accept(path.join(src, name), { intake: 'ingest', disposition: { kind: 'keep' } });
      ids.push(r.item?.id ?? '');
    }
    await app.runner.start();
    await app.runner.drain(ids);
    await app.close();
    before = await answers();
    fsSums = await checksums(createFsObjectStore(path.join(data, 'store')));
  });

  afterAll(async () => {
    await s3?.close();
  });

  it('has something to compare: hits, items and objects', () => {
    expect(before[0]?.hits.length).toBeGreaterThan(0);
    expect(before[1]?.totalItems).toBe(2);
    expect(before[3]?.facets.type).toEqual({ buku: 1, naskah: 1 });
    expect(Object.keys(fsSums).length).toBeGreaterThan(10);
  });

  it('pindai reindex rebuilds a lost index to the same answers', async () => {
    for (const f of fs.readdirSync(data)) if (f.startsWith('index.sqlite')) fs.rmSync(path.join(data, f));
    expect((await answers())[0]?.total).toBe(0);
    const r = await pindai(['reindex', '--json', '--data', data]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ items: 2, pages: 2, failed: [] });
    expect(await answers()).toEqual(before);
    // Again, from an empty index this time: the same.
    const cat = await openCatalog(loadConfig({}, { dataDir: data }));
    expect(await rebuildIndex(cat, { clear: true })).toMatchObject({ items: 2, failed: [] });
    await cat.close();
    expect(await answers()).toEqual(before);
  });

  it('pindai store copy --to s3 copies every object with the same SHA-256', async () => {
    const r = await pindai(['store', 'copy', '--to', 's3', '--json', '--data', data], {
      ...s3env,
      PINDAI_STORE: 'fs',
    });
    expect(r.code).toBe(0);
    const n = Object.keys(fsSums).length;
    expect(JSON.parse(r.stdout)).toMatchObject({ objects: n, copied: n, skipped: 0, failed: [] });
    expect(await checksums(s3Store())).toEqual(fsSums);
    expect(await checksums(createFsObjectStore(path.join(data, 'store')))).toEqual(fsSums);
  });

  it('is idempotent and resumes after an interrupted or damaged copy', async () => {
    const source = createFsObjectStore(path.join(data, 'store'));
    const target = s3Store();
    const again = await copyObjects(source, target);
    expect(again).toMatchObject({ copied: 0, skipped: Object.keys(fsSums).length });

    const [lost, damaged, forged] = Object.keys(fsSums);
    await target.delete(lost ?? '');
    await target.put(damaged ?? '', Buffer.from('rusak'));
    // Bytes changed behind our back while the recorded checksum still claims the old ones.
    const raw = new Minio.Client({
      endPoint: '127.0.0.1',
      port: s3.port,
      useSSL: false,
      accessKey: S3RVER_KEY,
      secretKey: S3RVER_KEY,
      pathStyle: true,
      region: 'us-east-1',
    });
    await raw.putObject(bucket, forged ?? '', Buffer.from('palsu'), 5, {
      'X-Amz-Meta-Sha256': fsSums[forged ?? ''] ?? '',
    });

    expect(await copyObjects(source, target)).toMatchObject({ copied: 2, failed: [] });
    expect(await copyObjects(source, target, { verifyExisting: true })).toMatchObject({
      copied: 1,
      failed: [],
    });
    expect(await checksums(target)).toEqual(fsSums);
  });

  it('then runs on S3: reindex from the S3 store gives the same answers', async () => {
    const env = { ...s3env, PINDAI_STORE: 's3' };
    fs.rmSync(path.join(data, 'store'), { recursive: true, force: true });
    for (const f of fs.readdirSync(data)) if (f.startsWith('index.sqlite')) fs.rmSync(path.join(data, f));
    const cat = await openCatalog(loadConfig(env, { dataDir: data }));
    expect(cat.store.name).toBe('s3');
    expect(await rebuildIndex(cat)).toMatchObject({ items: 2, pages: 2, failed: [] });
    await cat.close();
    expect(await answers(env)).toEqual(before);
  });

  it('refuses to copy when S3 is not configured', async () => {
    const config = loadConfig({}, { dataDir: data });
    expect(await storeCopyCommand(config, { to: 's3', verifyExisting: false, json: true })).toBe(2);
    expect(await storeCopyCommand(config, { to: 'ftp', verifyExisting: false, json: true })).toBe(2);
  });
});
