import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../../../core/register/users.queries.ts';
import type { StaffContext } from '../staff.context.ts';

export const SESSION_COOKIE = 'pindai_sesi';
export const LOGIN_CSRF_COOKIE = 'pindai_masuk';
const COOKIE_PATH = '/staf';

/** The signed-in staff member of this request, set by `loadSession`. */
export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  csrfToken: string;
}

export const newToken = () => randomBytes(32).toString('base64url');

export function cookieOptions(req: Request, maxAgeMs?: number) {
  return {
    httpOnly: true,
    // Behind TLS (directly or through a trusted proxy) the cookie is never sent in clear text.
    secure: req.secure,
    sameSite: 'lax' as const,
    path: COOKIE_PATH,
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  };
}

export function staffUser(res: Response): StaffUser | null {
  return (res.locals.staffUser as StaffUser | undefined) ?? null;
}

/** Look the session cookie up in the register; slide its idle expiry at most once a minute. */
export function loadSession(ctx: StaffContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const id = req.cookies?.[SESSION_COOKIE] as string | undefined;
    if (id) {
      const s = await ctx.sessions.find(id);
      if (s) {
        const now = Date.now();
        if (now - s.lastSeenAt > 60_000) {
          await ctx.sessions.touch(
            id,
            Math.min(s.createdAt + ctx.options.sessionMaxMs, now + ctx.options.sessionIdleMs),
          );
        }
        res.locals.staffUser = {
          id: s.userId,
          username: s.username,
          displayName: s.displayName,
          role: s.role,
          csrfToken: s.csrfToken,
        } satisfies StaffUser;
        res.locals.sessionId = id;
      }
    }
    next();
  };
}

/** A fresh session id at every login (no fixation); the old one, if any, is ended. */
export async function startSession(
  ctx: StaffContext,
  req: Request,
  res: Response,
  userId: number,
): Promise<void> {
  const old = req.cookies?.[SESSION_COOKIE] as string | undefined;
  if (old) await ctx.sessions.delete(old);
  // Expired rows are cleared here: logins are rare enough, and no timer is needed.
  await ctx.sessions.purgeExpired();
  const id = newToken();
  const now = Date.now();
  await ctx.sessions.create({
    id,
    userId,
    csrfToken: newToken(),
    expiresAt: now + Math.min(ctx.options.sessionIdleMs, ctx.options.sessionMaxMs),
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
  });
  res.cookie(SESSION_COOKIE, id, cookieOptions(req));
}

export async function endSession(ctx: StaffContext, req: Request, res: Response): Promise<void> {
  const id = req.cookies?.[SESSION_COOKIE] as string | undefined;
  if (id) await ctx.sessions.delete(id);
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

export function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token a request carries: form field, `X-CSRF-Token` header, or `?_csrf=` (multipart). */
export function csrfOf(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return body?._csrf ?? req.get('x-csrf-token') ?? req.query._csrf;
}
