import type { Request, Response } from 'express';
import type { Item, Page } from '../../core/item.types.ts';
import type { Translator } from '../../core/messages.ts';
import { STORED_ROTATIONS, type StoredRotation } from '../../core/register/item-settings.queries.ts';
import { HttpError } from '../http-error.ts';
import type { StaffUser } from './auth/session.ts';
import type { ShowItemPage } from './page-replace.routes.tsx';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { pageCtx } from './staff-page.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';
import { Csrf } from './views/staff-layout.tsx';

const AUTO = 'otomatis';

/** How a page came to lie the way it does now, in staff's words. */
function orientationText(p: Page, itemRotate: number, tr: Translator): string {
  const turn = (deg: number) => tr(`st_item_rot_${deg}` as 'st_item_rot_0');
  if (p.rotateOverride !== null) return tr('st_item_orient_staff', { turn: turn(p.rotateOverride) });
  if (!p.cleanedAt) return tr('st_item_orient_pending');
  if (p.orientation === null) return tr('st_item_orient_item', { turn: turn(itemRotate) });
  if (p.orientation !== 0) return tr('st_item_orient_auto', { turn: turn(p.orientation) });
  const confidence = `${Math.round((p.orientationConfidence ?? 0) * 100)}%`;
  return tr('st_item_orient_kept', { confidence });
}

/** Each page's orientation (turned automatically, by staff, or not) and, for editors, a per-page choice. */
export function PageOrientationTable({
  item,
  pages,
  itemRotate,
  user,
  tr,
  canEdit,
  busy,
}: {
  item: Item;
  pages: Page[];
  itemRotate: number;
  user: StaffUser | null;
  tr: Translator;
  canEdit: boolean;
  busy: boolean;
}) {
  return (
    <section class="card" id="orientasi">
      <h2>{tr('st_item_orient')}</h2>
      <ScrollRegion label={tr('st_item_orient')}>
        <table class="grid">
          <thead>
            <tr>
              <th class="num">{tr('st_item_pages')}</th>
              <th>{tr('st_item_orient_state')}</th>
              {canEdit ? (
                <th>
                  <span class="sr-only">{tr('st_col_actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => (
              <tr
                data-page={p.pageNo}
                data-turned={
                  p.rotateOverride !== null ? 'staff' : (p.orientation ?? 0) !== 0 ? 'auto' : 'none'
                }
              >
                <td class="num">{p.pageNo}</td>
                <td>{orientationText(p, itemRotate, tr)}</td>
                {canEdit ? (
                  <td>
                    <form method="post" action={`/staf/item/${item.id}/putar-halaman`} class="actions">
                      <Csrf user={user} />
                      <input type="hidden" name="no" value={p.pageNo} />
                      <select name="putar" aria-label={tr('st_item_orient_choice', { n: p.pageNo })}>
                        <option value={AUTO} selected={p.rotateOverride === null}>
                          {tr('st_item_orient_choice_auto')}
                        </option>
                        {STORED_ROTATIONS.map((r) => (
                          <option value={r} selected={p.rotateOverride === r}>
                            {tr(`st_item_rot_${r}`)}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary" disabled={busy}>
                        {tr('st_item_orient_button')}
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {canEdit ? <p class="muted">{tr('st_item_orient_hint')}</p> : null}
    </section>
  );
}

/** Staff's turn for one page (or automatic again); that page is cleaned and recognised again. */
export function pageRotateHandler(ctx: StaffContext, show: ShowItemPage) {
  return async (req: Request, res: Response) => {
    const { tr } = pageCtx(res);
    const item = await ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    const body = req.body as Record<string, unknown>;
    const no = Number(body.no);
    const asked = String(body.putar ?? '');
    const turn = asked === AUTO ? null : (STORED_ROTATIONS.find((r) => String(r) === asked) ?? undefined);
    if (!Number.isInteger(no) || turn === undefined)
      throw new HttpError(400, tr('st_bad_request', { detail: turn === undefined ? 'putar' : 'no' }));
    if (!(await ctx.register.pages.get(item.id, no)))
      throw new HttpError(404, tr('st_item_replace_no_page', { n: no }));
    const done = await ctx.staffItems.rotatePage(item.id, no, turn as StoredRotation | null);
    if (!done) return show(req, res, tr('st_item_orient_refused'), 409);
    await auditAction(ctx, req, res, 'item_page_rotate', `item:${item.id}`, {
      page: no,
      turn: turn ?? AUTO,
      before: done.before ?? AUTO,
    });
    ctx.poke();
    res.redirect(303, `/staf/item/${item.id}?pesan=diputar#orientasi`);
  };
}
