import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { StaffContext } from '../staff.context.ts';
import { pageCtx, sendStaffPage } from '../staff-page.tsx';
import { Notice } from '../views/staff-layout.tsx';
import { dummyHash, verifyPassword } from './password.ts';
import {
  cookieOptions,
  endSession,
  LOGIN_CSRF_COOKIE,
  newToken,
  SESSION_COOKIE,
  staffUser,
  startSession,
} from './session.ts';

/** Only paths inside the workspace are followed after sign-in (no open redirect). */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/staf(\/[^\\]*)?$/.test(v) && !v.startsWith('//') ? v : '/staf/';
}

function loginForm(req: Request, res: Response, status: number, error?: string): void {
  const { tr } = pageCtx(res);
  const token = newToken();
  res.cookie(LOGIN_CSRF_COOKIE, token, { ...cookieOptions(req, 30 * 60_000), sameSite: 'strict' });
  const next = safeNext(req.query.lanjut ?? (req.body as Record<string, unknown> | undefined)?.lanjut);
  sendStaffPage(req, res, { title: tr('st_login_title'), status }, [
    <div class="login card">
      <h1>{tr('st_login_title')}</h1>
      <p class="muted">{tr('st_login_intro')}</p>
      {req.query.keluar ? <Notice kind="ok">{tr('st_logged_out')}</Notice> : null}
      {error ? <Notice kind="err">{error}</Notice> : null}
      <form method="post" action="/staf/masuk">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="lanjut" value={next} />
        <label>
          {tr('st_username')}
          <input name="username" autocomplete="username" required autofocus maxLength={40} />
        </label>
        <label>
          {tr('st_password')}
          <input name="password" type="password" autocomplete="current-password" required maxLength={200} />
        </label>
        <button type="submit">{tr('st_login_button')}</button>
      </form>
    </div>,
  ]);
}

/**
 * The address a client is counted under: `req.ip`, which believes X-Forwarded-For only from a
 * proxy trusted by PINDAI_TRUST_PROXY. An IPv6 client is counted by its /56, since one host
 * usually holds a whole /64 and could otherwise try from a fresh address every time.
 */
const clientAddress = (req: Request): string => ipKeyGenerator(req.ip ?? '');

export function authHandlers(ctx: StaffContext) {
  const limits = ctx.loginLimits;
  return {
    loginPage(req: Request, res: Response) {
      loginForm(req, res, 200);
    },
    async login(req: Request, res: Response) {
      const body = req.body as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim().slice(0, 40) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
      const address = clientAddress(req);
      // Refused before the password is checked: a closed account is no oracle for a right guess.
      const closed = await limits.closed(username, address);
      if (closed) {
        await ctx.audit.record({
          userId: null,
          username,
          action: 'login_limited',
          detail: { rule: closed.rule },
          ip: req.ip ?? null,
        });
        res.set('Retry-After', String(Math.ceil(closed.retryMs / 1000)));
        return loginForm(req, res, 429, pageCtx(res).tr('st_login_limited'));
      }
      const user = username ? await ctx.users.byUsername(username) : null;
      // Verify against a dummy hash for unknown names: the answer takes as long either way.
      const ok = (await verifyPassword(user?.passwordHash ?? (await dummyHash()), password)) && !!user;
      if (!ok || !user || user.disabledAt) {
        await limits.failed(username, address);
        await ctx.audit.record({
          userId: user?.id ?? null,
          username,
          action: 'login_failed',
          ip: req.ip ?? null,
        });
        return loginForm(req, res, 401, pageCtx(res).tr('st_login_failed'));
      }
      await limits.succeeded(username, address);
      await startSession(ctx, req, res, user.id);
      await ctx.users.touchLogin(user.id);
      await ctx.audit.record({
        userId: user.id,
        username: user.username,
        action: 'login',
        ip: req.ip ?? null,
      });
      res.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
      res.redirect(303, safeNext(body.lanjut));
    },
    async logout(req: Request, res: Response) {
      const u = staffUser(res);
      await endSession(ctx, req, res);
      if (u)
        await ctx.audit.record({ userId: u.id, username: u.username, action: 'logout', ip: req.ip ?? null });
      res.redirect(303, '/staf/masuk?keluar=1');
    },
  };
}

export { SESSION_COOKIE };
