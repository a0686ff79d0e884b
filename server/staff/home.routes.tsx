import type { Request, Response } from 'express';
import { fixityHealth } from '../../core/fixity-health.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { StatusBadge } from './views/badges.tsx';
import { FixityBanner, FixityLastRun } from './views/fixity-banner.tsx';
import { ReplicaBanner } from './views/replica-banner.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';

/** The landing page: counts by status and the latest batches (operators: their own). */
export function homeHandlers(ctx: StaffContext) {
  return {
    async home(req: Request, res: Response) {
      const { tr, lang } = pageCtx(res);
      const u = userOf(res);
      const counts = await ctx.reports.statusCounts();
      const mine = u.role === 'operator';
      const recent = await ctx.inventory.list(mine ? { operator: u.username } : {}, { limit: 10 });
      const fixity = await fixityHealth(ctx.register, { overdueDays: ctx.fixityOverdueDays });
      const damaged = fixity.damagedItems > 0 ? await ctx.register.fixity.damaged(10) : [];
      const stat = (n: number | undefined, label: string) => (
        <div class="stat">
          <b>{fmt.num(n ?? 0, lang)}</b>
          <span>{label}</span>
        </div>
      );
      const replica = await ctx.replicaHealth?.();
      sendStaffPage(req, res, { title: tr('st_home_title'), current: '/staf/' }, [
        <h1>{tr('st_home_title')}</h1>,
        <FixityBanner health={fixity} damaged={damaged} tr={tr} lang={lang} />,
        replica ? <ReplicaBanner health={replica} tr={tr} lang={lang} /> : null,
        <div class="cards">
          {stat((counts.received ?? 0) + (counts.receiving ?? 0), tr('st_home_waiting'))}
          {stat(counts.processing, tr('st_home_processing'))}
          {stat(counts.available, tr('st_home_available'))}
          {stat(counts.failed, tr('st_home_failed'))}
          {mine ? null : (
            <a class="stat" href="/staf/tinjau">
              <b>{fmt.num(await ctx.register.review.count(), lang)}</b>
              <span>{tr('st_home_held')}</span>
            </a>
          )}
        </div>,
        <h2>{mine ? tr('st_home_mine') : tr('st_home_recent')}</h2>,
        <ScrollRegion label={mine ? tr('st_home_mine') : tr('st_home_recent')}>
          <table class="grid">
            <thead>
              <tr>
                <th>{tr('st_inv_nomor')}</th>
                <th>{tr('st_inv_title_col')}</th>
                <th class="num">{tr('st_inv_pages')}</th>
                <th>{tr('st_inv_operator')}</th>
                <th>{tr('st_inv_status')}</th>
                <th>{tr('st_inv_date')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.length === 0 ? (
                <tr>
                  <td colSpan={6} class="muted">
                    {tr('st_inv_empty')}
                  </td>
                </tr>
              ) : (
                recent.map((it) => (
                  <tr>
                    <td>{it.nomorInduk ?? tr('st_item_waiting_nomor')}</td>
                    <td>
                      <a href={`/staf/item/${it.id}`}>{it.title}</a>
                    </td>
                    <td class="num">{fmt.num(it.pages, lang)}</td>
                    <td>{it.operator ?? ''}</td>
                    <td>
                      <StatusBadge status={it.status} stage={it.stage} tr={tr} />
                    </td>
                    <td>{fmt.dateTime(it.date, lang)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollRegion>,
        <h2>{tr('st_fixity_title')}</h2>,
        <FixityLastRun health={fixity} tr={tr} lang={lang} />,
      ]);
    },
  };
}
