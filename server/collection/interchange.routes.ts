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
import { t } from '../../core/messages.ts';
import { HttpError } from '../http-error.ts';
import { pageNumberParam } from '../page-number.ts';
import { buildAlto } from './alto.ts';
import { baseUrl, linkedCacheControl } from './base-url.ts';
import type { CollectionDeps } from './collection-deps.ts';
import { libraryNameOf, storedOcr } from './iiif.routes.ts';
import { buildCollection, publicEntries } from './iiif-collection.ts';
import { imageServiceId } from './iiif-manifest.ts';
import { accessStatement, publicMetsFiles } from './item-interchange.ts';
import { buildMets, dublinCoreOf } from './mets.ts';
import { type PublicItem, publicItem, publicPage } from './public-item.ts';
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
