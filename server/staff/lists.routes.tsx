import type { Request, Response } from 'express';
import { cleanList } from '../../core/item-lists.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { pageCtx, sendStaffPage } from './staff-page.tsx';
import { Csrf, Notice } from './views/staff-layout.tsx';

/** Admin: the metadata form's lists of collections and material types, one choice per line. */
export function listHandlers(ctx: StaffContext) {
  async function page(
    req: Request,
    res: Response,
    notice?: { kind: 'ok' | 'err'; text: string },
    status = 200,
  ) {
    const { tr, user } = pageCtx(res);
    const lists = await ctx.staffSettings.itemLists();
    sendStaffPage(req, res, { title: tr('st_lists_title'), current: '/staf/daftar', status }, [
      <h1>{tr('st_lists_title')}</h1>,
      <p class="muted">{tr('st_lists_intro')}</p>,
      notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null,
      <form class="card stack" method="post" action="/staf/daftar" id="daftar">
        <Csrf user={user} />
        <label for="d-koleksi">
          {tr('st_lists_collections')}
          <textarea id="d-koleksi" name="collections" rows={8} maxLength={20_000}>
            {lists.collections.join('\n')}
          </textarea>
        </label>
        <label for="d-jenis">
          {tr('st_lists_types')}
          <textarea id="d-jenis" name="types" rows={8} maxLength={20_000}>
            {lists.types.join('\n')}
          </textarea>
        </label>
        <div class="wide">
          <button type="submit">{tr('st_lists_save')}</button>
        </div>
      </form>,
    ]);
  }

  return {
    page: (req: Request, res: Response) => page(req, res),
    async save(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const body = req.body as Record<string, unknown>;
      const lines = (v: unknown) => cleanList(typeof v === 'string' ? v.split(/\r?\n/) : []);
      const next = { collections: lines(body.collections), types: lines(body.types) };
      if (!next.collections.length || !next.types.length)
        return page(req, res, { kind: 'err', text: tr('st_lists_empty') }, 400);
      const before = await ctx.staffSettings.itemLists();
      await ctx.staffSettings.setItemLists(next);
      await auditAction(ctx, req, res, 'item_lists', null, {
        collections: [before.collections, next.collections],
        types: [before.types, next.types],
      });
      await page(req, res, { kind: 'ok', text: tr('st_lists_saved') });
    },
  };
}
