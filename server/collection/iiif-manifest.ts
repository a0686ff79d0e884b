/**
 * IIIF Presentation 3 manifest of one public item: one canvas per page (sized as the
 * full-resolution scan, which is also the space of the OCR word boxes), each painted with the
 * web derivative and an IIIF Image service, plus the PDF (open items) and the Content Search
 * service. Typed against @iiif/presentation-3 so tsc checks the shape.
 */
import type {
  Canvas,
  ContentResource,
  ExternalWebResource,
  InternationalString,
  Manifest,
  MetadataItem,
} from '@iiif/presentation-3';
import type { Page } from '../../core/item.types.ts';
import { t } from '../../core/messages.ts';
import { fullSize, maxSize, type PublicItem, scaledSize, THUMB_WIDTH, WEB_WIDTH } from './public-item.ts';

const both = (
  key: Parameters<typeof t>[1],
  params?: Record<string, string | number>,
): InternationalString => ({
  id: [t('id', key, params)],
  en: [t('en', key, params)],
});
const none = (v: string): InternationalString => ({ none: [v] });

/**
 * Presentation 3 requires `label` on homepage and rendering resources; the types package omits
 * it from ExternalWebResource, so it is added here.
 */
const labelled = (res: ExternalWebResource, label: InternationalString): ContentResource =>
  ({ ...res, label }) as ContentResource;

export const imageServiceId = (base: string, itemId: string, pageNo: number) =>
  `${base}/iiif/${itemId}/p${pageNo}`;

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
  const id = `${base}/iiif/${item.id}/manifest`;
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
  const canvases: Canvas[] = pages.map((p) => canvasOf(base, item.id, pub, p, opts.canTile));
  const first = pages[0];
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id,
    type: 'Manifest',
    label: none(item.title),
    metadata: meta,
    ...(m.description && { summary: none(m.description) }),
    requiredStatement: { label: both('meta_rights'), value: both(`access_${pub.access}`) },
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
    ...(opts.provider && { provider: [providerOf(base, opts.provider)] }),
    service: [{ id: `${base}/iiif/${item.id}/search`, type: 'SearchService2' }],
    items: canvases,
  };
}

function providerOf(base: string, p: ManifestProvider): NonNullable<Manifest['provider']>[number] {
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
