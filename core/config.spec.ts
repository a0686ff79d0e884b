import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded setup under ./data', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.inboxDir).toBe(path.resolve('data/inbox'));
    expect(c.ocrLangs).toEqual(['ind', 'eng']);
    expect(c.lang).toBe('id');
    expect(c.port).toBe(3000);
  });

  it('reads the OAI-PMH settings: page size, admin e-mail and repository name', () => {
    expect(loadConfig({}).oai).toEqual({ pageSize: 100 });
    expect(
      loadConfig({
        PINDAI_OAI_PAGE_SIZE: '250',
        PINDAI_OAI_ADMIN_EMAIL: 'perpus@example.go.id',
        PINDAI_OAI_REPOSITORY_NAME: 'Koleksi Digital Perpustakaan Kota',
      }).oai,
    ).toEqual({
      pageSize: 250,
      adminEmail: 'perpus@example.go.id',
      repositoryName: 'Koleksi Digital Perpustakaan Kota',
    });
    expect(() => loadConfig({ PINDAI_OAI_PAGE_SIZE: '5', PINDAI_OAI_ADMIN_EMAIL: 'perpus' })).toThrow(
      /PINDAI_OAI_PAGE_SIZE[\s\S]*PINDAI_OAI_ADMIN_EMAIL/,
    );
  });

  it('reads the fixity schedule: time of day or off, share, webhook, overdue days', () => {
    expect(loadConfig({}).fixity).toEqual({
      at: { hour: 2, minute: 0 },
      share: { part: 1, of: 30 },
      webhookUrl: undefined,
      overdueDays: 3,
    });
    expect(
      loadConfig({
        PINDAI_FIXITY_AT: '23:45',
        PINDAI_FIXITY_SHARE: '2/7',
        PINDAI_FIXITY_WEBHOOK_URL: 'https://alarm.example.go.id/pindai',
        PINDAI_FIXITY_OVERDUE_DAYS: '0',
      }).fixity,
    ).toEqual({
      at: { hour: 23, minute: 45 },
      share: { part: 2, of: 7 },
      webhookUrl: 'https://alarm.example.go.id/pindai',
      overdueDays: 0,
    });
    expect(loadConfig({ PINDAI_FIXITY_AT: 'off' }).fixity.at).toBeNull();
    expect(() =>
      loadConfig({
        PINDAI_FIXITY_AT: '25:00',
        PINDAI_FIXITY_SHARE: '3/2',
        PINDAI_FIXITY_WEBHOOK_URL: 'ftp://x',
      }),
    ).toThrow(/PINDAI_FIXITY_AT[\s\S]*PINDAI_FIXITY_SHARE[\s\S]*PINDAI_FIXITY_WEBHOOK_URL/);
  });

  it('lets --data override PINDAI_DATA_DIR', () => {
    const c = loadConfig({ PINDAI_DATA_DIR: '/tmp/a' }, { dataDir: '/tmp/b' });
    expect(c.dataDir).toBe('/tmp/b');
    expect(c.registerPath).toBe('/tmp/b/register.sqlite');
  });

  it('lists every bad key in one error', () => {
    try {
      loadConfig({ PINDAI_PORT: 'abc', PINDAI_OCR_LANGS: 'ind eng', PINDAI_WATCH_POLL: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as ConfigError).message;
      expect(msg).toMatch(/PINDAI_PORT/);
      expect(msg).toMatch(/PINDAI_OCR_LANGS/);
      expect(msg).toMatch(/PINDAI_WATCH_POLL/);
    }
  });

  it('selects S3 and Meilisearch by configuration alone', () => {
    const c = loadConfig({
      PINDAI_STORE: 's3',
      PINDAI_S3_ENDPOINT: 'https://s3.perpustakaan.lan:9000',
      PINDAI_S3_ACCESS_KEY: 'ak',
      PINDAI_S3_SECRET_KEY: 'sk',
      PINDAI_S3_BUCKET: 'alih-media',
      PINDAI_SEARCH: 'meilisearch',
      PINDAI_MEILI_URL: 'http://meili:7700',
      PINDAI_MEILI_KEY: 'k',
    });
    expect(c.store).toEqual({
      kind: 's3',
      endPoint: 's3.perpustakaan.lan',
      port: 9000,
      useSSL: true,
      accessKey: 'ak',
      secretKey: 'sk',
      bucket: 'alih-media',
      region: 'us-east-1',
    });
    expect(c.search).toEqual({
      kind: 'meilisearch',
      url: 'http://meili:7700',
      apiKey: 'k',
      indexUid: 'pindai',
    });
    const plain = loadConfig({
      PINDAI_STORE: 's3',
      PINDAI_S3_ENDPOINT: 'minio',
      PINDAI_S3_PORT: '9000',
      PINDAI_S3_USE_SSL: 'false',
      PINDAI_S3_ACCESS_KEY: 'a',
      PINDAI_S3_SECRET_KEY: 'b',
    });
    expect(plain.store).toMatchObject({ endPoint: 'minio', port: 9000, useSSL: false, bucket: 'pindai' });
    expect(loadConfig({}).store).toEqual({ kind: 'fs' });
    expect(loadConfig({}).s3).toBeNull();
    // S3 settings are read with PINDAI_STORE=fs too, for `pindai store copy --to s3`.
    const copying = loadConfig({
      PINDAI_S3_ENDPOINT: 'http://s3.lan:8333',
      PINDAI_S3_ACCESS_KEY: 'a',
      PINDAI_S3_SECRET_KEY: 'b',
    });
    expect(copying.store).toEqual({ kind: 'fs' });
    expect(copying.s3).toMatchObject({ endPoint: 's3.lan', port: 8333, useSSL: false });
    expect(loadConfig({}).search).toEqual({ kind: 'embedded' });
  });

  it('reads the replica like the primary store: a folder, or S3 settings of its own', () => {
    expect(loadConfig({}).replica).toBeNull();
    const fs = loadConfig({ PINDAI_REPLICA_STORE: 'fs', PINDAI_REPLICA_DIR: '/mnt/cadangan/pindai' });
    expect(fs.replica).toEqual({
      store: { kind: 'fs', dir: '/mnt/cadangan/pindai' },
      maxLagMs: 3_600_000,
      purgeGraceMs: 90 * 86_400_000,
    });
    const s3 = loadConfig({
      PINDAI_S3_ENDPOINT: 'minio.lan',
      PINDAI_REPLICA_STORE: 's3',
      PINDAI_REPLICA_S3_ENDPOINT: 'https://s3.kota-lain.example:9000',
      PINDAI_REPLICA_S3_ACCESS_KEY: 'kunci',
      PINDAI_REPLICA_S3_SECRET_KEY: 'rahasia',
      PINDAI_REPLICA_MAX_LAG: '30m',
      PINDAI_REPLICA_PURGE_GRACE_DAYS: '7',
    });
    expect(s3.replica).toEqual({
      store: {
        kind: 's3',
        endPoint: 's3.kota-lain.example',
        port: 9000,
        useSSL: true,
        accessKey: 'kunci',
        secretKey: 'rahasia',
        bucket: 'pindai-replica',
        region: 'us-east-1',
      },
      maxLagMs: 1_800_000,
      purgeGraceMs: 7 * 86_400_000,
    });
    // The primary's S3 settings stay its own.
    expect(s3.s3?.endPoint).toBe('minio.lan');
    expect(
      loadConfig({ PINDAI_REPLICA_STORE: 'fs', PINDAI_REPLICA_DIR: '/x', PINDAI_REPLICA_MAX_LAG: '2d' })
        .replica?.maxLagMs,
    ).toBe(172_800_000);
    expect(() => loadConfig({ PINDAI_REPLICA_STORE: 'fs' })).toThrow(/PINDAI_REPLICA_DIR: required/);
    expect(() => loadConfig({ PINDAI_REPLICA_STORE: 's3' })).toThrow(
      /PINDAI_REPLICA_S3_ENDPOINT[\s\S]*PINDAI_REPLICA_S3_ACCESS_KEY[\s\S]*PINDAI_REPLICA_S3_SECRET_KEY/,
    );
    expect(() =>
      loadConfig({ PINDAI_REPLICA_STORE: 'fs', PINDAI_REPLICA_DIR: '/x', PINDAI_REPLICA_MAX_LAG: 'sejam' }),
    ).toThrow(/PINDAI_REPLICA_MAX_LAG/);
  });

  it('names every setting a chosen backend is missing', () => {
    expect(() => loadConfig({ PINDAI_STORE: 's3', PINDAI_SEARCH: 'meilisearch' })).toThrow(
      /PINDAI_S3_ENDPOINT[\s\S]*PINDAI_S3_ACCESS_KEY[\s\S]*PINDAI_S3_SECRET_KEY[\s\S]*PINDAI_MEILI_URL/,
    );
    expect(() => loadConfig({ PINDAI_S3_BUCKET: 'Bad_Bucket' })).toThrow(/PINDAI_S3_BUCKET/);
    expect(() => loadConfig({ PINDAI_STORE: 'minio' })).toThrow(/PINDAI_STORE/);
  });

  it('takes PINDAI_PUBLIC_URL as an http(s) origin only', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PINDAI_PUBLIC_URL: 'https://koleksi.example.go.id/' }).publicUrl).toBe(
      'https://koleksi.example.go.id',
    );
    expect(loadConfig({ PINDAI_PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080');
    for (const bad of [
      'koleksi.example.go.id',
      'ftp://koleksi.example.go.id',
      'javascript:alert(1)',
      'https://koleksi.example.go.id/koleksi',
      'https://koleksi.example.go.id/?a=1',
      'https://admin:rahasia@koleksi.example.go.id',
    ]) {
      expect(() => loadConfig({ PINDAI_PUBLIC_URL: bad }), bad).toThrow(/PINDAI_PUBLIC_URL/);
    }
  });

  it('takes PINDAI_REGISTER_URL as a postgres:// URL only; unset means the SQLite register', () => {
    expect(loadConfig({}).registerUrl).toBeUndefined();
    const url = 'postgres://pindai:rahasia@db.lan:5432/pindai?sslmode=require';
    expect(loadConfig({ PINDAI_REGISTER_URL: url }).registerUrl).toBe(url);
    expect(loadConfig({ PINDAI_REGISTER_URL: 'postgresql://db/pindai' }).registerUrl).toBe(
      'postgresql://db/pindai',
    );
    for (const bad of ['db.lan:5432/pindai', 'mysql://db/pindai', 'file:register.sqlite']) {
      expect(() => loadConfig({ PINDAI_REGISTER_URL: bad }), bad).toThrow(/PINDAI_REGISTER_URL/);
    }
  });

  it('bounds IIIF cuts and keeps their cache under the data folder', () => {
    expect(loadConfig({ PINDAI_DATA_DIR: '/tmp/d' }).iiifCuts).toEqual({
      concurrency: 2,
      maxQueue: 50,
      cacheDir: '/tmp/d/cache/iiif',
      cacheMaxBytes: 512 * 1024 * 1024,
    });
    expect(loadConfig({ PINDAI_IIIF_CACHE_MB: '0' }).iiifCuts.cacheMaxBytes).toBe(0);
    expect(() => loadConfig({ PINDAI_IIIF_CUT_CONCURRENCY: '0' })).toThrow(/PINDAI_IIIF_CUT_CONCURRENCY/);
  });
});
