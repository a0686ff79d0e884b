import type { Request, Response } from 'express';
import { z } from 'zod';
import { csvText } from '../../core/csv.ts';
import { periodWords } from '../../core/inventory.ts';
import { isMessageKey, t } from '../../core/messages.ts';
import { HttpError } from '../http-error.ts';
import { MAX_STEP_GAP_MS, SOP_NORMS, sopReport, staffDuration } from './sop.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage } from './staff-page.tsx';
import { BarChart } from './views/charts.tsx';
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

  /** Staff time against the SOP, from the human steps the register records (never stage runs). */
  const sopOf = async (from?: string, to?: string) =>
    sopReport(await ctx.register.steps.sopItems(from, to), await ctx.register.steps.list(from, to));

  async function page(req: Request, res: Response) {
    const { tr, lang } = pageCtx(res);
    const { from, to } = period(req);
    const months = await ctx.reports.perMonth(from, to);
    const published = await ctx.reports.availablePerMonth(from, to);
    const stages = (await ctx.reports.stageTimes(from, to)).sort(
      (a, b) => STAGE_NAMES.indexOf(a.stage as never) - STAGE_NAMES.indexOf(b.stage as never),
    );
    const sop = await sopOf(from, to);
    const dur = (ms: number | null) => staffDuration(ms, lang);
    const dec = (n: number) => fmt.num(n, lang, 1);
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
              lang={lang}
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
              lang={lang}
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
                    <td class="num">{fmt.num(f.n, lang)}</td>
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
                    <td class="num">{fmt.num(o.items, lang)}</td>
                    <td class="num">{fmt.num(o.pages, lang)}</td>
                    <td class="num">{fmt.num(o.failed, lang)}</td>
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
      <section class="card" id="sop">
        <h2>{tr('sd_sop_title')}</h2>
        <p class="muted">
          {tr('sd_sop_explain', {
            gap: dur(MAX_STEP_GAP_MS),
            workday: SOP_NORMS.workdayMs / 3600_000,
          })}
        </p>
        <ScrollRegion label={tr('sd_sop_title')}>
          <table class="grid" id="sop-langkah">
            <thead>
              <tr>
                <th>{tr('sd_sop_step')}</th>
                <th class="num">{tr('sd_sop_norm')}</th>
                <th class="num">{tr('sd_sop_actual')}</th>
                <th class="num">{tr('sd_sop_measured')}</th>
                <th>{tr('sd_sop_verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {sop.steps.map((st) => (
                <tr>
                  <td>{tr(st.key)}</td>
                  <td class="num">{dur(st.normMs)}</td>
                  <td class="num">{dur(st.medianMs)}</td>
                  <td class="num">{fmt.num(st.measured, lang)}</td>
                  <td>
                    {st.medianMs === null
                      ? tr('sd_sop_unmeasured')
                      : st.over
                        ? tr('sd_sop_over')
                        : tr('sd_sop_within')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p id="sop-kapasitas">
          <b>
            {sop.capacity.actualPerDay === null
              ? tr('sd_sop_capacity_none', { sop: dec(sop.capacity.sopPerDay) })
              : tr('sd_sop_capacity', {
                  sop: dec(sop.capacity.sopPerDay),
                  actual: dec(sop.capacity.actualPerDay),
                  days: sop.capacity.operatorDays,
                })}
          </b>
        </p>
        <h3>{tr('sd_sop_elapsed')}</h3>
        <ScrollRegion label={tr('sd_sop_elapsed')}>
          <table class="grid" id="sop-bulan">
            <thead>
              <tr>
                <th>{tr('sd_sop_month')}</th>
                <th class="num">{tr('sd_sop_items')}</th>
                <th class="num">{tr('sd_sop_available')}</th>
                <th class="num">{tr('sd_sop_median')}</th>
                <th class="num">{tr('sd_sop_p90')}</th>
                <th class="num">{tr('sd_sop_staff_book')}</th>
                <th class="num">{tr('sd_sop_staff_entry')}</th>
              </tr>
            </thead>
            <tbody>
              {sop.months.map((m) => (
                <tr>
                  <td>{periodWords(lang, `${m.month}-01`, lastDay(m.month))}</td>
                  <td class="num">{fmt.num(m.items, lang)}</td>
                  <td class="num">{fmt.num(m.available, lang)}</td>
                  <td class="num">{dur(m.medianMs)}</td>
                  <td class="num">{dur(m.p90Ms)}</td>
                  <td class="num">{dur(m.scanMedianMs)}</td>
                  <td class="num">{dur(m.entryMedianMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p>
          <a href={csvLink('sop-bulan')}>{tr('st_rep_csv')}</a>
        </p>
        <h3>{tr('sd_sop_per_operator')}</h3>
        <ScrollRegion label={tr('sd_sop_per_operator')}>
          <table class="grid" id="sop-operator">
            <thead>
              <tr>
                <th>{tr('st_inv_operator')}</th>
                <th class="num">{tr('sd_sop_items')}</th>
                <th class="num">{tr('sd_sop_available')}</th>
                <th class="num">{tr('sd_sop_median')}</th>
                <th class="num">{tr('sd_sop_p90')}</th>
                <th class="num">{tr('sd_sop_staff_book')}</th>
                <th class="num">{tr('sd_sop_days')}</th>
                <th class="num">{tr('sd_sop_per_day')}</th>
              </tr>
            </thead>
            <tbody>
              {sop.operators.map((o) => (
                <tr>
                  <td>{o.operator}</td>
                  <td class="num">{fmt.num(o.items, lang)}</td>
                  <td class="num">{fmt.num(o.available, lang)}</td>
                  <td class="num">{dur(o.medianMs)}</td>
                  <td class="num">{dur(o.p90Ms)}</td>
                  <td class="num">{dur(o.staffMedianMs)}</td>
                  <td class="num">{fmt.num(o.days, lang)}</td>
                  <td class="num">{dec(o.perDay)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p>
          <a href={csvLink('sop-operator')}>{tr('st_rep_csv')}</a>
        </p>
        <h3>{tr('sd_rep_machine_times')}</h3>
        {stages.length ? (
          <ScrollRegion label={tr('sd_rep_machine_times')}>
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
                    <td class="num">{fmt.num(st.runs, lang)}</td>
                    <td class="num">{fmt.duration(st.avgMs, lang)}</td>
                    <td class="num">{fmt.duration(st.avgPerPageMs, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : (
          none
        )}
        <p>
          <a href={csvLink('tahap')}>{tr('st_rep_csv')}</a>
        </p>
      </section>,
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
      // Machine time per stage (seconds): not staff time, so no SOP norm beside it.
      rows = [
        [tr('st_inv_stage'), tr('st_rep_runs'), `${tr('st_rep_avg')} (s)`, `${tr('st_rep_avg_page')} (s)`],
        ...(await ctx.reports.stageTimes(from, to)).map((r) => [
          isStage(r.stage) ? tr(`st_stage_${r.stage}`) : r.stage,
          r.runs,
          Math.round(r.avgMs / 100) / 10,
          Math.round(r.avgPerPageMs / 100) / 10,
        ]),
      ];
    } else if (kind === 'sop-bulan' || kind === 'sop-operator') {
      // Durations in whole minutes, so a spreadsheet can sum and compare them.
      const min = (ms: number | null) => (ms === null ? '' : Math.round(ms / 60_000));
      const sop = await sopOf(from, to);
      rows =
        kind === 'sop-bulan'
          ? [
              [
                tr('st_rep_month'),
                tr('sd_sop_items'),
                tr('sd_sop_available'),
                `${tr('sd_sop_median')} (${tr('sd_unit_min')})`,
                `${tr('sd_sop_p90')} (${tr('sd_unit_min')})`,
                `${tr('sd_sop_staff_book')} (${tr('sd_unit_min')})`,
                `${tr('sd_sop_staff_entry')} (${tr('sd_unit_min')})`,
              ],
              ...sop.months.map((m) => [
                m.month,
                m.items,
                m.available,
                min(m.medianMs),
                min(m.p90Ms),
                min(m.scanMedianMs),
                min(m.entryMedianMs),
              ]),
            ]
          : [
              [
                tr('st_inv_operator'),
                tr('sd_sop_items'),
                tr('sd_sop_available'),
                `${tr('sd_sop_median')} (${tr('sd_unit_min')})`,
                `${tr('sd_sop_p90')} (${tr('sd_unit_min')})`,
                `${tr('sd_sop_staff_book')} (${tr('sd_unit_min')})`,
                tr('sd_sop_days'),
                tr('sd_sop_per_day'),
              ],
              ...sop.operators.map((o) => [
                o.operator,
                o.items,
                o.available,
                min(o.medianMs),
                min(o.p90Ms),
                min(o.staffMedianMs),
                o.days,
                Math.round(o.perDay * 10) / 10,
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

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
