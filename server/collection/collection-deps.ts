import type { Lang } from '../../core/messages.ts';
import type { Register } from '../../core/register/register.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import type { OaiSettings } from '../oai/oai.routes.ts';
import type { ImageRequest } from './iiif-image-request.ts';
import type { LibrarySite } from './library-site.ts';

/**
 * Cut and scale a region of a page image (IIIF Image API). Implemented by
 * workers/engines/iiif-image.ts (sharp) and passed in by the entry point, so the server itself
 * never imports an image library. Without it only the stored sizes (thumbnail, web, full) exist.
 * SHOULD not start when `signal` is already aborted (the client left).
 */
export type CutImage = (
  input: Buffer,
  req: Pick<ImageRequest, 'region' | 'width' | 'height' | 'quality' | 'format'>,
  signal?: AbortSignal,
) => Promise<Buffer>;

/** Bounds of `cutImage`: cuts at once, cuts waiting (then 503), and the disk cache of cuts. */
export interface CutLimits {
  concurrency: number;
  maxQueue: number;
  /** No disk cache when absent or when cacheMaxBytes is 0. */
  cacheDir?: string;
  cacheMaxBytes: number;
}

export interface CollectionDeps {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  /** Default page language (Bahasa Indonesia unless configured). */
  lang?: Lang;
  cutImage?: CutImage;
  /** Default: 2 at once, 50 waiting, no cache. */
  cutLimits?: CutLimits;
  /**
   * Public origin for absolute links (IIIF ids, sitemap), e.g. https://koleksi.example.go.id.
   * Default: from the request, and then answers holding such links are not cached publicly.
   */
  publicUrl?: string;
  /** The library's name, logo, address, contact and about text; default: the generic site. */
  site?: LibrarySite;
  /** The OAI-PMH data provider at /oai (page size, Identify's names); defaults when absent. */
  oai?: OaiSettings;
}
