import type { Request, Response } from 'express';
import { HELD_FLAG, holdOf } from '../../core/access.ts';
import { flagMessage } from '../../core/messages.ts';
import { ACCESS_LEVELS, type AccessLevel } from '../../core/metadata.schema.ts';
import { setItemAccess } from '../../search/item-access.ts';
import { HttpError } from '../http-error.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { StatusBadge } from './views/badges.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';
import { Csrf, Notice } from './views/staff-layout.tsx';

const PAGE_SIZE = 100;
/** What staff may choose for a held item: publish it (open, read online) or keep it staff-only. */
const CHOICES: readonly AccessLevel[] = ['open', 'read-online', 'staff-only'];
const CHOICE_LABELS = {
  open: 'st_rights_open',
  'read-online': 'st_rights_read',
  'staff-only': 'st_rights_staff',
} as const;

/**
 * The review queue: items held because their access level could not be known (no metadata,
 * unreadable metadata, an unrecognised rights value). They are processed but invisible to the
 * public until staff choose an access level here, with a reason that goes to the audit log.
 */
export function reviewHandlers(ctx: StaffContext) {
  async function page(
    req: Request,
    res: Response,
    notice?: { kind: 'ok' | 'err'; text: string },
    status = 200,
  ) {
    const { tr, lang, user } = pageCtx(res);
    const held = await ctx.register.review.list({ limit: PAGE_SIZE });
    const total = await ctx.register.review.count();
    sendStaffPage(req, res, { title: tr('st_review_title'), current: '/staf/tinjau', status }, [
      <h1>{tr('st_review_title')}</h1>,
      <p class="muted">{tr('st_review_intro')}</p>,
      notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null,
      <p>{tr('st_review_count', { n: fmt.num(total, lang) })}</p>,
      <ScrollRegion label={tr('st_review_title')}>
        <table class="grid" id="tinjau">
          <thead>
            <tr>
              <th>{tr('st_inv_nomor')}</th>
              <th>{tr('st_inv_title_col')}</th>
              <th>{tr('st_inv_status')}</th>
              <th>{tr('st_review_why')}</th>
              <th>{tr('st_review_decide')}</th>
            </tr>
          </thead>
          <tbody>
            {held.length === 0 ? (
              <tr>
                <td colSpan={5} class="muted">
                  {tr('st_review_empty')}
                </td>
              </tr>
            ) : (
              held.map((it) => {
                const flag = it.flags.find((f) => f.code === HELD_FLAG) ?? {
                  code: HELD_FLAG,
                  params: { reason: holdOf(it) ?? 'rights_review' },
                };
                return (
                  <tr data-item={it.id}>
                    <td>{it.nomorInduk ?? tr('st_item_waiting_nomor')}</td>
                    <td>
                      <a href={`/staf/item/${it.id}`}>{it.title}</a>
                      <div class="muted">
                        {it.sourceName} · {it.operator ?? '–'} · {fmt.dateTime(it.createdAt, lang)}
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={it.status} stage={it.stage} tr={tr} />
                    </td>
                    <td class="held-reason">{flagMessage(lang, flag)}</td>
                    <td>
                      <form method="post" action={`/staf/tinjau/${it.id}`} class="stack">
                        <Csrf user={user} />
                        <select name="access" aria-label={tr('st_meta_rights')}>
                          {CHOICES.map((c) => (
                            <option value={c}>{tr(CHOICE_LABELS[c as keyof typeof CHOICE_LABELS])}</option>
                          ))}
                        </select>
                        <input
                          name="reason"
                          required
                          maxLength={500}
                          aria-label={tr('st_review_reason')}
                          placeholder={tr('st_review_reason')}
                        />
                        <button type="submit">{tr('st_review_save')}</button>
                      </form>
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </ScrollRegion>,
    ]);
  }

  return {
    async list(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const done = typeof req.query.selesai === 'string' ? req.query.selesai : '';
      await page(
        req,
        res,
        done ? { kind: 'ok', text: tr('st_review_done', { title: done.slice(0, 300) }) } : undefined,
      );
    },
    async decide(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const body = req.body as Record<string, unknown>;
      const access = String(body.access ?? '');
      const reason = String(body.reason ?? '')
        .trim()
        .slice(0, 500);
      if (!(ACCESS_LEVELS as readonly string[]).includes(access) || !CHOICES.includes(access as AccessLevel))
        throw new HttpError(400, tr('st_bad_request', { detail: 'access' }));
      if (!reason) return page(req, res, { kind: 'err', text: tr('st_review_reason_needed') }, 400);
      const u = userOf(res);
      const itemId = String(req.params.id);
      const r = await setItemAccess(ctx, itemId, access as AccessLevel, reason, {
        userId: u.id,
        username: u.username,
        ip: req.ip ?? null,
      });
      if (!r.ok && r.why === 'not_found') throw new HttpError(404, 'not found');
      const title = (await ctx.register.items.get(itemId))?.title ?? itemId;
      res.redirect(303, `/staf/tinjau?selesai=${encodeURIComponent(title)}`);
    },
  };
}
