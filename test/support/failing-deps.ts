import type { ObjectStore } from '../../core/store/object-store.ts';
import type { SearchIndex } from '../../search/search-index.ts';

/** A switch a test flips to take a dependency down and bring it back. */
export interface Outage {
  down: boolean;
  /** Calls refused while down. */
  refused: number;
}

export const outage = (): Outage => ({ down: false, refused: 0 });

function refuse(o: Outage, code: string, what: string): never {
  o.refused++;
  const err: NodeJS.ErrnoException = new Error(`${what}: ${code} (simulated outage)`);
  err.code = code;
  throw err;
}

/**
 * Our own ObjectStore wrapped so that, while `o.down`, every call fails as a store that is
 * unreachable would (`ECONNREFUSED`) — or, with `code: 'ENOSPC'`, only writes fail, as on a full disk.
 */
export function failingStore(inner: ObjectStore, o: Outage, code = 'ECONNREFUSED'): ObjectStore {
  const writesOnly = code === 'ENOSPC';
  const gate = (write: boolean, what: string) => {
    if (o.down && (write || !writesOnly)) refuse(o, code, what);
  };
  return {
    name: `${inner.name}+outage`,
    async put(key, body, opts) {
      gate(true, `put ${key}`);
      return inner.put(key, body, opts);
    },
    async putFile(key, file, opts) {
      gate(true, `putFile ${key}`);
      return inner.putFile(key, file, opts);
    },
    async get(key, range) {
      gate(false, `get ${key}`);
      return inner.get(key, range);
    },
    async getBuffer(key) {
      gate(false, `get ${key}`);
      return inner.getBuffer(key);
    },
    async head(key) {
      gate(false, `head ${key}`);
      return inner.head(key);
    },
    async sha256(key) {
      gate(false, `sha256 ${key}`);
      return inner.sha256(key);
    },
    async *list(prefix) {
      gate(false, `list ${prefix}`);
      yield* inner.list(prefix);
    },
    async delete(key) {
      gate(true, `delete ${key}`);
      return inner.delete(key);
    },
    signedUrl: (key, ttl) => inner.signedUrl(key, ttl),
  };
}

/** Our own SearchIndex wrapped to fail like an unreachable search server while `o.down`. */
export function failingIndex(inner: SearchIndex, o: Outage): SearchIndex {
  const gate = (what: string) => {
    if (!o.down) return;
    o.refused++;
    const err = new Error(`${what}: request to search server failed (simulated outage)`, {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7700'), { code: 'ECONNREFUSED' }),
    });
    err.name = 'MeiliSearchRequestError';
    throw err;
  };
  return {
    async upsertItem(item, pages) {
      gate('upsert');
      return inner.upsertItem(item, pages);
    },
    async removeItem(id) {
      gate('remove');
      return inner.removeItem(id);
    },
    async search(q) {
      gate('search');
      return inner.search(q);
    },
    countDocuments: () => inner.countDocuments(),
    clear: () => inner.clear(),
    close: () => inner.close(),
  };
}
