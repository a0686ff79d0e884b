/**
 * A bounded disk cache of IIIF cuts: one file per cut under `dir`, named by a hash of its key,
 * least recently used dropped first once the files pass `maxBytes`. A cache only: a lost,
 * damaged or foreign file is a miss, and no write failure ever fails a request.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface CutCache {
  get(key: string): Promise<Buffer | null>;
  put(key: string, data: Buffer): Promise<void>;
  stats(): Promise<{ entries: number; bytes: number }>;
}

const NAME = /^[0-9a-f]{64}$/;

/** `maxBytes` 0 gives a cache that keeps nothing. */
export function createCutCache(opts: { dir: string; maxBytes: number }): CutCache {
  // name → size, oldest use first (a Map keeps insertion order; a hit re-inserts).
  const entries = new Map<string, number>();
  let bytes = 0;
  let ready: Promise<void> | null = null;

  const nameOf = (key: string) => createHash('sha256').update(key).digest('hex');
  const file = (name: string) => path.join(opts.dir, name);

  /** Pick up what an earlier process left, oldest use (mtime) first; drop unfinished writes. */
  const load = async () => {
    await fs.mkdir(opts.dir, { recursive: true });
    const found: Array<{ name: string; size: number; used: number }> = [];
    for (const name of await fs.readdir(opts.dir)) {
      const st = await fs.stat(file(name)).catch(() => null);
      if (!st?.isFile()) continue;
      if (NAME.test(name)) found.push({ name, size: st.size, used: st.mtimeMs });
      else if (name.endsWith('.tmp')) await fs.rm(file(name), { force: true });
    }
    for (const f of found.sort((a, b) => a.used - b.used)) {
      entries.set(f.name, f.size);
      bytes += f.size;
    }
    await evict();
  };
  const init = () => {
    ready ??= load().catch(() => {});
    return ready;
  };

  const evict = async () => {
    for (const [name, size] of entries) {
      if (bytes <= opts.maxBytes) break;
      entries.delete(name);
      bytes -= size;
      await fs.rm(file(name), { force: true }).catch(() => {});
    }
  };

  const drop = (name: string) => {
    const size = entries.get(name);
    if (size === undefined) return;
    entries.delete(name);
    bytes -= size;
  };

  return {
    async get(key) {
      if (opts.maxBytes <= 0) return null;
      await init();
      const name = nameOf(key);
      const size = entries.get(name);
      if (size === undefined) return null;
      const data = await fs.readFile(file(name)).catch(() => null);
      if (!data || data.length !== size) {
        drop(name);
        return null;
      }
      entries.delete(name);
      entries.set(name, size);
      // The use time is kept on disk too, so a restart keeps the order (best effort).
      const now = new Date();
      void fs.utimes(file(name), now, now).catch(() => {});
      return data;
    },

    async put(key, data) {
      if (data.length > opts.maxBytes) return;
      await init();
      const name = nameOf(key);
      // Written under a temporary name and renamed: a reader never sees half a file.
      const tmp = file(`${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fs.writeFile(tmp, data);
        await fs.rename(tmp, file(name));
      } catch {
        await fs.rm(tmp, { force: true }).catch(() => {});
        return;
      }
      drop(name);
      entries.set(name, data.length);
      bytes += data.length;
      await evict();
    },

    async stats() {
      await init();
      return { entries: entries.size, bytes };
    },
  };
}
