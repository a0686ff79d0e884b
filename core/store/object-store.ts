import type { Readable } from 'node:stream';

export interface PutResult {
  sha256: string;
  size: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  modified: Date;
}

/**
 * Where bytes live: originals, derivatives, OCR, PDFs, manifests.
 *
 * - put MUST be atomic: a reader sees the whole new object or the old one, never a partial write,
 *   even if the process dies mid-write. It returns the SHA-256 and size of what was stored.
 * - get MUST stream; a range is inclusive byte offsets (as HTTP Range).
 * - sha256 MUST hash the stored bytes as read back now (used to verify before originals leave
 *   the inbox, and by the fixity audit) — never a cached value.
 * - Keys are built only by core/store/keys.ts; adapters MUST reject keys that could escape their
 *   root (`..`, absolute paths, backslashes, NUL).
 */
export interface ObjectStore {
  readonly name: string;
  put(key: string, body: Buffer | Readable, opts?: { contentType?: string }): Promise<PutResult>;
  putFile(key: string, filePath: string, opts?: { contentType?: string }): Promise<PutResult>;
  get(key: string, range?: { start: number; end: number }): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo | null>;
  sha256(key: string): Promise<string>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  delete(key: string): Promise<void>;
  /** A short-lived URL for direct download where the backend can sign one; null otherwise. */
  signedUrl(key: string, ttlSeconds: number): Promise<string | null>;
}

export function assertSafeKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`unsafe object key: ${JSON.stringify(key)}`);
  }
}
