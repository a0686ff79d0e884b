import { createHash } from 'node:crypto';
import { PindaiError } from '../core/errors.ts';
import type { ObjectStore } from '../core/store/object-store.ts';

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** An original as intake read and hashed it. */
export interface ExpectedOriginal {
  /** The name it arrived under, for messages. */
  name: string;
  sha256: string;
  bytes: number;
}

/**
 * Store one original under `key`, read it back and compare its SHA-256: the one way an original
 * enters the store, for a batch (accept-batch.ts) and for a page staff replace (replace-page.ts).
 * An object already at `key` with these bytes is kept (a run again after a crash). `read` gives the
 * bytes to store and is checked against `expected` first, so a file that changed since it was
 * hashed is never stored under the old hash.
 *
 * `existing` says what an object at `key` with other bytes means: `overwrite` for keys named by
 * page position (a leftover of an earlier attempt), `refuse` for keys named by content (other bytes
 * there are damage, never replaced silently).
 *
 * Throws PindaiError (retryable): `image_corrupt` (the source changed), `store_verify_failed` (the
 * stored copy reads back different), `store_conflict` (`refuse` and other bytes at the key).
 */
export async function storeOriginal(
  store: ObjectStore,
  key: string,
  expected: ExpectedOriginal,
  read: () => Promise<Buffer>,
  opts: { existing: 'overwrite' | 'refuse' },
): Promise<void> {
  const existing = await store.head(key);
  if (existing && existing.size === expected.bytes && (await store.sha256(key)) === expected.sha256) return;
  const params = { file: expected.name };
  if (existing && opts.existing === 'refuse') {
    throw new PindaiError('store_conflict', `other bytes already stored at ${key}`, {
      retryable: true,
      params,
    });
  }
  const data = await read();
  if (sha256(data) !== expected.sha256) {
    throw new PindaiError('image_corrupt', `${expected.name} changed while being received`, {
      retryable: true,
      params: { ...params, detail: 'berkas berubah saat diterima' },
    });
  }
  await store.put(key, data);
  if ((await store.sha256(key)) !== expected.sha256) {
    throw new PindaiError('store_verify_failed', `stored copy of ${expected.name} does not match`, {
      retryable: true,
      params,
    });
  }
}
