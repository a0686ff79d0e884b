import path from 'node:path';
import type { Config } from '../core/config.ts';
import { createFsObjectStore } from '../core/store/fs.object-store.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import { createEmbeddedSearchIndex } from '../search/embedded.search-index.ts';
import type { SearchIndex } from '../search/search-index.ts';

/** The filesystem store under <data>/store, whatever PINDAI_STORE says (for `store copy`). */
export async function openFsStore(config: Config): Promise<ObjectStore> {
  const store = createFsObjectStore(config.storeDir);
  await store.cleanTemp();
  return store;
}

/** The object store PINDAI_STORE selects. */
export async function openObjectStore(config: Config): Promise<ObjectStore> {
  if (config.store.kind === 'fs') return openFsStore(config);
  const { kind: _kind, ...s3 } = config.store;
  // Loaded only when configured: the S3 client costs ~0.4 CPU s to load, on every run.
  const { createS3ObjectStore } = await import('../core/store/s3.object-store.ts');
  const store = createS3ObjectStore({ ...s3, tmpDir: path.join(config.dataDir, 'tmp', 's3') });
  await store.cleanSpool();
  return store;
}

/** The search index PINDAI_SEARCH selects. */
export async function openSearchIndex(config: Config): Promise<SearchIndex> {
  if (config.search.kind === 'embedded') return createEmbeddedSearchIndex(config.indexPath);
  const { url, apiKey, indexUid } = config.search;
  const { createMeiliSearchIndex } = await import('../search/meili.search-index.ts');
  return createMeiliSearchIndex({ url, indexUid, ...(apiKey !== undefined && { apiKey }) });
}
