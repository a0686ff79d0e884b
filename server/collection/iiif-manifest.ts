/**
 * IIIF Presentation 3 manifest of one public item: one canvas per page (sized as the
 * full-resolution scan, which is also the space of the OCR word boxes), each painted with the
 * web derivative and an IIIF Image service and linked to its ALTO (`seeAlso`), plus the PDF (open
 * items), the item's METS, the Collections it is part of, its licence (`rights`), the library as
 * `provider`, and Content Search 1 (what Mirador asks for) beside Content Search 2. Typed against
 * @iiif/presentation-3 so tsc checks the shape.
 */
import type {
  Canvas,
  ContentResource,
  ExternalWebResource,
  InternationalString,
  Manifest,
  MetadataItem,
  Service,
} from '@iiif/presentation-3';
import type { Page } from '../../core/item.types.ts';
import { t } from '../../core/messages.ts';
import { ALTO_PROFILE } from './alto.ts';
import { METS_PROFILE } from './mets.ts';
import { fullSize, maxSize, type PublicItem, scaledSize, THUMB_WIDTH, WEB_WIDTH } from './public-item.ts';

export const both = (
  key: Parameters<typeof t>[1],
  params?: Record<string, string | number>,
): InternationalString => ({
  id: [t('id', key, params)],
  en: [t('en', key, params)],
});
export const none = (v: string): InternationalString => ({ none: [v] });

/**
 * Presentation 3 requires `label` on homepage and rendering resources; the types package omits
 * it from ExternalWebResource, so it is added here.
 */
const labelled = (
  res: ExternalWebResource & { profile?: string },
  label: InternationalString,
): ContentResource => ({ ...res, label }) as ContentResource;

/** A Collection this resource is part of; the types package omits the label the spec recommends. */
const collectionRef = (id: string, label: InternationalString) =>
  ({ id, type: 'Collection', label }) as { id: string; type: 'Collection' };

/**
 * Content Search 1 as a Presentation 3 service (spec 3.0 §5.2, "older services"); the types
 * package knows only the version 2 service types.
 */
const searchService1 = (id: string) =>
  ({
    '@context': 'http://iiif.io/api/search/1/context.json',
    id,
    type: 'SearchService1',
    profile: 'http://iiif.io/api/search/1/search',
  }) as unknown as Service;

export const imageServiceId = (base: string, itemId: string, pageNo: number) =>
  `${base}/iiif/${itemId}/p${pageNo}`;
export const manifestId = (base: string, itemId: string) => `${base}/iiif/${itemId}/manifest`;
export const metsUrl = (base: string, itemId: string) => `${base}/iiif/${itemId}/mets.xml`;
export const altoUrl = (base: string, itemId: string, pageNo: number) =>
  `${base}/iiif/${itemId}/alto/p${pageNo}.xml`;
/** Content Search 1 answers at its own path: Mirador appends `?q=` to the service id. */
export const search1Url = (base: string, itemId: string) => `${base}/iiif/${itemId}/search/v1`;
/** All public items (`name` absent) or one collection (the metadata `collection` value); `part`: one part of it. */
export const collectionId = (base: string, name?: string, part?: number) =>
  `${base}/iiif/collection${name === undefined ? '' : `/${encodeURIComponent(name)}`}${
    part === undefined ? '' : `?part=${part}`
  }`;

/** The library as IIIF names it (provider, requiredStatement): its configured name, else the site's. */
export const libraryLabel = (name: string | undefined): InternationalString =>
  name ? none(name) : both('site_name');

/** The library as a provider, when it has a configured name (see buildManifest). */
export function providerOf(base: string, libraryName: string | undefined): Manifest['provider'] {
  return libraryName ? [agentOf(base, { name: libraryName })] : undefined;
}

/** The library as the manifest's provider (IIIF viewers show it as "provided by"). */
export interface ManifestProvider {
  name: string;
  /** Path of the logo on this site, and its MIME type. */
  logo?: { path: string; format: string };
}

export function buildManifest(
  base: string,
  pub: PublicItem,
  pages: Page[],
  opts: { canTile: boolean; provider?: ManifestProvider },
): Manifest {
  const { item } = pub;
  const m = item.metadata;
  const id = manifestId(base, item.id);
  const meta: MetadataItem[] = [];
  const add = (key: Parameters<typeof t>[1], value: string | number | undefined | null) => {
    if (value !== undefined && value !== null && String(value) !== '')
      meta.push({ label: both(key), value: none(String(value)) });
  };
  add('meta_creator', m.creator?.join('; '));
  add('meta_publisher', [m.publisher, m.place].filter(Boolean).join(', '));
  add('meta_year', m.year);
  add('meta_language', m.language?.join(', '));
  add('meta_type', m.type);
  add('meta_collection', m.collection);
  add('meta_nomor_induk', item.nomorInduk);
  add('meta_call_number', m.callNumber);
  meta.push({ label: both('meta_rights'), value: both(`access_${pub.access}`) });
  add('meta_license', m.license);
  const canvases: Canvas[] = pages.map((p) => canvasOf(base, item.id, pub, p, opts.canTile));
  const first = pages[0];
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id,
    type: 'Manifest',
    label: none(item.title),
    metadata: meta,
    ...(m.description && { summary: none(m.description) }),
    ...(m.license && { rights: m.license }),
    requiredStatement: { label: both('meta_provider'), value: libraryLabel(opts.provider?.name) },
    // Only a library that named itself is a provider; the generic site name is not one.
    ...(opts.provider && { provider: [agentOf(base, opts.provider)] }),
    behavior: ['paged'],
    viewingDirection: item.metadata.readingDirection === 'rtl' ? 'right-to-left' : 'left-to-right',
    homepage: [
      labelled({ id: `${base}/item/${item.id}`, type: 'Text', format: 'text/html' }, none(item.title)),
    ],
    ...(first && {
      thumbnail: [
        {
          id: `${imageServiceId(base, item.id, first.pageNo)}/full/${scaledSize(first, THUMB_WIDTH).width},/0/default.jpg`,
          type: 'Image',
          format: 'image/jpeg',
          ...scaledSize(first, THUMB_WIDTH),
        },
      ],
    }),
    ...(pub.canDownload && {
      rendering: [
        labelled(
          { id: `${base}/item/${item.id}/pdf`, type: 'Text', format: 'application/pdf' },
          both('pdf_download'),
        ),
      ],
    }),
    seeAlso: [
      labelled(
        { id: metsUrl(base, item.id), type: 'Dataset', format: 'application/xml', profile: METS_PROFILE },
        both('mets_label'),
      ),
    ],
    partOf: [
      ...(m.collection ? [collectionRef(collectionId(base, m.collection), none(m.collection))] : []),
      collectionRef(collectionId(base), both('iiif_all_items')),
    ],
    service: [
      { id: `${base}/iiif/${item.id}/search`, type: 'SearchService2' },
      searchService1(search1Url(base, item.id)),
    ],
    items: canvases,
  };
}

function agentOf(base: string, p: ManifestProvider): NonNullable<Manifest['provider']>[number] {
  return {
    id: `${base}/tentang`,
    type: 'Agent',
    label: none(p.name),
    homepage: [labelled({ id: `${base}/`, type: 'Text', format: 'text/html' }, none(p.name))],
    ...(p.logo && { logo: [{ id: `${base}${p.logo.path}`, type: 'Image', format: p.logo.format }] }),
  } as NonNullable<Manifest['provider']>[number];
}

function canvasOf(base: string, itemId: string, pub: PublicItem, p: Page, canTile: boolean): Canvas {
  const canvasId = `${base}/iiif/${itemId}/canvas/p${p.pageNo}`;
  const svc = imageServiceId(base, itemId, p.pageNo);
  const full = fullSize(p);
  const web = scaledSize(p, WEB_WIDTH);
  const thumb = scaledSize(p, THUMB_WIDTH);
  const limit = maxSize(pub, p);
  return {
    id: canvasId,
    type: 'Canvas',
    label: both('page_n', { n: p.pageNo }),
    width: full.width,
    height: full.height,
    ...(p.ocrAt !== null && {
      seeAlso: [
        labelled(
          {
            id: altoUrl(base, itemId, p.pageNo),
            type: 'Dataset',
            format: 'application/xml',
            profile: ALTO_PROFILE,
          },
          both('alto_label', { n: p.pageNo }),
        ),
      ],
    }),
    thumbnail: [
      { id: `${svc}/full/${thumb.width},/0/default.jpg`, type: 'Image', format: 'image/jpeg', ...thumb },
    ],
    items: [
      {
        id: `${canvasId}/page`,
        type: 'AnnotationPage',
        items: [
          {
            id: `${canvasId}/image`,
            type: 'Annotation',
            motivation: 'painting',
            target: canvasId,
            body: {
              id: `${svc}/full/${web.width},/0/default.jpg`,
              type: 'Image',
              format: 'image/jpeg',
              width: web.width,
              height: web.height,
              service: [
                {
                  id: svc,
                  type: 'ImageService3',
                  profile: canTile ? 'level1' : 'level0',
                  ...(limit.width < full.width && { maxWidth: limit.width, maxHeight: limit.height }),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
