import type { Config } from '../core/config.ts';
import { createRegister, type Register } from '../core/register/register.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { createEmbeddedSearchIndex } from '../search/embedded.search-index.ts';
import type { SearchIndex } from '../search/search-index.ts';

export interface Catalog {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  close(): Promise<void>;
}

/** Register, store and index without workers: for commands that only read. */
export function openCatalog(config: Config): Catalog {
  const register = createRegister(config.registerPath);
  const store = createFsObjectStore(config.storeDir);
  const index = createEmbeddedSearchIndex(config.indexPath);
  return {
    register,
    store,
    index,
    async close() {
      await index.close();
      register.close();
    },
  };
}
