/**
 * IIIF endpoints: Presentation 3 manifest, Image API 3 (info.json and images) and Content
 * Search 2 and 1 for search inside an item (Collections, METS and ALTO: iiif-collection.routes.ts).
 * Every route goes through `publicItem`, so a staff-only or unpublished item answers 404 exactly
 * like a missing one.
 */
import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import type { OcrPageResult } from '../../core/ocr.types.ts';
import { keys } from '../../core/store/keys.ts';
import { HttpError } from '../http-error.ts';
import { pageNumberParam } from '../page-number.ts';
import { sendObject } from '../send-object.ts';
import { baseUrl, linkedCacheControl } from './base-url.ts';
import type { CollectionDeps } from './collection-deps.ts';
import { FORMATS, parseImageRequest } from './iiif-image-request.ts';
import { buildManifest, imageServiceId, search1Url } from './iiif-manifest.ts';
import { buildSearch1 } from './iiif-search1.ts';
import { createImageCuts, DEFAULT_CUT_LIMITS, QueueFullError } from './image-cuts.ts';
import { logoUrl } from './library-site.ts';
import { findWordHits } from './page-words.ts';
import {
  fullSize,
  maxSize,
  publicItem,
  publicPage,
  scaledSize,
  THUMB_WIDTH,
  WEB_WIDTH,
} from './public-item.ts';

const TILE = 512;
const IMAGE_MAX_AGE = 3600;
const SEARCH_MAX_PAGES = 100;
const JSON_MAX_AGE = 300;
/** A client turned away because every cut slot and queue place is taken retries after this. */
const BUSY_RETRY_SECONDS = 5;

/** Every IIIF JSON answer holds absolute ids, so its cacheability follows the public URL. */
function sendJsonLd(res: Response, body: unknown, profile: string, cacheControl: string): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', cacheControl);
  res.type(`application/ld+json;profile="${profile}"`).send(JSON.stringify(body));
}

/**
 * Aborts when the client goes away before its answer is sent. Made before the handler's first
 * await, so a client that left while the handler waited is seen too.
 */
function clientGone(req: Request, res: Response): AbortSignal {
  const ac = new AbortController();
  const gone = () => {
    if (!res.writableFinished) ac.abort(new Error('client left'));
  };
  if (req.socket.destroyed) gone();
  else res.once('close', gone);
  return ac.signal;
}

export function iiifRoutes(deps: CollectionDeps): Router {
  const { register, store } = deps;
  const r = Router();
  const jsonCache = linkedCacheControl(deps.publicUrl, JSON_MAX_AGE);
  const cuts = deps.cutImage
    ? createImageCuts(store, deps.cutImage, deps.cutLimits ?? DEFAULT_CUT_LIMITS)
    : null;

  r.get('/iiif/:itemId/manifest', async (req, res) => {
    const pub = await publicItem(register, req.params.itemId);
    const manifest = buildManifest(
      baseUrl(req, deps.publicUrl),
      pub,
      await register.pages.list(pub.item.id),
      {
        canTile: deps.cutImage !== undefined,
        // Only a library that named itself is a provider; the generic site name is not one.
        ...(deps.site?.name !== undefined && {
          provider: {
            name: deps.site.name,
            ...(deps.site.logo && { logo: { path: logoUrl(deps.site.logo), format: deps.site.logo.type } }),
          },
        }),
      },
    );
    sendJsonLd(res, manifest, 'http://iiif.io/api/presentation/3/context.json', jsonCache);
  });

  r.get('/iiif/:itemId/p:pageNo', async (req, res) => {
    const pub = await publicItem(register, req.params.itemId);
    const page = await publicPage(register, pub, pageNumberParam(req.params.pageNo));
    res.redirect(303, `${req.baseUrl}/iiif/${pub.item.id}/p${page.pageNo}/info.json`);
  });

  r.get('/iiif/:itemId/p:pageNo/info.json', async (req, res) => {
    const pub = await publicItem(register, req.params.itemId);
    const page = await publicPage(register, pub, pageNumberParam(req.params.pageNo));
    const full = fullSize(page);
    const limit = maxSize(pub, page);
    const sizes = [scaledSize(page, THUMB_WIDTH), scaledSize(page, WEB_WIDTH)];
    if (limit.width === full.width && full.width > WEB_WIDTH) sizes.push(full);
    const info = {
      '@context': 'http://iiif.io/api/image/3/context.json',
      id: imageServiceId(baseUrl(req, deps.publicUrl), pub.item.id, page.pageNo),
      type: 'ImageService3',
      protocol: 'http://iiif.io/api/image',
      profile: deps.cutImage ? 'level1' : 'level0',
      width: full.width,
      height: full.height,
      ...(limit.width < full.width && { maxWidth: limit.width, maxHeight: limit.height }),
      sizes,
      ...(deps.cutImage && {
        // Read-online pages: only the scale factors whose tiles stay within maxWidth.
        tiles: [{ width: TILE, scaleFactors: [1, 2, 4, 8, 16].filter((f) => f >= full.width / limit.width) }],
        extraFormats: ['png', 'webp'],
        extraQualities: ['gray'],
      }),
    };
    sendJsonLd(res, info, 'http://iiif.io/api/image/3/context.json', jsonCache);
  });

  r.get('/iiif/:itemId/p:pageNo/:region/:size/:rotation/:file', async (req, res) => {
    const signal = clientGone(req, res);
    const pub = await publicItem(register, req.params.itemId);
    const page = await publicPage(register, pub, pageNumberParam(req.params.pageNo));
    const full = fullSize(page);
    const limit = maxSize(pub, page);
    const ask = parseImageRequest(req.params, full, limit);
    res.setHeader('Access-Control-Allow-Origin', '*');
    const stored = ask.full && ask.format === 'jpg' && ask.quality !== 'gray' ? storedKey(ask.width) : null;
    if (stored) {
      await sendObject(req, res, store, stored, { contentType: 'image/jpeg', maxAge: IMAGE_MAX_AGE });
      return;
    }
    if (!cuts) throw new HttpError(501, 'Ukuran ini tidak tersedia di server ini');
    // Read-online items are cut from the web derivative, so no full-resolution pixel leaves.
    const fromFull = limit.width === full.width;
    const sourceKey = fromFull ? keys.access(pub.item.id, page.pageNo) : keys.web(pub.item.id, page.pageNo);
    const info = await store.head(sourceKey);
    if (!info) throw new HttpError(404, 'Gambar halaman tidak ditemukan');
    const etag = `"${createHash('sha1')
      .update(`${sourceKey}|${info.size}|${info.modified.getTime()}|${req.path}`)
      .digest('base64url')
      .slice(0, 20)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', `public, max-age=${IMAGE_MAX_AGE}`);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const f = fromFull ? 1 : limit.width / full.width;
    const src = scaledSize(page, fromFull ? full.width : WEB_WIDTH);
    const region = {
      x: Math.min(src.width - 1, Math.round(ask.region.x * f)),
      y: Math.min(src.height - 1, Math.round(ask.region.y * f)),
      w: 0,
      h: 0,
    };
    region.w = Math.max(1, Math.min(src.width - region.x, Math.round(ask.region.w * f)));
    region.h = Math.max(1, Math.min(src.height - region.y, Math.round(ask.region.h * f)));
    const cut = { region, width: ask.width, height: ask.height, quality: ask.quality, format: ask.format };
    let out: Buffer;
    try {
      out = await cuts.cut(sourceKey, info, cut, signal);
    } catch (err) {
      if (signal.aborted) return; // the client left: nobody to answer, nothing more to do
      if (!(err instanceof QueueFullError)) throw err;
      res.removeHeader('ETag');
      res
        .status(503)
        .set({ 'Retry-After': String(BUSY_RETRY_SECONDS), 'Cache-Control': 'no-store' })
        .json({ error: 'Server sedang sibuk memotong gambar; coba lagi sebentar lagi' });
      return;
    }
    if (signal.aborted) return;
    res.type(FORMATS[ask.format]).send(out);

    function storedKey(width: number): string | null {
      const near = (a: number, b: number) => Math.abs(a - b) <= 1;
      if (near(width, scaledSize(page, THUMB_WIDTH).width)) return keys.thumb(pub.item.id, page.pageNo);
      if (near(width, scaledSize(page, WEB_WIDTH).width)) return keys.web(pub.item.id, page.pageNo);
      if (near(width, full.width) && limit.width === full.width) return keys.access(pub.item.id, page.pageNo);
      return null;
    }
  });

  /** IIIF Content Search 2.0: hits as annotations targeting word boxes on the canvases. */
  r.get('/iiif/:itemId/search', async (req: Request, res: Response) => {
    const pub = await publicItem(register, req.params.itemId as string);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const base = baseUrl(req, deps.publicUrl);
    const hits = await Promise.all(
      (await searchInside(deps, pub.item.id, q)).map(async (h) => ({
        pageNo: h.pageNo,
        words: await pageWordHits(deps, pub.item.id, h.pageNo, q),
      })),
    );
    const items = hits.flatMap(({ pageNo, words }) =>
      words.map((w, i) => ({
        id: `${base}/iiif/${pub.item.id}/search/p${pageNo}/${i}?q=${encodeURIComponent(q)}`,
        type: 'Annotation' as const,
        motivation: 'highlighting',
        body: { type: 'TextualBody', value: w.text, format: 'text/plain' },
        target: `${base}/iiif/${pub.item.id}/canvas/p${pageNo}#xywh=${w.box.x0},${w.box.y0},${w.box.x1 - w.box.x0},${w.box.y1 - w.box.y0}`,
      })),
    );
    sendJsonLd(
      res,
      {
        '@context': 'http://iiif.io/api/search/2/context.json',
        id: `${base}/iiif/${pub.item.id}/search?q=${encodeURIComponent(q)}`,
        type: 'AnnotationPage',
        items,
      },
      'http://iiif.io/api/search/2/context.json',
      jsonCache,
    );
  });

  /** IIIF Content Search 1.0 (for Mirador): the same hits as version 2, as an AnnotationList. */
  r.get('/iiif/:itemId/search/v1', async (req: Request, res: Response) => {
    const pub = await publicItem(register, req.params.itemId as string);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '';
    const base = baseUrl(req, deps.publicUrl);
    const itemId = pub.item.id;
    const pages = await Promise.all(
      (await searchInside(deps, itemId, q)).map(async (h) => {
        const ocr = q.trim() === '' ? null : await storedOcr(deps, itemId, h.pageNo);
        return { pageNo: h.pageNo, ocr, words: ocr ? findWordHits(ocr, q) : [] };
      }),
    );
    const qs = `q=${encodeURIComponent(q)}`;
    const body = buildSearch1({
      id: `${search1Url(base, itemId)}?${qs}`,
      canvasId: (n) => `${base}/iiif/${itemId}/canvas/p${n}`,
      annotationId: (n, i) => `${base}/iiif/${itemId}/search/v1/p${n}/${i}?${qs}`,
      pages,
    });
    sendJsonLd(res, body, 'http://iiif.io/api/search/1/context.json', jsonCache);
  });

  return r;
}

/** The library's configured name (PINDAI_LIBRARY_NAME), or undefined for the generic site name. */
export function libraryNameOf(deps: CollectionDeps): string | undefined {
  return deps.site?.name;
}

/** The stored OCR result of a page, or null when the page has none (not yet recognised). */
export async function storedOcr(
  deps: Pick<CollectionDeps, 'store'>,
  itemId: string,
  pageNo: number,
): Promise<OcrPageResult | null> {
  const key = keys.ocrJson(itemId, pageNo);
  if (!(await deps.store.head(key))) return null;
  return JSON.parse((await deps.store.getBuffer(key)).toString('utf8')) as OcrPageResult;
}

/** Pages of one item where `q` matches, best first, with their snippets (no OCR read). */
export async function searchInside(
  deps: Pick<CollectionDeps, 'index'>,
  itemId: string,
  q: string,
): Promise<Array<{ pageNo: number; snippet: string }>> {
  if (q.trim() === '') return [];
  const result = await deps.index.search({ q, itemId, limit: SEARCH_MAX_PAGES });
  return result.hits.flatMap((h) => (h.page === null ? [] : [{ pageNo: h.page, snippet: h.snippet }]));
}

export async function pageWordHits(
  deps: Pick<CollectionDeps, 'store'>,
  itemId: string,
  pageNo: number,
  q: string,
): Promise<ReturnType<typeof findWordHits>> {
  if (q.trim() === '') return [];
  const ocr = await storedOcr(deps, itemId, pageNo);
  return ocr ? findWordHits(ocr, q) : [];
}
