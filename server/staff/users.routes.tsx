import type { Request, Response } from 'express';
import { z } from 'zod';
import { loginAccount } from '../../core/register/login-limits.ts';
import { ROLES } from '../../core/register/users.queries.ts';
import { HttpError } from '../http-error.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './auth/password.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';
import { Csrf, Notice } from './views/staff-layout.tsx';

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,39}$/;

const newUser = z.object({
  username: z.string().trim().toLowerCase(),
  displayName: z.string().trim().max(100).default(''),
  role: z.enum(ROLES),
  password: z.string().max(200),
});

/**
 * Admin: staff accounts. Disabling an account ends all its sessions at once; unlocking one clears
 * its failed sign-ins, so a guessed-at account (an admin's too) is never shut out for long.
 */
export function userHandlers(ctx: StaffContext) {
  async function page(
    req: Request,
    res: Response,
    notice?: { kind: 'ok' | 'err'; text: string },
    status = 200,
  ) {
    const { tr, lang, user } = pageCtx(res);
    const users = await ctx.users.list();
    const locked = await ctx.loginLimits.lockedAccounts();
    const lockedMs = (name: string) => locked.get(loginAccount(name)) ?? 0;
    sendStaffPage(req, res, { title: tr('st_users_title'), current: '/staf/pengguna', status }, [
      <h1>{tr('st_users_title')}</h1>,
      notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null,
      <ScrollRegion label={tr('st_users_title')}>
        <table class="grid">
          <thead>
            <tr>
              <th>{tr('st_username')}</th>
              <th>{tr('st_users_display')}</th>
              <th>{tr('st_users_role')}</th>
              <th>{tr('st_users_state')}</th>
              <th>{tr('st_users_last_login')}</th>
              <th>
                <span class="sr-only">{tr('st_col_actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>
                  {u.id === user?.id ? (
                    tr(`st_role_${u.role}`)
                  ) : (
                    <form method="post" action={`/staf/pengguna/${u.id}/peran`} class="inline">
                      <Csrf user={user} />
                      <select name="role" aria-label={tr('st_users_role_for', { name: u.username })}>
                        {ROLES.map((r) => (
                          <option value={r} selected={r === u.role}>
                            {tr(`st_role_${r}`)}
                          </option>
                        ))}
                      </select>{' '}
                      <button type="submit" class="secondary">
                        {tr('st_users_role_save')}
                      </button>
                    </form>
                  )}
                </td>
                <td>
                  <span class={`badge ${u.disabledAt ? 'b-failed' : 'b-available'}`}>
                    {u.disabledAt ? tr('st_users_disabled') : tr('st_users_active')}
                  </span>{' '}
                  {lockedMs(u.username) > 0 ? (
                    <span class="badge b-failed">
                      {tr('st_users_locked', { min: Math.ceil(lockedMs(u.username) / 60_000) })}
                    </span>
                  ) : null}
                </td>
                <td>{fmt.dateTime(u.lastLoginAt, lang)}</td>
                <td>
                  {lockedMs(u.username) > 0 ? (
                    <form method="post" action={`/staf/pengguna/${u.id}/buka-kunci`}>
                      <Csrf user={user} />
                      <button type="submit" class="secondary">
                        {tr('st_users_unlock')}
                      </button>
                    </form>
                  ) : null}
                  <form method="post" action={`/staf/pengguna/${u.id}/sandi`} class="inline">
                    <Csrf user={user} />
                    <input
                      name="password"
                      type="password"
                      required
                      minLength={MIN_PASSWORD_LENGTH}
                      autocomplete="new-password"
                      aria-label={tr('st_users_new_password', { name: u.username })}
                      placeholder={tr('st_password')}
                    />{' '}
                    <button type="submit" class="secondary">
                      {tr('st_users_reset')}
                    </button>
                  </form>
                  {u.id === user?.id ? null : (
                    <form
                      method="post"
                      action={`/staf/pengguna/${u.id}/${u.disabledAt ? 'aktif' : 'nonaktif'}`}
                    >
                      <Csrf user={user} />
                      <button type="submit" class={u.disabledAt ? 'secondary' : 'danger'}>
                        {u.disabledAt ? tr('st_users_enable') : tr('st_users_disable')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>,
      <h2>{tr('st_users_add')}</h2>,
      <form class="card stack" method="post" action="/staf/pengguna">
        <Csrf user={user} />
        <label>
          {tr('st_username')}
          <input
            name="username"
            required
            pattern="[a-z0-9][a-z0-9._\-]{1,39}"
            maxLength={40}
            autocomplete="off"
          />
        </label>
        <label>
          {tr('st_users_display')}
          <input name="displayName" maxLength={100} />
        </label>
        <label>
          {tr('st_users_role')}
          <select name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === 'operator'}>
                {tr(`st_role_${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr('st_password')}
          <input
            name="password"
            type="password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            autocomplete="new-password"
          />
        </label>
        <div class="wide">
          <button type="submit">{tr('st_users_add')}</button>
        </div>
      </form>,
    ]);
  }

  async function targetOf(req: Request) {
    const id = Number(req.params.id);
    const target = Number.isInteger(id) ? await ctx.users.get(id) : null;
    if (!target) throw new HttpError(404, 'not found');
    return target;
  }

  function setDisabled(disabled: boolean) {
    return async (req: Request, res: Response) => {
      const { tr } = pageCtx(res);
      const target = await targetOf(req);
      if (target.id === userOf(res).id)
        return page(req, res, { kind: 'err', text: tr('st_users_self') }, 400);
      await ctx.users.setDisabled(target.id, disabled);
      const ended = disabled ? await ctx.sessions.deleteForUser(target.id) : 0;
      await auditAction(ctx, req, res, disabled ? 'user_disable' : 'user_enable', `user:${target.username}`, {
        sessionsEnded: ended,
      });
      await page(req, res, { kind: 'ok', text: tr('st_users_changed', { name: target.username }) });
    };
  }

  return {
    list: (req: Request, res: Response) => page(req, res),
    async create(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const p = newUser.safeParse(req.body);
      if (!p.success)
        return page(
          req,
          res,
          {
            kind: 'err',
            text: tr('st_bad_request', { detail: p.error.issues.map((i) => i.path.join('.')).join(', ') }),
          },
          400,
        );
      const u = p.data;
      if (!USERNAME_RE.test(u.username))
        return page(req, res, { kind: 'err', text: tr('st_users_bad_name') }, 400);
      if (u.password.length < MIN_PASSWORD_LENGTH)
        return page(
          req,
          res,
          { kind: 'err', text: tr('st_users_short_password', { n: MIN_PASSWORD_LENGTH }) },
          400,
        );
      if (await ctx.users.byUsername(u.username))
        return page(req, res, { kind: 'err', text: tr('st_users_exists', { name: u.username }) }, 409);
      await ctx.users.insert({
        username: u.username,
        displayName: u.displayName || u.username,
        role: u.role,
        passwordHash: await hashPassword(u.password),
      });
      await auditAction(ctx, req, res, 'user_create', `user:${u.username}`, { role: u.role });
      await page(req, res, { kind: 'ok', text: tr('st_users_created', { name: u.username }) }, 201);
    },
    disable: setDisabled(true),
    enable: setDisabled(false),
    /** A new password set by an admin: every session of the account ends (the old password may be known). */
    async resetPassword(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const target = await targetOf(req);
      const password = String((req.body as Record<string, unknown>).password ?? '').slice(0, 200);
      if (password.length < MIN_PASSWORD_LENGTH)
        return page(
          req,
          res,
          { kind: 'err', text: tr('st_users_short_password', { n: MIN_PASSWORD_LENGTH }) },
          400,
        );
      await ctx.users.setPassword(target.id, await hashPassword(password));
      const ended = await ctx.sessions.deleteForUser(target.id);
      await auditAction(ctx, req, res, 'user_password_reset', `user:${target.username}`, {
        sessionsEnded: ended,
      });
      // Resetting one's own password ends this session too: sign in again with the new one.
      if (target.id === userOf(res).id) return res.redirect(303, '/staf/masuk');
      await page(req, res, {
        kind: 'ok',
        text: tr('st_users_reset_done', { name: target.username, n: ended }),
      });
    },
    /** Another account's role (never one's own: an admin cannot lock the workspace out of admins). */
    async changeRole(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const target = await targetOf(req);
      if (target.id === userOf(res).id)
        return page(req, res, { kind: 'err', text: tr('st_users_self_role') }, 400);
      const role = (req.body as Record<string, unknown>).role;
      const next = ROLES.find((r) => r === role);
      if (!next) throw new HttpError(400, tr('st_bad_request', { detail: tr('st_users_role') }));
      if (next !== target.role) {
        await ctx.users.setRole(target.id, next);
        await auditAction(ctx, req, res, 'user_role', `user:${target.username}`, {
          from: target.role,
          to: next,
        });
      }
      await page(req, res, {
        kind: 'ok',
        text: tr('st_users_role_done', { name: target.username, role: tr(`st_role_${next}`) }),
      });
    },
    async unlock(req: Request, res: Response) {
      const target = await targetOf(req);
      const cleared = await ctx.loginLimits.unlock(target.username);
      await auditAction(ctx, req, res, 'user_unlock', `user:${target.username}`, { cleared });
      await page(req, res, {
        kind: 'ok',
        text: pageCtx(res).tr('st_users_unlocked', { name: target.username }),
      });
    },
  };
}
