import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import * as Minio from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runObjectStoreContract } from '../../test/contracts/object-store.contract.ts';
import { S3RVER_KEY, startS3Server, type TestS3Server } from '../../test/support/s3-server.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { createS3ObjectStore, type S3StoreOptions } from './s3.object-store.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmp = tempDir();
let server: TestS3Server;
let bucketNo = 0;

beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

const optionsFor = (bucket = `pindai-test-${++bucketNo}`): S3StoreOptions => ({
  endPoint: '127.0.0.1',
  port: server.port,
  useSSL: false,
  accessKey: S3RVER_KEY,
  secretKey: S3RVER_KEY,
  bucket,
  region: 'us-east-1',
  tmpDir: path.join(tmp, 'spool'),
  partSize: 5 * 1024 * 1024,
});

// Each store gets a fresh bucket, created by the adapter itself.
runObjectStoreContract('S3 (s3rver over HTTP)', async () => createS3ObjectStore(optionsFor()));

describe('S3 object store', () => {
  const rawClient = () =>
    new Minio.Client({
      endPoint: '127.0.0.1',
      port: server.port,
      useSSL: false,
      accessKey: S3RVER_KEY,
      secretKey: S3RVER_KEY,
      pathStyle: true,
      region: 'us-east-1',
    });

  it('creates its bucket and stores the SHA-256 as object metadata', async () => {
    const opts = optionsFor();
    const s = createS3ObjectStore(opts);
    const data = Buffer.from('naskah kuno');
    await s.put('items/m/a.txt', data, { contentType: 'text/plain' });
    const st = await rawClient().statObject(opts.bucket, 'items/m/a.txt');
    expect(st.metaData).toMatchObject({ sha256: sha(data), 'content-type': 'text/plain' });
    // A second store on the same, now existing bucket works too.
    expect((await createS3ObjectStore(opts).getBuffer('items/m/a.txt')).toString()).toBe('naskah kuno');
  });

  it('uploads large streams and files in parts and reads them back whole', async () => {
    const s = createS3ObjectStore(optionsFor());
    const big = Buffer.alloc(11 * 1024 * 1024 + 3);
    for (let i = 0; i + 4 <= big.length; i += 4096) big.writeUInt32LE(i, i);
    const chunks = Array.from({ length: 12 }, (_, i) => big.subarray(i * 1_000_000, (i + 1) * 1_000_000));
    const r = await s.put('items/big/stream.bin', Readable.from(chunks));
    expect(r).toEqual({ sha256: sha(big), size: big.length });
    expect(await s.sha256('items/big/stream.bin')).toBe(sha(big));
    expect(sha(await buffer(await s.get('items/big/stream.bin')))).toBe(sha(big));

    const file = path.join(tmp, 'big.bin');
    fs.writeFileSync(file, big);
    expect(await s.putFile('items/big/file.bin', file)).toEqual({ sha256: sha(big), size: big.length });
    const tail = await buffer(
      await s.get('items/big/file.bin', { start: big.length - 10, end: big.length - 1 }),
    );
    expect(tail).toEqual(big.subarray(big.length - 10));
    expect(fs.readdirSync(path.join(tmp, 'spool'))).toEqual([]);
  });

  it('detects bytes that no longer match their stored SHA-256', async () => {
    const opts = optionsFor();
    const s = createS3ObjectStore(opts);
    await s.put('items/rot/p.txt', Buffer.from('asli'));
    const stored = sha(Buffer.from('asli'));
    // Someone rewrites the bytes behind Pindai's back, keeping the old checksum.
    const forged = Buffer.from('palsu');
    await rawClient().putObject(opts.bucket, 'items/rot/p.txt', forged, forged.length, {
      'X-Amz-Meta-Sha256': stored,
    });
    await expect(s.getBuffer('items/rot/p.txt')).rejects.toMatchObject({ code: 'STORE_CHECKSUM_MISMATCH' });
    await expect(buffer(await s.get('items/rot/p.txt'))).rejects.toMatchObject({
      code: 'STORE_CHECKSUM_MISMATCH',
    });
    expect(await s.sha256('items/rot/p.txt')).toBe(sha(forged));
  });

  it('leaves no object and no spool file when a stream fails mid-upload', async () => {
    const s = createS3ObjectStore(optionsFor());
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('scanner cable pulled'));
      },
    });
    await expect(s.put('items/f/broken.bin', failing)).rejects.toThrow(/scanner cable pulled/);
    expect(await s.head('items/f/broken.bin')).toBeNull();
    expect(fs.readdirSync(path.join(tmp, 'spool'))).toEqual([]);
  });

  it('cleans spool files left by a crash, but only old ones', async () => {
    const opts = optionsFor();
    const s = createS3ObjectStore(opts);
    fs.mkdirSync(opts.tmpDir, { recursive: true });
    const old = path.join(opts.tmpDir, 'old.s3part');
    const young = path.join(opts.tmpDir, 'young.s3part');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(young, 'y');
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
    await s.cleanSpool();
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
    fs.rmSync(young);
  });

  it('signs short-lived download URLs that fetch the object over HTTP', async () => {
    const s = createS3ObjectStore(optionsFor());
    await s.put('items/u/x.pdf', Buffer.from('%PDF-1.7 contoh'), { contentType: 'application/pdf' });
    const url = await s.signedUrl('items/u/x.pdf', 60);
    expect(url).toMatch(/X-Amz-Expires=60/);
    expect(url).toMatch(/X-Amz-Signature=/);
    const res = await fetch(url ?? '');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('%PDF-1.7 contoh');
  });

  it('fails with a retryable error when the server is unreachable', async () => {
    const s = createS3ObjectStore({ ...optionsFor(), port: 1 });
    await expect(s.put('items/x/y', Buffer.from('x'))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      retryable: true,
    });
  });
});
