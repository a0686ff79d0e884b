import type { Request, Response } from 'express';
import { z } from 'zod';
import { writeCsv } from '../../core/csv.ts';
import { isMessageKey, type Translator } from '../../core/messages.ts';
import type { AuditEntry, AuditFilter } from '../../core/register/audit.queries.ts';
import { HttpError } from '../http-error.ts';
import { auditDetailLines } from './audit-detail.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage } from './staff-page.tsx';
import { DateRangeFields, FilterSelect } from './views/filter-fields.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';

/** The readable name of an audit action; unknown codes are shown as they are. */
function actionLabel(tr: Translator, action: string): string {
  const key = `st_act_${action}`;
  return isMessageKey(key) ? tr(key) : action;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
const opt = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);
const auditQuery = z.object({
  username: opt,
  action: opt,
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).default(1),
});

const PER = 100;

type ItemNames = Map<string, { nomor: string | null; title: string }>;

/** Nomor induk and title of the items the entries name (one look-up per item). */
async function itemsOf(ctx: StaffContext, rows: AuditEntry[]): Promise<ItemNames> {
  const out: ItemNames = new Map();
  for (const r of rows) {
    const id = r.target?.startsWith('item:') ? r.target.slice(5) : null;
    if (!id || out.has(id)) continue;
    const it = await ctx.register.items.get(id);
    if (it) out.set(id, { nomor: it.nomorInduk, title: it.title });
  }
  return out;
}

/** What an entry acted on, in words: an item by nomor induk and title, a user by name. */
function targetText(target: string | null, items: ItemNames): string {
  if (!target) return '';
  const [kind, ...rest] = target.split(':');
  const id = rest.join(':');
  if (kind === 'item') {
    const it = items.get(id);
    return it ? [it.nomor, it.title].filter(Boolean).join(' — ') : id;
  }
  return kind === 'user' ? id : target;
}

function AuditTarget({ target, items, tr }: { target: string | null; items: ItemNames; tr: Translator }) {
  if (!target?.startsWith('item:')) return <>{targetText(target, items)}</>;
  const it = items.get(target.slice(5));
  return (
    <a href={`/staf/item/${target.slice(5)}`}>
      {it ? (
        <>
          <strong>{it.nomor ?? tr('st_item_waiting_nomor')}</strong> {it.title}
        </>
      ) : (
        tr('st_aud_unknown_item')
      )}
    </a>
  );
}

/** Admin: the audit log of staff actions, filtered, paged and exportable. */
export function auditHandlers(ctx: StaffContext) {
  const parse = (
    req: Request,
    res: Response,
  ): { filter: AuditFilter; page: number; q: z.output<typeof auditQuery> } => {
    const p = auditQuery.safeParse(req.query);
    if (!p.success) {
      // The fields that were wrong, by name; zod's own sentences are English.
      const fields = p.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new HttpError(400, pageCtx(res).tr('st_bad_request', { detail: fields }));
    }
    const q = p.data;
    const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
    return {
      q,
      page: q.page,
      filter: {
        username: q.username,
        action: q.action,
        from: q.from ? `${q.from}T00:00:00` : undefined,
        to: q.to ? next(q.to) : undefined,
      },
    };
  };

  return {
    async page(req: Request, res: Response) {
      const { tr, lang } = pageCtx(res);
      const { filter, page, q } = parse(req, res);
      const total = await ctx.audit.count(filter);
      const rows = await ctx.audit.list(filter, { limit: PER, offset: (page - 1) * PER });
      const items = await itemsOf(ctx, rows);
      const qs = new URLSearchParams(
        Object.entries({ username: q.username, action: q.action, from: q.from, to: q.to }).filter(
          ([, v]) => v,
        ) as [string, string][],
      );
      const link = (p: number) =>
        `/staf/audit?${new URLSearchParams([...qs, ['page', String(p)]]).toString()}`;
      sendStaffPage(req, res, { title: tr('st_audit_title'), current: '/staf/audit' }, [
        <h1>{tr('st_audit_title')}</h1>,
        <form class="filters card" method="get" action="/staf/audit">
          <FilterSelect
            tr={tr}
            label={tr('st_audit_who')}
            name="username"
            value={q.username}
            options={(await ctx.users.list()).map((u) => ({ value: u.username, label: u.username }))}
          />
          <label>
            {tr('st_audit_action')}
            <select name="action">
              <option value="">{tr('st_all')}</option>
              {(await ctx.audit.actions()).map((a) => (
                <option value={a} selected={q.action === a}>
                  {actionLabel(tr, a)}
                </option>
              ))}
            </select>
          </label>
          <DateRangeFields tr={tr} from={q.from} to={q.to} />
          <button type="submit">{tr('st_inv_filter')}</button>
          <a class="button secondary" href={`/staf/audit.csv?${qs.toString()}`} style="margin-left:auto">
            {tr('st_export')} CSV
          </a>
        </form>,
        <p class="muted">{tr('st_audit_count', { n: fmt.num(total, lang) })}</p>,
        <ScrollRegion label={tr('st_audit_title')}>
          <table class="grid sticky" id="audit">
            <thead>
              <tr>
                <th>{tr('st_audit_at')}</th>
                <th>{tr('st_audit_who')}</th>
                <th>{tr('st_audit_action')}</th>
                <th>{tr('st_audit_target')}</th>
                <th>{tr('st_audit_detail')}</th>
                <th>{tr('st_audit_ip')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-action={r.action}>
                  <td>{fmt.dateTime(r.at, lang)}</td>
                  <td>{r.username}</td>
                  <td title={r.action}>{actionLabel(tr, r.action)}</td>
                  <td>
                    <AuditTarget target={r.target} items={items} tr={tr} />
                  </td>
                  <td>
                    {auditDetailLines(tr, lang, r.action, r.detail).map((line) => (
                      <div>{line}</div>
                    ))}
                  </td>
                  <td>{r.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>,
        <nav class="pager">
          {page > 1 ? <a href={link(page - 1)}>{tr('st_prev')}</a> : null}
          <span>
            {page} / {Math.max(1, Math.ceil(total / PER))}
          </span>
          {page * PER < total ? <a href={link(page + 1)}>{tr('st_next')}</a> : null}
        </nav>,
      ]);
    },

    async csv(req: Request, res: Response) {
      const { tr, lang } = pageCtx(res);
      const { filter } = parse(req, res);
      res.type('text/csv; charset=utf-8');
      res.set(
        'Content-Disposition',
        `attachment; filename="log-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      );
      const header = [
        tr('st_audit_at'),
        tr('st_audit_who'),
        tr('st_audit_action'),
        tr('st_audit_target'),
        tr('st_audit_detail'),
        tr('st_audit_ip'),
      ];
      // Names typed into the public sign-in form are in here: the writer's formula guard matters.
      const entries = await ctx.audit.list(filter);
      const items = await itemsOf(ctx, entries);
      const rows = entries.map((r) => [
        r.at,
        r.username,
        actionLabel(tr, r.action),
        targetText(r.target, items),
        auditDetailLines(tr, lang, r.action, r.detail).join('; '),
        r.ip ?? '',
      ]);
      await writeCsv(res, [header, ...rows]);
    },
  };
}
