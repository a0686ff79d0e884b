/**
 * The public online collection at `/`: home, search results, item, reader, text view, PDF,
 * robots.txt and sitemap, plus the IIIF endpoints. HTML is rendered on the server and works
 * without JavaScript; /static/viewer.js adds zoom, fit, two pages, full screen, keys and swipes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Page } from '../../core/item.types.ts';
import { keys } from '../../core/store/keys.ts';
import { errorMiddleware, HttpError } from '../http-error.ts';
import { langMiddleware, langOf } from '../lang.middleware.ts';
import { pageNumberParam } from '../page-number.ts';
import { render } from '../render.ts';
import { sendObject } from '../send-object.ts';
import { AboutView } from '../views/collection/about.view.tsx';
import { HomeView } from '../views/collection/home.view.tsx';
import { ItemView } from '../views/collection/item.view.tsx';
import { MessageView } from '../views/collection/not-found.view.tsx';
import { facingPageNo, ReaderView } from '../views/collection/reader.view.tsx';
import { ResultsView } from '../views/collection/results.view.tsx';
import { SiteContext } from '../views/collection/site-context.ts';
import { TextView } from '../views/collection/text.view.tsx';
import { baseUrl, linkedCacheControl } from './base-url.ts';
import type { CollectionDeps } from './collection-deps.ts';
import { defaultSort, SORTS, searchItems } from './collection-search.ts';
import { iiifRoutes, pageWordHits, searchInside } from './iiif.routes.ts';
import { interchangeRoutes } from './interchange.routes.ts';
import { icoOfPng, NO_SITE, siteTranslator } from './library-site.ts';
import { publicItem, publicPage } from './public-item.ts';
import { pageSrcset, urls } from './urls.ts';

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const PER_PAGE = 10;
const SITEMAP_MAX = 50_000;
const HTML_MAX_AGE = 'public, max-age=60';
const IMMUTABLE = 'public, max-age=31536000, immutable';

const list = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .slice(0, 20),
  )
  .optional();
const year = z.coerce.number().int().min(0).max(3000).optional().catch(undefined);
const searchSchema = z.object({
  q: z.string().max(500).default('').catch(''),
  type: list.catch(undefined),
  language: list.catch(undefined),
  collection: list.catch(undefined),
  yearFrom: year,
  yearTo: year,
  creator: z.string().trim().min(1).max(300).optional().catch(undefined),
  subject: z.string().trim().min(1).max(300).optional().catch(undefined),
  // Unset: by relevance when there are words, newest first when browsing.
  sort: z.enum(SORTS).optional().catch(undefined),
  hal: z.coerce.number().int().min(1).max(1000).default(1).catch(1),
});

const qParam = (req: Request) => (typeof req.query.q === 'string' ? req.query.q.slice(0, 500) : '');

export function collectionRoutes(deps: CollectionDeps): Router {
  const { register, store } = deps;
  const site = deps.site ?? NO_SITE;
  const r = Router();
  // Pages that carry absolute links (canonical, citation, sitemap) are shared-cacheable only with
  // PINDAI_PUBLIC_URL; home and search results hold relative links only.
  const linkedHtml = linkedCacheControl(deps.publicUrl, 60);
  // Mounted at the root beside other routers (/api, /staf): the shared middleware runs only on
  // the collection's own paths, so it never compresses another router's event stream.
  const common: RequestHandler[] = [
    // Text answers shrink to about a quarter with gzip: what a metered phone connection pays.
    compression(),
    langMiddleware(deps.lang ?? 'id'),
  ];
  r.get('/', ...common);
  r.use(['/cari', '/item', '/iiif', '/static', '/robots.txt', '/sitemap.xml', '/tentang'], ...common);
  const view = (req: Request, res: Response) => {
    const lang = langOf(res);
    return {
      lang,
      tr: siteTranslator(lang, site),
      path: req.originalUrl,
      base: baseUrl(req, deps.publicUrl),
    };
  };
  /** Every page in the library's own frame (name, logo, footer). */
  const show = (res: Response, page: VNode, status?: number): void =>
    render(res, <SiteContext.Provider value={site}>{page}</SiteContext.Provider>, status);
  const firstThumb = async (itemId: string): Promise<string | null> => {
    const first = await register.pages.get(itemId, 1);
    return first ? urls.thumb(itemId, first) : null;
  };

  r.use(
    '/static',
    express.static(STATIC_DIR, { maxAge: '1d', etag: true, index: false, fallthrough: false }),
  );

  r.get('/', async (req, res) => {
    const found = await searchItems(deps, { q: '', sort: 'newest', page: 1, perPage: 8 });
    res.setHeader('Cache-Control', HTML_MAX_AGE);
    show(
      res,
      <HomeView
        {...view(req, res)}
        recent={
          await Promise.all(found.items.map(async (f) => ({ ...f, thumb: await firstThumb(f.item.id) })))
        }
        facets={found.facets}
        total={found.totalItems}
      />,
    );
  });

  r.get('/cari', async (req, res) => {
    const s = searchSchema.parse(req.query);
    const q = s.q.trim();
    const params = {
      q,
      type: s.type,
      language: s.language,
      collection: s.collection,
      yearFrom: s.yearFrom,
      yearTo: s.yearTo,
      creator: s.creator,
      subject: s.subject,
      sort: s.sort ?? defaultSort(q),
      page: s.hal,
      perPage: PER_PAGE,
    };
    const result = await searchItems(deps, params);
    const thumbs = new Map<string, string>();
    for (const f of result.items) {
      const t = await firstThumb(f.item.id);
      if (t) thumbs.set(f.item.id, t);
    }
    res.setHeader('Cache-Control', HTML_MAX_AGE);
    show(res, <ResultsView {...view(req, res)} params={params} result={result} thumbs={thumbs} />);
  });

  r.get('/item/:id', async (req, res) => {
    const pub = await publicItem(register, req.params.id);
    const q = qParam(req).trim();
    // In page order, as a reader leafs through the book (the index ranks them by relevance).
    const inside = q ? (await searchInside(deps, pub.item.id, q)).sort((a, b) => a.pageNo - b.pageNo) : null;
    res.setHeader('Cache-Control', linkedHtml);
    show(
      res,
      <ItemView
        {...view(req, res)}
        pub={pub}
        pages={await register.pages.list(pub.item.id)}
        q={q}
        inside={inside}
      />,
    );
  });

  // The "go to page" form of the reader (works without JavaScript).
  r.get('/item/:id/halaman', async (req, res) => {
    const pub = await publicItem(register, req.params.id);
    const n = Math.max(1, Math.min(pub.item.pageCount, Number(req.query.n) || 1));
    res.redirect(303, urls.page(pub.item.id, n, qParam(req) || undefined));
  });

  r.get('/item/:id/halaman/:n', async (req, res) => {
    const pub = await publicItem(register, req.params.id);
    const page = await publicPage(register, pub, pageNumberParam(req.params.n));
    const q = qParam(req).trim();
    const textKey = keys.ocrText(pub.item.id, page.pageNo);
    const text = (await store.head(textKey)) ? (await store.getBuffer(textKey)).toString('utf8') : '';
    const hitPages = q
      ? (await searchInside(deps, pub.item.id, q)).map((h) => h.pageNo).sort((a, b) => a - b)
      : [];
    const pages = await register.pages.list(pub.item.id);
    const readerPage = async (pg: Page) => ({
      page: pg,
      image: pageSrcset(pub, pg, deps.cutImage !== undefined),
      marks: await pageWordHits(deps, pub.item.id, pg.pageNo, q),
    });
    const facingNo = facingPageNo(page.pageNo, pages.at(-1)?.pageNo ?? page.pageNo);
    const facing = pages.find((pg) => pg.pageNo === facingNo);
    res.setHeader('Cache-Control', linkedHtml);
    show(
      res,
      <ReaderView
        {...view(req, res)}
        {...(await readerPage(page))}
        pub={pub}
        pages={pages}
        text={text}
        q={q}
        hitPages={hitPages}
        facing={facing ? await readerPage(facing) : null}
      />,
    );
  });

  r.get('/item/:id/teks', async (req, res) => {
    const pub = await publicItem(register, req.params.id);
    const pages = await Promise.all(
      (await register.pages.list(pub.item.id)).map(async (p) => {
        const key = keys.ocrText(pub.item.id, p.pageNo);
        return {
          pageNo: p.pageNo,
          text: (await store.head(key)) ? (await store.getBuffer(key)).toString('utf8') : '',
        };
      }),
    );
    res.setHeader('Cache-Control', linkedHtml);
    show(res, <TextView {...view(req, res)} pub={pub} pages={pages} />);
  });

  r.get('/item/:id/pdf', async (req, res) => {
    const pub = await publicItem(register, req.params.id);
    if (!pub.canDownload || !pub.item.pdfKey) {
      const v = view(req, res);
      show(res, <MessageView {...v} title={pub.item.title} body={v.tr('pdf_unavailable')} />, 403);
      return;
    }
    const filename = `${(pub.item.nomorInduk ?? pub.item.id).replace(/[^\w.-]+/g, '-')}.pdf`;
    await sendObject(req, res, store, pub.item.pdfKey, { contentType: 'application/pdf', filename });
  });

  r.get('/tentang', (req, res) => {
    res.setHeader('Cache-Control', HTML_MAX_AGE);
    show(res, <AboutView {...view(req, res)} text={site.about} />);
  });

  // The logo's URL carries its content hash (logoUrl), so browsers may keep it for a year.
  r.get('/logo', (req, res, next) => {
    if (!site.logo) return next();
    res
      .type(site.logo.type)
      .setHeader('Cache-Control', req.query.v === site.logo.hash ? IMMUTABLE : 'public, max-age=3600');
    // An SVG opened on its own is a document: the data area's CSP (default-src 'none') keeps
    // any script in it from running on our origin; in an <img> scripts never run.
    res.send(site.logo.bytes);
  });
  r.get('/favicon.svg', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path.join(STATIC_DIR, 'favicon.svg'));
  });
  // Browsers and feed readers ask for /favicon.ico whatever the page says: a real ICO file.
  const favicon = icoOfPng(
    site.logo?.type === 'image/png'
      ? site.logo.bytes
      : fs.readFileSync(path.join(STATIC_DIR, 'favicon-32.png')),
  );
  r.get('/favicon.ico', (_req, res) => {
    res.type('image/x-icon').setHeader('Cache-Control', 'public, max-age=86400').send(favicon);
  });

  r.get('/robots.txt', (req, res) => {
    const base = baseUrl(req, deps.publicUrl);
    res
      .type('text/plain')
      .setHeader('Cache-Control', linkedCacheControl(deps.publicUrl, 86400))
      .send(
        [
          'User-agent: *',
          'Allow: /',
          'Disallow: /cari',
          'Disallow: /api/',
          // Page images stay crawlable (thumbnails in link previews); search answers do not.
          'Disallow: /iiif/*/search',
          'Disallow: /staf',
          '',
          `Sitemap: ${base}/sitemap.xml`,
          '',
        ].join('\n'),
      );
  });

  r.get('/sitemap.xml', async (req, res) => {
    const base = baseUrl(req, deps.publicUrl);
    // The sitemap protocol allows 50,000 URLs per file; the port pages 100 items at a time.
    const all: Awaited<ReturnType<typeof searchItems>>['items'] = [];
    for (let page = 1; all.length < SITEMAP_MAX; page++) {
      const batch = await searchItems(deps, { q: '', sort: 'newest', page, perPage: 100 });
      all.push(...batch.items);
      if (page * 100 >= batch.totalItems) break;
    }
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const entries = [
      `<url><loc>${esc(`${base}/`)}</loc></url>`,
      `<url><loc>${esc(`${base}/tentang`)}</loc></url>`,
      ...all.map(
        ({ item }) =>
          `<url><loc>${esc(`${base}${urls.item(item.id)}`)}</loc>${
            item.updatedAt ? `<lastmod>${item.updatedAt.slice(0, 10)}</lastmod>` : ''
          }</url>`,
      ),
    ];
    res
      .type('application/xml')
      .setHeader('Cache-Control', linkedCacheControl(deps.publicUrl, 3600))
      .send(
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`,
      );
  });

  // Before the item routes: /iiif/collection/<name> must not be read as an item id.
  r.use(interchangeRoutes(deps));
  r.use(iiifRoutes(deps));
  // Unknown paths under the collection's own prefixes get the HTML "not found" page.
  r.use(['/item', '/cari'], (_req, _res, next) => next(new HttpError(404, 'Tidak ditemukan')));

  // Errors on these routes answer in HTML; IIIF clients (and static files) get the app's JSON answer.
  r.use(
    errorMiddleware({
      skip: (req) => req.path.startsWith('/iiif/') || req.path.startsWith('/static/'),
      message: (req, res, status, err) =>
        status === 404
          ? view(req, res).tr('not_found_body')
          : status >= 500
            ? view(req, res).tr('error_body')
            : (err as Error).message,
      page(req, res, status, message) {
        const v = view(req, res);
        const title = v.tr(status === 404 ? 'not_found_title' : 'error_title');
        res.setHeader('Cache-Control', 'no-store');
        show(res, <MessageView {...v} title={title} body={message} />, status);
        return true;
      },
    }),
  );
  return r;
}
