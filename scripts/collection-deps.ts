import type { Config } from '../core/config.ts';
import type { Register } from '../core/register/register.ts';
import type { ObjectStore } from '../core/store/object-store.ts';
import type { SearchIndex } from '../search/search-index.ts';
import type { CollectionDeps } from '../server/collection/collection-deps.ts';
import { loadLibrarySite } from '../server/collection/library-site.ts';
import { createPageCutter } from '../workers/engines/iiif-image.ts';

/**
 * The public collection's dependencies from config (`pindai serve`, tests): the sharp cutter with
 * intake's own pixel limit, its bounds and disk cache, the public URL for absolute links, and the
 * library's own site (its logo and about text read here, once).
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
    site: loadLibrarySite(config.library),
  };
}
