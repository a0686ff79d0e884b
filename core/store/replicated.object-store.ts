import type { ObjectStore, PutResult } from './object-store.ts';

/** Where a replicating store notes what it stored (the register's replica ledger). */
export interface ReplicaLedger {
  record(key: string, stored: { sha256: string; size: number } | null): Promise<void>;
}

/**
 * The primary store, noting every put in the replica ledger: once before the write (an intent,
 * no hash yet) and once after it (the SHA-256 the primary stored). A crash between the two
 * leaves the key pending, so the replicator looks at it; nothing stored escapes the ledger.
 * Reads and deletes go to the primary alone: the replica is never deleted from here (only
 * `pindai replica purge` deletes there, and logs it). `onStored` wakes the replicator.
 */
export function createReplicatedObjectStore(
  primary: ObjectStore,
  ledger: ReplicaLedger,
  onStored: (key: string) => void = () => {},
): ObjectStore {
  const noted = async (key: string, write: () => Promise<PutResult>): Promise<PutResult> => {
    await ledger.record(key, null);
    const put = await write();
    await ledger.record(key, put);
    onStored(key);
    return put;
  };
  return {
    name: primary.name,
    put: (key, body, opts) => noted(key, () => primary.put(key, body, opts)),
    putFile: (key, file, opts) => noted(key, () => primary.putFile(key, file, opts)),
    get: (key, range) => primary.get(key, range),
    getBuffer: (key) => primary.getBuffer(key),
    head: (key) => primary.head(key),
    sha256: (key) => primary.sha256(key),
    list: (prefix) => primary.list(prefix),
    delete: (key) => primary.delete(key),
    signedUrl: (key, ttl) => primary.signedUrl(key, ttl),
  };
}
