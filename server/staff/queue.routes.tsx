import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { STAGES } from '../../core/item.types.ts';
import type { ProgressEvent, StageEvent } from '../../core/job-events.ts';
import { localeOf } from '../../core/messages.ts';
import type { QueueEntry } from '../../core/register/queue.queries.ts';
import { QUEUE_SCRIPT } from './queue.script.ts';
import type { StaffContext } from './staff.context.ts';
import { fmt, pageCtx, sendStaffPage, userOf } from './staff-page.tsx';
import { RejectionTable } from './views/rejections.tsx';
import { ScrollRegion } from './views/scroll-region.tsx';

const WEEK_MS = 7 * 24 * 3600_000;
/** How often an open queue page's stream looks at the register for progress of workers elsewhere. */
const POLL_MS = 2000;

/** The live queue: what runs now (page by page), what waits, what failed; pushed with SSE. */
export function queueHandlers(ctx: StaffContext) {
  // Page progress of running stages: this process's runner reports each page at once; workers in
  // other processes write theirs to the job row (read by the page and, while a stream is open, polled).
  const progress = new Map<string, ProgressEvent>();
  const remote = new EventEmitter();
  ctx.runnerEvents.on('progress', (e: ProgressEvent) => progress.set(e.itemId, e));
  ctx.runnerEvents.on('stage', (e: StageEvent) => progress.delete(e.itemId));
  const progressOf = (e: QueueEntry): ProgressEvent | null => {
    const local = progress.get(e.itemId);
    if (local && local.stage === e.stage) return local;
    if (e.progressTotal === null) return null;
    return { itemId: e.itemId, stage: e.stage, done: e.progressDone ?? 0, total: e.progressTotal };
  };

  let streams = 0;
  let poller: NodeJS.Timeout | null = null;
  /** Each running item's progress as its job row read at the last poll. */
  const rowSeen = new Map<string, ProgressEvent>();
  /** One poll for all open streams: progress rows that changed, and runs that ended. */
  async function poll() {
    const rows = await ctx.queue.running().catch(() => null);
    if (!rows) return; // the register is unreachable for a moment: the next poll asks again
    const running = new Set(rows.map((r) => r.itemId));
    for (const r of rows) {
      if (r.progressTotal === null) continue;
      const p = { itemId: r.itemId, stage: r.stage, done: r.progressDone ?? 0, total: r.progressTotal };
      const seen = rowSeen.get(r.itemId);
      if (seen && seen.stage === p.stage && seen.done === p.done && seen.total === p.total) continue;
      rowSeen.set(r.itemId, p);
      // This process's runner reports every page at once; its row lags behind and is not resent.
      const local = progress.get(r.itemId);
      if (!local || local.stage !== p.stage || local.done < p.done) remote.emit('progress', p);
    }
    for (const [itemId, p] of rowSeen) {
      if (running.has(itemId)) continue;
      rowSeen.delete(itemId);
      remote.emit('stage', { itemId, stage: p.stage });
    }
  }
  const streamOpened = () => {
    if (streams++ === 0) poller = setInterval(() => void poll(), POLL_MS);
  };
  const streamClosed = () => {
    if (--streams === 0 && poller) {
      clearInterval(poller);
      poller = null;
      // Nobody watches: what the next page shows comes from its own render, not from this.
      rowSeen.clear();
    }
  };

  /** Operators see their own batches by default; staff see everything unless they ask. */
  const onlyMine = (req: Request, res: Response) => {
    const u = userOf(res);
    if (req.query.saya === '1') return u.username;
    if (req.query.saya === '0') return undefined;
    return u.role === 'operator' ? u.username : undefined;
  };

  async function page(req: Request, res: Response) {
    const { tr, lang } = pageCtx(res);
    const mine = onlyMine(req, res);
    const running = await ctx.queue.running(mine);
    const waiting = await ctx.queue.waiting(mine);
    const failed = await ctx.queue.failedSince(new Date(Date.now() - WEEK_MS).toISOString(), mine);
    const done = await ctx.queue.recentlyAvailable(mine);
    // A folder dropped in the inbox has no known sender: "only mine" still shows why it was refused.
    const rejected = await ctx.register.rejections.list(
      { since: new Date(Date.now() - WEEK_MS).toISOString(), visibleTo: mine },
      { limit: 200 },
    );
    const link = (e: QueueEntry) => <a href={`/staf/item/${e.itemId}`}>{e.title}</a>;
    const section = (
      id: string,
      title: string,
      rows: QueueEntry[],
      cells: (e: QueueEntry) => preact.JSX.Element[],
    ) => (
      <section class="card" id={id} data-count={rows.length}>
        <h2>
          {title} <span class="muted">({rows.length})</span>
        </h2>
        {rows.length === 0 ? (
          <p class="muted">{tr('st_q_none')}</p>
        ) : (
          <ScrollRegion label={title}>
            <table class="grid">
              <tbody>
                {rows.map((e) => (
                  <tr data-item={e.itemId}>{cells(e)}</tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    );
    const qs = mine ? '?saya=1' : '?saya=0';
    sendStaffPage(
      req,
      res,
      { title: tr('st_q_title'), current: '/staf/antrean', scripts: ['/staf/aset/antrean.js'] },
      [
        <h1>
          {tr('st_q_title')}{' '}
          <span class="badge b-processing" id="langsung">
            {tr('st_q_live')}
          </span>
        </h1>,
        <p class="actions">
          <a class="button secondary" href={`/staf/antrean${mine ? '?saya=0' : '?saya=1'}`}>
            {mine ? tr('st_q_show_all') : tr('st_q_only_mine')}
          </a>
        </p>,
        <div
          id="antrean"
          data-stream={`/staf/antrean/aliran${qs}`}
          data-sections={`/staf/antrean${qs}`}
          data-msg-page={tr('st_q_page_progress', { stage: '{stage}', done: '{done}', total: '{total}' })}
          data-locale={localeOf(lang)}
          data-stages={JSON.stringify(Object.fromEntries(STAGES.map((st) => [st, tr(`st_stage_${st}`)])))}
        >
          {section('sedang', tr('st_q_now'), running, (e) => {
            const p = progressOf(e);
            const pct = p ? Math.round((p.done / Math.max(1, p.total)) * 100) : 0;
            const text = p
              ? tr('st_q_page_progress', {
                  stage: tr(`st_stage_${p.stage}`),
                  done: fmt.num(p.done, lang),
                  total: fmt.num(p.total, lang),
                })
              : '';
            return [
              <td>{link(e)}</td>,
              <td>{tr(`st_stage_${e.stage}`)}</td>,
              <td class="progress">
                <div
                  class="bar"
                  role="progressbar"
                  aria-label={tr('st_q_progress_of', { title: e.title })}
                  aria-valuemin={0}
                  aria-valuemax={p ? p.total : undefined}
                  aria-valuenow={p ? p.done : undefined}
                  aria-valuetext={p ? text : undefined}
                >
                  <i style={`width:${pct}%`} />
                </div>
                <span class="progress-text muted">{text}</span>
              </td>,
              <td>{e.operator ?? ''}</td>,
            ];
          })}
          {section('menunggu', tr('st_q_waiting'), waiting, (e) => [
            <td>{link(e)}</td>,
            <td>{tr(`st_stage_${e.stage}`)}</td>,
            <td class="num">{fmt.num(e.pages, lang)}</td>,
            <td>{e.operator ?? ''}</td>,
            <td class="muted">
              {e.lastError ? `${tr('st_outcome_retry')}: ${e.lastError.slice(0, 120)}` : ''}
            </td>,
          ])}
          {section('gagal', tr('st_q_failed'), failed, (e) => [
            <td>{link(e)}</td>,
            <td>{tr(`st_stage_${e.stage}`)}</td>,
            <td>{e.errorMessage ?? e.lastError ?? ''}</td>,
            <td>{e.operator ?? ''}</td>,
            <td>{fmt.dateTime(e.updatedAt, lang)}</td>,
          ])}
          <section class="card" id="ditolak" data-count={rejected.length}>
            <h2>
              {tr('st_q_rejected')} <span class="muted">({rejected.length})</span>
            </h2>
            {rejected.length === 0 ? (
              <p class="muted">{tr('st_q_none')}</p>
            ) : (
              <ScrollRegion label={tr('st_q_rejected')}>
                <RejectionTable id="ditolak-batch" rows={rejected} tr={tr} lang={lang} />
              </ScrollRegion>
            )}
          </section>
          {section('selesai', tr('st_q_done'), done, (e) => [
            <td>{link(e)}</td>,
            <td>{e.nomorInduk ?? ''}</td>,
            <td class="num">{fmt.num(e.pages, lang)}</td>,
            <td>{e.operator ?? ''}</td>,
            <td>
              <span class="badge b-available">{tr('st_status_available')}</span>
            </td>,
          ])}
        </div>,
      ],
    );
  }

  function stream(req: Request, res: Response) {
    const mine = onlyMine(req, res);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    // One lookup per item, kept as a promise: the events of an item stay in the order they came.
    const owners = new Map<string, Promise<string | null>>();
    const ownerOf = (itemId: string) => {
      let owner = owners.get(itemId);
      if (!owner) {
        owner = ctx.register.items.get(itemId).then((it) => it?.operator ?? null);
        owners.set(itemId, owner);
      }
      return owner;
    };
    const send = (event: string) => (e: { itemId: string }) => {
      const message = `event: ${event}\ndata: ${JSON.stringify(e)}\n\n`;
      if (!mine) {
        res.write(message);
        return;
      }
      ownerOf(e.itemId).then(
        (owner) => {
          if (owner === mine && !res.writableEnded) res.write(message);
        },
        // Not known now: this event is left out (the page shows the queue as it is), the next asks again.
        () => owners.delete(e.itemId),
      );
    };
    const onProgress = send('progress');
    const onStage = send('stage');
    for (const source of [ctx.runnerEvents, remote]) {
      source.on('progress', onProgress);
      source.on('stage', onStage);
    }
    streamOpened();
    // A comment every 15 s keeps proxies from closing an idle stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      streamClosed();
      for (const source of [ctx.runnerEvents, remote]) {
        source.off('progress', onProgress);
        source.off('stage', onStage);
      }
    });
  }

  return {
    page,
    stream,
    script(_req: Request, res: Response) {
      res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(QUEUE_SCRIPT);
    },
  };
}
