import type { Request, Response } from 'express';
import { DEFAULT_CLEAN_SETTINGS, ROTATIONS, type Rotation } from '../../core/clean-settings.ts';
import type { Item } from '../../core/item.types.ts';
import type { Translator } from '../../core/messages.ts';
import type { StoredCleanSettings } from '../../core/register/item-settings.queries.ts';
import { HttpError } from '../http-error.ts';
import type { StaffUser } from './auth/session.ts';
import type { ShowItemPage } from './page-replace.routes.tsx';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { pageCtx } from './staff-page.tsx';
import { Csrf } from './views/staff-layout.tsx';

/** The item's cleaning settings with the defaults filled in. */
export function effectiveCleanSettings(stored: StoredCleanSettings | null) {
  return { ...DEFAULT_CLEAN_SETTINGS, ...stored };
}

/** Only what differs from the defaults is stored, so a later change of a default applies again. */
export function cleanSettingsFromForm(body: Record<string, unknown>): StoredCleanSettings | null {
  const rotate = Number(body.rotate ?? 0);
  if (!(ROTATIONS as readonly number[]).includes(rotate)) return null;
  const chosen = {
    rotate: rotate as Rotation,
    deskew: body.deskew === '1',
    cropBorders: body.crop === '1',
  };
  const out: StoredCleanSettings = {};
  if (chosen.rotate !== DEFAULT_CLEAN_SETTINGS.rotate) out.rotate = chosen.rotate;
  if (chosen.deskew !== DEFAULT_CLEAN_SETTINGS.deskew) out.deskew = chosen.deskew;
  if (chosen.cropBorders !== DEFAULT_CLEAN_SETTINGS.cropBorders) out.cropBorders = chosen.cropBorders;
  return out;
}

/** Rotation, deskew and border cropping for the whole item, then cleaning and everything after it again. */
export function CleanSettingsForm({
  item,
  stored,
  user,
  tr,
  busy,
}: {
  item: Item;
  stored: StoredCleanSettings | null;
  user: StaffUser | null;
  tr: Translator;
  busy: boolean;
}) {
  const s = effectiveCleanSettings(stored);
  return (
    <form class="card" method="post" action={`/staf/item/${item.id}/perbaikan`} id="perbaikan">
      <h2>{tr('st_item_clean')}</h2>
      <Csrf user={user} />
      <p class="actions">
        <select name="rotate" aria-label={tr('st_item_clean_rotate')}>
          {ROTATIONS.map((r) => (
            <option value={r} selected={r === s.rotate}>
              {tr('st_item_clean_rotate')}: {tr(r === 0 ? 'st_item_clean_rotate_auto' : `st_item_rot_${r}`)}
            </option>
          ))}
        </select>
      </p>
      <p class="actions">
        <label>
          <input type="checkbox" name="deskew" value="1" checked={s.deskew} /> {tr('st_item_clean_deskew')}
        </label>
        <label>
          <input type="checkbox" name="crop" value="1" checked={s.cropBorders} /> {tr('st_item_clean_crop')}
        </label>
      </p>
      <p class="actions">
        <button type="submit" class="secondary" disabled={busy}>
          {tr('st_item_clean_button')}
        </button>
      </p>
      <p class="muted">{tr('st_item_clean_hint')}</p>
    </form>
  );
}

/** Store the chosen cleaning settings with the item and queue clean → OCR → PDF → publish. */
export function cleanSettingsHandler(ctx: StaffContext, show: ShowItemPage) {
  return async (req: Request, res: Response) => {
    const { tr } = pageCtx(res);
    const item = await ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    const settings = cleanSettingsFromForm(req.body as Record<string, unknown>);
    if (!settings) throw new HttpError(400, tr('st_bad_request', { detail: 'rotate' }));
    const previous = await ctx.staffSettings.cleanSettings(item.id);
    if (!(await ctx.staffItems.rerunFrom(item.id, 'clean', { clean: settings })))
      return show(req, res, tr('st_item_rerun_busy'), 409);
    await auditAction(ctx, req, res, 'item_clean_settings', `item:${item.id}`, {
      settings: effectiveCleanSettings(settings),
      previous: effectiveCleanSettings(previous),
    });
    ctx.poke();
    res.redirect(303, `/staf/item/${item.id}?pesan=diproses`);
  };
}
