import type { Config } from '../core/config.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { CollectionDeps } from '../server/collection/collection-deps.ts';
import { createPageCutter } from '../workers/engines/iiif-image.ts';

/**
 * The public collection's dependencies from config (`pindai serve`, tests): the sharp cutter with
 * intake's own pixel limit, its bounds and disk cache, and the public URL for absolute links.
 */
export function collectionDepsOf(app: {
  config: Config;
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
}): CollectionDeps {
  const { config } = app;
  return {
    register: app.register,
    store: app.store,
    index: app.index,
    lang: config.lang,
    cutImage: createPageCutter({ maxPixels: config.maxPixels }),
    cutLimits: config.iiifCuts,
    oai: config.oai,
    ...(config.publicUrl !== undefined && { publicUrl: config.publicUrl }),
  };
}
