import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

/** s3rver's fixed credentials (it checks signatures made with them). */
export const S3RVER_KEY = 'S3RVER';

export interface TestS3Server {
  port: number;
  /** PINDAI_S3_* settings pointing at this server (bucket name included). */
  env(bucket: string): Record<string, string>;
  /** Stop answering (a site outage), keeping the stored objects. */
  stop(): Promise<void>;
  /** Answer again on the same port, with the same objects. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The part of s3rver's (untyped) filesystem store that `answerAfterWrite` replaces. */
export interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | NodeJS.ReadableStream;
    metadata: unknown;
  }): Promise<{ size: number; md5: string }>;
}

/**
 * s3rver 3.7.1 (its last release) answers a PUT once it has *read* the body, before the object's
 * file is written (`FilesystemStore.putObject` resolves on its hashing stream's 'finish', or right
 * after `end()` for a buffer): a GET straight after the PUT can read a short or empty file. CI saw
 * it as a copy that "reads back" as the empty string's SHA-256. The same store method, answering
 * once the file is written and closed.
 */
export function answerAfterWrite(server: S3rver): S3rver {
  const store = (server as unknown as { store: S3rverStore }).store;
  store.putObject = async (object) => {
    const file = store.getResourcePath(object.bucket, object.key, 'object');
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const md5 = crypto.createHash('md5');
    let size = 0;
    const body = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const hash = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(body, hash, fs.createWriteStream(file));
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
  return server;
}

/**
 * A real S3-protocol server (s3rver) in this process, on 127.0.0.1 with an ephemeral port and
 * its own data folder. Tests talk to it over HTTP through the same client as production.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-s3rver-'));
  let server = answerAfterWrite(
    new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false }),
  );
  const { port } = await server.run();
  let up = true;
  return {
    port,
    env: (bucket) => ({
      PINDAI_STORE: 's3',
      PINDAI_S3_ENDPOINT: '127.0.0.1',
      PINDAI_S3_PORT: String(port),
      PINDAI_S3_USE_SSL: 'false',
      PINDAI_S3_ACCESS_KEY: S3RVER_KEY,
      PINDAI_S3_SECRET_KEY: S3RVER_KEY,
      PINDAI_S3_BUCKET: bucket,
      PINDAI_S3_REGION: 'us-east-1',
    }),
    async stop() {
      if (up) await server.close();
      up = false;
    },
    async restart() {
      if (up) return;
      server = answerAfterWrite(
        new S3rver({ address: '127.0.0.1', port, silent: true, directory, vhostBuckets: false }),
      );
      await server.run();
      up = true;
    },
    async close() {
      if (up) await server.close();
      up = false;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
