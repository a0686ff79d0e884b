import type { Config } from '../core/config.ts';
import { openConfiguredRegister } from '../core/register/open-configured.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import { openObjectStore, openSearchIndex } from './open-backends.ts';

export interface Catalog {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  close(): Promise<void>;
}

/** Register, store and index without workers: for commands that only read. */
export async function openCatalog(config: Config): Promise<Catalog> {
  const register = await openConfiguredRegister(config);
  const store = await openObjectStore(config);
  const index = await openSearchIndex(config);
  return {
    register,
    store,
    index,
    async close() {
      await index.close();
      await register.close();
    },
  };
}
