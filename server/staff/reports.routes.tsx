import type { Request, Response } from 'express';
import { z } from 'zod';
import { csvText } from '../../core/csv.ts';
import { isMessageKey, t } from '../../core/messages.ts';
import { HttpError } from '../http-error.ts';
import { SOP_STEPS } from './sop.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage } from './staff-page.tsx';
import { BarChart, StandardChart } from './views/charts.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
const periodQuery = z.object({ from: day, to: day });

/** Reports: volume per month, throughput, time per stage against the SOP, storage, failures, operators. */
export function reportHandlers(ctx: StaffContext) {
  const period = (req: Request) => {
    const p = periodQuery.safeParse(req.query);
    if (!p.success) throw new HttpError(400, p.error.issues.map((i) => i.message).join('; '));
    return p.data;
  };

  /** Measured average per SOP step (sum of its stages' average run time per item). */
  const sopRows = async (from?: string, to?: string) => {
    const times = await ctx.reports.stageTimes(from, to);
    return SOP_STEPS.map((s) => ({
      key: s.key,
      standardMs: s.standardMs,
      avgMs: s.stages.reduce((n, st) => n + (times.find((x) => x.stage === st)?.avgMs ?? 0), 0),
      runs: Math.max(0, ...s.stages.map((st) => times.find((x) => x.stage === st)?.runs ?? 0)),
    }));
  };

  async function page(req: Request, res: Response) {
    const { tr, lang } = pageCtx(res);
    const { from, to } = period(req);
    const months = await ctx.reports.perMonth(from, to);
    const published = await ctx.reports.availablePerMonth(from, to);
    const stages = (await ctx.reports.stageTimes(from, to)).sort(
      (a, b) => STAGE_NAMES.indexOf(a.stage as never) - STAGE_NAMES.indexOf(b.stage as never),
    );
    const sop = await sopRows(from, to);
    const storage = await ctx.reports.storage();
    const failures = await ctx.reports.failuresByReason(from, to);
    const operators = await ctx.reports.perOperator(from, to);
    const qs = new URLSearchParams(
      Object.entries({ from, to }).filter(([, v]) => v) as [string, string][],
    ).toString();
    const csvLink = (kind: string) => `/staf/laporan.csv?jenis=${kind}${qs ? `&${qs}` : ''}`;
    const none = <p class="muted">{tr('st_rep_none')}</p>;
    sendStaffPage(req, res, { title: tr('st_rep_title'), current: '/staf/laporan' }, [
      <h1>{tr('st_rep_title')}</h1>,
      <form class="filters card noprint" method="get" action="/staf/laporan">
        <label>
          {tr('st_inv_from')}
          <input type="date" name="from" value={from ?? ''} />
        </label>
        <label>
          {tr('st_inv_to')}
          <input type="date" name="to" value={to ?? ''} />
        </label>
        <button type="submit">{tr('st_inv_filter')}</button>
      </form>,
      <div class="cards">
        <div class="stat">
          <b>{fmt.num(storage.items, lang)}</b>
          <span>{tr('st_rep_items')}</span>
        </div>
        <div class="stat">
          <b>{fmt.num(storage.pages, lang)}</b>
          <span>{tr('st_rep_pages')}</span>
        </div>
        <div class="stat">
          <b>{fmt.bytes(storage.originalBytes, lang)}</b>
          <span>
            {tr('st_rep_storage')} · {tr('st_rep_originals')}
          </span>
        </div>
        <div class="stat">
          <b>{fmt.bytes(storage.pdfBytes, lang)}</b>
          <span>
            {tr('st_rep_storage')} · {tr('st_rep_pdfs')}
          </span>
        </div>
      </div>,
      <div class="cols wide-cols">
        <section class="card" id="per-bulan">
          <h2>{tr('st_rep_per_month')}</h2>
          {months.length ? (
            <BarChart
              title={tr('st_rep_per_month')}
              categories={months.map((m) => fmt.month(m.month, lang))}
              series={[
                { label: tr('st_rep_items'), color: '#2f7dc1', values: months.map((m) => m.items) },
                { label: tr('st_rep_pages'), color: '#9cc3e6', values: months.map((m) => m.pages) },
              ]}
            />
          ) : (
            none
          )}
          <p>
            <a href={csvLink('bulan')}>{tr('st_rep_csv')}</a>
          </p>
        </section>
        <section class="card" id="throughput">
          <h2>{tr('st_rep_throughput')}</h2>
          {published.length ? (
            <BarChart
              title={tr('st_rep_throughput')}
              categories={published.map((m) => fmt.month(m.month, lang))}
              series={[
                { label: tr('st_rep_items'), color: '#2e8b57', values: published.map((m) => m.items) },
                { label: tr('st_rep_pages'), color: '#9fd3b0', values: published.map((m) => m.pages) },
              ]}
            />
          ) : (
            none
          )}
        </section>
        <section class="card" id="sop">
          <h2>{tr('st_rep_stage_times')}</h2>
          <StandardChart
            title={tr('st_rep_stage_times')}
            rows={sop.map((r) => ({ label: tr(r.key), value: r.avgMs, standard: r.standardMs }))}
            label={(r) =>
              `${fmt.duration(r.value, lang)} (${fmt.num((r.value / r.standard) * 100, lang, 1)}%)`
            }
          />
          <ScrollRegion label={tr('st_rep_stage_times')}>
            <table class="grid">
              <thead>
                <tr>
                  <th>{tr('st_inv_stage')}</th>
                  <th class="num">{tr('st_rep_runs')}</th>
                  <th class="num">{tr('st_rep_avg')}</th>
                  <th class="num">{tr('st_rep_avg_page')}</th>
                </tr>
              </thead>
              <tbody>
                {stages.map((st) => (
                  <tr>
                    <td>{isStage(st.stage) ? tr(`st_stage_${st.stage}`) : st.stage}</td>
                    <td class="num">{st.runs}</td>
                    <td class="num">{fmt.duration(st.avgMs, lang)}</td>
                    <td class="num">{fmt.duration(st.avgPerPageMs, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <p>
            <a href={csvLink('tahap')}>{tr('st_rep_csv')}</a>
          </p>
        </section>
        <section class="card" id="kegagalan">
          <h2>{tr('st_rep_failures')}</h2>
          {failures.length ? (
            <table class="grid">
              <thead>
                <tr>
                  <th>{tr('st_rep_reason')}</th>
                  <th>{tr('st_inv_stage')}</th>
                  <th class="num">{tr('st_rep_count')}</th>
                </tr>
              </thead>
              <tbody>
                {failures.map((f) => (
                  <tr>
                    <td>{reasonText(f.code, lang)}</td>
                    <td>{isStage(f.stage) ? tr(`st_stage_${f.stage}`) : f.stage}</td>
                    <td class="num">{f.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            none
          )}
          <p>
            <a href={csvLink('gagal')}>{tr('st_rep_csv')}</a>
          </p>
        </section>
        <section class="card" id="operator">
          <h2>{tr('st_rep_operators')}</h2>
          {operators.length ? (
            <table class="grid">
              <thead>
                <tr>
                  <th>{tr('st_inv_operator')}</th>
                  <th class="num">{tr('st_rep_items')}</th>
                  <th class="num">{tr('st_rep_pages')}</th>
                  <th class="num">{tr('st_rep_failed')}</th>
                </tr>
              </thead>
              <tbody>
                {operators.map((o) => (
                  <tr>
                    <td>{o.operator}</td>
                    <td class="num">{o.items}</td>
                    <td class="num">{o.pages}</td>
                    <td class="num">{o.failed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            none
          )}
          <p>
            <a href={csvLink('operator')}>{tr('st_rep_csv')}</a>
          </p>
        </section>
      </div>,
    ]);
  }

  async function csv(req: Request, res: Response) {
    const { tr, lang } = pageCtx(res);
    const { from, to } = period(req);
    const kind = String(req.query.jenis ?? 'bulan');
    let rows: (string | number)[][];
    if (kind === 'bulan') {
      rows = [
        [tr('st_rep_month'), tr('st_rep_items'), tr('st_rep_pages')],
        ...(await ctx.reports.perMonth(from, to)).map((m) => [m.month, m.items, m.pages]),
      ];
    } else if (kind === 'tahap') {
      rows = [
        [tr('st_item_sop_step'), tr('st_item_sop'), tr('st_rep_avg'), tr('st_rep_runs')],
        ...(await sopRows(from, to)).map((r) => [
          tr(r.key),
          Math.round(r.standardMs / 1000),
          Math.round(r.avgMs / 1000),
          r.runs,
        ]),
      ];
    } else if (kind === 'gagal') {
      rows = [
        [tr('st_rep_reason'), tr('st_inv_stage'), tr('st_rep_count')],
        ...(await ctx.reports.failuresByReason(from, to)).map((f) => [
          reasonText(f.code, lang),
          f.stage,
          f.n,
        ]),
      ];
    } else if (kind === 'operator') {
      rows = [
        [tr('st_inv_operator'), tr('st_rep_items'), tr('st_rep_pages'), tr('st_rep_failed')],
        ...(await ctx.reports.perOperator(from, to)).map((o) => [o.operator, o.items, o.pages, o.failed]),
      ];
    } else throw new HttpError(400, tr('st_bad_request', { detail: 'jenis' }));
    res.type('text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="laporan-${kind}.csv"`);
    res.send(csvText(rows));
  }

  return { page, csv };
}

const STAGE_NAMES = ['register', 'clean', 'ocr', 'pdf', 'publish'] as const;
function isStage(s: string): s is (typeof STAGE_NAMES)[number] {
  return (STAGE_NAMES as readonly string[]).includes(s);
}

function reasonText(code: string, lang: 'id' | 'en'): string {
  if (!isMessageKey(code)) return code;
  // Catalogue sentences have {params}; a report groups many cases, so show them without values.
  const text = t(lang, code, {})
    .replace(/[:\s]*\{\w+\}[\s.]*/g, ' ')
    .trim();
  return `${text} (${code})`;
}
