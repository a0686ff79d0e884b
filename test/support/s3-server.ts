import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/**
 * A real S3-protocol server (s3rver) in this process, on 127.0.0.1 with an ephemeral port and
 * its own data folder. Tests talk to it over HTTP through the same client as production.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pindai-s3rver-'));
  let server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
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
      server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, vhostBuckets: false });
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
