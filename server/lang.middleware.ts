import type { RequestHandler } from 'express';
import type { Lang } from '../core/messages.ts';

const LANGS: readonly Lang[] = ['id', 'en'];
const COOKIE = 'lang';
const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

function cookieLang(header: string | undefined): Lang | null {
  const m = /(?:^|;\s*)lang=(\w+)/.exec(header ?? '');
  return m && isLang(m[1]) ? m[1] : null;
}

/**
 * The page language: `?lang=en|id` (remembered in a cookie), else the cookie, else the
 * configured default (Bahasa Indonesia). Sets `res.locals.lang`.
 */
export function langMiddleware(defaultLang: Lang): RequestHandler {
  return (req, res, next) => {
    const asked = req.query.lang;
    let lang: Lang = cookieLang(req.headers.cookie) ?? defaultLang;
    if (isLang(asked)) {
      lang = asked;
      res.cookie(COOKIE, asked, { sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 * 1000 });
    }
    res.locals.lang = lang;
    res.vary('Cookie');
    next();
  };
}

export function langOf(res: { locals: Record<string, unknown> }): Lang {
  return isLang(res.locals.lang) ? res.locals.lang : 'id';
}
