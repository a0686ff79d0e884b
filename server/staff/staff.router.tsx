import cookieParser from 'cookie-parser';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { errorMiddleware, HttpError } from '../http-error.ts';
import { langMiddleware } from '../lang.middleware.ts';
import { csrfOf, LOGIN_CSRF_COOKIE, loadSession, sameToken, staffUser } from './auth/session.ts';
import { type Access, canAccess } from './staff.access.ts';
import { createStaffContext, type StaffContext, type StaffDeps } from './staff.context.ts';
import { type StaffRoute, staffRouteTable } from './staff.routes.ts';
import { pageCtx, sendStaffPage } from './staff-page.tsx';

/**
 * The staff workspace, mounted at /staf. Every route comes from the one table in staff.routes.ts
 * and passes, in order: its role guard, then (POST) its body parser and CSRF check.
 */
export function staffRouter(deps: StaffDeps): Router {
  return buildStaffRouter(createStaffContext(deps));
}

export function buildStaffRouter(ctx: StaffContext, table: StaffRoute[] = staffRouteTable(ctx)): Router {
  const r = Router();
  r.use(cookieParser(), langMiddleware(ctx.lang), noStore, loadSession(ctx));
  for (const route of table) {
    const chain: RequestHandler[] = [guard(ctx, route.access)];
    if (route.method === 'post') chain.push(...bodyAndCsrf(ctx, route.body ?? 'form'));
    const handlers = Array.isArray(route.handle) ? route.handle : [route.handle];
    r[route.method](route.path, ...chain, ...handlers);
  }
  r.use((_req, _res, next) => next(new HttpError(404, 'not found')));
  r.use(staffErrors);
  return r;
}

/** Staff pages hold names and unpublished records: never kept by a browser or proxy cache. */
function noStore(_req: Request, res: Response, next: NextFunction) {
  // Security headers (CSP, framing…) come from server/security-headers.ts for every answer.
  res.set('Cache-Control', 'no-store');
  next();
}

/** Signed out: pages redirect to the sign-in form, everything else answers 401. Wrong role: 403. */
function guard(ctx: StaffContext, access: Access) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    const user = staffUser(res);
    if (!user) {
      if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
        const next = encodeURIComponent(req.originalUrl);
        return res.redirect(303, `/staf/masuk?lanjut=${next}`);
      }
      return next(new HttpError(401, 'sign in first'));
    }
    if (!canAccess(access, user.role)) {
      // A refusal is an event an auditor asks about: who tried to open what.
      try {
        await refusal(ctx, req, res, 'access_denied');
      } catch (err) {
        return next(err);
      }
      return next(new HttpError(403, 'forbidden'));
    }
    next();
  };
}

const urlencoded = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 200 });

/** Record a refused request in the audit log (the path without its query: tokens live there). */
async function refusal(ctx: StaffContext, req: Request, res: Response, action: string): Promise<void> {
  const u = staffUser(res);
  await ctx.audit.record({
    userId: u?.id ?? null,
    username: u?.username ?? '-',
    action,
    target: null,
    detail: { path: `${req.method} ${req.baseUrl}${req.path}`, role: u?.role },
    ip: req.ip ?? null,
  });
}

function bodyAndCsrf(ctx: StaffContext, kind: NonNullable<StaffRoute['body']>) {
  const check = async (req: Request, res: Response, next: NextFunction) => {
    const expected = kind === 'login' ? req.cookies?.[LOGIN_CSRF_COOKIE] : staffUser(res)?.csrfToken;
    // Multipart bodies are checked from the query or header, before a byte of the files is read.
    const given = kind === 'multipart' ? (req.get('x-csrf-token') ?? req.query._csrf) : csrfOf(req);
    if (!sameToken(given, expected)) {
      // Only a signed-in user's: anyone can post a token-less sign-in form, and the log is no sink for that.
      try {
        if (staffUser(res)) await refusal(ctx, req, res, 'form_refused');
      } catch (err) {
        return next(err);
      }
      return next(new HttpError(403, 'csrf'));
    }
    next();
  };
  return kind === 'multipart' ? [check] : [urlencoded, check];
}

/** Errors in the staff workspace's words: a page for browsers, `{ error }` for scripts. */
const staffErrors = errorMiddleware({
  message(_req, res, status, err) {
    const { tr, user } = pageCtx(res);
    return isCsrf(err)
      ? tr('st_csrf_body')
      : status === 403
        ? tr('st_forbidden_body', { role: user ? tr(`st_role_${user.role}`) : '-' })
        : status === 404
          ? tr('not_found_body')
          : status === 401
            ? tr('st_login_intro')
            : status >= 500
              ? tr('error_body')
              : (err as Error).message;
  },
  page(req, res, status, message, err) {
    if (req.accepts(['html', 'json']) === 'json' || req.get('x-requested-with') === 'XMLHttpRequest')
      return false;
    const { tr, user } = pageCtx(res);
    const title = isCsrf(err)
      ? tr('st_csrf_title')
      : status === 403
        ? tr('st_forbidden_title')
        : status === 404
          ? tr('not_found_title')
          : status === 401
            ? tr('st_login_title')
            : tr('error_title');
    sendStaffPage(req, res, { title, status }, [
      <div class="card error" role="alert">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a class="button" href={user ? '/staf/' : '/staf/masuk'}>
            {user ? tr('st_nav_home') : tr('st_login_title')}
          </a>
        </p>
      </div>,
    ]);
    return true;
  },
});

function isCsrf(err: unknown): boolean {
  return err instanceof HttpError && err.message === 'csrf';
}
