import fs from 'node:fs';
import path from 'node:path';
import type { ReplicaConfig } from '../config.ts';
import { PindaiError } from '../errors.ts';
import { createFsObjectStore } from '../store/fs.object-store.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { createS3ObjectStore } from '../store/s3.object-store.ts';

/**
 * The replica's object store, as PINDAI_REPLICA_* say: a bucket elsewhere, or a folder on a second
 * disk. The folder is never created by Pindai: a NAS that is not mounted leaves an empty mount
 * point, and copies written there would land on the primary's own disk. So every call first
 * checks that the folder exists (it lives *inside* the mount: /mnt/cadangan/pindai) and fails as
 * "not reachable" otherwise; the replicator then waits and tries again.
 */
export function openReplicaStore(replica: ReplicaConfig, spoolDir: string): ObjectStore {
  if (replica.store.kind === 's3') {
    const { kind: _kind, ...s3 } = replica.store;
    return createS3ObjectStore({ ...s3, tmpDir: spoolDir });
  }
  const dir = replica.store.dir;
  let store: ObjectStore | null = null;
  const open = (): ObjectStore => {
    if (!fs.existsSync(dir)) {
      store = null;
      throw new PindaiError('STORE_UNAVAILABLE', `replica folder not reachable: ${dir}`, { retryable: true });
    }
    store ??= createFsObjectStore(dir);
    return store;
  };
  return {
    name: 'fs',
    put: async (key, body, opts) => open().put(key, body, opts),
    putFile: async (key, file, opts) => open().putFile(key, file, opts),
    get: async (key, range) => open().get(key, range),
    getBuffer: async (key) => open().getBuffer(key),
    head: async (key) => open().head(key),
    sha256: async (key) => open().sha256(key),
    async *list(prefix) {
      yield* open().list(prefix);
    },
    delete: async (key) => open().delete(key),
    signedUrl: async () => null,
  };
}

/** Where a replica is, for messages: the folder, or the bucket and its server. */
export function describeReplica(replica: ReplicaConfig): string {
  const s = replica.store;
  return s.kind === 'fs'
    ? path.resolve(s.dir)
    : `s3://${s.bucket} @ ${s.useSSL ? 'https' : 'http'}://${s.endPoint}${s.port ? `:${s.port}` : ''}`;
}
