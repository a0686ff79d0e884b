import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, type ObjectInfo, type ObjectStore, type PutResult } from './object-store.ts';

/**
 * Filesystem object store: objects under `<root>/objects/<key>`. Writes go to `<root>/tmp/` first,
 * are fsynced, then renamed into place (atomic on one filesystem), so a crash never leaves a
 * half-written object under a real key.
 */
export function createFsObjectStore(
  root: string,
): ObjectStore & { cleanTemp(olderThanMs?: number): Promise<void> } {
  const objects = path.join(root, 'objects');
  const tmp = path.join(root, 'tmp');
  fs.mkdirSync(objects, { recursive: true });
  fs.mkdirSync(tmp, { recursive: true });

  const fileOf = (key: string) => {
    assertSafeKey(key);
    return path.join(objects, ...key.split('/'));
  };

  async function writeAtomically(key: string, source: Readable): Promise<PutResult> {
    const dest = fileOf(key);
    const temp = path.join(tmp, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const out = fs.createWriteStream(temp, { flags: 'wx' });
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        out,
      );
      const fh = await fsp.open(temp, 'r');
      await fh.sync();
      await fh.close();
      await fsp.mkdir(path.dirname(dest), { recursive: true });
      await fsp.rename(temp, dest);
      await syncDir(path.dirname(dest));
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw err;
    }
    return { sha256: hash.digest('hex'), size };
  }

  return {
    name: 'fs',
    put: (key, body) => writeAtomically(key, Buffer.isBuffer(body) ? Readable.from([body]) : body),
    putFile: (key, filePath) => writeAtomically(key, fs.createReadStream(filePath)),
    async get(key, range) {
      const file = fileOf(key);
      await fsp.access(file).catch(() => {
        throw notFound(key);
      });
      return fs.createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async getBuffer(key) {
      return fsp.readFile(fileOf(key)).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ENOENT' ? notFound(key) : err;
      });
    },
    async head(key) {
      const st = await fsp.stat(fileOf(key)).catch(() => null);
      return st?.isFile() ? { key, size: st.size, modified: st.mtime } : null;
    },
    async sha256(key) {
      const hash = createHash('sha256');
      await pipeline(fs.createReadStream(fileOf(key)), hash);
      return hash.digest('hex');
    },
    async *list(prefix) {
      const base = path.join(objects, ...prefix.split('/').filter(Boolean));
      const start = prefix.endsWith('/') || prefix === '' ? base : path.dirname(base);
      for (const info of await walk(start)) {
        const key = path.relative(objects, info.file).split(path.sep).join('/');
        if (key.startsWith(prefix))
          yield { key, size: info.size, modified: info.modified } satisfies ObjectInfo;
      }
    },
    async delete(key) {
      await fsp.rm(fileOf(key), { force: true });
    },
    signedUrl: async () => null,
    /**
     * Remove temp files left by a crash mid-write. Only old ones: another process sharing this
     * store (serve and ingest at once) may be writing the young ones right now.
     */
    async cleanTemp(olderThanMs = 3_600_000) {
      for (const f of await fsp.readdir(tmp)) {
        const st = await fsp.stat(path.join(tmp, f)).catch(() => null);
        if (st && Date.now() - st.mtimeMs > olderThanMs) await fsp.rm(path.join(tmp, f), { force: true });
      }
    },
  };
}

function notFound(key: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`object not found: ${key}`);
  err.code = 'ENOENT';
  return err;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function walk(dir: string): Promise<{ file: string; size: number; modified: Date }[]> {
  const out: { file: string; size: number; modified: Date }[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) {
      const st = await fsp.stat(p);
      out.push({ file: p, size: st.size, modified: st.mtime });
    }
  }
  return out;
}
