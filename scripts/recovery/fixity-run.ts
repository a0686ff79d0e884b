import type { Logger } from 'pino';
import type { Config } from '../../core/config.ts';
import { FIXITY_FLAG, type FixityRun } from '../../core/register/fixity.queries.ts';
import type { Register } from '../../core/register/register.ts';
import type { ObjectStore } from '../../core/store/object-store.ts';
import { auditFixity, type FixityReport } from './fixity.ts';
import {
  callFixityWebhook,
  type FixityWebhookPayload,
  type WebhookOptions,
  type WebhookOutcome,
} from './fixity-webhook.ts';

/** What a fixity run records into and tells. */
export interface FixityRunDeps {
  register: Register;
  store: ObjectStore;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** PINDAI_LIBRARY_NAME, for the webhook's receiver (one receiver may serve several libraries). */
  libraryName: string | null;
  /** PINDAI_FIXITY_WEBHOOK_URL: called when the run finds damage or fails. */
  webhookUrl?: string | undefined;
  webhook?: WebhookOptions;
  /** Who the audit log names: `sistem` for the nightly run, `cli` for `pindai fixity`. */
  actor: string;
  now?: () => Date;
}

/** The run's parts from an opened Pindai (`pindai serve`) or catalogue (`pindai fixity`). */
export function fixityRunDepsOf(
  app: {
    register: Register;
    store: ObjectStore;
    config: Pick<Config, 'library' | 'fixity'>;
    log?: FixityRunDeps['log'];
  },
  actor: string,
): FixityRunDeps {
  return {
    register: app.register,
    store: app.store,
    log: app.log,
    libraryName: app.config.library.name ?? null,
    webhookUrl: app.config.fixity.webhookUrl,
    actor,
  };
}

export interface FixityRunOutcome {
  run: FixityRun;
  /** Null when the run stopped before its end (error or stop). */
  report: FixityReport | null;
  error: Error | null;
  /** Stopped on purpose (serve shutting down) or taken over: not recorded as finished here. */
  abandoned: boolean;
  /** Items a damage flag was taken off: checked whole again. */
  cleared: string[];
  webhook: WebhookOutcome | null;
}

export class FixityStopped extends Error {
  constructor() {
    super('fixity run stopped');
    this.name = 'FixityStopped';
  }
}

/**
 * Run one fixity check whose row is already in the register (claimed for a night, or started by
 * hand) and record everything about it in one place: per damaged object an item event, the
 * item's `fixity_failed` flag and an audit-log entry; the item flag dropped when an item flagged
 * before now checks out whole; the run's counts (or error); an audit entry for the run; and the
 * webhook on damage or failure. `between` is awaited after each object (pause, lease, stop:
 * throw FixityStopped to leave the run unfinished for a later process to take over).
 */
export async function performFixityRun(
  deps: FixityRunDeps,
  run: FixityRun,
  opts: { between?: () => Promise<void> } = {},
): Promise<FixityRunOutcome> {
  const { register, log } = deps;
  const now = deps.now ?? (() => new Date());
  const flaggedBefore = new Set((await register.fixity.damaged(100_000)).map((d) => d.id));
  let report: FixityReport | null = null;
  let error: Error | null = null;
  try {
    report = await auditFixity(register, deps.store, {
      part: run.sharePart,
      of: run.shareOf,
      slot: run.slot,
      between: opts.between,
    });
  } catch (err) {
    if (err instanceof FixityStopped)
      return { run, report: null, error: err, abandoned: true, cleared: [], webhook: null };
    error = err instanceof Error ? err : new Error(String(err));
  }
  const audit = (action: string, target: string | null, detail: Record<string, unknown>) =>
    register.audit.record({ userId: null, username: deps.actor, action, target, detail, ip: null });

  const cleared: string[] = [];
  if (report) {
    for (const m of report.mismatches) {
      const detail = { key: m.key, expected: m.expected, actual: m.actual };
      await register.runs.event({
        itemId: m.itemId,
        level: 'error',
        code: 'fixity_mismatch',
        params: detail,
      });
      await register.items.addFlag(m.itemId, { code: FIXITY_FLAG, params: { key: m.key } });
      await audit('fixity_damage', `item:${m.itemId}`, { ...detail, run: run.id });
    }
    const damagedNow = new Set(report.mismatches.map((m) => m.itemId));
    for (const id of report.items) {
      if (!flaggedBefore.has(id) || damagedNow.has(id)) continue;
      if (!(await register.fixity.clearDamage(id))) continue;
      cleared.push(id);
      await register.runs.event({ itemId: id, level: 'info', code: 'fixity_cleared', params: {} });
      await audit('fixity_cleared', `item:${id}`, { run: run.id });
    }
  }
  const result = {
    checkedItems: report?.checkedItems ?? 0,
    checkedObjects: report?.checkedObjects ?? 0,
    mismatches: report?.mismatches.length ?? 0,
    error: error ? error.message || error.name : null,
    at: now(),
  };
  if (!(await register.fixity.finish(run.id, run.owner, result))) {
    // Another process took the night over after our lease lapsed: its run is the one recorded.
    log?.warn({ run: run.id }, 'fixity run taken over by another process; not recorded here');
    return { run, report, error, abandoned: true, cleared, webhook: null };
  }
  const finished = (await register.fixity.get(run.id)) ?? run;
  await audit('fixity_run', null, {
    run: run.id,
    kind: run.kind,
    share: `${run.sharePart}/${run.shareOf}`,
    slot: run.slot,
    items: result.checkedItems,
    objects: result.checkedObjects,
    mismatches: result.mismatches,
    ...(result.error ? { error: result.error } : {}),
  });
  const level = result.error || result.mismatches > 0 ? 'error' : 'info';
  log?.[level]({ run: run.id, kind: run.kind, slot: run.slot, ...result }, 'fixity run');

  let webhook: WebhookOutcome | null = null;
  if (deps.webhookUrl && (error || result.mismatches > 0)) {
    webhook = await callFixityWebhook(
      deps.webhookUrl,
      payloadOf(deps, finished, report, error),
      deps.webhook,
    );
    if (!webhook.ok) {
      log?.warn(
        { run: run.id, attempts: webhook.attempts, err: webhook.error },
        'fixity webhook not delivered',
      );
      await audit('fixity_webhook_failed', null, {
        run: run.id,
        attempts: webhook.attempts,
        error: webhook.error ?? '',
      });
    }
  }
  return { run: finished, report, error, abandoned: false, cleared, webhook };
}

function payloadOf(
  deps: FixityRunDeps,
  run: FixityRun,
  report: FixityReport | null,
  error: Error | null,
): FixityWebhookPayload {
  return {
    event: error ? 'fixity_failed' : 'fixity_damage',
    library: deps.libraryName,
    run: {
      id: run.id,
      kind: run.kind,
      share: `${run.sharePart}/${run.shareOf}`,
      slot: run.slot,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      checkedItems: run.checkedItems,
      checkedObjects: run.checkedObjects,
      mismatches: run.mismatches,
      error: run.error,
    },
    damaged: (report?.mismatches ?? []).map((m) => ({
      itemId: m.itemId,
      nomorInduk: m.nomorInduk,
      key: m.key,
      expected: m.expected,
      actual: m.actual,
    })),
  };
}
