import type { Lang } from '../../core/messages.ts';
import type { Register } from '../../core/register/register.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import type { SearchIndex } from '../../search/search-index.ts';
import type { ImageRequest } from './iiif-image-request.ts';

/**
 * Cut and scale a region of a page image (IIIF Image API). Implemented by
 * workers/engines/iiif-image.ts (sharp) and passed in by the entry point, so the server itself
 * never imports an image library. Without it only the stored sizes (thumbnail, web, full) exist.
 */
export type CutImage = (
  input: Buffer,
  req: Pick<ImageRequest, 'region' | 'width' | 'height' | 'quality' | 'format'>,
) => Promise<Buffer>;

export interface CollectionDeps {
  register: Register;
  store: ObjectStore;
  index: SearchIndex;
  /** Default page language (Bahasa Indonesia unless configured). */
  lang?: Lang;
  cutImage?: CutImage;
  /** Public origin for absolute links (IIIF ids, sitemap), e.g. https://koleksi.example.go.id. Default: from the request. */
  publicUrl?: string;
}
