/**
 * What digitisation programmes and IIIF viewers exchange, at stable public URLs under /iiif
 * (cross-origin readable like the rest of IIIF):
 * - /iiif/collection[?part=n]          every public item, as a IIIF Collection
 * - /iiif/collection/<name>[?part=n]   the public items of one collection
 * - /iiif/<id>/mets.xml                METS of the item
 * - /iiif/<id>/alto/p<n>.xml           ALTO of one page
 * Same gate as the collection: staff-only, held and unpublished items answer 404. A read-online
 * item's METS and ALTO describe only what the public may fetch (web images, thumbnails, ALTO);
 * the originals' sizes and checksums, the full-resolution images and the PDF appear for open
 * items only.
 */
import { type Request, type Response, Router } from 'express';
import type { Item, Page } from '../../core/item.types.ts';
import { t } from '../../core/messages.ts';
import { keys } from '../../core/store/keys.ts';
import { HttpError } from '../http-error.ts';
import { pageNumberParam } from '../page-number.ts';
import { buildAlto } from './alto.ts';
import { baseUrl, linkedCacheControl } from './base-url.ts';
import type { CollectionDeps } from './collection-deps.ts';
import { libraryNameOf, storedOcr } from './iiif.routes.ts';
import { buildCollection, publicEntries } from './iiif-collection.ts';
import { altoUrl, imageServiceId } from './iiif-manifest.ts';
import { buildMets, dublinCoreOf, type MetsFile, masterFiles } from './mets.ts';
import {
  fullSize,
  isPublicItem,
  type PublicItem,
  publicItem,
  publicItemOf,
  publicPage,
  scaledSize,
  THUMB_WIDTH,
  WEB_WIDTH,
} from './public-item.ts';
import { urls } from './urls.ts';

const MAX_AGE = 300;

/** ALTO's LANG (xsd:language) takes the metadata's ISO 639 codes (`ind`, `eng`) as they are. */
const firstLanguage = (pub: PublicItem) => pub.item.metadata.language?.[0];

function sendXml(res: Response, xml: string, cacheControl: string): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', cacheControl);
  res.type('application/xml; charset=utf-8').send(xml);
}

const partParam = (req: Request): number | undefined => {
  if (req.query.part === undefined) return undefined;
  const n = Number(req.query.part);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(404, 'Bagian koleksi tidak ditemukan');
  return n;
};

/** The files of the public METS: only what the public may fetch of this item, as absolute URLs. */
export function publicMetsFiles(base: string, pub: PublicItem, pages: Page[]): MetsFile[] {
  const id = pub.item.id;
  const open = pub.access === 'open';
  const img = (p: Page, width: number) =>
    `${imageServiceId(base, id, p.pageNo)}/full/${width},/0/default.jpg`;
  const pad = (n: number) => String(n).padStart(4, '0');
  const files: MetsFile[] = [];
  if (open) files.push(...masterFiles(pages));
  for (const p of pages) {
    const one = { pages: [p.pageNo] };
    if (open)
      files.push({
        id: `MAX_${pad(p.pageNo)}`,
        use: 'MAX',
        mime: 'image/jpeg',
        href: img(p, fullSize(p).width),
        ...one,
      });
    files.push({
      id: `DEFAULT_${pad(p.pageNo)}`,
      use: 'DEFAULT',
      mime: 'image/jpeg',
      href: img(p, scaledSize(p, WEB_WIDTH).width),
      ...one,
    });
    files.push({
      id: `THUMBS_${pad(p.pageNo)}`,
      use: 'THUMBS',
      mime: 'image/jpeg',
      href: img(p, scaledSize(p, THUMB_WIDTH).width),
      ...one,
    });
    if (p.ocrAt !== null)
      files.push({
        id: `FULLTEXT_${pad(p.pageNo)}`,
        use: 'FULLTEXT',
        mime: 'application/xml',
        href: altoUrl(base, id, p.pageNo),
        ...one,
      });
  }
  if (pub.canDownload)
    files.push({
      id: 'DOWNLOAD_PDF',
      use: 'DOWNLOAD',
      mime: 'application/pdf',
      href: `${base}${urls.pdf(id)}`,
      ...(pub.item.pdfBytes !== null && { size: pub.item.pdfBytes }),
      pages: [],
    });
  return files;
}

/**
 * METS and ALTO of an item for `pindai export`, pointing at the files written beside them (the PDF
 * and `alto/hlm-NNNN.xml`); the originals with their checksums (not copied, not located); the
 * page images at their public URLs when the item is public and the public URL is configured.
 */
export async function exportedMetsAlto(
  deps: Pick<CollectionDeps, 'store'>,
  item: Item,
  pages: Page[],
  opts: { pdfName: string; altoName: (pageNo: number) => string; publicUrl?: string },
): Promise<{ mets: string; alto: Array<{ pageNo: number; xml: string }> }> {
  const pub = isPublicItem(item) ? publicItemOf(item) : null;
  const base = opts.publicUrl?.replace(/\/+$/, '');
  const alto: Array<{ pageNo: number; xml: string }> = [];
  for (const p of pages) {
    const ocr = await storedOcr(deps, item.id, p.pageNo);
    if (!ocr) continue;
    const lang = item.metadata.language?.[0];
    alto.push({
      pageNo: p.pageNo,
      xml: buildAlto(ocr, {
        pageNo: p.pageNo,
        imageRef: base && pub ? imageServiceId(base, item.id, p.pageNo) : keys.access(item.id, p.pageNo),
        ...(lang && { lang }),
      }),
    });
  }
  const withAlto = new Set(alto.map((a) => a.pageNo));
  const images =
    base && pub
      ? publicMetsFiles(base, pub, pages).filter((f) => ['MAX', 'DEFAULT', 'THUMBS'].includes(f.use))
      : [];
  const pad = (n: number) => String(n).padStart(4, '0');
  const files: MetsFile[] = [
    ...masterFiles(pages),
    ...images,
    ...pages
      .filter((p) => withAlto.has(p.pageNo))
      .map(
        (p): MetsFile => ({
          id: `FULLTEXT_${pad(p.pageNo)}`,
          use: 'FULLTEXT',
          mime: 'application/xml',
          href: opts.altoName(p.pageNo),
          pages: [p.pageNo],
        }),
      ),
    {
      id: 'DOWNLOAD_PDF',
      use: 'DOWNLOAD',
      mime: 'application/pdf',
      href: opts.pdfName,
      ...(item.pdfBytes !== null && { size: item.pdfBytes }),
      pages: [],
    },
  ];
  const itemUrl = base ? `${base}${urls.item(item.id)}` : `urn:pindai:${item.id}`;
  const rights = item.metadata.license ?? (pub ? accessStatement(pub) : null);
  const mets = buildMets({
    objId: itemUrl,
    item,
    dc: dublinCoreOf(item, itemUrl, rights),
    agent: t('id', 'site_name'),
    pageNos: pages.map((p) => p.pageNo),
    files,
  });
  return { mets, alto };
}

/** The words a rights statement has when no licence URI is known: the access level. */
export const accessStatement = (pub: PublicItem) => t('id', `access_${pub.access}`);

export function interchangeRoutes(deps: CollectionDeps): Router {
  const { register } = deps;
  const r = Router();
  const cache = linkedCacheControl(deps.publicUrl, MAX_AGE);

  const collection = async (req: Request, res: Response, name?: string) => {
    const entries = await publicEntries(register, name);
    if (name !== undefined && entries.length === 0) throw new HttpError(404, 'Koleksi tidak ditemukan');
    const body = buildCollection(
      baseUrl(req, deps.publicUrl),
      { ...(name !== undefined && { name }), libraryName: libraryNameOf(deps) },
      entries,
      partParam(req),
    );
    if (!body) throw new HttpError(404, 'Bagian koleksi tidak ditemukan');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', cache);
    res
      .type('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"')
      .send(JSON.stringify(body));
  };
  r.get('/iiif/collection', (req, res) => collection(req, res));
  r.get('/iiif/collection/:name', (req, res) => collection(req, res, req.params.name));

  r.get('/iiif/:itemId/mets.xml', async (req, res) => {
    const pub = await publicItem(register, req.params.itemId);
    const base = baseUrl(req, deps.publicUrl);
    const pages = await register.pages.list(pub.item.id);
    const itemUrl = `${base}${urls.item(pub.item.id)}`;
    const xml = buildMets({
      objId: itemUrl,
      item: pub.item,
      dc: dublinCoreOf(pub.item, itemUrl, pub.item.metadata.license ?? accessStatement(pub)),
      agent: libraryNameOf(deps) ?? t('id', 'site_name'),
      pageNos: pages.map((p) => p.pageNo),
      files: publicMetsFiles(base, pub, pages),
    });
    sendXml(res, xml, cache);
  });

  r.get('/iiif/:itemId/alto/p:pageNo.xml', async (req, res) => {
    const pub = await publicItem(register, req.params.itemId);
    const page = await publicPage(register, pub, pageNumberParam(req.params.pageNo));
    const ocr = await storedOcr(deps, pub.item.id, page.pageNo);
    if (!ocr) throw new HttpError(404, 'Teks halaman ini belum ada');
    const base = baseUrl(req, deps.publicUrl);
    const lang = firstLanguage(pub);
    const xml = buildAlto(ocr, {
      pageNo: page.pageNo,
      imageRef: imageServiceId(base, pub.item.id, page.pageNo),
      ...(lang && { lang }),
    });
    sendXml(res, xml, cache);
  });

  return r;
}
