import express from 'express';
import { type ApiDeps, apiRoutes } from './api.routes.ts';
import { collectionRoutes } from './collection/collection.routes.tsx';
import type { CollectionDeps } from './collection/collection-deps.ts';
import { errorMiddleware } from './http-error.ts';
import { oaiRoutes } from './oai/oai.routes.ts';
import { securityHeaders } from './security-headers.ts';
import type { StaffDeps } from './staff/staff.context.ts';
import { staffRouter } from './staff/staff.router.tsx';

export interface AppDeps extends ApiDeps, CollectionDeps {
  /** Liveness details for /healthz (queue depth etc.). */
  health(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The staff workspace at /staf; not served when absent. */
  staff?: StaffDeps;
  /** Express `trust proxy` (behind a TLS-terminating proxy: secure cookies, client IPs). */
  trustProxy?: boolean | number | string;
}

/** The express app, without `listen`: tests mount it on an ephemeral port. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'strong');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  // First of all: every answer (API, health, staff, collection, IIIF, 404s, errors) gets them.
  app.use(securityHeaders());
  app.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', ...(await deps.health()) });
  });
  app.use('/api', apiRoutes(deps));
  if (deps.staff) app.use('/staf', staffRouter(deps.staff));
  // Harvesters (Perpusnas' Indonesia OneSearch) read the collection over OAI-PMH.
  app.use(oaiRoutes(deps));
  app.use(collectionRoutes(deps));
  app.use((_req, res) => {
    res.status(404).json({ error: 'Tidak ditemukan' });
  });
  app.use(errorMiddleware());
  return app;
}
