import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Every answer's security headers, from one place (helmet), chosen by the area a path belongs to.
 * It runs before any router, so API answers, health checks, 404s and error pages get them too.
 *
 * - staff (/staf): its own pages only, never framed;
 * - collection (public HTML, /static): scripts and styles from us, framed only by us;
 * - iiif: images and JSON for viewers on other sites (Mirador, UV, OpenSeadragon), so
 *   Cross-Origin-Resource-Policy is `cross-origin` (helmet's `same-origin` would block their
 *   <img> loads; iiif.routes.ts sends Access-Control-Allow-Origin for their fetches);
 * - pdf (/item/:id/pdf, /api/items/:id/pdf): the collection's policy, with our own objects;
 * - data (/api, /healthz, anything else): JSON, which may load and be framed by nothing.
 *
 * HSTS only on a request that came over TLS (`req.secure`: directly, or through a proxy that
 * `trust proxy` believes): sent on plain HTTP it would lock a library's intranet server out of
 * browsers until it gets a certificate. No `upgrade-insecure-requests` for the same reason.
 */
export function securityHeaders(): RequestHandler {
  const areas = {
    staff: helmet(
      base({
        directives: {
          'default-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
        frame: 'deny',
        referrer: 'same-origin',
      }),
    ),
    collection: helmet(base({ directives: PAGE_DIRECTIVES, frame: 'sameorigin' })),
    iiif: helmet(base({ directives: PAGE_DIRECTIVES, frame: 'sameorigin', resources: 'cross-origin' })),
    // Chrome shows a PDF through a plugin in a synthetic page: object-src 'none' (or no inline
    // styles) leaves it blank. What the collection's policy allowed before: our own objects.
    pdf: helmet(base({ directives: { ...PAGE_DIRECTIVES, 'object-src': ["'self'"] }, frame: 'sameorigin' })),
    data: helmet(
      base({
        directives: {
          'default-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'none'"],
          'frame-ancestors': ["'none'"],
        },
        frame: 'deny',
      }),
    ),
  };
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 24 * 3600, includeSubDomains: false });
  return (req, res, next) => {
    // Express matches mount paths without regard to case (/STAF/masuk is the staff sign-in).
    const p = req.path.toLowerCase();
    const area = /^\/staf(\/|$)/.test(p)
      ? areas.staff
      : /^\/iiif\//.test(p)
        ? areas.iiif
        : /^\/(item|api\/items)\/[^/]+\/pdf$/.test(p)
          ? areas.pdf
          : p === '/' || /^\/(cari|item|static|tentang|robots\.txt|sitemap\.xml)(\/|$)/.test(p)
            ? areas.collection
            : areas.data;
    if (req.secure) hsts(req, res, () => {});
    area(req, res, next);
  };
}

/** The public collection's pages and the viewer script (server/collection/static/viewer.js). */
const PAGE_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
};

/** The same set of headers for every area (so none is left over from another), values per area. */
function base(o: {
  directives: Record<string, string[]>;
  frame: 'deny' | 'sameorigin';
  referrer?: 'same-origin' | 'strict-origin-when-cross-origin';
  resources?: 'same-origin' | 'cross-origin';
}): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: o.directives },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: o.resources ?? 'same-origin' },
    referrerPolicy: { policy: o.referrer ?? 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: o.frame },
    strictTransportSecurity: false,
  };
}
