import type { Request, Response } from 'express';
import type { Item } from '../../core/item.types.ts';
import { languageLabel } from '../../core/languages.ts';
import { isMessageKey, type Lang, type MessageKey, type Translator, t } from '../../core/messages.ts';
import { type ItemMetadata, parseMetadata } from '../../core/metadata.schema.ts';
import { keys } from '../../core/store/keys.ts';
import { messageOf } from '../../ingest/problems.ts';
import { rearrangePages } from '../../ingest/rearrange-pages.ts';
import { setItemAccess } from '../../search/item-access.ts';
import { editItemMetadata, restoreItem, withdrawItem } from '../../search/item-changes.ts';
import { publicAccess } from '../collection/public-item.ts';
import { urls } from '../collection/urls.ts';
import { HttpError } from '../http-error.ts';
import { pageNumberParam } from '../page-number.ts';
import { fieldLabel, valueText } from './audit-detail.ts';
import { CatalogLinkSection, catalogLinkHandler, catalogQueryOf } from './catalog-link.routes.tsx';
import { CleanSettingsForm, cleanSettingsHandler } from './clean-settings.routes.tsx';
import { pageReplaceHandler, ReplacePageForm } from './page-replace.routes.tsx';
import { PageOrientationTable, pageRotateHandler } from './page-rotate.routes.tsx';
import { runDetailText } from './run-detail.ts';
import { itemSop, staffDuration } from './sop.ts';
import { canAccess, STAFF_AND_ADMIN } from './staff.access.ts';
import type { StaffContext } from './staff.context.ts';
import { auditAction } from './staff-audit.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { StatusBadge } from './views/badges.tsx';
import { METADATA_FORM_KEYS, MetadataFields, metadataFromForm } from './views/metadata-form.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';
import { Csrf, Notice } from './views/staff-layout.tsx';

const NOTICES = {
  disimpan: 'st_item_saved',
  diulang: 'st_item_retried',
  diproses: 'st_item_rerun_done',
  ditarik: 'st_item_withdrawn',
  dikembalikan: 'st_item_restored',
  diganti: 'st_item_replaced',
  diputar: 'st_item_page_turned',
  ditautkan: 'st_item_catalog_linked',
} as const;

/** One item for staff: its human steps against the SOP, stage timeline, reasons, retry, re-run, edit, withdraw. */
export function itemHandlers(ctx: StaffContext) {
  const load = async (req: Request): Promise<Item> => {
    const item = await ctx.register.items.get(String(req.params.id));
    if (!item) throw new HttpError(404, 'not found');
    return item;
  };
  // All configured OCR languages together, or each one alone.
  const langChoices = [ctx.ocrLangs, ...(ctx.ocrLangs.length > 1 ? ctx.ocrLangs.map((l) => [l]) : [])];
  const back = (res: Response, item: Item, notice: keyof typeof NOTICES, extra = '') =>
    res.redirect(303, `/staf/item/${item.id}?pesan=${notice}${extra}`);

  async function page(req: Request, res: Response, error?: string, status = 200) {
    const { tr, lang, user } = pageCtx(res);
    const u = userOf(res);
    const item = await load(req);
    const canEdit = canAccess(STAFF_AND_ADMIN, u.role);
    const runs = await ctx.register.runs.runsFor(item.id);
    const jobs = await ctx.register.jobs.forItem(item.id);
    const failedJob = jobs.find((j) => j.status === 'failed');
    const busy = jobs.some((j) => j.status === 'queued' || j.status === 'running');
    const pages = await ctx.register.pages.list(item.id);
    const events = await ctx.register.runs.eventsFor(item.id);
    // The SOP is about people's work: the item's human steps, measured as the SOP report does.
    const steps = await ctx.register.steps.ofItem(item.id);
    const days = [...new Set(steps.map((s) => s.at.slice(0, 10)))];
    const sameDays = (await Promise.all(days.map((d) => ctx.register.steps.list(d, d)))).flat();
    const sop = itemSop(item, steps, sameDays);
    const machineMs = runs.reduce((n, r) => n + r.durationMs, 0);
    const revisions = await ctx.staffItems.revisions(item.id);
    const notice = NOTICES[String(req.query.pesan) as keyof typeof NOTICES];
    const m = item.metadata;
    const currentLangs = ((await ctx.staffSettings.ocrLangs(item.id)) ?? ctx.ocrLangs).join('+');
    const catalogQuery = canEdit ? catalogQueryOf(req) : '';
    const catalogResults = catalogQuery ? await ctx.register.catalog.search(catalogQuery, 20) : null;
    const title = tr('st_item_title', { nomor: item.nomorInduk ?? tr('st_item_waiting_nomor') });
    const row = (label: string, value: string | number | null | undefined) =>
      value === null || value === undefined || value === '' ? null : (
        <>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </>
      );
    sendStaffPage(req, res, { title, status }, [
      <p class="muted">
        <a href={canEdit ? '/staf/inventaris' : '/staf/'}>
          ← {tr(canEdit ? 'st_nav_inventory' : 'st_nav_home')}
        </a>
      </p>,
      <h1>
        {item.title} <StatusBadge status={item.status} stage={item.stage} tr={tr} />
      </h1>,
      notice ? (
        <Notice kind="ok">{tr(notice, { stage: tr(`st_stage_${item.stage ?? 'register'}`) })}</Notice>
      ) : null,
      error ? <Notice kind="err">{error}</Notice> : null,
      <PublicLinks item={item} tr={tr} />,
      item.status === 'failed' ? (
        <div class="notice err" role="alert" id="alasan">
          <strong>{tr('st_item_error')}:</strong> {item.errorMessage ?? item.errorCode}
          {canEdit && failedJob ? (
            <form method="post" action={`/staf/item/${item.id}/ulang`} style="margin-top:8px">
              <Csrf user={user} />
              <button type="submit">
                {tr('st_item_retry', { stage: tr(`st_stage_${failedJob.stage}`) })}
              </button>
            </form>
          ) : null}
        </div>
      ) : null,
      <div class="cols">
        <section class="card">
          <h2>{tr('st_item_info')}</h2>
          <dl class="kv">
            {row(tr('st_inv_nomor'), item.nomorInduk ?? tr('st_item_waiting_nomor'))}
            {row(tr('st_inv_source_nomor'), item.sourceNomorInduk)}
            {row(tr('st_inv_creator'), m.creator?.join('; '))}
            {row(tr('st_inv_publisher'), m.publisher)}
            {row(tr('st_inv_year'), m.year)}
            {row(tr('st_inv_collection'), m.collection)}
            {row(tr('st_inv_pages'), item.pageCount)}
            {row(tr('st_inv_format'), `${item.sourceFormat ?? '–'} → ${item.pdfKey ? 'PDF' : '–'}`)}
            {row(tr('st_meta_isbn'), m.isbn)}
            {row(tr('st_meta_edition'), m.edition)}
            {row(tr('st_meta_language'), m.language?.map((c) => languageLabel(lang, c)).join(', '))}
            {row(tr('st_rep_originals'), fmt.bytes(item.originalBytes, lang))}
            {row(tr('st_inv_size'), item.pdfBytes ? fmt.bytes(item.pdfBytes, lang) : null)}
            {row(tr('st_inv_operator'), item.operator)}
            {row(tr('st_item_intake'), intakeText(tr, item.intake))}
            {row(tr('st_inv_date'), fmt.dateTime(item.createdAt, lang))}
          </dl>
        </section>
        <section class="card">
          <h2>{tr('st_item_sop')}</h2>
          <ScrollRegion label={tr('st_item_sop')}>
            <table class="grid" id="langkah-staf">
              <thead>
                <tr>
                  <th>{tr('st_item_step')}</th>
                  <th>{tr('st_item_step_at')}</th>
                  <th>{tr('st_item_step_by')}</th>
                  <th class="num">{tr('sd_sop_actual_one')}</th>
                  <th class="num">{tr('sd_sop_norm')}</th>
                  <th>{tr('sd_sop_verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {sop.rows.length === 0 ? (
                  <tr>
                    <td colSpan={6} class="muted">
                      {tr('st_item_no_steps')}
                    </td>
                  </tr>
                ) : (
                  sop.rows.map((s) => (
                    <tr data-step={s.step}>
                      <td>{tr(`st_step_${s.step}`)}</td>
                      <td>{fmt.dateTime(s.at, lang)}</td>
                      <td>{s.username ?? tr('st_item_step_auto')}</td>
                      <td class="num">{s.staffMs === null ? '–' : staffDuration(s.staffMs, lang)}</td>
                      <td class="num">{s.normMs === null ? '–' : staffDuration(s.normMs, lang)}</td>
                      <td>{s.over === null ? null : <SopVerdict over={s.over} tr={tr} />}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </ScrollRegion>
          <p id="lama-tersedia">
            {sop.elapsedMs === null
              ? tr('st_item_elapsed_pending', {
                  elapsed: staffDuration(Date.now() - Date.parse(sop.arrivedAt), lang),
                  norm: staffDuration(sop.normMs, lang),
                })
              : tr('st_item_elapsed', {
                  elapsed: staffDuration(sop.elapsedMs, lang),
                  norm: staffDuration(sop.normMs, lang),
                })}{' '}
            {sop.over === null ? null : <SopVerdict over={sop.over} tr={tr} />}
          </p>
          <p class="muted" id="waktu-mesin">
            {tr('st_item_machine_time', { time: fmt.duration(machineMs, lang) })}
          </p>
          {item.flags.length ? (
            <>
              <h2>{tr('st_item_flags')}</h2>
              <ul>
                {item.flags.map((f) => (
                  <li>{messageOf(lang, f)}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>,
      <h2>{tr('st_item_timeline')}</h2>,
      <ScrollRegion label={tr('st_item_timeline')}>
        <table class="grid" id="riwayat">
          <thead>
            <tr>
              <th>{tr('st_inv_stage')}</th>
              <th class="num">{tr('st_item_attempt')}</th>
              <th>{tr('st_item_started')}</th>
              <th class="num">{tr('st_item_duration')}</th>
              <th>{tr('st_item_outcome')}</th>
              <th>{tr('st_inv_remarks')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  {tr('st_q_none')}
                </td>
              </tr>
            ) : (
              runs.map((r) => (
                <tr data-stage={r.stage} data-outcome={r.outcome}>
                  <td>{tr(`st_stage_${r.stage}`)}</td>
                  <td class="num">{r.attempt}</td>
                  <td>{fmt.dateTime(r.startedAt, lang)}</td>
                  <td class="num">{fmt.duration(r.durationMs, lang)}</td>
                  <td>
                    <span
                      class={`badge ${r.outcome === 'failed' ? 'b-failed' : r.outcome === 'retry' ? 'b-over' : 'b-available'}`}
                    >
                      {tr(`st_outcome_${r.outcome}`)}
                    </span>
                  </td>
                  <td>{r.errorMessage ?? runDetailText(tr, lang, r.detail)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollRegion>,
      pages.some((p) => p.cleanedAt) ? (
        <>
          <h2>{tr('st_item_pages')}</h2>
          <form class="card" method="post" action={`/staf/item/${item.id}/halaman`} id="halaman">
            <Csrf user={user} />
            <div class="thumbs">
              {pages.map((p) => (
                <figure>
                  {p.cleanedAt ? (
                    // The cleaning time in the URL: a thumbnail cached for minutes never outlives a re-clean.
                    <img
                      src={`/staf/item/${item.id}/halaman/${p.pageNo}?v=${encodeURIComponent(p.cleanedAt)}`}
                      alt=""
                      loading="lazy"
                    />
                  ) : null}
                  <figcaption>
                    {p.pageNo} · {p.sourceFile}
                  </figcaption>
                  {canEdit ? (
                    <figcaption class="page-edit">
                      <input
                        type="number"
                        name={`urutan_${p.pageNo}`}
                        value={p.pageNo}
                        min={1}
                        max={pages.length}
                        aria-label={tr('st_item_page_order', { n: p.pageNo })}
                      />
                      <label>
                        <input type="checkbox" name={`hapus_${p.pageNo}`} value="1" />{' '}
                        {tr('st_item_page_remove')}
                      </label>
                    </figcaption>
                  ) : null}
                </figure>
              ))}
            </div>
            {canEdit ? (
              <p class="actions">
                <button type="submit" class="secondary" disabled={busy}>
                  {tr('st_item_pages_save')}
                </button>
                <span class="muted">{tr('st_item_pages_hint')}</span>
              </p>
            ) : null}
          </form>
          <PageOrientationTable
            item={item}
            pages={pages}
            itemRotate={(await ctx.staffSettings.cleanSettings(item.id))?.rotate ?? 0}
            user={user}
            tr={tr}
            canEdit={canEdit && item.status !== 'withdrawn'}
            busy={busy}
          />
        </>
      ) : null,
      canEdit ? (
        <>
          <CatalogLinkSection item={item} q={catalogQuery} results={catalogResults} user={user} tr={tr} />
          <h2>{tr('st_item_edit')}</h2>
          <form class="card stack" method="post" action={`/staf/item/${item.id}/metadata`} id="ubah">
            <Csrf user={user} />
            <MetadataFields
              tr={tr}
              values={{ ...m, title: item.title }}
              lists={await ctx.staffSettings.itemLists()}
              lang={lang}
            />
            <div class="wide">
              <button type="submit">{tr('st_item_save')}</button>
            </div>
          </form>
          {pages.some((p) => p.cleanedAt) && item.status !== 'withdrawn' ? (
            <div class="cols">
              <ReplacePageForm item={item} pages={pages} user={user} tr={tr} busy={busy} />
              {item.status === 'available' || item.status === 'failed' ? (
                <CleanSettingsForm
                  item={item}
                  stored={await ctx.staffSettings.cleanSettings(item.id)}
                  user={user}
                  tr={tr}
                  busy={busy}
                />
              ) : null}
            </div>
          ) : null}
          <div class="cols">
            {item.status === 'available' ? (
              <form class="card" method="post" action={`/staf/item/${item.id}/proses-ulang`}>
                <h2>{tr('st_item_rerun')}</h2>
                <Csrf user={user} />
                <p class="actions">
                  <select name="stage" aria-label={tr('st_item_rerun')}>
                    <option value="ocr">{tr('st_item_rerun_ocr')}</option>
                    <option value="clean">{tr('st_item_rerun_clean')}</option>
                  </select>
                  <select name="ocrLangs" aria-label={tr('st_item_ocr_langs')}>
                    {langChoices.map((l) => (
                      <option value={l.join('+')} selected={l.join('+') === currentLangs}>
                        {tr('st_item_ocr_langs')}: {l.join(' + ')}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="secondary" disabled={busy}>
                    {tr('st_item_rerun')}
                  </button>
                </p>
              </form>
            ) : null}
            {item.status !== 'withdrawn' ? (
              <form class="card" method="post" action={`/staf/item/${item.id}/tarik`}>
                <h2>{tr('st_item_withdraw')}</h2>
                <Csrf user={user} />
                <p class="actions">
                  <input
                    name="reason"
                    required
                    maxLength={500}
                    aria-label={tr('st_item_withdraw_reason')}
                    placeholder={tr('st_item_withdraw_reason')}
                  />
                </p>
                <p>
                  <label>
                    <input type="checkbox" name="yakin" value="1" required /> {tr('st_item_withdraw_confirm')}
                  </label>
                </p>
                <p class="actions">
                  <button type="submit" class="danger">
                    {tr('st_item_withdraw')}
                  </button>
                </p>
              </form>
            ) : (
              <form class="card" method="post" action={`/staf/item/${item.id}/kembalikan`} id="kembalikan">
                <h2>{tr('st_item_restore')}</h2>
                <Csrf user={user} />
                <p class="muted">{tr('st_item_restore_hint')}</p>
                <p class="actions">
                  <input
                    name="reason"
                    required
                    maxLength={500}
                    aria-label={tr('st_item_restore_reason')}
                    placeholder={tr('st_item_restore_reason')}
                  />
                  <button type="submit">{tr('st_item_restore')}</button>
                </p>
              </form>
            )}
          </div>
        </>
      ) : null,
      revisions.length ? (
        <>
          <h2>{tr('st_item_revisions')}</h2>
          <ScrollRegion label={tr('st_item_revisions')}>
            <table class="grid">
              <tbody>
                {revisions.map((r) => (
                  <tr>
                    <td>{fmt.dateTime(r.at, lang)}</td>
                    <td>{r.username}</td>
                    <td>{tr(`st_rev_${r.kind}` as 'st_rev_metadata')}</td>
                    <td>{revisionSummary(tr, lang, r.before)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : null,
      events.length ? (
        <>
          <h2>{tr('st_item_events')}</h2>
          <ScrollRegion label={tr('st_item_events')}>
            <table class="grid">
              <tbody>
                {events.map((e) => (
                  <tr>
                    <td>{fmt.dateTime(e.at, lang)}</td>
                    <td>{tr(`st_level_${e.level}`)}</td>
                    <td colSpan={2}>{eventText(tr, lang, e.code, e.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : null,
    ]);
  }

  return {
    page: (req: Request, res: Response) => page(req, res),

    /** Replace one page with a rescan (multipart; see page-replace.routes.tsx). */
    replacePage: pageReplaceHandler(ctx, page),

    /** Link a library catalogue record: fills the item's empty metadata fields. */
    linkCatalog: catalogLinkHandler(ctx, page),

    /** Choose rotation/deskew/border cropping and redo the item from cleaning. */
    cleanSettings: cleanSettingsHandler(ctx, page),

    /** Turn one page (or leave it to detection again) and redo that page from cleaning. */
    rotatePage: pageRotateHandler(ctx, page),

    async thumb(req: Request, res: Response) {
      const item = await load(req);
      const no = pageNumberParam(req.params.no);
      const page = await ctx.register.pages.get(item.id, no);
      const key = keys.thumb(item.id, no);
      if (!page || !(await ctx.store.head(key))) throw new HttpError(404, 'not found');
      res
        .type('image/jpeg')
        .set('Cache-Control', 'private, max-age=300')
        .send(await ctx.store.getBuffer(key));
    },

    async editMetadata(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const form = metadataFromForm(req.body as Record<string, unknown>);
      const parsed = parseMetadata(form);
      if (parsed.problems.length > 0)
        return page(req, res, tr('st_item_invalid', { detail: parsed.problems.join('; ') }), 400);
      // Fields the form shows are replaced (an emptied field is removed); others (language, isbn…) stay.
      const kept = Object.fromEntries(
        Object.entries(item.metadata).filter(([k]) => !(METADATA_FORM_KEYS as readonly string[]).includes(k)),
      ) as ItemMetadata;
      // Access is changed through the one path that keeps the review queue and the audit log right.
      const metadata: ItemMetadata = { ...kept, ...parsed.metadata, rights: item.metadata.rights };
      const access = parsed.metadata.rights;
      const title = metadata.title ?? item.title;
      const u = userOf(res);
      const { changed, reindexed } = await editItemMetadata(ctx, item, title, metadata, u.username);
      // Old → new of every changed field, so the audit log reads without the revision table.
      const changes = Object.fromEntries(
        changed.map((k) => [
          k,
          [item.metadata[k as keyof ItemMetadata] ?? null, metadata[k as keyof ItemMetadata] ?? null],
        ]),
      );
      if (title !== item.title && !('title' in changes)) changes.title = [item.title, title];
      await auditAction(ctx, req, res, 'item_edit', `item:${item.id}`, { changes, reindexed });
      if (access && access !== item.metadata.rights) {
        await setItemAccess(ctx, item.id, access, tr('st_review_via_form'), {
          userId: u.id,
          username: u.username,
          ip: req.ip ?? null,
        });
      }
      back(res, item, 'disimpan');
    },

    async retry(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const stage = await ctx.staffItems.retryFailed(item.id);
      if (!stage) return page(req, res, tr('st_item_not_failed'), 409);
      await auditAction(ctx, req, res, 'item_retry', `item:${item.id}`, { stage });
      ctx.poke();
      back(res, item, 'diulang');
    },

    async rerun(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const stage = (req.body as Record<string, unknown>).stage;
      if (stage !== 'clean' && stage !== 'ocr')
        throw new HttpError(400, tr('st_bad_request', { detail: 'stage' }));
      const asked = String((req.body as Record<string, unknown>).ocrLangs ?? '');
      const choice = langChoices.find((l) => l.join('+') === asked);
      if (asked && !choice) throw new HttpError(400, tr('st_bad_request', { detail: 'ocrLangs' }));
      // The configured set is stored as "no override", so a later config change applies again.
      const ocrLangs = !choice || choice.join('+') === ctx.ocrLangs.join('+') ? null : choice;
      if (!(await ctx.staffItems.rerunFrom(item.id, stage, { ocrLangs })))
        return page(req, res, tr('st_item_rerun_busy'), 409);
      await auditAction(ctx, req, res, 'item_rerun', `item:${item.id}`, {
        stage,
        ocrLangs: (ocrLangs ?? ctx.ocrLangs).join('+'),
      });
      ctx.poke();
      back(res, item, 'diproses');
    },

    /** Reorder/remove pages (old arrangement kept as a revision; originals untouched), then redo from cleaning. */
    async pages(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const body = req.body as Record<string, unknown>;
      const current = await ctx.register.pages.list(item.id);
      const order = current
        .filter((p) => body[`hapus_${p.pageNo}`] !== '1')
        .map((p) => ({ no: p.pageNo, pos: Number(body[`urutan_${p.pageNo}`] ?? p.pageNo) }))
        .sort(
          (a, b) =>
            (Number.isFinite(a.pos) ? a.pos : a.no) - (Number.isFinite(b.pos) ? b.pos : b.no) || a.no - b.no,
        )
        .map((p) => p.no);
      const before = await rearrangePages(ctx, item.id, order, userOf(res).username);
      if (before === null) return page(req, res, tr('st_item_pages_refused'), 409);
      await auditAction(ctx, req, res, 'item_pages', `item:${item.id}`, { order, before });
      ctx.poke();
      back(res, item, 'diproses');
    },

    async withdraw(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const reason = String((req.body as Record<string, unknown>).reason ?? '')
        .trim()
        .slice(0, 500);
      if (!reason)
        return page(req, res, tr('st_bad_request', { detail: tr('st_item_withdraw_reason') }), 400);
      // The confirmation is a required checkbox: it holds without JavaScript.
      if ((req.body as Record<string, unknown>).yakin !== '1')
        return page(req, res, tr('st_item_withdraw_unconfirmed'), 400);
      if (item.status === 'withdrawn') return back(res, item, 'ditarik');
      await withdrawItem(ctx, item.id, userOf(res).username, reason);
      await auditAction(ctx, req, res, 'item_withdraw', `item:${item.id}`, { reason, status: item.status });
      back(res, item, 'ditarik');
    },

    /** Undo a withdrawal: the item's status before it, back in search when available. */
    async restore(req: Request, res: Response) {
      const { tr } = pageCtx(res);
      const item = await load(req);
      const reason = String((req.body as Record<string, unknown>).reason ?? '')
        .trim()
        .slice(0, 500);
      if (!reason) return page(req, res, tr('st_bad_request', { detail: tr('st_item_restore_reason') }), 400);
      const status = await restoreItem(ctx, item.id, userOf(res).username, reason);
      if (!status) return page(req, res, tr('st_item_not_withdrawn'), 409);
      await auditAction(ctx, req, res, 'item_restore', `item:${item.id}`, { reason, status });
      back(res, item, 'dikembalikan');
    },
  };
}

/** A short readable form of what a revision kept (the full record stays in the register). */
function revisionSummary(tr: Translator, lang: Lang, before: Record<string, unknown>): string {
  if (before.page && typeof before.page === 'object') {
    const p = before.page as { page_no: number; source_file: string; original_sha256: string };
    return `${p.page_no}: ${p.source_file} (SHA-256 ${p.original_sha256.slice(0, 12)}…)`;
  }
  if (Array.isArray(before.pages)) {
    return (before.pages as { page_no: number; source_file: string }[])
      .map((p) => `${p.page_no}: ${p.source_file}`)
      .join(', ');
  }
  if (typeof before.title === 'string') {
    const m = (before.metadata ?? {}) as Record<string, unknown>;
    const rest = Object.entries(m)
      .filter(([k]) => k !== 'title')
      .map(([k, v]) => `${fieldLabel(tr, k)}: ${valueText(tr, lang, k, v)}`);
    return [`"${before.title}"`, ...rest].join(' · ');
  }
  return Object.entries(before)
    .map(([k, v]) => `${k === 'status' ? tr('st_rev_was') : fieldLabel(tr, k)}: ${valueText(tr, lang, k, v)}`)
    .join(' · ');
}

/** How the batch came in, in words. */
function intakeText(tr: Translator, intake: string | null | undefined): string | null {
  if (!intake) return null;
  const key = `st_intake_${intake}`;
  return isMessageKey(key) ? tr(key as MessageKey) : intake;
}

/** Links to the item as the public sees it: page, text and (open access) PDF; or why there are none. */
function PublicLinks({ item, tr }: { item: Item; tr: Translator }) {
  const access = publicAccess(item);
  if (!access) {
    return (
      <p class="muted" id="publik">
        {item.status === 'available'
          ? tr('st_item_not_public', {
              access: valueText(tr, 'id', 'rights', item.metadata.rights ?? 'review'),
            })
          : tr('st_item_not_available')}
      </p>
    );
  }
  return (
    <p class="actions" id="publik">
      <strong>{tr('st_item_links')}:</strong>
      <a href={urls.item(item.id)}>{tr('st_item_public')}</a>
      <a href={urls.text(item.id)}>{tr('st_item_text')}</a>
      {access === 'open' && item.pdfKey ? <a href={urls.pdf(item.id)}>{tr('st_item_pdf')}</a> : null}
    </p>
  );
}

/** An event in the catalogue's words where it has them; otherwise its code and parameters. */
function eventText(
  tr: Translator,
  lang: Lang,
  code: string,
  params: Record<string, unknown> | null | undefined,
): string {
  const key = `event_${code}`;
  // A stage is named in the reader's words, other values as they were recorded.
  const p = Object.fromEntries(
    Object.entries(params ?? {}).map(([k, v]) => [
      k,
      k === 'stage' && isMessageKey(`st_stage_${v}`) ? tr(`st_stage_${v}` as MessageKey) : String(v),
    ]),
  );
  if (isMessageKey(key)) return t(lang, key, p);
  return [code, ...Object.entries(p).map(([k, v]) => `${fieldLabel(tr, k)}: ${v}`)].join(' · ');
}

function SopVerdict({ over, tr }: { over: boolean; tr: Translator }) {
  return (
    <span class={`badge ${over ? 'b-over' : 'b-ok'}`}>{tr(over ? 'sd_sop_over' : 'sd_sop_within')}</span>
  );
}
