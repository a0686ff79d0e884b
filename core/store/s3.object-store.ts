import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as Minio from 'minio';
import { PindaiError } from '../errors.ts';
import { assertSafeKey, type ObjectInfo, type ObjectStore, type PutResult } from './object-store.ts';

export interface S3StoreOptions {
  /** Host name or IP of the S3 server, without scheme. */
  endPoint: string;
  /** Default 443 with TLS, 80 without. */
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** MinIO and most S3-compatible servers accept 'us-east-1'; Garage wants its configured region. */
  region: string;
  /** Where a stream is spooled (and hashed) before upload; must hold one object. */
  tmpDir: string;
  /** Multipart part size in bytes (S3 minimum 5 MiB); objects above it upload in parts. */
  partSize?: number;
}

/** Object metadata header carrying the SHA-256 of the whole object, hex. */
const SHA_META = 'sha256';
const MIN_PART = 5 * 1024 * 1024;
const DEFAULT_PART = 16 * 1024 * 1024;
/** S3's upper bound for presigned URLs (7 days). */
const MAX_URL_TTL = 604_800;

/**
 * S3 object store through the `minio` client, using only the plain S3 API with path-style
 * addressing, so it works with MinIO, Garage, SeaweedFS, Ceph RGW or AWS alike.
 *
 * - The SHA-256 must be known before the first byte is sent (S3 metadata goes with the upload's
 *   first request), so a stream is spooled to `tmpDir` while hashed, then uploaded; files and
 *   buffers are hashed in place. The hash travels as `x-amz-meta-sha256`.
 * - Objects larger than `partSize` go up as a multipart upload written here rather than the
 *   client's own: that one first lists the bucket's unfinished uploads to resume one (which some
 *   S3 servers do not implement, and which could pick up another writer's upload). Each part
 *   carries Content-MD5, so the server rejects a part damaged in transit; a failed upload is
 *   aborted. S3 makes the object visible only on completion: readers see whole objects.
 * - Whole-object reads are checked against the stored SHA-256 and fail with
 *   STORE_CHECKSUM_MISMATCH; `sha256()` hashes the bytes as read now.
 * - The bucket is created if missing and no policy is ever set on it: objects stay private,
 *   reachable only through the server or a short-lived presigned URL.
 */
export interface S3ObjectStore extends ObjectStore {
  readonly bucket: string;
  /** The SHA-256 recorded in the object's metadata at upload (no download); null if absent. */
  storedSha256(key: string): Promise<string | null>;
  /**
   * Remove spool files left by a crash mid-upload. Only old ones: another process sharing the
   * folder may be spooling the young ones right now.
   */
  cleanSpool(olderThanMs?: number): Promise<void>;
}

export function createS3ObjectStore(opts: S3StoreOptions): S3ObjectStore {
  const partSize = Math.max(MIN_PART, opts.partSize ?? DEFAULT_PART);
  const client = new Minio.Client({
    endPoint: opts.endPoint,
    ...(opts.port !== undefined && { port: opts.port }),
    useSSL: opts.useSSL,
    accessKey: opts.accessKey,
    secretKey: opts.secretKey,
    region: opts.region,
    pathStyle: true,
    partSize,
  });
  const bucket = opts.bucket;
  let ready: Promise<void> | null = null;

  const ensureBucket = (): Promise<void> => {
    ready ??= (async () => {
      if (await client.bucketExists(bucket)) return;
      try {
        await client.makeBucket(bucket, opts.region);
      } catch (err) {
        // Another process created it between our check and our request.
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(codeOf(err))) throw err;
      }
    })().catch((err) => {
      ready = null; // the server may come up later; try again on the next call
      throw new PindaiError('STORE_UNAVAILABLE', `S3 bucket ${bucket} not reachable: ${messageOf(err)}`, {
        retryable: true,
        cause: err,
      });
    });
    return ready;
  };

  const headersFor = (sha256: string, contentType?: string) => ({
    'Content-Type': contentType ?? 'application/octet-stream',
    [`X-Amz-Meta-${SHA_META}`]: sha256,
  });

  async function uploadFile(key: string, file: string, sha256: string, size: number, contentType?: string) {
    await ensureBucket();
    const headers = headersFor(sha256, contentType);
    if (size <= partSize) {
      await client.putObject(bucket, key, await fsp.readFile(file), size, headers);
      return;
    }
    const fh = await fsp.open(file, 'r');
    try {
      await multipart(
        key,
        headers,
        async (offset, length) => {
          const chunk = Buffer.allocUnsafe(length);
          const { bytesRead } = await fh.read(chunk, 0, length, offset);
          return chunk.subarray(0, bytesRead);
        },
        size,
      );
    } finally {
      await fh.close();
    }
  }

  async function multipart(
    key: string,
    headers: Record<string, string>,
    read: (offset: number, length: number) => Promise<Buffer>,
    size: number,
  ): Promise<void> {
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, headers);
    try {
      const parts: Array<{ part: number; etag: string }> = [];
      for (let offset = 0, part = 1; offset < size; offset += partSize, part++) {
        const chunk = await read(offset, Math.min(partSize, size - offset));
        const md5 = createHash('md5').update(chunk).digest('base64');
        const { etag } = await client.uploadPart(
          {
            bucketName: bucket,
            objectName: key,
            uploadID: uploadId,
            partNumber: part,
            headers: { 'Content-Length': chunk.length, 'Content-MD5': md5 },
          },
          chunk,
        );
        parts.push({ part, etag });
      }
      await client.completeMultipartUpload(bucket, key, uploadId, parts);
    } catch (err) {
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
      throw err;
    }
  }

  async function putBuffer(key: string, body: Buffer, contentType?: string): Promise<PutResult> {
    assertSafeKey(key);
    await ensureBucket();
    const sha256 = createHash('sha256').update(body).digest('hex');
    const headers = headersFor(sha256, contentType);
    if (body.length <= partSize) await client.putObject(bucket, key, body, body.length, headers);
    else await multipart(key, headers, async (o, n) => body.subarray(o, o + n), body.length);
    return { sha256, size: body.length };
  }

  async function putStream(key: string, body: Readable, contentType?: string): Promise<PutResult> {
    assertSafeKey(key);
    await fsp.mkdir(opts.tmpDir, { recursive: true });
    const temp = path.join(opts.tmpDir, `${randomUUID()}.s3part`);
    try {
      const hash = createHash('sha256');
      let size = 0;
      await pipeline(
        body,
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        fs.createWriteStream(temp, { flags: 'wx' }),
      );
      const sha256 = hash.digest('hex');
      await uploadFile(key, temp, sha256, size, contentType);
      return { sha256, size };
    } finally {
      await fsp.rm(temp, { force: true });
    }
  }

  async function openObject(key: string, range?: { start: number; end: number }): Promise<IncomingMessage> {
    assertSafeKey(key);
    await ensureBucket();
    try {
      const stream = range
        ? await client.getPartialObject(bucket, key, range.start, range.end - range.start + 1)
        : await client.getObject(bucket, key);
      return stream as IncomingMessage;
    } catch (err) {
      throw mapNotFound(err, key);
    }
  }

  return {
    name: 's3',
    bucket,
    async put(key, body, putOpts) {
      return Buffer.isBuffer(body)
        ? putBuffer(key, body, putOpts?.contentType)
        : putStream(key, body, putOpts?.contentType);
    },
    async putFile(key, filePath, putOpts) {
      assertSafeKey(key);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of fs.createReadStream(filePath)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const sha256 = hash.digest('hex');
      await uploadFile(key, filePath, sha256, size, putOpts?.contentType);
      return { sha256, size };
    },
    async get(key, range) {
      const res = await openObject(key, range);
      if (range) return res;
      const expected = storedSha(res);
      if (!expected) return res;
      const hash = createHash('sha256');
      const verify = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          const actual = hash.digest('hex');
          done(actual === expected ? null : mismatch(key, expected, actual));
        },
      });
      res.on('error', (err) => verify.destroy(err));
      return res.pipe(verify);
    },
    async getBuffer(key) {
      const res = await openObject(key);
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const expected = storedSha(res);
      const actual = createHash('sha256').update(body).digest('hex');
      if (expected && expected !== actual) throw mismatch(key, expected, actual);
      return body;
    },
    async head(key) {
      assertSafeKey(key);
      await ensureBucket();
      try {
        const st = await client.statObject(bucket, key);
        return { key, size: st.size, modified: st.lastModified };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async cleanSpool(olderThanMs = 3_600_000) {
      const names = await fsp.readdir(opts.tmpDir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.s3part'))) {
        const file = path.join(opts.tmpDir, name);
        const st = await fsp.stat(file).catch(() => null);
        if (st && Date.now() - st.mtimeMs > olderThanMs) await fsp.rm(file, { force: true });
      }
    },
    async storedSha256(key) {
      assertSafeKey(key);
      await ensureBucket();
      try {
        const value = (await client.statObject(bucket, key)).metaData?.[SHA_META];
        return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : null;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async sha256(key) {
      const hash = createHash('sha256');
      await pipeline(await openObject(key), hash);
      return hash.digest('hex');
    },
    async *list(prefix) {
      await ensureBucket();
      for await (const o of client.listObjectsV2(bucket, prefix, true)) {
        const item = o as { name?: string; size?: number; lastModified?: Date };
        if (item.name === undefined) continue; // a common prefix, not an object
        yield {
          key: item.name,
          size: item.size ?? 0,
          modified: item.lastModified ?? new Date(0),
        } satisfies ObjectInfo;
      }
    },
    async delete(key) {
      assertSafeKey(key);
      await ensureBucket();
      await client.removeObject(bucket, key);
    },
    async signedUrl(key, ttlSeconds) {
      assertSafeKey(key);
      await ensureBucket();
      const ttl = Math.max(1, Math.min(MAX_URL_TTL, Math.floor(ttlSeconds)));
      return client.presignedGetObject(bucket, key, ttl);
    },
  };
}

function storedSha(res: IncomingMessage): string | undefined {
  const value = res.headers[`x-amz-meta-${SHA_META}`];
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

function mismatch(key: string, expected: string, actual: string): PindaiError {
  return new PindaiError(
    'STORE_CHECKSUM_MISMATCH',
    `Object ${key} reads back as ${actual}, stored as ${expected}`,
    {
      params: { key, expected, actual },
    },
  );
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isNotFound(err: unknown): boolean {
  return ['NoSuchKey', 'NotFound', 'NoSuchObject'].includes(codeOf(err));
}

function mapNotFound(err: unknown, key: string): unknown {
  if (!isNotFound(err)) return err;
  const e: NodeJS.ErrnoException = new Error(`object not found: ${key}`, { cause: err });
  e.code = 'ENOENT';
  return e;
}
