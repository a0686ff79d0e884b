import type { Request, Response } from 'express';
import { z } from 'zod';
import { filterWords, inventoryFileName, periodWords, remarksOf } from '../../core/inventory.ts';
import type { InventoryEntry, InventorySort } from '../../core/register/inventory.queries.ts';
import { HttpError } from '../http-error.ts';
import { sendInventoryCsv, sendInventoryXlsx } from './inventory.export.ts';
import { filterOf, type InventoryQuery, parseInventoryQuery, queryWith } from './inventory.query.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, sendStaffPage } from './staff-page.tsx';
import { StatusBadge } from './views/badges.tsx';
import { DateRangeFields, FilterSelect } from './views/filter-fields.tsx';
import { RejectionTable } from './views/rejections.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';

const STATUSES = ['received', 'processing', 'available', 'failed', 'withdrawn'] as const;
const MAX_PDF_ROWS = 20_000;
/** Refused batches shown in the "Gagal" view, newest first. */
const MAX_REJECTED_ROWS = 200;

const printQuery = z.object({
  place: z.string().trim().max(100).default(''),
  signer: z.string().trim().max(100).default(''),
  nip: z.string().trim().max(40).default(''),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

const stamp = () => new Date().toISOString().slice(0, 10);

/** The Buku Inventaris Alih Media: filter, sort, page, export, print. */
export function inventoryHandlers(ctx: StaffContext) {
  async function page(req: Request, res: Response) {
    const { tr, lang } = pageCtx(res);
    const q = parseInventoryQuery(req.query);
    const filter = filterOf(q);
    const total = await ctx.inventory.count(filter);
    const offset = (q.page - 1) * q.per;
    const rows = await ctx.inventory.list(filter, { sort: q.sort, dir: q.dir, limit: q.per, offset });
    const last = Math.max(1, Math.ceil(total / q.per));
    const sortLink = (sort: InventorySort, label: string) => {
      const active = q.sort === sort;
      const dir = active && q.dir === 'desc' ? 'asc' : 'desc';
      return (
        <a href={`/staf/inventaris${queryWith(q, { sort, dir, page: 1 })}`}>
          {label}
          {active ? (q.dir === 'asc' ? ' ▲' : ' ▼') : ''}
        </a>
      );
    };
    const exportQs = queryWith({ ...q, page: 1, per: 50 } as InventoryQuery, {});
    // "Gagal" also means batches that never became items: intake refused them (no inventory row).
    const refused = q.status === 'failed' ? { from: q.from, to: q.to, operator: q.operator, q: q.q } : null;
    const rejected = refused ? await ctx.register.rejections.list(refused, { limit: MAX_REJECTED_ROWS }) : [];
    const rejectedTotal = refused ? await ctx.register.rejections.count(refused) : 0;
    sendStaffPage(req, res, { title: tr('st_inv_title'), current: '/staf/inventaris' }, [
      <h1>{tr('st_inv_title')}</h1>,
      <form class="filters card" method="get" action="/staf/inventaris">
        <label>
          {tr('st_inv_search')}
          <input name="q" value={q.q ?? ''} maxLength={200} />
        </label>
        <label>
          {tr('st_inv_status')}
          <select name="status">
            <option value="">{tr('st_all')}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={q.status === s}>
                {tr(`st_status_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <DateRangeFields tr={tr} from={q.from} to={q.to} />
        <FilterSelect
          tr={tr}
          label={tr('st_inv_collection')}
          name="collection"
          value={q.collection}
          options={(await ctx.inventory.collections()).map((c) => ({ value: c, label: c }))}
        />
        <FilterSelect
          tr={tr}
          label={tr('st_inv_operator')}
          name="operator"
          value={q.operator}
          options={(await ctx.inventory.operators()).map((o) => ({ value: o, label: o }))}
        />
        <button type="submit">{tr('st_inv_filter')}</button>
        <a class="button secondary" href="/staf/inventaris">
          {tr('st_inv_reset')}
        </a>
        <span class="actions" style="margin-left:auto">
          {tr('st_export')}:
          <a class="button secondary" href={`/staf/inventaris.csv${exportQs}`}>
            {tr('st_export_csv')}
          </a>
          <a class="button secondary" href={`/staf/inventaris.xlsx${exportQs}`}>
            {tr('st_export_xlsx')}
          </a>
        </span>
      </form>,
      <p class="muted">
        {total === 0
          ? tr('st_inv_empty')
          : tr('st_inv_showing', { from: offset + 1, to: offset + rows.length, total: fmt.num(total, lang) })}
      </p>,
      <ScrollRegion label={tr('st_inv_title')}>
        <table class="grid sticky" id="inventaris">
          <thead>
            <tr>
              <th>{sortLink('nomor', tr('st_inv_nomor'))}</th>
              <th>{sortLink('date', tr('st_inv_date'))}</th>
              <th>{tr('st_inv_source_nomor')}</th>
              <th>{sortLink('title', tr('st_inv_title_col'))}</th>
              <th>{tr('st_inv_creator')}</th>
              <th>{tr('st_inv_publisher')}</th>
              <th class="num">{tr('st_inv_year')}</th>
              <th class="num">{sortLink('pages', tr('st_inv_pages'))}</th>
              <th>{tr('st_inv_format')}</th>
              <th class="num">{sortLink('size', tr('st_inv_size'))}</th>
              <th>{tr('st_inv_operator')}</th>
              <th>{tr('st_inv_status')}</th>
              <th>{tr('st_inv_remarks')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr data-id={e.id}>
                <td class="nowrap">
                  {e.nomorInduk ?? <span class="muted">{tr('st_item_waiting_nomor')}</span>}
                </td>
                <td class="nowrap">{fmt.date(e.date, lang)}</td>
                <td>{e.sourceNomorInduk ?? ''}</td>
                <td class="wrap">
                  <a href={`/staf/item/${e.id}`}>{e.title}</a>
                </td>
                <td>{e.creator}</td>
                <td>{e.publisher}</td>
                <td class="num">{e.year ?? ''}</td>
                <td class="num">{fmt.num(e.pages, lang)}</td>
                <td class="nowrap">
                  {e.sourceFormat ?? '–'} → {e.resultFormat ?? '–'}
                </td>
                <td class="num nowrap">{e.fileBytes ? fmt.bytes(e.fileBytes, lang) : ''}</td>
                <td>{e.operator ?? ''}</td>
                <td>
                  <StatusBadge status={e.status} stage={e.stage} tr={tr} />
                </td>
                <td>{remarksOf(e, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>,
      <nav class="pager" aria-label="pager">
        {q.page > 1 ? (
          <a href={`/staf/inventaris${queryWith(q, { page: q.page - 1 })}`}>{tr('st_prev')}</a>
        ) : null}
        <span>
          {q.page} / {last}
        </span>
        {q.page < last ? (
          <a href={`/staf/inventaris${queryWith(q, { page: q.page + 1 })}`}>{tr('st_next')}</a>
        ) : null}
      </nav>,
      refused ? (
        <section id="gagal-diterima">
          <h2>
            {tr('st_rej_inventory')} <span class="muted">({fmt.num(rejectedTotal, lang)})</span>
          </h2>
          <p class="muted">{tr('st_rej_inventory_intro')}</p>
          {rejectedTotal > rejected.length ? (
            <p class="muted">
              {tr('st_rej_showing', { shown: rejected.length, total: fmt.num(rejectedTotal, lang) })}
            </p>
          ) : null}
          {rejected.length === 0 ? (
            <p class="muted">{tr('st_q_none')}</p>
          ) : (
            <ScrollRegion label={tr('st_rej_inventory')}>
              <RejectionTable id="ditolak" rows={rejected} tr={tr} lang={lang} />
            </ScrollRegion>
          )}
        </section>
      ) : null,
      <h2>{tr('st_print_title')}</h2>,
      <form class="card filters" method="get" action="/staf/inventaris.pdf">
        {q.status ? <input type="hidden" name="status" value={q.status} /> : null}
        {q.collection ? <input type="hidden" name="collection" value={q.collection} /> : null}
        {q.operator ? <input type="hidden" name="operator" value={q.operator} /> : null}
        <label>
          {tr('st_inv_from')}
          <input type="date" name="from" value={q.from ?? ''} />
        </label>
        <label>
          {tr('st_inv_to')}
          <input type="date" name="to" value={q.to ?? ''} />
        </label>
        <label>
          {tr('st_print_place')}
          <input name="place" maxLength={100} required />
        </label>
        <label>
          {tr('st_inv_date')}
          <input type="date" name="date" value={stamp()} />
        </label>
        <label>
          {tr('st_print_signer')}
          <input name="signer" maxLength={100} />
        </label>
        <label>
          {tr('st_print_nip')}
          <input name="nip" maxLength={40} />
        </label>
        <button type="submit">{tr('st_print_button')}</button>
      </form>,
    ]);
  }

  const exporter = (kind: 'csv' | 'xlsx') => async (req: Request, res: Response) => {
    const { lang } = pageCtx(res);
    const q = parseInventoryQuery(req.query);
    const filter = filterOf(q);
    await auditAction(ctx, req, res, `inventory_export_${kind}`, null, {
      filter,
      rows: await ctx.inventory.count(filter),
    });
    const name = `buku-inventaris-alih-media-${stamp()}.${kind}`;
    const rows = ctx.inventory.iterate(filter);
    if (kind === 'csv') await sendInventoryCsv(res, rows, lang, name);
    else await sendInventoryXlsx(res, rows, lang, name);
  };

  return {
    page,
    csv: exporter('csv'),
    xlsx: exporter('xlsx'),
    async pdf(req: Request, res: Response) {
      const { lang } = pageCtx(res);
      const q = parseInventoryQuery(req.query);
      const pq = printQuery.safeParse(req.query);
      if (!pq.success) throw new HttpError(400, pq.error.issues.map((i) => i.message).join('; '));
      const filter = filterOf(q);
      const n = await ctx.inventory.count(filter);
      if (n > MAX_PDF_ROWS) throw new HttpError(413, `> ${MAX_PDF_ROWS} rows: choose a shorter period`);
      const rows: InventoryEntry[] = [];
      for await (const e of ctx.inventory.iterate(filter)) rows.push(e);
      const bytes = await ctx.printInventory(rows, {
        lang,
        period: periodWords(lang, q.from, q.to),
        filters: filterWords(lang, q),
        place: pq.data.place || '..................',
        signer: pq.data.signer,
        nip: pq.data.nip,
        date: pq.data.date ?? stamp(),
      });
      await auditAction(ctx, req, res, 'inventory_print', null, { filter, rows: n });
      res.type('application/pdf');
      res.set('Content-Disposition', `inline; filename="${inventoryFileName('pdf', q.from, q.to)}"`);
      res.send(Buffer.from(bytes));
    },
  };
}
